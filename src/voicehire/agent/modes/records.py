"""Candidate records for the gap-filling and briefing calls: reading them, saving
gap-filling answers as they are given, and turning a record into briefing data.

A record follows the API's candidate schema (``name``, ``profile``, ``extracted_data``,
``missing_required``, ``notes``, ``resume_summary``). A record file may instead be a
bundle ``{candidate: {...}, job: {...}, interviews: [...], gap_filling: {...}}``.

Saving (one rule for the API and the local store): a **confirmed** value (or one that
needs no read-back) is merged into ``extracted_data`` under the field's name, so it
leaves ``missing_required``. Every status change of a field (filled, unconfirmed,
retracted, declined, unresolved) is also kept in ``extracted_data["gap_filling_status"]``
with the spoken form, the raw answer and whether it was confirmed. So a value read back
but not yet confirmed is stored the moment it is said, without passing as a confirmed
fact; declined and unresolved fields stay in ``missing_required``.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from voicehire.domain.briefing import BriefingData
from voicehire.domain.candidate import STATUS_KEY, CandidateRecord, FieldStatus
from voicehire.domain.config import CallMetadata, SessionConfig
from voicehire.domain.fields import FieldRegistry, load_field_specs
from voicehire.domain.gap_filling import FieldUpdate, GapFillingResult
from voicehire.domain.outcome import SessionOutcome
from voicehire.platform_client import PlatformClient, PlatformError
from voicehire.settings import Settings

logger = logging.getLogger(__name__)


class RecordError(ValueError):
    """An input file that cannot be used; the message names the file and the problem."""


def load_document(path: Path, what: str = "file") -> Any:
    """A JSON or YAML document (YAML is a superset of JSON)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RecordError(f"cannot read {what} {path}: {exc.strerror}") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RecordError(f"{path}: not valid JSON or YAML: {exc}") from None


def load_bundle(path: Path) -> dict[str, Any]:
    """``{candidate, job, interviews, gap_filling}`` from a candidate file."""
    doc = load_document(path, "candidate file")
    if not isinstance(doc, dict):
        raise RecordError(f"{path}: expected a candidate record (a mapping with 'name')")
    bundle = dict(doc) if isinstance(doc.get("candidate"), dict) else {"candidate": doc}
    candidate = bundle["candidate"]
    if not isinstance(candidate.get("name") or (candidate.get("profile") or {}).get("name"), str):
        raise RecordError(f"{path}: the candidate record needs a 'name'")
    for key, kind in (("extracted_data", dict), ("missing_required", list)):
        if candidate.get(key) is not None and not isinstance(candidate[key], kind):
            raise RecordError(f"{path}: '{key}' must be a {'mapping' if kind is dict else 'list'}")
    interviews = bundle.get("interviews") or []
    if not isinstance(interviews, list):
        raise RecordError(f"{path}: 'interviews' must be a list of earlier results")
    bundle["interviews"] = interviews
    return bundle


def candidate_name(candidate: Mapping[str, Any]) -> str | None:
    return CandidateRecord.lenient(candidate)[0].display_name


def missing_fields(candidate: Mapping[str, Any]) -> list[str]:
    """The record's ``missing_required`` (``missingRequired`` accepted), minus fields that
    already hold a value."""
    return CandidateRecord.lenient(candidate)[0].missing_fields()


def field_registry(extra_paths: Iterable[Path] = (), extra_specs: Any = None) -> FieldRegistry:
    return load_field_specs(list(extra_paths), extra_specs=extra_specs)


# --- saving ------------------------------------------------------------------------------------


def status_entry(update: FieldUpdate) -> dict[str, Any]:
    return FieldStatus.of(update, int(time.time() * 1000)).model_dump(mode="json")


class FieldPatcher:
    """Turns each :class:`FieldUpdate` into an ``extracted_data`` patch (see module doc)."""

    def __init__(self, existing_status: Any = None) -> None:
        self.status: dict[str, Any] = (
            dict(existing_status or {}) if isinstance(existing_status, dict) else {}
        )

    def patch(self, update: FieldUpdate) -> dict[str, Any]:
        self.status[update.field] = status_entry(update)
        patch: dict[str, Any] = {STATUS_KEY: dict(self.status)}
        if update.status == "filled":
            patch[update.field] = update.value
        return patch


class LocalCandidateStore:
    """Saves the candidate record as a JSON file, rewritten (atomically) on every update."""

    def __init__(self, path: Path, candidate: Mapping[str, Any]) -> None:
        self.path = path
        self.record: dict[str, Any] = json.loads(json.dumps(candidate, default=str))
        data = self.record.setdefault("extracted_data", {})
        self.patcher = FieldPatcher(data.get(STATUS_KEY))
        self.writes = 0

    def describe(self) -> str:
        return str(self.path)

    def save(self, update: FieldUpdate) -> None:
        patch = self.patcher.patch(update)
        self.record["extracted_data"] = {**(self.record.get("extracted_data") or {}), **patch}
        if "missing_required" in self.record:
            self.record["missing_required"] = [
                f for f in self.record["missing_required"] if f not in patch
            ]
        self.write()

    __call__ = save

    def write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(self.record, fh, ensure_ascii=False, indent=2)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.writes += 1


