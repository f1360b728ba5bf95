"""Starting an interview with a given plan in one call (tests and benchmarks)."""

from __future__ import annotations

from typing import Any

from voicehire.agent.local_run import LocalRun, start_local
from voicehire.agent.modes.interview import interview_runtime
from voicehire.domain.config import SessionConfig
from voicehire.domain.plan import ResolvedPlan
from voicehire.settings import Settings


async def start_interview(
    settings: Settings, config: SessionConfig, *, plan: ResolvedPlan, **kwargs: Any
) -> LocalRun:
    """:func:`~voicehire.agent.local_run.start_local` for an interview on ``plan``."""
    return await start_local(settings, interview_runtime(settings, config, plan), **kwargs)
