"""The interviewer in text-only AgentSessions: stages, tools, timers and endings."""

from __future__ import annotations

import asyncio
import itertools
import json

from livekit.agents.voice.run_result import RunResult

from tests.harness import (
    LONG_ANSWER,
    MemoryStore,
    ScriptedLLM,
    after_tool,
    agent_lines,
    is_stage_start,
    make_settings,
    tiny_plan,
    user_said,
    wait_until,
)
from voicehire.agent.local_llm import Reply
from voicehire.agent.local_run import answer, wait_for_turn
from voicehire.agent.messages import ControlMessage
from voicehire.domain.config import SessionConfig


async def test_policy_runs_whole_interview_in_order(start_interview):
    store = MemoryStore()
    run = await start_interview(store=store)
    answers = [
        LONG_ANSWER,
        "I built the payouts service with idempotent jobs and a retry queue and cut failures "
        "by ninety percent in three months.",
        "A race between refunds and payouts; I reproduced it under load and added locking "
        "plus a reconciliation job to catch it.",
        "No questions, thank you.",
    ]
    for text in answers:
        assert await wait_for_turn(run)
        await answer(run, text)
    await wait_until(run.runtime.ended.is_set)

    flow = run.runtime.flow
    assert [t.to_stage for t in flow.transitions] == ["greeting", "intro", "work", "closing"]
    assert run.runtime.outcome.end_reason == "completed"
    # each planned question asked exactly once, in plan order, announced on the data channel
    questions = [m["question"] for m in run.messages.of_type("question")]
    assert questions == [
        "Tell me about yourself?",
        "Tell me about a project you are proud of?",
        "What is the hardest problem you solved?",
    ]
    lines = agent_lines(run)
    assert all(a != b for a, b in itertools.pairwise(lines)), "repeated agent line"
    assert lines[-1].endswith("Goodbye!")
    # stage files for every stage and one full transcript, in the seed format
    assert sorted(d["stage"]["stage"] for d in store.stage_docs()) == sorted(
        ["greeting", "intro", "work", "closing"]
    )
    full = store.full_doc()
    assert set(full) == {"sessionInfo", "stages", "fullConversation", "metadata"}
    assert full["sessionInfo"]["endReason"] == "completed"
    assert full["sessionInfo"]["totalStages"] == 4
    candidate = [u for u in full["fullConversation"] if not u["isAI"]]
    assert [u["message"] for u in candidate] == answers
    assert [u["questionId"] for u in candidate] == [
        "intro.about",
        "work.project",
        "work.problem",
        None,
    ]


async def test_short_answer_gets_follow_up_then_next_question(start_interview):
    run = await start_interview()
    assert await wait_for_turn(run)
    result: RunResult = await run.session.run(user_input="I code.")
    result.expect.next_event().is_message(role="assistant")
    result.expect.no_more_events()
    assert "What are you looking for next?" in agent_lines(run)[-1]
    assert run.runtime.flow.current_stage.id == "intro"

    result = await run.session.run(user_input=LONG_ANSWER)
    result.expect.next_event().is_message(role="assistant")
    result.expect.next_event().is_function_call(name="transition_to_stage")
    result.expect.next_event().is_function_call_output()
    result.expect.next_event().is_agent_handoff()
    await wait_until(lambda: run.runtime.flow.current_stage.id == "work")


async def test_context_carries_across_stages(start_interview):
    run = await start_interview()
    assert await wait_for_turn(run)
    await answer(run, LONG_ANSWER)
    assert await wait_for_turn(run)
    # the next stage's question builds on what the candidate said in the intro stage
    question_line = agent_lines(run)[-1]
    assert "Tell me about a project you are proud of?" in question_line
    assert "you are a backend engineer at Acme Payments" in question_line
    # and the new stage's agent still has the earlier answer in its chat context
    history = run.session.current_agent.chat_ctx.items
    assert any(
        i.type == "message" and i.role == "user" and "Acme" in i.text_content for i in history
    )


