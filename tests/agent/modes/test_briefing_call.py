"""The interviewer briefing in text-only AgentSessions: the spoken briefing, answers
grounded only in the candidate's data, and no writes."""

from __future__ import annotations

import json
import re

from tests.agent.modes.test_gap_filling_call import candidate, say
from tests.harness import ScriptedLLM, wait_until
from voicehire.agent.local_llm import Reply
from voicehire.agent.local_run import wait_for_turn

PRIYA = {
    "id": "cand-7",
    "name": "Priya Shah",
    "profile": {
        "current_title": "Senior Backend Engineer",
        "current_company": "Acme Payments",
        "skills": ["Python", "Go", "PostgreSQL"],
    },
    "extracted_data": {
        "expected_salary": {"amount": 150000, "currency": "USD", "period": "year"},
        "notice_period": 30,
    },
    "missing_required": ["earliest_start_date"],
    "resume_summary": "Seven years of payment backends in Python and Go.",
    "notes": "+ strong system design in the phone screen\n- no Kubernetes mentioned",
}
JOB = {"title": "Backend Engineer", "must_haves": ["Python", "Kubernetes"]}
EARLIER = {
    "interview_type": "technical",
    "summary": {"overall_score": 8.2, "recommendation": "hire"},
    "strengths": ["clear API design"],
}


async def test_briefing_then_grounded_answers_then_goodbye(start_call, tmp_path):
    before = json.dumps(PRIYA, sort_keys=True)
    call = await start_call(
        "briefing", PRIYA, job=JOB, interviews=[EARLIER], interviewer_name="Dana"
    )
    await say(call, "What salary is she expecting?")
    briefing = call.agent_lines()[0]
    assert briefing.startswith("Hello Dana! I'm here to brief you on your upcoming interview.")
    for part in ("Priya Shah", "Strengths:", "Concerns:", "Kubernetes", "You could open with:"):
        assert part in briefing, part
    assert len(briefing.split()) < 160  # concise: the briefing itself is capped at 120 words
    assert "one hundred fifty thousand US dollars per year" in call.agent_lines()[-1]

    await say(call, "How did her earlier interview go?")
    assert "8.2" in call.agent_lines()[-1] or "eight" in call.agent_lines()[-1]
    await say(call, "What are her hobbies?")
    refusal = call.agent_lines()[-1]
    assert refusal == "I don't have information about their hobbies in the candidate's file."
    await say(call, "When can she start?")
    assert "start date" in call.agent_lines()[-1] and "missing" in call.agent_lines()[-1]

    result = await call.run.session.run(user_input="Thanks, that's all.")
    result.expect.next_event().is_message(role="assistant")
    result.expect.next_event().is_function_call(name="end_call")
    await wait_until(call.runtime.ended.is_set)
    outcome = call.runtime.outcome
    assert outcome.end_reason == "completed"
    assert [q["question"] for q in outcome.result["questions"]] == [
        "What salary is she expecting?",
        "How did her earlier interview go?",
        "What are her hobbies?",
        "When can she start?",
    ]
    assert outcome.result["briefing"]["opening_questions"]
    full = call.store.full_doc()
    assert [s["stage"] for s in full["stages"]] == ["briefing"]
    assert full["sessionInfo"]["participantName"] == "Dana"
    # read-only: the input is untouched and no candidate record was written anywhere
    assert json.dumps(PRIYA, sort_keys=True) == before
    assert not (tmp_path / "candidates").exists()


async def test_briefing_uses_what_a_gap_filling_call_saved(start_call):
    gap = await start_call(
        "gap_filling", candidate("notice_period", "expected_salary", "willing_to_relocate")
    )
    await say(gap, "I'd rather not say")
    await say(gap, "a hundred and thirty k")
    assert await wait_for_turn(gap.run)  # the read-back waits for a yes; the line drops
    await gap.run.session.aclose()
    await wait_until(gap.runtime.ended.is_set)
    saved = gap.saved()

    call = await start_call("briefing", saved)
    await say(call, "What salary does Sam want?")
    assert "one hundred thirty thousand" in call.agent_lines()[-1]
    assert "not confirmed" in call.agent_lines()[-1]
    assert "Open questions:" in call.agent_lines()[0]
    await say(call, "What's their notice period?")
    assert "declined" in call.agent_lines()[-1]
    await say(call, "Would they relocate?")
    assert "unknown" in call.agent_lines()[-1] or "missing" in call.agent_lines()[-1]


async def test_an_llm_briefs_from_the_data_it_is_given_and_has_no_write_tool(start_call):
    def handler(ctx, tools):
        # A model that answers from the candidate_data block in its instructions only.
        data = json.loads(
            re.search(r"<candidate_data>\n(.*)\n</candidate_data>", ctx.items[0].text_content, re.S)
            .group(1)
            .replace("\\u003c", "<")
            .replace("\\u003e", ">")
        )
        last = ctx.items[-1]
        if last.type == "message" and last.role in ("system", "developer"):
            return Reply(data["derived_briefing"]["who"])
        if last.type == "message" and last.role == "user":
            if "salary" in last.text_content:
                amount = data["data"]["candidate"]["fields"]["expected_salary"]["amount"]
                return Reply(f"She expects {amount} dollars a year.")
            return Reply("I don't have information about that in the candidate's file.")
        return Reply()

    llm = ScriptedLLM(handler)
    call = await start_call("briefing", PRIYA, job=JOB, llm_=llm)
    await say(call, "What salary is she expecting?")
    instructions = llm.calls[0][0][0].text_content
    assert "Never guess" in instructions and "<candidate_data>" in instructions
    assert llm.calls[0][1] == {"end_call"}  # nothing that could write
    assert "Priya Shah" in call.agent_lines()[0]
    assert call.agent_lines()[-1] == "She expects 150000 dollars a year."
    await say(call, "Is she married?")
    assert "don't have information" in call.agent_lines()[-1]
