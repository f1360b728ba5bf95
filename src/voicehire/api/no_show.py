"""No-shows while the API runs: an interview whose candidate never started it ends as a
no-show (status ``cancelled``, end reason ``candidate_no_show``, outcome ``no_show``).

The LiveKit worker decides this itself when nobody joins its room; with the browser
transport (``voicehire serve`` without LiveKit) no process waits on an unopened link, so
every ``NO_SHOW_CHECK_INTERVAL`` seconds this task ends the scheduled interviews that
nobody started ``NO_SHOW_AFTER_HOURS`` after their emailed link expired (the window in
which the hiring team may still resend it) or, when no invite was emailed, after they were
created."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from voicehire.api import services
from voicehire.api.errors import ApiError
from voicehire.api.state import AppState
from voicehire.storage import repositories as repo
from voicehire.storage.models import Interview

logger = logging.getLogger(__name__)

# The end reasons the agent reports for a room nobody joined (see SessionRuntime.no_show_reason)
NO_SHOW_REASONS = {"ai_interview": "candidate_no_show"}
DEFAULT_NO_SHOW_REASON = "participant_no_show"


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def no_show_deadline(interview: Interview, after_hours: float) -> datetime | None:
    """When a scheduled interview becomes a no-show: ``after_hours`` after its emailed
    link expired (a resend in between starts a new expiry), else after its creation
    (None: never)."""
    if after_hours <= 0:
        return None
    expires = services.invite_expiry(interview.room_metadata or {})
    start = expires if expires is not None else interview.created_at
    if start is None:
        return None
    return _aware(start) + timedelta(hours=after_hours)


class NoShowTask:
    """Ends never-started interviews as no-shows on a schedule; ``clock`` is injectable
    for tests."""

    def __init__(
        self, state: AppState, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self.state = state
        self.after_hours = state.settings.no_show_after_hours
        self.interval = state.settings.no_show_check_interval
        self.clock = clock
        self._task: asyncio.Task[None] | None = None

    async def run_once(self) -> list[str]:
        """End every overdue scheduled interview; the ids of those ended."""
        now = self.clock()
        ended: list[str] = []
        async with self.state.db.session() as session:
            for interview in await repo.scheduled_interviews(session):
                deadline = no_show_deadline(interview, self.after_hours)
                if deadline is None or deadline > now:
                    continue
                reason = NO_SHOW_REASONS.get(interview.mode, DEFAULT_NO_SHOW_REASON)
                try:
                    changed = await services.change_status(
                        self.state, session, interview, "cancelled", reason
                    )
                except ApiError:  # started (or ended) meanwhile: not a no-show
                    continue
                if changed:
                    ended.append(interview.id)
                    logger.info(
                        "interview never started: ended as a no-show",
                        extra={"interview_id": interview.id, "deadline": deadline.isoformat()},
                    )
        return ended

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.run_once()
            except Exception:  # retried next time, never crashes the API
                logger.exception("no-show check failed; retrying in %.0f s", self.interval)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name="no-show-check")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
