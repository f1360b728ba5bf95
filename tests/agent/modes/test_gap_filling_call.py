"""The gap-filling call in text-only AgentSessions, with the embedded default's policy
and with a scripted LLM that only follows what the tools tell it."""

from __future__ import annotations

import re

from tests.agent.modes.conftest import Call
from tests.harness import ScriptedLLM, make_settings, wait_until
from voicehire.agent.local_llm import Reply
from voicehire.agent.local_run import answer, wait_for_turn
from voicehire.agent.modes.records import STATUS_KEY

ALL_TYPES = {
    # field (its type): answer, its saved value
    "team_size_managed": ("Four engineers report to me", 4),  # integer
    "years_of_experience": ("about six and a half years", 6.5),  # number
    "expected_salary": (  # currency (read back)
        "a hundred and twenty k",
        {"amount": 120000, "currency": "USD", "period": "year"},
    ),
    "quota_attainment": ("a hundred and ten percent", 110),  # percentage
    "notice_period": ("two weeks", 14),  # duration, in days
    "earliest_start_date": ("the first of March", "2027-03-01"),  # date (read back)
    "graduation_date": ("May 2019", "2019-05"),  # month_year (read back)
    "willing_to_relocate": ("yes, I would", True),  # yes_no
    "remote_preference": ("hybrid please", "hybrid"),  # choice
    "current_title": ("Senior Backend Engineer", "Senior Backend Engineer"),  # text
}


def candidate(*missing: str, **extra) -> dict:
    return {"id": "cand-1", "name": "Sam", "missing_required": list(missing), **extra}


async def say(call: Call, text: str) -> None:
    assert await wait_for_turn(call.run), f"the call ended before {text!r}"
    await answer(call.run, text)


async def test_every_field_type_is_accepted_and_saved_as_it_is_given(start_call):
    call = await start_call("gap_filling", candidate(*ALL_TYPES))
    assert await wait_for_turn(call.run)
    greeting = call.agent_lines()[0]
    assert "This is a quick call to fill in some details on your profile." in greeting
    assert "10 quick questions" in greeting
    for field, (text, _value) in ALL_TYPES.items():
        await say(call, text)
        saved = call.saved()["extracted_data"]
        if call.runtime.gap.fields[field].status == "awaiting_confirmation":
            # read back before it counts, but already on disk (unconfirmed)
            assert call.agent_lines()[-1].startswith("Just to confirm:")
            assert saved[STATUS_KEY][field]["status"] == "unconfirmed"
            assert field not in saved
            await say(call, "yes, that's right")
            saved = call.saved()["extracted_data"]
        assert saved[STATUS_KEY][field]["status"] == "filled", field
        assert field in saved, field
    await wait_until(call.runtime.ended.is_set)

    record = call.saved()
    assert record["missing_required"] == []
    data = record["extracted_data"]
    for field, (_text, value) in ALL_TYPES.items():
        assert data[field] == value, field
    result = call.runtime.outcome.result
    assert [f["field"] for f in result["filled"]] == list(ALL_TYPES)
    assert all(f["confirmed"] for f in result["filled"])
    assert result["declined"] == result["unresolved"] == []
    assert result["ended_reason"] == call.runtime.outcome.end_reason == "completed"
    assert "Thank you for your time, Sam" in call.agent_lines()[-1]
    # the result carries the transcript; each answer is filed under its field
    answers = [u for u in result["transcript"] if not u["isAI"]]
    assert answers[0] == {**answers[0], "message": ALL_TYPES["team_size_managed"][0]}
    assert answers[0]["questionId"] == "team_size_managed"
    # one transcript in the seed format, with the call as its single stage
    full = call.store.full_doc()
    assert set(full) == {"sessionInfo", "stages", "fullConversation", "metadata"}
    assert [s["stage"] for s in full["stages"]] == ["gap_filling"]
    assert full["sessionInfo"]["sessionType"] == "gap_filling"
    assert full["metadata"]["gapFilling"]["filled"][0]["field"] == "team_size_managed"


async def test_unclear_answers_are_asked_again_twice_then_left_unresolved(start_call):
    call = await start_call("gap_filling", candidate("years_of_experience", "notice_period"))
    for text in ("banana", "a lot", "honestly no idea"):
        await say(call, text)
    lines = call.agent_lines()
    asks = [line for line in lines if "How many years of professional experience" in line]
    assert len(asks) == 3  # asked, then asked again twice
    assert "I didn't catch a number for years of experience." in asks[1]
    assert "let's leave that one for now" in lines[-1]
    assert lines[-1].endswith("How much notice do you need to give your current employer?")
    await say(call, "a month")
    await wait_until(call.runtime.ended.is_set)

    result = call.runtime.outcome.result
    assert [f["field"] for f in result["filled"]] == ["notice_period"]
    (unresolved,) = result["unresolved"]
    assert unresolved["field"] == "years_of_experience"
    assert unresolved["answers"] == ["banana", "a lot", "honestly no idea"]
    record = call.saved()
    assert record["missing_required"] == ["years_of_experience"]
    assert record["extracted_data"][STATUS_KEY]["years_of_experience"]["status"] == "unresolved"


