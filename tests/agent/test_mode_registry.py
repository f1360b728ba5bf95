"""The mode registry: every transport finds modes in one place, and a new mode is one
module plus one registration (here a tiny "reference check" call, defined in the test)."""

from __future__ import annotations

import pytest
from livekit.agents import Agent, RunContext, function_tool

from tests.harness import MemoryStore, ScriptedLLM, make_settings, user_said, wait_until
from voicehire.agent.engines import Engines
from voicehire.agent.launch import Mode, SessionRequest, build_runtime
from voicehire.agent.local_llm import Reply
from voicehire.agent.local_run import answer, start_local, wait_for_turn
from voicehire.agent.modes import UnknownMode, mode_for, mode_names, register, unregister
from voicehire.agent.modes.call import CallAgent, CallRuntime
from voicehire.domain.config import parse_session_config


class ReferenceCheckRuntime(CallRuntime):
    mode = "reference_check"
    title = "Reference check"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.answers: list[str] = []

    def make_agent(self) -> Agent:
        return ReferenceAgent()

    def opening_instruction(self) -> str:
        return "Ask how they worked with the candidate."

    async def greet(self) -> None:
        await self.say("Hello, thanks for giving a reference.", kind="greeting")

    def result(self, transcript):
        return {"mode": self.mode, "answers": self.answers}


class ReferenceAgent(CallAgent):
    def __init__(self) -> None:
        super().__init__(id="reference_check", instructions="Ask one question, then end.")

    @function_tool()
    async def record_answer(self, context: RunContext[ReferenceCheckRuntime], text: str) -> str:
        """Record the referee's answer.

        Args:
            text: their answer, verbatim.
        """
        context.userdata.answers.append(text)
        context.userdata.tool_end_call("completed")
        return "recorded"


async def build(request: SessionRequest) -> ReferenceCheckRuntime:
    return ReferenceCheckRuntime(config=request.config, options=request.options("Alex"))


@pytest.fixture
def reference_mode():
    register(Mode(name="reference_check", label="Reference check", build=build))
    yield
    unregister("reference_check")


async def test_a_new_mode_runs_through_the_same_runner(reference_mode):
    assert "reference_check" in mode_names()
    parsed = parse_session_config({"sessionType": "reference_check", "maxDuration": 600})
    assert parsed.problems == []
    settings = make_settings()
    runtime = await build_runtime(SessionRequest(settings=settings, config=parsed.config))

    def policy(chat_ctx, names):
        said = user_said(chat_ctx)
        if said is not None and "record_answer" in names:
            return Reply("Thank you, goodbye!", [("record_answer", {"text": said})])
        if said is None and chat_ctx.items[-1].type == "message":
            return Reply("How did you work with them?")
        return Reply()

    store = MemoryStore()
    run = await start_local(
        settings, runtime, engines=Engines(llm=ScriptedLLM(policy)), store=store
    )
    assert await wait_for_turn(run)
    await answer(run, "She led our payments team for two years.")
    await wait_until(runtime.ended.is_set)
    outcome = runtime.outcome
    assert outcome.mode == "reference_check" and outcome.end_reason == "completed"
    assert outcome.result["answers"] == ["She led our payments team for two years."]
    doc = store.full_doc()
    assert doc["sessionInfo"]["sessionType"] == "reference_check"
    lines = [u["message"] for u in doc["fullConversation"]]
    assert lines[0] == "Hello, thanks for giving a reference."
    ended = [m for m in run.messages.messages if m["type"] == "interview_ended"]
    assert ended and ended[0]["mode"] == "reference_check"
    await run.session.aclose()


def test_unknown_session_types_are_refused_with_the_list():
    with pytest.raises(UnknownMode, match="ai_interview, gap_filling, briefing"):
        mode_for("karaoke")
    parsed = parse_session_config({"sessionType": "karaoke"})
    assert parsed.config.session_type == "ai_interview"
    assert "sessionType='karaoke'" in parsed.problems[0]