class PlatformCandidateSaver:
    """Saves each update through the VoiceHire API (``PATCH .../candidates/{id}/fields``)."""

    def __init__(self, client: Any, candidate_id: str, candidate: Mapping[str, Any]) -> None:
        self.client = client
        self.candidate_id = candidate_id
        self.patcher = FieldPatcher((candidate.get("extracted_data") or {}).get(STATUS_KEY))

    def describe(self) -> str:
        return f"{self.client.base_url} (candidate {self.candidate_id})"

    async def __call__(self, update: FieldUpdate) -> None:
        await self.client.update_candidate_fields(self.candidate_id, self.patcher.patch(update))


# --- briefing data -------------------------------------------------------------------------------


def gap_result_from_status(
    status: Any, registry: FieldRegistry | None = None
) -> dict[str, Any] | None:
    """A :class:`GapFillingResult` document rebuilt from a record's saved statuses."""
    if not isinstance(status, dict) or not status:
        return None
    record = CandidateRecord.model_validate({"extracted_data": {STATUS_KEY: status}})
    result = record.gap_filling_result(registry)
    if result is None:
        return None
    return result.model_dump(mode="json", include={"filled", "declined", "unresolved"})


def briefing_data(
    candidate: Mapping[str, Any],
    *,
    job: Mapping[str, Any] | None = None,
    interviews: Iterable[Any] = (),
    gap_filling: Mapping[str, Any] | GapFillingResult | None = None,
) -> BriefingData:
    """Briefing input from an API-shaped candidate record (plus job and earlier results).
    Gap-filling results come from ``gap_filling`` or, failing that, from the statuses a
    gap-filling call saved in the record."""
    return CandidateRecord.lenient(candidate)[0].briefing_data(
        job=job, interviews=interviews, gap_filling=gap_filling
    )


def is_gap_filling_result(doc: Any) -> bool:
    return isinstance(doc, dict) and any(k in doc for k in ("filled", "declined", "unresolved"))


# --- a call's inputs: API first, then the metadata ------------------------------------------


async def load_candidate(
    config: SessionConfig, meta: CallMetadata, platform: PlatformClient | None
) -> tuple[dict[str, Any], bool]:
    """The candidate record and whether it came from the API (else from the metadata:
    ``candidate: {...}``, or ``missing_required`` plus ``candidateName``)."""
    if platform is not None and config.candidate_id:
        try:
            return await platform.get_candidate(config.candidate_id), True
        except PlatformError as exc:
            logger.error(
                "could not fetch the candidate from the VoiceHire API; using the metadata",
                extra={"candidate_id": config.candidate_id, "error": str(exc)},
            )
    candidate: dict[str, Any] = dict(meta.candidate or {})
    candidate.setdefault("id", config.candidate_id)
    if config.candidate_name != "Candidate":
        candidate.setdefault("name", config.candidate_name)
    for key, value in (
        ("missing_required", meta.missing_required),
        ("notes", meta.notes),
        ("resume_summary", meta.resume_summary),
    ):
        if value is not None:
            candidate.setdefault(key, value)
    return candidate, False


async def load_interviews(
    config: SessionConfig, meta: CallMetadata, platform: PlatformClient | None
) -> list[Any]:
    """Earlier interview results: the metadata's ``interviews``, else the candidate's
    finished, evaluated interviews from the API (human overrides included)."""
    if meta.interviews:
        return list(meta.interviews)
    if platform is not None and config.candidate_id:
        try:
            return await platform.get_candidate_results(config.candidate_id)
        except PlatformError as exc:
            logger.error(
                "could not fetch the candidate's interview results",
                extra={"candidate_id": config.candidate_id, "error": str(exc)},
            )
    return []


async def load_job(
    meta: CallMetadata, platform: PlatformClient | None, interview_id: str | None
) -> dict[str, Any] | None:
    """The job a briefing is about: the metadata's, else the API interview's."""
    if meta.job is not None:
        return meta.job
    if platform is not None and interview_id:
        try:
            job = (await platform.get_interview_config(interview_id)).get("job")
            return job if isinstance(job, dict) else None
        except PlatformError as exc:
            logger.error("could not fetch the job", extra={"error": str(exc)})
    return None


def local_store_for(
    settings: Settings, candidate: Mapping[str, Any], source: Path | None = None
) -> LocalCandidateStore:
    """Where a call without the API saves the candidate: ``CANDIDATE_DIR/{id}.json``
    (``id`` from the record, else the input file's name)."""
    ident = str(candidate.get("id") or (source.stem if source else "") or "candidate")
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in ident)
    return LocalCandidateStore(settings.candidate_dir / f"{safe}.json", candidate)


def write_result(outcome: SessionOutcome, directory: Path) -> Path | None:
    """``{mode}_{session id}_result.json`` with the mode's result document."""
    if not outcome.result:
        return None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{outcome.mode}_{outcome.session_id}_result.json"
        path.write_text(json.dumps(outcome.result, ensure_ascii=False, indent=2), "utf-8")
        return path
    except OSError as exc:
        logger.error("could not write the call result", extra={"error": str(exc)})
        return None
