"""The stage flow's rules, independent of any framework."""

from __future__ import annotations

import pytest

from voicehire.domain.flow import InterviewFlow, TransitionError, word_count
from voicehire.domain.plan import load_plan


@pytest.fixture
def flow():
    plan = load_plan("full").resolve(role="Software Engineer", interview_type="technical")
    clock = iter(range(1000))
    return InterviewFlow(plan, clock=lambda: float(next(clock)))


def test_forward_one_stage_at_a_time_or_to_closing(flow):
    assert flow.check_transition("self_introduction") == "the interview has not started"
    flow.start()
    assert flow.allowed_targets() == ["self_introduction", "closing"]
    flow.transition("self_introduction", "greeting_done")
    assert "cannot jump" in flow.check_transition("technical")
    assert "already finished" in flow.check_transition("greeting")
    assert "already in stage" in flow.check_transition("self_introduction")
    assert "there is no stage 'lunch'" in flow.check_transition("lunch")
    flow.transition("closing", "time_budget")
    assert flow.allowed_targets() == []
    with pytest.raises(TransitionError):
        flow.transition("behavioral", "x")
    assert [t.to_stage for t in flow.transitions] == ["greeting", "self_introduction", "closing"]


def test_questions_are_asked_once_and_answers_attach_to_them(flow):
    flow.start()
    flow.transition("self_introduction", "x")
    assert flow.record_answer("before any question") is None
    q = flow.next_question()
    assert q.id == "intro.about_you"
    assert flow.record_answer("  I build APIs.  ") == "intro.about_you"
    assert flow.next_follow_up() == "What drew you to this kind of work?"
    assert flow.next_follow_up() == "What are you hoping to do in your next role?"
    assert flow.next_follow_up() is None
    assert flow.next_question() is None  # one question in this stage, never repeated
    assert flow.questions["intro.about_you"].answers == ["I build APIs."]
    assert flow.earlier_answers("self_introduction") == ["before any question", "I build APIs."]


def test_end_is_idempotent_and_first_reason_wins(flow):
    flow.start()
    assert flow.end("candidate_left") is True
    assert flow.end("completed") is False
    assert flow.end_reason == "candidate_left"
    assert "already ended" in flow.check_transition("closing")
    assert flow.remaining_questions() == []


def test_stage_elapsed_uses_the_clock(flow):
    flow.start()
    first = flow.stage_elapsed
    assert flow.stage_elapsed > first


@pytest.mark.parametrize(("text", "n"), [("", 0), ("I code.", 2), ("C++ and C#, mostly", 4)])
def test_word_count(text, n):
    assert word_count(text) == n
