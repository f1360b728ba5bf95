"""A durable on-disk outbox for the writes that end a session (status, full transcript,
result): each is written to a file (fsync, atomic rename) before delivery is tried, and
stays there until it is stored, so a database lock, a restarting PostgreSQL or the API
being down when an interview ends never loses it.

Entries are delivered in the order they were added, per interview: when one fails for a
transient reason, the later entries of that interview wait (a status never overtakes
its transcript). A delivery function raises :class:`PermanentFailure` for an entry that
can never be stored (the interview is gone, the change is refused); that entry is moved
to ``failed/`` and logged. Several processes may share a directory: an entry is
delivered under an exclusive ``flock``, and one already removed is skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import logging
import os
import random
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

KINDS = ("status", "transcript", "result")


class PermanentFailure(Exception):
    """The entry can never be delivered; it is set aside instead of retried."""


@dataclass
class OutboxEntry:
    path: Path
    interview_id: str
    kind: str
    payload: dict[str, Any]
    created_at: float


Deliver = Callable[[OutboxEntry], Awaitable[None]]


@dataclass
class DrainReport:
    delivered: int = 0
    failed: int = 0  # set aside as permanent failures
    remaining: int = 0


class Outbox:
    def __init__(
        self, directory: Path, *, base_delay: float = 0.5, max_delay: float = 30.0
    ) -> None:
        self.directory = Path(directory)
        self.base_delay = base_delay
        self.max_delay = max_delay
        self._wake: asyncio.Event | None = None

    def describe(self) -> str:
        return str(self.directory.resolve())

    # --- adding ------------------------------------------------------------------------------

    def enqueue(self, interview_id: str, kind: str, payload: dict[str, Any]) -> OutboxEntry:
        """Write the entry durably (returns once it is on disk)."""
        if kind not in KINDS:
            raise ValueError(f"outbox entries are one of {KINDS}, not {kind!r}")
        self.directory.mkdir(parents=True, exist_ok=True)
        now = time.time()
        name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}-{kind}.json"
        target = self.directory / name
        tmp = self.directory / f".{name}.tmp"
        body = {"interview_id": interview_id, "kind": kind, "payload": payload, "created_at": now}
        with tmp.open("w", encoding="utf-8") as fh:
            json.dump(body, fh, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(target)
        _fsync_dir(self.directory)
        return OutboxEntry(target, interview_id, kind, payload, now)

    async def add(self, interview_id: str, kind: str, payload: dict[str, Any]) -> OutboxEntry:
        entry = await asyncio.to_thread(self.enqueue, interview_id, kind, payload)
        if self._wake is not None:
            self._wake.set()  # a running deliverer picks it up now
        return entry

    # --- reading -------------------------------------------------------------------------------

    def pending(self, interview_id: str | None = None) -> list[OutboxEntry]:
        """Entries not yet delivered, oldest first."""
        if not self.directory.is_dir():
            return []
        entries = []
        for path in sorted(self.directory.glob("*.json")):
            entry = _read(path)
            if entry is not None and interview_id in (None, entry.interview_id):
                entries.append(entry)
        return entries

    # --- delivering ------------------------------------------------------------------------------

    async def drain_once(self, deliver: Deliver, interview_id: str | None = None) -> DrainReport:
        """One pass over the pending entries."""
        report = DrainReport()
        blocked: set[str] = set()
        for entry in await asyncio.to_thread(self.pending, interview_id):
            if entry.interview_id in blocked:
                report.remaining += 1
                continue
            outcome = await self._deliver_locked(entry, deliver)
            if outcome == "delivered":
                report.delivered += 1
            elif outcome == "failed":
                report.failed += 1
            elif outcome == "retry":
                blocked.add(entry.interview_id)
                report.remaining += 1
        return report

    async def _deliver_locked(self, entry: OutboxEntry, deliver: Deliver) -> str:
        try:
            fd = os.open(entry.path, os.O_RDONLY)
        except FileNotFoundError:
            return "gone"  # another process delivered it
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return "retry"  # another process is delivering it right now
            if os.fstat(fd).st_nlink == 0:
                return "gone"
            try:
                await deliver(entry)
            except PermanentFailure as exc:
                logger.error(
                    "outbox entry cannot be delivered; set aside",
                    extra={
                        "interview_id": entry.interview_id,
                        "kind": entry.kind,
                        "error": str(exc),
                        "file_name": entry.path.name,
                    },
                )
                failed = self.directory / "failed"
                failed.mkdir(exist_ok=True)
                entry.path.replace(failed / entry.path.name)
                return "failed"
            except Exception as exc:
                logger.warning(
                    "outbox delivery failed; will retry",
                    extra={
                        "interview_id": entry.interview_id,
                        "kind": entry.kind,
                        "error": str(exc) or type(exc).__name__,
                    },
                )
                return "retry"
            entry.path.unlink(missing_ok=True)
            logger.info(
                "outbox entry delivered",
                extra={
                    "interview_id": entry.interview_id,
                    "kind": entry.kind,
                    "waited_s": round(time.time() - entry.created_at, 3),
                },
            )
            return "delivered"
        finally:
            os.close(fd)

    async def deliver_all(
        self,
        deliver: Deliver,
        *,
        interview_id: str | None = None,
        within: float | None = None,
    ) -> bool:
        """Retry with exponential backoff (and jitter) until every entry (of
        ``interview_id``) is delivered or set aside; False if ``within`` seconds ran out first."""
        deadline = None if within is None else time.monotonic() + within
        delay = self.base_delay
        while True:
            report = await self.drain_once(deliver, interview_id)
            if report.remaining == 0:
                return True
            if report.delivered:
                delay = self.base_delay
            wait = delay * random.uniform(0.8, 1.2)
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                wait = min(wait, left)
            await self._sleep(wait)
            delay = min(delay * 2, self.max_delay)

    async def run(self, deliver: Deliver, *, idle_poll: float = 5.0) -> None:
        """Deliver forever (a background task): new entries are picked up at once, failed
        ones retried with backoff, and entries other processes add every ``idle_poll``."""
        while True:
            await self.deliver_all(deliver)
            await self._sleep(idle_poll)

    async def _sleep(self, seconds: float) -> None:
        if self._wake is None:
            self._wake = asyncio.Event()
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)


def _read(path: Path) -> OutboxEntry | None:
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        return OutboxEntry(
            path,
            str(body["interview_id"]),
            str(body["kind"]),
            dict(body["payload"]),
            float(body.get("created_at") or 0.0),
        )
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError) as exc:
        logger.error(
            "unreadable outbox entry set aside", extra={"file_name": path.name, "error": str(exc)}
        )
        failed = path.parent / "failed"
        failed.mkdir(exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            path.replace(failed / path.name)
        return None


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
