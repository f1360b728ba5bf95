"""What happens when a web interview ends: its transcripts, status and evaluation go into
the API's database, where the dashboard reads them.

They go through the durable outbox (``OUTBOX_DIR``/serve) first, so a locked or
unreachable database when an interview ends never loses them: the server keeps retrying
with backoff while it runs, and delivers what a previous run left when it starts."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from voicehire.api import services
from voicehire.api.errors import ApiError
from voicehire.api.state import AppState
from voicehire.domain.outcome import SessionOutcome
from voicehire.storage import repositories as repo
from voicehire.storage.outbox import Deliver, Outbox, OutboxEntry, PermanentFailure
from voicehire.web.local.session import LiveSession

logger = logging.getLogger(__name__)

# End reasons that mean something went wrong rather than a finished interview.
ERROR_REASONS = repo.ERROR_END_REASONS
# The server stopped (or crashed) while the interview ran: its conversation state is gone.
INTERRUPTED_REASONS = frozenset({"server_shutdown", "server_restarted"})
INTERRUPTED_MESSAGE = (
    "This interview was interrupted because the interview server restarted. "
    "Your answers until then are saved. Please contact the recruiter to continue; "
    "nothing you type here now would be recorded."
)


def ended_message(status: str, end_reason: str | None) -> str:
    """What the candidate page shows for an interview that cannot be continued."""
    if end_reason in INTERRUPTED_REASONS:
        return INTERRUPTED_MESSAGE
    return f"This interview has already ended ({status})."


async def mark_interrupted(state: AppState, interview_id: str) -> str:
    """An interview an earlier run of this server started and never ended (it crashed or
    was killed): its session cannot be resumed, so it ends as interrupted (``error``,
    ``server_restarted``) rather than starting again from the greeting."""
    async with state.db.sessionmaker() as session:
        interview = await repo.get_interview(session, interview_id)
        if interview is not None and not repo.is_terminal(interview):
            await services.change_status(state, session, interview, "error", "server_restarted")
            logger.warning(
                "interview interrupted by a server restart; the candidate is told",
                extra={"interview_id": interview_id},
            )
    return INTERRUPTED_MESSAGE


class InProcessPlatform:
    """What the agent's call modes ask of the VoiceHire API, answered from this process's
    database: the candidate record, the interview's job, and saving collected fields
    (the same merge as ``PATCH /api/agent/candidates/{id}/fields``)."""

    def __init__(self, state: AppState) -> None:
        self.state = state
        self.base_url = "voicehire serve (in-process)"

    async def get_candidate(self, candidate_id: str) -> dict[str, Any]:
        from voicehire.api.schemas import CandidateOut

        await self.state.start()
        async with self.state.db.sessionmaker() as session:
            candidate = await services.load_candidate(session, candidate_id)
            return CandidateOut.of(candidate).model_dump(mode="json")

    async def update_candidate_fields(
        self, candidate_id: str, fields: dict[str, Any]
    ) -> dict[str, Any]:
        from voicehire.api.schemas import CandidateOut

        async with self.state.db.sessionmaker() as session:
            candidate = await services.load_candidate(session, candidate_id)
            await repo.merge_candidate_fields(session, candidate, fields)
            await session.commit()
            active, _ = await repo.list_interviews(
                session, candidate_id=candidate_id, active_only=True, limit=100
            )
            for interview in active:
                await services.refresh_cache(self.state, interview, candidate)
            return CandidateOut.of(candidate).model_dump(mode="json")

    async def get_interview_config(self, interview_id: str) -> dict[str, Any]:
        from voicehire.api.schemas import JobOut

        async with self.state.db.sessionmaker() as session:
            interview = await services.load_interview(session, interview_id)
            job = await repo.get_job(session, interview.job_id) if interview.job_id else None
            return {
                "interview_id": interview.id,
                "metadata": interview.room_metadata or {},
                "job": JobOut.of(job).model_dump(mode="json") if job else None,
            }


async def mark_started(state: AppState, interview_id: str) -> None:
    await state.start()
    async with state.db.sessionmaker() as session:
        interview = await repo.get_interview(session, interview_id)
        if interview is not None and interview.status == "scheduled":
            await services.change_status(state, session, interview, "in_progress")


def serve_outbox(state: AppState) -> Outbox:
    return Outbox(state.settings.outbox_dir / "serve", max_delay=30.0)


def in_process_deliverer(state: AppState) -> Deliver:
    """Stores outbox entries in this process's database. A transient database fault
    (locked, unreachable) propagates and the entry is retried."""

    async def deliver(entry: OutboxEntry) -> None:
        p = entry.payload
        await state.start()
        async with state.db.sessionmaker() as session:
            interview = await repo.get_interview(session, entry.interview_id)
            if interview is None:
                raise PermanentFailure(f"interview {entry.interview_id} no longer exists")
            if entry.kind == "transcript":
                stored = await repo.list_transcripts(session, entry.interview_id)
                if not any(t.kind == "full" for t in stored):
                    await repo.add_transcript(
                        session,
                        entry.interview_id,
                        kind="full",
                        name=p["name"],
                        document=p["document"],
                    )
                    await session.commit()
            elif entry.kind == "status":
                if not repo.is_terminal(interview):
                    try:
                        await services.change_status(
                            state, session, interview, p["status"], p.get("end_reason")
                        )
                    except ApiError as exc:
                        raise PermanentFailure(exc.message) from exc
            elif entry.kind == "result":
                await repo.put_result(session, entry.interview_id, p["result"])
                await session.commit()

    return deliver


async def deliver_outbox(state: AppState) -> None:
    """Run for as long as the server does: what earlier runs left is delivered at once,
    and what fails now is retried with backoff."""
    await serve_outbox(state).run(in_process_deliverer(state))


async def _queue(state: AppState, live: LiveSession, kind: str, payload: dict[str, Any]) -> bool:
    outbox = serve_outbox(state)
    await outbox.add(live.interview_id, kind, payload)
    report = await outbox.drain_once(in_process_deliverer(state), live.interview_id)
    if report.remaining:
        logger.warning(
            "the database did not take the session's %s; it stays in the outbox and is retried",
            kind,
            extra=live._log(),
        )
    return report.remaining == 0


async def store_outcome(state: AppState, live: LiveSession, outcome: SessionOutcome) -> None:
    """Store the transcripts and the final status, then the session's result (a call's
    result, an interview's evaluation) in the background."""
    doc = outcome.transcript
    status = "error" if outcome.end_reason in ERROR_REASONS else "completed"
    if doc:
        name = (
            Path(outcome.transcript_path).name
            if outcome.transcript_path
            else f"interview_{live.interview_id}_full.json"
        )
        await _queue(state, live, "transcript", {"name": name, "document": doc})
    await _queue(state, live, "status", {"status": status, "end_reason": outcome.end_reason})
    task = asyncio.create_task(produce_and_store(state, live, outcome))
    _background.add(task)
    task.add_done_callback(_background.discard)


_background: set[asyncio.Task[Any]] = set()


async def produce_and_store(state: AppState, live: LiveSession, outcome: SessionOutcome) -> None:
    """The mode's result (scored off the event loop for interviews), stored for the
    dashboard."""
    if live.run is None:
        return
    try:
        result = await live.run.runtime.produce_result(outcome, state.settings)
    except Exception:
        logger.exception("the result of a web session was not produced", extra=live._log())
        return
    if not result:
        return
    if await _queue(state, live, "result", {"result": result}):
        live.report_ready = True
        logger.info("web session result stored", extra=live._log())