async def test_a_declined_field_is_recorded_and_never_asked_again(start_call):
    call = await start_call("gap_filling", candidate("expected_salary", "notice_period"))
    await say(call, "I'd rather not say")
    assert call.agent_lines()[-1].startswith("No problem, we can skip that.")
    await say(call, "two weeks")
    await wait_until(call.runtime.ended.is_set)
    assert sum("What base salary" in line for line in call.agent_lines()) == 1
    result = call.runtime.outcome.result
    assert [f["field"] for f in result["declined"]] == ["expected_salary"]
    record = call.saved()
    assert record["extracted_data"][STATUS_KEY]["expected_salary"]["status"] == "declined"
    assert "expected_salary" not in record["extracted_data"]
    assert record["missing_required"] == ["expected_salary"]


async def test_a_wrong_read_back_is_corrected_by_the_candidate(start_call):
    call = await start_call("gap_filling", candidate("expected_salary"))
    await say(call, "120k")
    assert "one hundred twenty thousand US dollars per year" in call.agent_lines()[-1]
    await say(call, "no, it's 130k")
    assert "one hundred thirty thousand" in call.agent_lines()[-1]
    assert call.saved()["extracted_data"][STATUS_KEY]["expected_salary"]["status"] == (
        "unconfirmed"
    )
    await say(call, "yes")
    await wait_until(call.runtime.ended.is_set)
    assert call.saved()["extracted_data"]["expected_salary"]["amount"] == 130000


async def test_a_dropped_call_loses_nothing_already_said(start_call):
    call = await start_call(
        "gap_filling", candidate("years_of_experience", "expected_salary", "notice_period")
    )
    await say(call, "six years")
    await say(call, "a hundred and forty thousand")
    assert await wait_for_turn(call.run)  # the read-back is waiting for a yes
    # the line drops here: nothing else runs, the session just goes away
    on_disk = call.saved()
    await call.run.session.aclose()
    assert on_disk["extracted_data"]["years_of_experience"] == 6
    salary = on_disk["extracted_data"][STATUS_KEY]["expected_salary"]
    assert (salary["status"], salary["value"]["amount"]) == ("unconfirmed", 140000)
    assert on_disk["missing_required"] == ["expected_salary", "notice_period"]
    # the closed session still ends the call once, with the result of what was said
    await wait_until(call.runtime.ended.is_set)
    result = call.runtime.outcome.result
    assert result["ended_reason"] == call.runtime.outcome.end_reason != "completed"
    assert [(f["field"], f["confirmed"]) for f in result["filled"]] == [
        ("years_of_experience", True),
        ("expected_salary", False),
    ]
    assert [f["field"] for f in result["unresolved"]] == ["notice_period"]


async def test_time_budget_ends_the_call_politely(start_call):
    call = await start_call("gap_filling", candidate("years_of_experience"), time_budget=0.5)
    await wait_until(call.runtime.ended.is_set)
    assert call.runtime.outcome.end_reason == "time_up"
    assert "I don't want to take more of your time" in call.agent_lines()[-1]
    (unresolved,) = call.runtime.outcome.result["unresolved"]
    assert unresolved["field"] == "years_of_experience"


async def test_candidate_can_stop_the_call(start_call):
    call = await start_call("gap_filling", candidate("years_of_experience", "notice_period"))
    await say(call, "seven")
    result = await call.run.session.run(user_input="Sorry, this is a bad time, I have to go.")
    result.expect.next_event().is_message(role="assistant")
    result.expect.next_event().is_function_call(
        name="end_call", arguments={"reason": "candidate_request"}
    )
    await wait_until(call.runtime.ended.is_set)
    assert call.runtime.outcome.end_reason == "candidate_request"
    assert "I've saved what you told me" in call.agent_lines()[-1]
    assert call.saved()["extracted_data"]["years_of_experience"] == 7


async def test_silence_gets_the_question_again_then_the_call_ends(start_call, tmp_path):
    settings = make_settings(silence_timeout=0.3, candidate_dir=tmp_path / "c")
    call = await start_call("gap_filling", candidate("notice_period"), settings=settings)
    await wait_until(call.runtime.ended.is_set)
    lines = call.agent_lines()
    assert any(
        line.startswith("Are you still there? How much notice do you need") for line in lines
    )
    assert call.runtime.outcome.end_reason == "candidate_unresponsive"
    assert "lost you" in lines[-1]


# --- a scripted LLM ------------------------------------------------------------------------------


