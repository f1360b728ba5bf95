"""The cloud LLM path: the real livekit-plugins-openai client against a local fake server."""

from __future__ import annotations

import json

from tests.fakes.openai_server import FakeOpenAIServer, FakeReply
from tests.harness import LONG_ANSWER, MemoryStore, make_settings, wait_until
from voicehire.agent.engines import build_llm
from voicehire.agent.local_run import wait_for_turn


def interviewer(request: dict) -> FakeReply:
    """Behaves like a model following the stage instructions."""
    last = request["messages"][-1]
    content = last.get("content") or ""
    if isinstance(content, list):
        content = " ".join(part.get("text", "") for part in content)
    if last["role"] in ("system", "developer") and "[stage:" in content:
        return FakeReply(text="Let's begin.", tool_calls=[("next_question", {})])
    if last["role"] == "tool":
        return FakeReply(text=f"Here is my question: {content}")
    if last["role"] == "user":
        return FakeReply(
            text="Thanks.",
            tool_calls=[("transition_to_stage", {"target_stage": "work", "reason": "done"})],
        )
    return FakeReply(text="")


async def test_openai_plugin_drives_a_stage_transition(start_interview):
    async with FakeOpenAIServer(interviewer) as server:
        settings = make_settings(
            llm_provider="openai",
            openai_base_url=server.base_url,
            openai_api_key="test-key",
            llm_model="gpt-test",
        )
        llm = build_llm(settings)
        assert type(llm).__module__.startswith("livekit.plugins.openai")
        store = MemoryStore()
        run = await start_interview(llm_=llm, settings=settings, store=store)
        assert await wait_for_turn(run)
        assert run.runtime.flow.current_question_id == "intro.about"
        await run.session.run(user_input=LONG_ANSWER)
        await wait_until(lambda: run.runtime.flow.current_stage.id == "work")
        await wait_until(lambda: len(store.stage_docs()) == 2)

        # the model was streamed, saw the stage's tools with their schemas and docstrings,
        # and got the candidate's answer
        assert all(r.get("stream") is True for r in server.requests)
        assert {r["model"] for r in server.requests} == {"gpt-test"}
        tools = {t["function"]["name"]: t["function"] for t in server.requests[0]["tools"]}
        assert set(tools) == {
            "next_question",
            "transition_to_stage",
            "end_interview",
            "answer_role_question",
        }
        assert "target_stage" in json.dumps(tools["transition_to_stage"]["parameters"])
        assert "no more questions" in tools["next_question"]["description"]
        user_msgs = [m for m in server.requests[-1]["messages"] if m["role"] == "user"]
        assert any(LONG_ANSWER in json.dumps(m) for m in user_msgs)
        intro = next(d for d in store.stage_docs() if d["stage"]["stage"] == "intro")
        assert intro["stage"]["endReason"] == "done"
        asked = [m["message"] for m in run.messages.of_type("transcription") if m["isAI"]]
        assert "Here is my question: Tell me about yourself?" in asked
        await run.runtime.end("test", speak=False)
