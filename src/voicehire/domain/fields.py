"""Gap-filling field specs: what a profile field is called, how to ask for it, its type
and its validation rules.

Built-in specs for the usual recruiting fields live in ``domain/field_specs.yaml``.
Deployments add or override specs with their own YAML files (``load_field_specs(paths)``)
or with spec mappings passed in at run time (e.g. from job metadata). A user file is a
mapping ``{fields: [ {name: ..., label: ..., type: ...}, ... ]}`` or a plain list of
such mappings; a spec with a built-in's name replaces the built-in.

Field names are matched loosely: ``yearsOfExperience``, ``Years of experience`` and
``years-of-experience`` all mean ``years_of_experience``; specs may list extra
``aliases``.

Unknown names: ``registry[name]`` / ``registry.get_spec(name)`` raise
:class:`UnknownFieldError` (a KeyError naming the known fields and how to add a spec;
``registry.get(name)`` returns None) — for configuration and tests. ``FieldRegistry.resolve``
returns a free-text fallback spec instead and logs a warning — for live calls, because
the candidate API's ``missing_required`` list may carry deployment-specific names, and
collecting the answer verbatim is more useful than dropping the field or the call.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

logger = logging.getLogger(__name__)

FieldType = Literal[
    "integer",  # whole number, optional unit ("people")
    "number",  # number with a unit; "18 months" -> 1.5 for unit years
    "currency",  # amount + currency + pay period
    "percentage",  # "110%", "a hundred and ten percent", "1.1 times quota" -> 110
    "duration",  # stored in days: "two weeks" -> 14, "immediately" -> 0
    "date",  # a day, or a range ("Q3 last year", "next week")
    "month_year",  # a month (or a year): "March 2025"
    "yes_no",
    "choice",  # one of ``choices``, matched fuzzily
    "text",  # free text, trimmed, length-limited
]
FIELD_TYPES: tuple[str, ...] = FieldType.__args__  # type: ignore[attr-defined]

# Types read back to the candidate by default: a mistake there would matter.
CONFIRM_BY_DEFAULT = frozenset({"currency", "date", "month_year"})


class FieldSpecError(ValueError):
    """A field spec (file) that cannot be used; the message says where and why."""


class UnknownFieldError(KeyError):
    """A field name with no spec. ``str()`` gives a readable message."""

    def __init__(self, name: str, known: Iterable[str]):
        self.name = name
        self.known = sorted(known)
        super().__init__(name)

    def __str__(self) -> str:
        return (
            f"no field spec named {self.name!r}; known fields: {', '.join(self.known)}. "
            "Add a spec in a field spec YAML file (see domain/field_specs.yaml)."
        )


def canonical_name(name: str) -> str:
    """``yearsOfExperience`` / ``Years of experience`` -> ``years_of_experience``."""
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name.strip())
    s = re.sub(r"[^A-Za-z0-9]+", "_", s).strip("_").lower()
    return s


class Choice(BaseModel):
    """One allowed value of a ``choice`` field, with the words candidates use for it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: str = Field(min_length=1)
    label: str = ""
    aliases: list[str] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"value": data}
        return data

    @model_validator(mode="after")
    def _default_label(self) -> Choice:
        if not self.label:
            object.__setattr__(self, "label", self.value.replace("_", " "))
        return self

    def phrases(self) -> list[str]:
        """Every phrase that names this choice, lower-case, longest first."""
        out = {self.value.replace("_", " ").lower(), self.label.lower()}
        out.update(a.lower() for a in self.aliases)
        return sorted((p for p in out if p), key=len, reverse=True)


