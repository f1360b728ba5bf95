"""The candidate record the gap-filling call and the briefing work from.

It follows the API's candidate schema (``id``, ``name``, ``email``, ``phone``,
``profile``, ``extracted_data``, ``missing_required``, ``notes``, ``resume_summary``) and
accepts what other systems send besides (camelCase spellings, top-level profile keys such
as ``current_title``, any other key: kept, never dropped). A gap-filling call keeps each
field's latest status in ``extracted_data["gap_filling_status"]``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError, field_validator

from voicehire.domain.briefing import BriefingData
from voicehire.domain.fields import FieldRegistry, canonical_name, load_field_specs
from voicehire.domain.gap_filling import (
    DeclinedField,
    FieldUpdate,
    FilledField,
    GapFillingResult,
    UnresolvedField,
)

STATUS_KEY = "gap_filling_status"


@lru_cache(maxsize=1)
def _builtin_registry() -> FieldRegistry:
    return load_field_specs()


# Top-level keys of a record that describe the candidate (besides ``profile``).
PROFILE_KEYS = ("current_title", "current_company", "location", "years_of_experience", "skills")


class FieldStatus(BaseModel):
    """The latest status of one field a gap-filling call asked about."""

    model_config = ConfigDict(extra="allow")

    status: str = Field("", description="filled, unconfirmed, retracted, declined or unresolved")
    value: Any = None
    spoken: str | None = None
    raw: str | None = None
    approximate: bool = False
    confirmed: bool = False
    updated_at: int | None = Field(None, description="milliseconds since the epoch")

    @classmethod
    def of(cls, update: FieldUpdate, updated_at: int) -> FieldStatus:
        entry = update.to_json()
        entry.pop("field")
        return cls.model_validate({**entry, "updated_at": updated_at})


class ExtractedData(BaseModel):
    """Profile values collected so far, by field name, plus the gap-filling statuses."""

    model_config = ConfigDict(extra="allow")

    gap_filling_status: dict[str, FieldStatus] = Field(default_factory=dict)

    @field_validator("gap_filling_status", mode="before")
    @classmethod
    def _only_entries(cls, v: Any) -> Any:
        # A status map written by hand may hold junk next to real entries; skip the junk.
        if v is None:
            return {}
        if isinstance(v, Mapping):
            return {k: e for k, e in v.items() if isinstance(e, Mapping | FieldStatus)}
        return v

    def values(self) -> dict[str, Any]:
        """The collected values (everything but the statuses)."""
        return dict(self.model_extra or {})


class CandidateRecord(BaseModel):
    """A candidate as the API stores it (see the module docstring)."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    id: str | None = None
    name: str | None = Field(None, validation_alias=AliasChoices("name", "full_name", "fullName"))
    email: str | None = None
    phone: str | None = None
    profile: dict[str, Any] = Field(default_factory=dict)
    extracted_data: ExtractedData = Field(
        default_factory=ExtractedData,
        validation_alias=AliasChoices("extracted_data", "extractedData"),
    )
    missing_required: list[str] = Field(
        default_factory=list, validation_alias=AliasChoices("missing_required", "missingRequired")
    )
    notes: str | list[str] | None = Field(
        None, validation_alias=AliasChoices("notes", "recruiter_notes", "recruiterNotes")
    )
    resume_summary: str | None = Field(
        None, validation_alias=AliasChoices("resume_summary", "resumeSummary")
    )

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_text(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int) and not isinstance(v, bool) else v

    @field_validator("profile", "extracted_data", mode="before")
    @classmethod
    def _none_is_empty(cls, v: Any) -> Any:
        return {} if v is None else v

    @field_validator("missing_required", mode="before")
    @classmethod
    def _names(cls, v: Any) -> Any:
        if v is None:
            return []
        if isinstance(v, list):
            return [str(f) for f in v]
        return v

    @classmethod
    def lenient(cls, doc: Mapping[str, Any]) -> tuple[CandidateRecord, list[str]]:
        """Read a record another system sent without ever failing: a key with the wrong
        shape is dropped, with a problem naming it; the rest is kept."""
        data = dict(doc)
        problems: list[str] = []
        while True:
            try:
                return cls.model_validate(data), problems
            except ValidationError as exc:
                bad = {str(e["loc"][0]) for e in exc.errors() if e["loc"]} & set(data)
                if not bad:  # not a mapping of keys at all: nothing to keep
                    return cls(), [*problems, f"candidate record unusable ({exc})"]
                for key in sorted(bad):
                    problems.append(f"candidate record: {key}={data.pop(key)!r} is invalid")

    @property
    def display_name(self) -> str | None:
        """``name``, else ``profile.name``; None when neither is usable text."""
        name = self.name or self.profile.get("name")
        return str(name).strip() or None if name else None

    @property
    def field_statuses(self) -> dict[str, FieldStatus]:
        return self.extracted_data.gap_filling_status

    def missing_fields(self, registry: FieldRegistry | None = None) -> list[str]:
        """``missing_required`` minus fields that already hold a value. Names are compared
        as field specs: a value saved as ``expected_salary`` fills a missing
        ``salary expectation`` (an alias of that spec)."""
        registry = registry or _builtin_registry()

        def key(name: str) -> str:
            return registry.spec_name(name) or canonical_name(name)

        have = {key(k) for k, v in self.extracted_data.values().items() if v not in (None, "")}
        return [f for f in self.missing_required if key(f) not in have]

    def gap_filling_result(self, registry: FieldRegistry | None = None) -> GapFillingResult | None:
        """What earlier gap-filling calls saved in this record, as a call result (None when
        no call saved anything)."""
        statuses = self.field_statuses
        if not statuses:
            return None
        registry = registry or load_field_specs()
        filled: list[FilledField] = []
        declined: list[DeclinedField] = []
        unresolved: list[UnresolvedField] = []
        for name, entry in statuses.items():
            spec = registry.get(name)
            label = spec.label if spec else name.replace("_", " ")
            if entry.status in ("filled", "unconfirmed") and entry.value is not None:
                filled.append(
                    FilledField(
                        field=name,
                        label=label,
                        value=entry.value,
                        spoken=entry.spoken or str(entry.value),
                        raw=entry.raw or "",
                        approximate=entry.approximate,
                        confirmed=entry.status == "filled",
                    )
                )
            elif entry.status == "declined":
                declined.append(DeclinedField(field=name, label=label, raw=entry.raw or ""))
            elif entry.status in ("unresolved", "retracted"):
                unresolved.append(
                    UnresolvedField(field=name, label=label, reason="no usable answer in the call")
                )
        return GapFillingResult(filled=filled, declined=declined, unresolved=unresolved)

    def briefing_data(
        self,
        *,
        job: Mapping[str, Any] | None = None,
        interviews: Iterable[Any] = (),
        gap_filling: Mapping[str, Any] | GapFillingResult | None = None,
    ) -> BriefingData:
        """Briefing input from this record (plus the job and earlier results). Gap-filling
        results come from ``gap_filling`` or, failing that, from the statuses a gap-filling
        call saved in the record."""
        cand: dict[str, Any] = dict(self.profile)
        extra = self.model_extra or {}
        for key in PROFILE_KEYS:
            if extra.get(key) is not None:
                cand[key] = extra[key]
        if self.display_name:
            cand["name"] = self.display_name
        cand["extracted_data"] = self.extracted_data.values()
        cand["missing_required"] = list(self.missing_required)
        gap = gap_filling if gap_filling is not None else self.gap_filling_result()
        return BriefingData.model_validate(
            {
                "candidate": cand,
                "resume_summary": self.resume_summary,
                "recruiter_notes": self.notes,
                "job": dict(job) if job else None,
                "interviews": list(interviews),
                "gap_filling": gap,
            }
        )

    def to_record(self) -> dict[str, Any]:
        """The record as JSON (API field names; unknown keys kept)."""
        return self.model_dump(mode="json", exclude_unset=True)