def _tool_result_llm() -> ScriptedLLM:
    """Behaves like a model following the instructions: asks the first field, passes every
    answer to the tools verbatim, says what the tool result says, moves on to the field
    it names, and ends the call when told."""

    def handler(ctx, tools):
        last = ctx.items[-1]
        if last.type == "message" and last.role in ("system", "developer"):
            first = re.search(r'ask about the first field, (\w+): "([^"]+)"', last.text_content)
            return Reply(first.group(2))
        if last.type == "message" and last.role == "user":
            asked = _last_field(ctx)
            said = last.text_content
            if said.lower().startswith(("yes", "no")) and asked["confirming"]:
                args = {"field": asked["field"], "reply": said}
                return Reply("", [("confirm_candidate_field", args)])
            field = "Expected salary" if asked["field"] == "expected_salary" else asked["field"]
            if said == "I'm in Berlin":
                field = "home_city"  # a field this call doesn't collect
            return Reply("", [("update_candidate_field", {"field": field, "answer": said})])
        if last.type == "function_call_output":
            if last.is_error:
                return Reply("Sorry, could you say that again?")
            say = re.search(r"say: (.*?)(;|$)", last.output).group(1)
            if "all fields handled" in last.output:
                return Reply(f"{say} Thanks, goodbye!", [("end_call", {"reason": "completed"})])
            nxt = re.search(r"next field: (\w+)", last.output)
            question = f" Next: {nxt.group(1)}?" if nxt else ""
            return Reply(say + question)
        return Reply()

    return ScriptedLLM(handler)


def _last_field(ctx) -> dict:
    """Which field the conversation is on, from the tool calls and results so far."""
    first = re.search(r"in this order:\n- (\w+) ", ctx.items[0].text_content)
    field, confirming = first.group(1), False
    for item in ctx.items:
        if item.type == "function_call_output" and not item.is_error:
            confirming = "needs_confirmation" in item.output
            nxt = re.search(r"next field: (\w+)", item.output)
            field = item.output.split(":")[0] if confirming or not nxt else nxt.group(1)
            if "reask" in item.output:
                field = item.output.split(":")[0]
    return {"field": field, "confirming": confirming}


async def test_an_llm_drives_the_call_through_the_tools(start_call):
    llm = _tool_result_llm()
    call = await start_call(
        "gap_filling", candidate("expected_salary", "remote_preference"), llm_=llm
    )
    assert await wait_for_turn(call.run)
    # the model is told what to collect, how, and with which tools
    instructions = llm.calls[0][0][0].text_content
    assert "expected_salary (expected salary, currency)" in instructions
    assert "call update_candidate_field(field, answer)" in instructions
    assert llm.calls[0][1] == {"update_candidate_field", "confirm_candidate_field", "end_call"}

    assert await wait_for_turn(call.run)
    result = await call.run.session.run(user_input="about one twenty")
    result.expect.next_event().is_function_call(
        name="update_candidate_field",
        arguments={"field": "Expected salary", "answer": "about one twenty"},
    )
    output = result.expect.next_event().is_function_call_output().event().item
    assert output.output.startswith("expected_salary: needs_confirmation")
    result.expect.next_event().is_message(role="assistant")
    assert call.agent_lines()[-1].startswith("Just to confirm: about one hundred twenty thousand")
    assert call.saved()["extracted_data"][STATUS_KEY]["expected_salary"]["status"] == (
        "unconfirmed"
    )

    result = await call.run.session.run(user_input="yes exactly")
    result.expect.next_event().is_function_call(name="confirm_candidate_field")
    output = result.expect.next_event().is_function_call_output().event().item
    assert "expected_salary: accepted" in output.output
    assert "next field: remote_preference" in output.output
    assert call.saved()["extracted_data"]["expected_salary"]["amount"] == 120000

    # a field the call doesn't collect is refused with the fields it does
    result = await call.run.session.run(user_input="I'm in Berlin")
    result.expect.next_event().is_function_call(name="update_candidate_field")
    output = result.expect.next_event().is_function_call_output().event().item
    assert output.is_error and "not collected in this call" in output.output
    assert "remote_preference" in output.output

    result = await call.run.session.run(user_input="fully remote")
    result.expect.next_event().is_function_call(name="update_candidate_field")
    output = result.expect.next_event().is_function_call_output().event().item
    assert "all fields handled" in output.output
    result.expect.next_event().is_message(role="assistant")
    result.expect.next_event().is_function_call(name="end_call")
    await wait_until(call.runtime.ended.is_set)
    assert call.runtime.outcome.end_reason == "completed"
    assert call.saved()["extracted_data"]["remote_preference"] == "remote"
    assert call.saved()["missing_required"] == []


async def test_an_llm_that_ends_the_call_early_leaves_the_rest_unresolved(start_call):
    def handler(ctx, tools):
        last = ctx.items[-1]
        if last.type == "message" and last.role == "user":
            return Reply("Bye!", [("end_call", {"reason": "completed"})])
        if last.type == "message":
            return Reply("What is your notice period?")
        return Reply()

    call = await start_call("gap_filling", candidate("notice_period"), llm_=ScriptedLLM(handler))
    await say(call, "hello?")
    await wait_until(call.runtime.ended.is_set)
    # "completed" is not taken on trust: the field was never answered
    assert call.runtime.outcome.end_reason == "ended_early"
    assert [f["field"] for f in call.runtime.outcome.result["unresolved"]] == ["notice_period"]