class FieldSpec(BaseModel):
    """How to collect one profile field."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1, description="Short human name: 'expected salary'")
    ask: str = Field(min_length=3, description="How the agent asks for it")
    type: FieldType = "text"
    unit: str | None = Field(
        None,
        description="years/days/people...; for currency the ISO code assumed when unspoken",
    )
    period: Literal["hour", "day", "week", "month", "year"] | None = Field(
        None, description="currency only: pay period assumed when unspoken"
    )
    choices: list[Choice] = Field(default_factory=list)
    min_value: float | None = Field(None, validation_alias=AliasChoices("min_value", "min"))
    max_value: float | None = Field(None, validation_alias=AliasChoices("max_value", "max"))
    range: Literal["keep", "midpoint", "reject"] = Field(
        "keep", description="numeric answers given as a range: keep both ends, midpoint, reject"
    )
    direction: Literal["future", "past", "any"] = Field(
        "any", description="dates: which way an incomplete date ('June') resolves, and limits"
    )
    max_length: int = Field(500, ge=1, description="text: longer answers are cut here")
    confirm: bool | None = Field(
        None, description="read the value back for confirmation; default: money and dates"
    )
    examples: list[str] = Field(default_factory=list, description="Spoken answers it accepts")
    aliases: list[str] = Field(default_factory=list, description="Other names of this field")
    fallback: bool = Field(False, description="Generated for an unknown field name")

    @field_validator("name", mode="before")
    @classmethod
    def _canonical(cls, v: Any) -> Any:
        return canonical_name(v) if isinstance(v, str) else v

    @model_validator(mode="after")
    def _check(self) -> FieldSpec:
        if self.type == "choice" and len(self.choices) < 2:
            raise ValueError("a choice field needs at least two choices")
        if self.type != "choice" and self.choices:
            raise ValueError(f"choices are only allowed on choice fields, not {self.type}")
        if (
            self.min_value is not None
            and self.max_value is not None
            and self.min_value > self.max_value
        ):
            raise ValueError("min must not be greater than max")
        if self.period is not None and self.type != "currency":
            raise ValueError("period is only allowed on currency fields")
        return self

    @property
    def needs_confirmation(self) -> bool:
        return self.type in CONFIRM_BY_DEFAULT if self.confirm is None else self.confirm

    @property
    def currency(self) -> str:
        return (self.unit or "USD").upper()

    @property
    def pay_period(self) -> str:
        return self.period or "year"


def fallback_spec(name: str) -> FieldSpec:
    """A free-text spec for a field nobody described: asked by its name, kept verbatim."""
    canon = canonical_name(name) or "field"
    if not re.match(r"^[a-z]", canon):
        canon = f"field_{canon}"
    label = canon.replace("_", " ")
    return FieldSpec(
        name=canon,
        label=label,
        ask=f"Could you tell me your {label}?",
        type="text",
        fallback=True,
    )


class FieldRegistry(Mapping[str, FieldSpec]):
    """Specs by canonical name, with alias lookup."""

    def __init__(self, specs: Iterable[FieldSpec] = ()):
        self._specs: dict[str, FieldSpec] = {}
        self._aliases: dict[str, str] = {}
        for spec in specs:
            self.add(spec)

    def add(self, spec: FieldSpec) -> None:
        """Add a spec; one with an existing name replaces it."""
        self._specs[spec.name] = spec
        for alias in spec.aliases:
            self._aliases[canonical_name(alias)] = spec.name

    def _key(self, name: str) -> str | None:
        canon = canonical_name(name)
        if canon in self._specs:
            return canon
        return self._aliases.get(canon)

    def __getitem__(self, name: str) -> FieldSpec:
        key = self._key(name) if isinstance(name, str) else None
        if key is None:
            raise UnknownFieldError(str(name), self._specs)
        return self._specs[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._key(name) is not None

    def spec_name(self, name: str) -> str | None:
        """The spec name ``name`` means (``Salary expectation`` -> ``expected_salary``),
        or None when no spec has that name or alias."""
        return self._key(name) if isinstance(name, str) else None

    def normalise(self, names: Iterable[str]) -> tuple[list[str], list[str]]:
        """``names`` as spec names (in order, once each) and the names no spec knows."""
        known: list[str] = []
        unknown: list[str] = []
        for name in names:
            key = self.spec_name(name)
            if key is None:
                unknown.append(name)
            elif key not in known:
                known.append(key)
        return known, unknown

    def get_spec(self, name: str) -> FieldSpec:
        """The spec for ``name``; raises :class:`UnknownFieldError` if there is none."""
        return self[name]

    def resolve(self, name: str) -> FieldSpec:
        """The spec for ``name``, or a free-text fallback (logged) if there is none."""
        key = self._key(name)
        if key is not None:
            return self._specs[key]
        spec = fallback_spec(name)
        logger.warning(
            "no field spec for %r; collecting it as free text",
            name,
            extra={"field": name, "fallback": spec.name},
        )
        return spec


def builtin_specs_path() -> Path:
    return Path(str(resources.files("voicehire.domain") / "field_specs.yaml"))


def _spec_entries(data: Any, where: str) -> list[Any]:
    if isinstance(data, Mapping) and "fields" in data:
        data = data["fields"]
    if isinstance(data, Mapping):
        # {name: {label: ..., ...}} form
        entries = []
        for name, body in data.items():
            if not isinstance(body, Mapping):
                raise FieldSpecError(f"{where}: field {name!r} must be a mapping")
            entries.append({"name": name, **body})
        return entries
    if isinstance(data, list):
        return data
    raise FieldSpecError(
        f"{where}: expected a mapping with a 'fields' list (or a list of field specs)"
    )


def parse_field_specs(data: Any, *, where: str = "field specs") -> list[FieldSpec]:
    """Validate spec mappings (e.g. parsed YAML or job metadata) into specs."""
    specs: list[FieldSpec] = []
    seen: set[str] = set()
    for i, entry in enumerate(_spec_entries(data, where)):
        try:
            spec = FieldSpec.model_validate(entry)
        except ValidationError as exc:
            name = entry.get("name", f"#{i + 1}") if isinstance(entry, Mapping) else f"#{i + 1}"
            details = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'spec'}: {e['msg']}" for e in exc.errors()
            )
            raise FieldSpecError(f"{where}: field {name}: {details}") from None
        if spec.name in seen:
            raise FieldSpecError(f"{where}: field {spec.name!r} is defined twice")
        seen.add(spec.name)
        specs.append(spec)
    return specs


def _load_file(path: Path) -> list[FieldSpec]:
    if not path.is_file():
        raise FieldSpecError(f"field spec file {str(path)!r} does not exist or is not a file")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise FieldSpecError(f"{path}: not valid YAML: {exc}") from None
    return parse_field_specs(data, where=str(path))


def load_field_specs(
    extra_paths: Iterable[str | Path] = (),
    *,
    extra_specs: Any = None,
    include_builtin: bool = True,
) -> FieldRegistry:
    """Built-in specs, then each file in ``extra_paths``, then ``extra_specs`` (a list or
    mapping of spec dicts, e.g. from job metadata); later specs replace earlier ones of
    the same name. Raises :class:`FieldSpecError` naming the file and field on bad input.
    """
    registry = FieldRegistry()
    if include_builtin:
        for spec in _load_file(builtin_specs_path()):
            registry.add(spec)
    for p in extra_paths:
        for spec in _load_file(Path(p)):
            if spec.name in registry:
                logger.info(
                    "field spec %s from %s replaces an earlier one",
                    spec.name,
                    p,
                    extra={"field": spec.name, "path": str(p)},
                )
            registry.add(spec)
    if extra_specs:
        for spec in parse_field_specs(extra_specs, where="inline field specs"):
            registry.add(spec)
    return registry
