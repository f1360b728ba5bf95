"""The agent's side of the control-plane API (when ``VH_API_BASE_URL`` is set).

Before the interview it fetches the interview's configuration (the API is the system of
record: its metadata wins over the room's); a missing or finished interview is refused.
During it, every transcript document is also uploaded. After it, the status, end reason
and evaluation result are reported. The API being down never stops an interview: the
agent goes on from the room metadata, keeps its local files, and logs what failed.

The writes that end a session (final status, full transcript, result) go through the
durable outbox (:mod:`voicehire.storage.outbox`, ``OUTBOX_DIR``): written to disk first,
then delivered, and retried with backoff until the API has stored them (by the job as
it shuts down, then by the worker process, which drains the outbox while it runs).
"""

from __future__ import annotations

import logging
from typing import Any, Literal

from voicehire.platform_client import (
    PlatformAuthError,
    PlatformClient,
    PlatformError,
    PlatformUnavailableError,
)
from voicehire.storage.outbox import Deliver, Outbox, OutboxEntry, PermanentFailure
from voicehire.storage.transcripts import TranscriptStore

logger = logging.getLogger(__name__)

# Interview end reasons that mean something went wrong rather than a finished interview.
ERROR_REASONS = {"error", "job_shutdown"}


class InterviewRefused(RuntimeError):
    """The API says this interview does not exist or cannot be started."""


def platform_deliverer(client: PlatformClient) -> Deliver:
    """Delivers outbox entries to the API. A refusal that no retry can change (the
    interview is gone, the change is not allowed) is a :class:`PermanentFailure`; a full
    transcript the API already holds was delivered by an attempt whose answer was lost."""

    async def deliver(entry: OutboxEntry) -> None:
        p = entry.payload
        try:
            if entry.kind == "status":
                await client.report_status(entry.interview_id, p["status"], p.get("end_reason"))
            elif entry.kind == "transcript":
                await client.upload_transcript(
                    entry.interview_id, p["document"], p.get("kind", "full"), p["name"]
                )
            elif entry.kind == "result":
                await client.upload_result(entry.interview_id, p["result"])
        except (PlatformUnavailableError, PlatformAuthError):
            raise  # the API is down or restarting (a per-process signing key): retry
        except PlatformError as exc:
            if exc.status == 409 and entry.kind == "transcript":
                return
            if exc.status is not None and 400 <= exc.status < 500 and exc.status not in (408, 429):
                raise PermanentFailure(str(exc)) from exc
            raise

    return deliver


class PlatformTranscriptStore:
    """Uploads transcript documents to the API (``kind`` from the document's metadata).
    With an outbox, the full transcript is queued durably first and a failed upload is
    retried from there (the write succeeds once it is queued)."""

    def __init__(
        self, client: PlatformClient, interview_id: str, outbox: Outbox | None = None
    ) -> None:
        self.client = client
        self.interview_id = interview_id
        self.outbox = outbox
        self.deliver = platform_deliverer(client)

    def describe(self) -> str:
        return f"{self.client.base_url} (interview {self.interview_id})"

    async def write(self, name: str, document: dict[str, Any]) -> str:
        kind: Literal["stage", "full"] = (
            "full" if document.get("metadata", {}).get("kind") == "full" else "stage"
        )
        if kind == "full" and self.outbox is not None:
            payload = {"kind": kind, "name": name, "document": document}
            await self.outbox.add(self.interview_id, "transcript", payload)
            await self.outbox.drain_once(self.deliver, self.interview_id)
        else:
            await self.client.upload_transcript(self.interview_id, document, kind, name)
        return f"{self.client.base_url}/api/interviews/{self.interview_id}/transcripts#{name}"


class MirroredTranscriptStore:
    """Writes to ``primary`` (its failure is the writer's to retry) and then to each mirror
    (a failing mirror is logged; the primary copy already holds the transcript)."""

    def __init__(self, primary: TranscriptStore, *mirrors: TranscriptStore) -> None:
        self.primary = primary
        self.mirrors = mirrors
        self.mirror_failures: list[str] = []

    def describe(self) -> str:
        return " + ".join([self.primary.describe(), *(m.describe() for m in self.mirrors)])

    async def write(self, name: str, document: dict[str, Any]) -> str:
        where = await self.primary.write(name, document)
        for mirror in self.mirrors:
            try:
                await mirror.write(name, document)
            except Exception as exc:
                self.mirror_failures.append(name)
                logger.error(
                    "transcript upload failed; the local copy is kept",
                    extra={"file_name": name, "mirror": mirror.describe(), "error": repr(exc)},
                )
        return where


class PlatformSync:
    def __init__(
        self, client: PlatformClient, interview_id: str, outbox: Outbox | None = None
    ) -> None:
        self.client = client
        self.interview_id = interview_id
        self.outbox = outbox
        self.deliver = platform_deliverer(client)

    async def fetch_metadata(self) -> dict[str, Any] | None:
        """The interview's metadata from the API; None when the API can't be reached.

        Raises :class:`InterviewRefused` when the interview is unknown or already over.
        """
        try:
            config = await self.client.get_interview_config(self.interview_id)
        except PlatformError as exc:
            if exc.status in (404, 409):
                raise InterviewRefused(str(exc)) from None
            logger.error(
                "could not fetch the interview configuration; using the room metadata",
                extra={"interview_id": self.interview_id, "error": str(exc)},
            )
            return None
        metadata = dict(config.get("metadata") or {})
        candidate = config.get("candidate") or {}
        if candidate.get("name") and "candidateName" not in metadata:
            metadata["candidateName"] = candidate["name"]
        metadata.setdefault("plan", config.get("plan"))
        metadata.setdefault("interviewType", config.get("interview_type"))
        return {k: v for k, v in metadata.items() if v is not None}

    async def _queue(self, kind: str, payload: dict[str, Any]) -> bool:
        """Queue durably and try to deliver now; True when the API has it."""
        assert self.outbox is not None
        await self.outbox.add(self.interview_id, kind, payload)
        report = await self.outbox.drain_once(self.deliver, self.interview_id)
        if report.remaining:
            logger.warning(
                "the API did not take the interview's %s; it stays in the outbox and is retried",
                kind,
                extra={"interview_id": self.interview_id, "outbox": self.outbox.describe()},
            )
        return report.remaining == 0

    async def flush(self, within: float) -> bool:
        """Retry this interview's queued writes until stored (or ``within`` seconds)."""
        if self.outbox is None:
            return True
        return await self.outbox.deliver_all(
            self.deliver, interview_id=self.interview_id, within=within
        )

    async def report(self, status: str, end_reason: str | None = None) -> bool:
        if self.outbox is not None and status != "in_progress":
            return await self._queue("status", {"status": status, "end_reason": end_reason})
        try:
            await self.client.report_status(self.interview_id, status, end_reason)
            return True
        except PlatformError as exc:
            logger.error(
                "could not report the interview status",
                extra={"interview_id": self.interview_id, "status": status, "error": str(exc)},
            )
            return False

    async def report_end(self, end_reason: str) -> bool:
        status = "error" if end_reason in ERROR_REASONS else "completed"
        return await self.report(status, end_reason)

    async def upload_result(self, result: dict[str, Any]) -> bool:
        if self.outbox is not None:
            return await self._queue("result", {"result": result})
        try:
            await self.client.upload_result(self.interview_id, result)
            return True
        except PlatformError as exc:
            logger.error(
                "could not upload the evaluation result",
                extra={"interview_id": self.interview_id, "error": str(exc)},
            )
            return False
