"""Ends that arrived only in part, found while the API runs.

An interview's evaluation is produced after its end by whoever ran it (the worker's job,
or `voicehire serve`'s in-process session) and stored through their outbox. If that
process dies between the end and the evaluation, the full transcript is stored but no
result ever comes. Every :data:`INTERVAL` seconds the API scores such interviews itself
from the stored transcript (after :data:`GRACE`, so a result on its way wins)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

from voicehire.api.state import AppState
from voicehire.storage import repositories as repo
from voicehire.storage.models import utcnow

logger = logging.getLogger(__name__)

INTERVAL = 30.0
GRACE = timedelta(seconds=60)


async def score_missing_results(state: AppState) -> int:
    """Evaluate ended interviews that have a full transcript and no result; how many."""
    from voicehire.evaluation.service import evaluate

    async with state.db.sessionmaker() as session:
        pending = await repo.ended_without_result(session, ended_before=utcnow() - GRACE)
    stored = 0
    for interview_id, document in pending:

        def score(doc: dict[str, Any] = document) -> dict[str, Any]:  # CPU-bound
            return asyncio.run(evaluate(doc, settings=state.settings)).model_dump(mode="json")

        try:
            result = await asyncio.to_thread(score)
        except Exception:
            logger.exception(
                "stored transcript not evaluated", extra={"interview_id": interview_id}
            )
            continue
        async with state.db.sessionmaker() as session:
            if await repo.get_result(session, interview_id) is None:
                await repo.put_result(session, interview_id, result)
                await session.commit()
                stored += 1
                logger.warning(
                    "evaluation produced by the API: the one from the session never arrived",
                    extra={"interview_id": interview_id},
                )
    return stored


async def run(state: AppState) -> None:
    """For as long as the API runs (database faults are logged and retried later)."""
    while True:
        await asyncio.sleep(INTERVAL)
        try:
            await score_missing_results(state)
        except Exception as exc:
            logger.warning("missing results not checked", extra={"error": str(exc)})


@contextlib.asynccontextmanager
async def running(state: AppState) -> AsyncIterator[None]:
    task = asyncio.create_task(run(state))
    try:
        yield
    finally:
        task.cancel()
