"""Fixtures for the gap-filling and briefing calls in text-only AgentSessions."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from livekit.agents import llm

from tests.harness import MemoryStore, make_settings
from voicehire.agent.engines import Engines
from voicehire.agent.local_run import LocalRun, start_local
from voicehire.agent.modes.briefing import briefing_runtime
from voicehire.agent.modes.gap_filling import gap_filling_runtime
from voicehire.agent.modes.records import local_store_for
from voicehire.agent.policy import InterviewerPolicy
from voicehire.domain.config import SessionConfig

TODAY = date(2026, 11, 21)


class Call:
    """One started call: the run, its transcript store and (gap-filling) candidate file."""

    def __init__(self, run: LocalRun, store: MemoryStore, record: Path | None) -> None:
        self.run = run
        self.store = store
        self.record = record

    @property
    def runtime(self) -> Any:
        return self.run.runtime

    def saved(self) -> dict[str, Any]:
        """The candidate record as it is on disk right now."""
        assert self.record is not None
        return json.loads(self.record.read_text())

    def agent_lines(self) -> list[str]:
        return [m["message"] for m in self.run.messages.of_type("transcription") if m["isAI"]]


Starter = Callable[..., Awaitable[Call]]


@pytest.fixture
async def start_call(tmp_path: Path) -> AsyncIterator[Starter]:
    """Start a gap-filling or briefing call; ends and closes every call it started."""
    calls: list[Call] = []

    async def _start(
        mode: str,
        candidate: dict[str, Any],
        *,
        llm_: llm.LLM | None = None,
        settings: Any = None,
        **kwargs: Any,
    ) -> Call:
        settings = settings or make_settings(candidate_dir=tmp_path / "candidates")
        config = SessionConfig(session_type=mode, max_duration=600)  # type: ignore[arg-type]
        record = None
        if mode == "gap_filling":
            store = local_store_for(settings, candidate)
            record = store.path
            runtime = gap_filling_runtime(
                settings, config, candidate, saver=store, today=TODAY, **kwargs
            )
        else:
            runtime = briefing_runtime(settings, config, candidate, **kwargs)
        transcripts = MemoryStore()
        run = await start_local(
            settings,
            runtime,
            engines=Engines(llm=llm_ or InterviewerPolicy()),
            store=transcripts,
        )
        call = Call(run, transcripts, record)
        calls.append(call)
        return call

    yield _start
    for call in calls:
        if not call.runtime.ended.is_set():
            await call.runtime.end("test_teardown", speak=False)
        await asyncio.wait_for(call.run.session.aclose(), timeout=10)