def _llm_that_transitions_to(target: str) -> ScriptedLLM:
    def handler(ctx, tools):
        if is_stage_start(ctx):
            return Reply("Let's start.", [("next_question", {})])
        if after_tool(ctx, "next_question"):
            return Reply("Tell me about yourself?")
        if user_said(ctx):
            return Reply("", [("transition_to_stage", {"target_stage": target, "reason": "x"})])
        return Reply()

    return ScriptedLLM(handler)


async def test_llm_transition_tool_moves_to_next_stage(start_interview):
    llm = _llm_that_transitions_to("work")
    run = await start_interview(llm_=llm)
    assert await wait_for_turn(run)
    result = await run.session.run(user_input=LONG_ANSWER)
    result.expect.next_event().is_function_call(
        name="transition_to_stage", arguments={"target_stage": "work", "reason": "x"}
    )
    result.expect.next_event().is_function_call_output()
    result.expect.next_event().is_agent_handoff(new_agent_type=type(run.session.current_agent))
    assert run.runtime.flow.current_stage.id == "work"
    # the LLM only ever sees the current stage's tools
    assert llm.calls[-1][1] == {
        "next_question",
        "transition_to_stage",
        "end_interview",
        "answer_role_question",
    }


async def test_llm_may_skip_ahead_to_closing(start_interview):
    run = await start_interview(llm_=_llm_that_transitions_to("closing"))
    assert await wait_for_turn(run)
    await answer(run, LONG_ANSWER)
    await wait_until(lambda: run.runtime.flow.current_stage.id == "closing")
    assert "Any questions for me?" in agent_lines(run)[-1]


async def test_invalid_transition_is_refused_and_logged(start_interview, caplog_info):
    for target in ("greeting", "intro", "nonexistent"):
        run = await start_interview(llm_=_llm_that_transitions_to(target))
        assert await wait_for_turn(run)
        result = await run.session.run(user_input=LONG_ANSWER)
        result.expect.next_event().is_function_call(name="transition_to_stage")
        output = result.expect.next_event().is_function_call_output().event().item
        assert output.is_error and "transition refused" in output.output
        assert run.runtime.flow.current_stage.id == "intro", target
        assert [t.to_stage for t in run.runtime.flow.transitions] == ["greeting", "intro"]
        await run.runtime.end("test", speak=False)
    refused = [r for r in caplog_info.records if r.getMessage() == "transition refused"]
    assert [r.to_stage for r in refused] == ["greeting", "intro", "nonexistent"]


async def test_jumping_over_a_stage_is_refused(start_interview):
    plan = tiny_plan()
    # from greeting-adjacent "intro", "work" is next; build a 5-stage plan to test skipping
    stages = plan.plan.stages
    extra = stages[2].model_copy(update={"id": "extra", "title": "Extra", "questions": []})
    five = plan.plan.model_copy(update={"stages": [*stages[:3], extra, stages[3]]})
    from voicehire.domain.plan import ResolvedPlan

    run = await start_interview(
        llm_=_llm_that_transitions_to("extra"), plan=ResolvedPlan(plan=five)
    )
    assert await wait_for_turn(run)
    result = await run.session.run(user_input=LONG_ANSWER)
    result.expect.next_event().is_function_call(name="transition_to_stage")
    output = result.expect.next_event().is_function_call_output().event().item
    assert output.is_error and "cannot jump from 'intro' to 'extra'" in output.output


async def test_stage_time_budget_moves_on(start_interview, caplog_info):
    run = await start_interview(plan=tiny_plan(intro=0.6))
    assert await wait_for_turn(run)
    # the candidate says nothing useful and the LLM never moves on by itself
    await wait_until(lambda: run.runtime.flow.current_stage.id == "work", timeout=5)
    assert run.runtime.flow.transitions[-1].reason == "time_budget"
    assert any("In the interest of time" in line for line in agent_lines(run))
    assert any(r.getMessage() == "stage time budget reached" for r in caplog_info.records)


