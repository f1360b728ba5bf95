"""Helpers for driving the interviewer agent in text-only AgentSessions."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from livekit.agents import llm

from voicehire.agent.engines import Engines
from voicehire.agent.local_llm import LocalLLM, Reply, tool_names
from voicehire.agent.local_run import LocalRun
from voicehire.agent.policy import InterviewerPolicy
from voicehire.domain.config import SessionConfig
from voicehire.domain.plan import ResolvedPlan, load_plan
from voicehire.settings import Settings, load_settings
from voicehire.testing.sessions import start_interview as start_interview_session

PLANS = Path(__file__).parent / "agent" / "plans"
LONG_ANSWER = (
    "I am a backend engineer at Acme Payments where I build ledger services in Python "
    "and Go, and I lead a small team of three engineers."
)


class MemoryStore:
    """A transcript store in memory; ``fail_first`` writes of a name (or all) fail."""

    def __init__(
        self, *, fail_first: int = 0, fail_always: bool = False, gate: asyncio.Event | None = None
    ) -> None:
        self.docs: dict[str, dict[str, Any]] = {}
        self.attempts: list[str] = []
        self.fail_first = fail_first
        self.fail_always = fail_always
        self.gate = gate

    def describe(self) -> str:
        return "memory"

    async def write(self, name: str, document: dict[str, Any]) -> str:
        self.attempts.append(name)
        if self.gate is not None:
            await self.gate.wait()
        if self.fail_always or self.attempts.count(name) <= self.fail_first:
            raise OSError(f"injected write failure for {name}")
        self.docs[name] = document
        return f"memory://{name}"

    def stage_docs(self) -> list[dict[str, Any]]:
        return [d for n, d in self.docs.items() if "_stage_" in n]

    def full_doc(self) -> dict[str, Any]:
        (doc,) = [d for n, d in self.docs.items() if "_full_" in n]
        return doc


class ScriptedLLM(LocalLLM):
    """A test LLM: ``handler(chat_ctx, tool names)`` decides each reply; every call is kept."""

    def __init__(self, handler: Callable[[llm.ChatContext, set[str]], Reply]) -> None:
        super().__init__(model_name="scripted")
        self.handler = handler
        self.calls: list[tuple[list[Any], set[str]]] = []

    def decide(self, chat_ctx: llm.ChatContext, tools: list[Any]) -> Reply:
        names = tool_names(tools)
        self.calls.append((list(chat_ctx.items), names))
        return self.handler(chat_ctx, names)


def last_item(chat_ctx: llm.ChatContext) -> Any:
    return chat_ctx.items[-1]


def is_stage_start(chat_ctx: llm.ChatContext) -> bool:
    item = last_item(chat_ctx)
    return item.type == "message" and (item.text_content or "").startswith("[stage:")


def after_tool(chat_ctx: llm.ChatContext, name: str) -> bool:
    item = last_item(chat_ctx)
    return item.type == "function_call_output" and item.name == name


def user_said(chat_ctx: llm.ChatContext) -> str | None:
    item = last_item(chat_ctx)
    if item.type == "message" and item.role == "user":
        return item.text_content
    return None


def make_settings(**overrides: Any) -> Settings:
    base: dict[str, Any] = {
        "llm_provider": "policy",
        "tts_provider": "none",
        "stt_provider": "none",
        "silence_timeout": 30.0,
        "transcript_retry_delay": 0.01,
        "openai_api_key": None,
        "openai_base_url": None,
    }
    base.update(overrides)
    return load_settings(**base)


def tiny_plan(**budgets: float) -> ResolvedPlan:
    plan = load_plan(PLANS / "tiny.yaml")
    stages = [
        s.model_copy(update={"time_budget": budgets[s.id]}) if s.id in budgets else s
        for s in plan.stages
    ]
    return plan.model_copy(update={"stages": stages}).resolve(
        role="Software Engineer", interview_type="technical"
    )


Starter = Callable[..., Awaitable[LocalRun]]


@pytest.fixture
async def start_interview() -> AsyncIterator[Starter]:
    """Start an interview session; ends and closes every session it started."""
    runs: list[LocalRun] = []

    async def _start(
        *,
        llm_: llm.LLM | None = None,
        plan: ResolvedPlan | None = None,
        config: SessionConfig | None = None,
        settings: Settings | None = None,
        store: MemoryStore | None = None,
    ) -> LocalRun:
        settings = settings or make_settings()
        engines = Engines(llm=llm_ or InterviewerPolicy())
        run = await start_interview_session(
            settings,
            config or SessionConfig(interview_id="t1", candidate_name="Sam", max_duration=600),
            plan=plan or tiny_plan(),
            engines=engines,
            store=store or MemoryStore(),
        )
        runs.append(run)
        return run

    yield _start
    for run in runs:
        if not run.runtime.ended.is_set():
            await run.runtime.end("test_teardown", speak=False)
        await asyncio.wait_for(run.session.aclose(), timeout=10)


def agent_lines(run: LocalRun) -> list[str]:
    return [m["message"] for m in run.messages.of_type("transcription") if m["isAI"]]


async def wait_until(predicate: Callable[[], bool], timeout: float = 10.0) -> None:  # noqa: ASYNC109
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.02)


@pytest.fixture
def caplog_info(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO)
    return caplog
