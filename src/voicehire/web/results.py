"""What happens when a web interview ends: its transcripts, status and evaluation go into
the API's database, where the dashboard reads them."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from voicehire.api import services
from voicehire.api.state import AppState
from voicehire.domain.outcome import SessionOutcome
from voicehire.storage import repositories as repo
from voicehire.web.local.session import LiveSession

logger = logging.getLogger(__name__)

# End reasons that mean something went wrong rather than a finished interview.
ERROR_REASONS = {"error", "job_shutdown", "server_shutdown"}


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

    async def get_candidate_results(self, candidate_id: str) -> list[dict[str, Any]]:
        await self.state.start()
        async with self.state.db.sessionmaker() as session:
            await services.load_candidate(session, candidate_id)
            return await services.candidate_results(session, candidate_id)

    async def update_candidate_fields(
        self, candidate_id: str, fields: dict[str, Any]
    ) -> dict[str, Any]:
        from voicehire.api.schemas import CandidateOut

        async with self.state.db.sessionmaker() as session:
            candidate = await services.load_candidate(session, candidate_id)
            repo.merge_candidate_fields(
                candidate,
                services.field_values(self.state, fields),
                services.field_registry(self.state),
            )
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


async def store_outcome(state: AppState, live: LiveSession, outcome: SessionOutcome) -> None:
    """Store the transcripts and the final status, then the session's result (a call's
    result, an interview's evaluation) in the background."""
    doc = outcome.transcript
    status = "error" if outcome.end_reason in ERROR_REASONS else "completed"
    async with state.db.sessionmaker() as session:
        interview = await repo.get_interview(session, live.interview_id)
        if interview is None:
            logger.error("interview vanished before its end was stored", extra=live._log())
            return
        if doc:
            name = (
                Path(outcome.transcript_path).name
                if outcome.transcript_path
                else f"interview_{live.interview_id}_full.json"
            )
            await repo.add_transcript(
                session, live.interview_id, kind="full", name=name, document=doc
            )
        await session.commit()
        if not repo.is_terminal(interview):
            await services.change_status(state, session, interview, status, outcome.end_reason)
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
    async with state.db.sessionmaker() as session:
        await repo.put_result(session, live.interview_id, result)
        await session.commit()
    live.report_ready = True
    logger.info("web session result stored", extra=live._log())
