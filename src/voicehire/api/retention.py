"""The retention purge while the API runs: every ``RETENTION_PURGE_INTERVAL`` seconds,
documents older than the deployment's retention periods are deleted."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime

from voicehire.settings import Settings
from voicehire.storage.db import Database
from voicehire.storage.models import DeletionRecord
from voicehire.storage.retention import Folders, RetentionPolicy, purge_expired

logger = logging.getLogger(__name__)


def policy_of(settings: Settings) -> RetentionPolicy:
    return RetentionPolicy(
        transcripts=settings.retention_transcript_days,
        reports=settings.retention_report_days,
        recordings=settings.retention_recording_days,
    )


def folders_of(settings: Settings) -> Folders:
    return Folders(transcripts=settings.transcript_dir, reports=settings.report_dir)


class RetentionTask:
    """Runs :func:`purge_expired` on a schedule; ``clock`` is injectable for tests."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.policy = policy_of(settings)
        self.folders = folders_of(settings)
        self.interval = settings.retention_purge_interval
        self.db = db
        self.clock = clock
        self._task: asyncio.Task[None] | None = None

    async def run_once(self) -> DeletionRecord | None:
        async with self.db.session() as session:
            record = await purge_expired(session, self.policy, self.folders, self.clock())
            await session.commit()
        if record is not None:
            logger.info("retention purge deleted %s", record.counts)
        return record

    async def _loop(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception:  # a failed purge is retried next time, never crashes the API
                logger.exception("retention purge failed; retrying in %.0f s", self.interval)
            await asyncio.sleep(self.interval)

    def start(self) -> None:
        if self.policy.active and self._task is None:
            self._task = asyncio.create_task(self._loop(), name="retention-purge")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