async def test_silence_gets_a_nudge_then_the_stage_moves_on(start_interview):
    run = await start_interview(settings=make_settings(silence_timeout=0.4))
    assert await wait_for_turn(run)
    await wait_until(lambda: run.runtime.flow.current_stage.id == "work", timeout=8)
    lines = agent_lines(run)
    nudge = next(i for i, line in enumerate(lines) if line.startswith("Take your time"))
    move = next(i for i, line in enumerate(lines) if line.startswith("No problem, let's move on"))
    assert nudge < move
    assert run.runtime.flow.transitions[-1].reason == "silence"


async def test_candidate_who_never_answers_ends_the_interview(start_interview):
    store = MemoryStore()
    run = await start_interview(settings=make_settings(silence_timeout=0.3), store=store)
    await wait_until(run.runtime.ended.is_set, timeout=15)
    assert run.runtime.outcome.end_reason == "candidate_unresponsive"
    assert store.full_doc()["sessionInfo"]["endReason"] == "candidate_unresponsive"
    assert "lost you" in agent_lines(run)[-1]


async def test_max_duration_ends_with_a_closing_line(start_interview):
    store = MemoryStore()
    config = SessionConfig(interview_id="t-max", candidate_name="Sam", max_duration=1)
    run = await start_interview(config=config, store=store)
    await wait_until(run.runtime.ended.is_set, timeout=10)
    assert run.runtime.outcome.end_reason == "max_duration"
    assert "end of our scheduled time" in agent_lines(run)[-1]
    assert store.full_doc()["sessionInfo"]["endReason"] == "max_duration"
    assert run.messages.of_type("interview_ended")[-1]["reason"] == "max_duration"


async def test_candidate_asking_to_stop_ends_the_interview(start_interview):
    run = await start_interview()
    assert await wait_for_turn(run)
    result = await run.session.run(user_input="Sorry, I need to stop the interview now.")
    result.expect.next_event().is_message(role="assistant")
    result.expect.next_event().is_function_call(
        name="end_interview", arguments={"reason": "candidate_request"}
    )
    await wait_until(run.runtime.ended.is_set)
    assert run.runtime.outcome.end_reason == "candidate_request"


async def test_control_messages(start_interview):
    run = await start_interview()
    run.runtime.next_question_min_wait = run.runtime.next_question_interval = 0
    assert await wait_for_turn(run)
    assert await run.runtime.handle_control(ControlMessage(type="start_interview", data={})) == (
        "already_started"
    )
    assert (
        await run.runtime.handle_control(
            ControlMessage(type="candidate_info", data={"name": "Samantha", "pronouns": "she/her"})
        )
        == "updated"
    )
    # next_question: the intro stage has no more questions, so the interview moves on
    assert (
        await run.runtime.handle_control(ControlMessage(type="next_question", data={}))
        == "advanced"
    )
    await wait_until(lambda: run.runtime.flow.current_stage.id == "work")
    assert await wait_for_turn(run)
    assert (
        await run.runtime.handle_control(ControlMessage(type="next_question", data={})) == "asked"
    )
    assert agent_lines(run)[-1] == "What is the hardest problem you solved?"
    assert (
        await run.runtime.handle_control(ControlMessage(type="end_interview", data={})) == "ended"
    )
    outcome = run.runtime.outcome
    assert outcome.end_reason == "manual_end"
    # The server set the name (room metadata / API); the page cannot rename the candidate.
    assert outcome.transcript["sessionInfo"]["participantName"] == "Sam"
    assert outcome.transcript["metadata"]["candidateInfo"]["pronouns"] == "she/her"
    assert "Sam" in agent_lines(run)[-1] and "Samantha" not in agent_lines(run)[-1]


