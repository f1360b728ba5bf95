"""Where transcripts go, and how they get there without slowing the conversation.

Stage transcripts are queued and written in the background: a failure is logged and the
document is kept in memory for the final flush, never raised into the conversation.
When the interview ends, :meth:`TranscriptWriter.finish` blocks: it retries every stage
document that has not been stored yet, then writes the full transcript, each with
``attempts`` tries ``retry_delay`` seconds apart.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from voicehire.storage.files import atomic_write_text

logger = logging.getLogger(__name__)


class TranscriptStore(Protocol):
    """A place transcripts are written to. An S3 store implements the same two methods."""

    async def write(self, name: str, document: dict[str, Any]) -> str:
        """Store one JSON document under ``name``; return where it went (path or URL)."""
        ...

    def describe(self) -> str:
        """Human-readable location, for logs and the CLI."""
        ...


class LocalTranscriptStore:
    """Writes JSON files into a directory (``transcripts/`` by default), atomically."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def describe(self) -> str:
        return str(self.directory.resolve())

    async def write(self, name: str, document: dict[str, Any]) -> str:
        return await asyncio.to_thread(self._write_sync, name, document)

    def _write_sync(self, name: str, document: dict[str, Any]) -> str:
        target = self.directory / name
        atomic_write_text(target, json.dumps(document, ensure_ascii=False, indent=2))
        return str(target)


@dataclass
class _Pending:
    name: str
    document: dict[str, Any]
    stored_at: str | None = None
    error: str | None = None


class TranscriptWriteError(RuntimeError):
    """The full transcript could not be stored after every attempt."""


class TranscriptWriter:
    def __init__(
        self, store: TranscriptStore, *, attempts: int = 3, retry_delay: float = 2.0
    ) -> None:
        self.store = store
        self.attempts = max(1, attempts)
        self.retry_delay = retry_delay
        self._stage_docs: list[_Pending] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self.stored: list[str] = []

    @classmethod
    def from_settings(cls, settings: Any, store: TranscriptStore | None = None) -> TranscriptWriter:
        """A writer with TRANSCRIPT_WRITE_ATTEMPTS / TRANSCRIPT_RETRY_DELAY, to ``store``
        (default: the local TRANSCRIPT_DIR)."""
        return cls(
            store or LocalTranscriptStore(settings.transcript_dir),
            attempts=settings.transcript_write_attempts,
            retry_delay=settings.transcript_retry_delay,
        )

    def queue_stage(self, name: str, document: dict[str, Any]) -> None:
        """Queue a stage document; returns at once (fire-and-forget, failure kept for later)."""
        pending = _Pending(name, document)
        self._stage_docs.append(pending)
        task = asyncio.get_running_loop().create_task(self._write_stage(pending))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _write_stage(self, pending: _Pending) -> None:
        try:
            pending.stored_at = await self.store.write(pending.name, pending.document)
            self.stored.append(pending.stored_at)
            logger.info("stage transcript stored", extra={"file": pending.stored_at})
        except Exception as exc:  # kept for the final flush, never raised into the call
            pending.error = repr(exc)
            logger.warning(
                "stage transcript write failed; will retry at the end",
                extra={"file_name": pending.name, "error": repr(exc)},
            )

    async def _write_with_retry(self, name: str, document: dict[str, Any]) -> str:
        last: Exception | None = None
        for attempt in range(1, self.attempts + 1):
            try:
                where = await self.store.write(name, document)
                self.stored.append(where)
                return where
            except Exception as exc:
                last = exc
                logger.warning(
                    "transcript write failed",
                    extra={
                        "file_name": name,
                        "attempt": attempt,
                        "attempts": self.attempts,
                        "error": repr(exc),
                    },
                )
                if attempt < self.attempts:
                    await asyncio.sleep(self.retry_delay)
        raise TranscriptWriteError(f"could not store {name} after {self.attempts} attempts: {last}")

    async def finish(self, full_name: str, full_doc: dict[str, Any]) -> str:
        """Block until pending stage files and the full transcript are stored (with retries).

        Raises :class:`TranscriptWriteError` if the full transcript could not be stored;
        stage files that still fail are logged with their error (their content is inside
        the full transcript as well, so nothing is lost when the full write succeeds).
        """
        if self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        for pending in self._stage_docs:
            if pending.stored_at is None:
                try:
                    pending.stored_at = await self._write_with_retry(pending.name, pending.document)
                except TranscriptWriteError as exc:
                    logger.error(
                        "stage transcript could not be stored",
                        extra={"file_name": pending.name, "error": str(exc)},
                    )
        where = await self._write_with_retry(full_name, full_doc)
        logger.info("full transcript stored", extra={"file": where})
        return where

    @property
    def unstored_stage_files(self) -> list[str]:
        return [p.name for p in self._stage_docs if p.stored_at is None]
