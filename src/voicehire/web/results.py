"""What happens when a web interview ends: its transcripts, status and evaluation go into
the API's database, where the dashboard reads them."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from voicehire.agent.runtime import InterviewOutcome
from voicehire.api import services
from voicehire.api.state import AppState
from voicehire.storage import repositories as repo
from voicehire.web.local_transport import LiveSession

logger = logging.getLogger(__name__)

# End reasons that mean something went wrong rather than a finished interview.
ERROR_REASONS = {"error", "job_shutdown", "server_shutdown"}


async def mark_started(state: AppState, interview_id: str) -> None:
    await state.start()
    async with state.db.sessionmaker() as session:
        interview = await repo.get_interview(session, interview_id)
        if interview is not None and interview.status == "scheduled":
            await services.change_status(state, session, interview, "in_progress")


async def store_outcome(state: AppState, live: LiveSession, outcome: InterviewOutcome) -> None:
    """Store the transcripts and the final status, then evaluate in the background."""
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
    if doc:
        task = asyncio.create_task(evaluate_and_store(state, live, doc))
        _background.add(task)
        task.add_done_callback(_background.discard)


_background: set[asyncio.Task[Any]] = set()


async def evaluate_and_store(state: AppState, live: LiveSession, doc: dict[str, Any]) -> None:
    """Score the interview (off the event loop: the scorer is CPU-bound) and store it."""
    from voicehire.evaluation.service import evaluate

    plan = live.run.runtime.plan.plan if live.run is not None else None

    def work() -> dict[str, Any]:
        result = asyncio.run(evaluate(doc, settings=state.settings, plan=plan))
        return result.model_dump(mode="json")

    try:
        result = await asyncio.to_thread(work)
    except Exception:
        logger.exception("evaluation of a web interview failed", extra=live._log())
        return
    async with state.db.sessionmaker() as session:
        await repo.put_result(session, live.interview_id, result)
        await session.commit()
    live.report_ready = True
    logger.info("web interview evaluated", extra=live._log())
