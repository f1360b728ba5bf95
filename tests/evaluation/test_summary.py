"""Summary and recommendation rules."""

from __future__ import annotations

from voicehire.evaluation.models import AnswerScore, DimensionScores
from voicehire.evaluation.summary import summarize


def answer(qid: str, stage: str, comps: list[str], overall: float | None, **dims) -> AnswerScore:
    if overall is None:
        return AnswerScore(
            question_id=qid,
            stage=stage,
            question_text=qid,
            competencies=comps,
            status="unanswered",
        )
    scores = DimensionScores(
        technical_accuracy=dims.get("tech", overall),
        communication_clarity=dims.get("comm", overall),
        problem_solving=dims.get("ps", overall),
        overall=overall,
    )
    return AnswerScore(
        question_id=qid,
        stage=stage,
        question_text=qid,
        competencies=comps,
        answer_text="words",
        scores=scores,
    )


INFO = {"durationSeconds": 1530.0}


def test_strong_complete_interview_is_a_hire() -> None:
    answers = [
        answer("a", "technical", ["technical_accuracy"], 9.0, tech=9.5),
        answer("b", "technical", ["problem_solving"], 8.5, ps=8.0),
        answer("c", "behavioral", ["communication", "collaboration"], 8.0, comm=8.5),
    ]
    s = summarize(answers, INFO, scorer_kind="llm")
    assert s.recommendation == "hire" and not s.needs_human_review
    assert s.overall_score == 8.5
    assert s.competency_scores == {
        "technical_accuracy": 9.5,
        "problem_solving": 8.0,
        "communication": 8.5,  # communication is the clarity score
        "collaboration": 8.0,  # no own dimension: the answer's overall
    }
    assert s.stage_scores == {"technical": 8.75, "behavioral": 8.0}
    assert (s.questions_asked, s.questions_answered) == (3, 3)
    assert s.duration_minutes == 25.5
    assert 0 < s.confidence <= 1


def test_thresholds_and_partial_interviews() -> None:
    def lean(*overalls):
        answers = [answer(str(i), "t", ["technical_accuracy"], o) for i, o in enumerate(overalls)]
        return summarize(answers, INFO, scorer_kind="llm").leaning

    assert lean(6.9, 5.0) == "maybe"
    assert lean(4.9, 4.9) == "no_hire"
    assert lean(9.0, None, None) == "maybe"  # one of three answered: never a hire


def test_a_verdict_near_a_threshold_or_on_little_evidence_needs_review() -> None:
    def summary(*overalls):
        answers = [answer(str(i), "t", ["technical_accuracy"], o) for i, o in enumerate(overalls)]
        return summarize(answers, INFO, scorer_kind="offline")

    near = summary(4.9, 4.9)  # 0.1 below "maybe": a coin toss
    assert near.leaning == "no_hire"
    assert near.recommendation == "needs_review" and near.needs_human_review
    assert any("confidence" in r for r in near.review_reasons)
    clear = summary(1.0, 1.5, 0.5)
    assert clear.recommendation == "no_hire" and clear.confidence >= 0.7
    thin = summary(9.0, None, None)  # one answer of three
    assert thin.recommendation == "needs_review"
    assert summary(9.5, 9.0).confidence > summary(7.5, 7.5).confidence


def test_integrity_flags_and_abnormal_endings_need_review() -> None:
    strong = [answer(str(i), "t", ["technical_accuracy"], 9.0) for i in range(3)]
    assert summarize(strong, INFO, scorer_kind="offline").recommendation == "hire"
    strong[1].flags.append("duplicate_text: same passage as the answer to 2")
    flagged = summarize(strong, INFO, scorer_kind="offline")
    assert flagged.recommendation == "needs_review" and flagged.leaning == "hire"
    assert any("duplicate text" in r for r in flagged.review_reasons)
    strong[1].flags.clear()
    left = summarize(strong, INFO, scorer_kind="offline", outcome="abandoned")
    assert left.recommendation == "needs_review"


def test_nothing_scored_means_no_recommendation() -> None:
    s = summarize([answer("a", "t", ["x"], None)], INFO, scorer_kind="offline")
    assert s.recommendation is None
    assert s.overall_score is None
    assert s.confidence == 0
    assert "No answer to 1 of 1 questions asked" in s.areas_for_improvement


def test_unanswered_questions_do_not_drag_the_mean() -> None:
    answers = [
        answer("a", "t", ["technical_accuracy"], 8.0),
        answer("b", "t", ["technical_accuracy"], None),
        answer("c", "t", ["technical_accuracy"], 8.0),
    ]
    s = summarize(answers, INFO, scorer_kind="offline", not_asked=["d"])
    assert s.overall_score == 8.0
    assert s.competency_scores == {"technical_accuracy": 8.0}
    assert (s.questions_asked, s.questions_answered, s.questions_not_asked) == (3, 2, ["d"])