async def test_candidate_next_question_is_rate_limited(start_interview, monkeypatch):
    """Repeating ``next_question`` (from a page or a room participant: both reach the
    runtime's handle_control) cannot skip to the end: a skip needs the question answered
    or waited on for a while, and at most one per interval; the end still works."""
    from voicehire.agent.modes import interview as mode

    clock = [1000.0]
    monkeypatch.setattr(mode, "_now", lambda: clock[0])
    run = await start_interview()
    assert await wait_for_turn(run)
    skip = ControlMessage(type="next_question", data={})
    stage = run.runtime.flow.current_stage.id
    # spam at once: nothing skipped, the interview stays where it was
    assert [await run.runtime.handle_control(skip) for _ in range(20)] == ["too_soon"] * 20
    assert run.runtime.flow.current_stage.id == stage
    # after waiting on it long enough, one skip; repeating it at once is refused
    clock[0] += mode.NEXT_QUESTION_MIN_WAIT
    assert await run.runtime.handle_control(skip) == "advanced"
    await wait_until(lambda: run.runtime.flow.current_stage.id == "work")
    assert await wait_for_turn(run)
    assert [await run.runtime.handle_control(skip) for _ in range(20)] == ["rate_limited"] * 20
    # past the interval (the open question waited on meanwhile), the next skip is taken
    clock[0] += mode.NEXT_QUESTION_INTERVAL
    assert await run.runtime.handle_control(skip) in ("asked", "advanced")
    assert not run.runtime.ended.is_set()
    # the recruiter's and the candidate's end are never limited
    assert await run.runtime.handle_control(ControlMessage(type="end_interview", data={})) == (
        "ended"
    )
    assert run.runtime.outcome.end_reason == "manual_end"


async def test_transcription_messages_have_the_seed_shape(start_interview):
    run = await start_interview()
    assert await wait_for_turn(run)
    await answer(run, LONG_ANSWER)
    msgs = run.messages.of_type("transcription")
    for m in msgs:
        assert {"type", "participantId", "participantName", "message", "timestamp", "isAI"} <= set(
            m
        )
        assert isinstance(m["timestamp"], int) and m["timestamp"] > 1_600_000_000_000
        json.dumps(m)
    assert [m["isAI"] for m in msgs if m["message"] == LONG_ANSWER] == [False]
    assert msgs[0]["participantName"] == "Alex"


async def test_transcription_can_be_disabled(start_interview):
    config = SessionConfig(interview_id="t", candidate_name="Sam", enable_transcription=False)
    run = await start_interview(config=config)
    assert await wait_for_turn(run)
    assert run.messages.of_type("transcription") == []
    assert run.messages.of_type("question")  # progress messages still flow


async def test_closing_stage_waits_for_its_line_before_it_is_the_candidates_turn(
    start_interview, monkeypatch
):
    """Entering the closing stage is not yet the candidate's turn: only once its line
    ("do you have any questions?") has been said. A page told to speak earlier has the
    candidate talk over the interviewer, and its half-duplex microphone loses the answer."""
    run = await start_interview(llm_=_llm_that_transitions_to("closing"))
    runtime = run.runtime
    saying_closing = asyncio.Event()
    release = asyncio.Event()
    say = runtime.say

    async def slow_closing_line(text: str, *, kind: str = "speech") -> None:
        if kind == "closing":  # the interviewer takes its time to say the closing line
            saying_closing.set()
            await release.wait()
        await say(text, kind=kind)

    monkeypatch.setattr(runtime, "say", slow_closing_line)
    assert await wait_for_turn(run)
    answering = asyncio.ensure_future(answer(run, LONG_ANSWER))  # ends with the handoff
    try:
        await asyncio.wait_for(saying_closing.wait(), 10)
        assert runtime.flow.current_stage.kind == "closing"
        # the session is idle (listening) while the line is on its way: not their turn yet
        await wait_until(lambda: run.session.agent_state == "listening")
        assert not await _turn_within(runtime, 0.6)
    finally:
        release.set()
    await answering
    assert await wait_for_turn(run)
    assert "Any questions for me?" in agent_lines(run)[-1]


async def _turn_within(runtime, seconds: float) -> bool:
    try:
        await asyncio.wait_for(runtime.wait_for_turn(0.2), seconds)
    except TimeoutError:
        return False
    return True
