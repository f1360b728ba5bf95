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
        answer("a", "technical", ["technical_accuracy"], 8.0, tech=9.0),
        answer("b", "technical", ["problem_solving"], 7.5, ps=6.0),
        answer("c", "behavioral", ["communication", "collaboration"], 7.0, comm=8.0),
    ]
    s = summarize(answers, INFO, scorer_kind="llm")
    assert s.recommendation == "hire"
    assert s.overall_score == 7.5
    assert s.competency_scores == {
        "technical_accuracy": 9.0,
        "problem_solving": 6.0,
        "communication": 8.0,  # communication is the clarity score
        "collaboration": 7.0,  # no own dimension: the answer's overall
    }
    assert s.stage_scores == {"technical": 7.75, "behavioral": 7.0}
    assert (s.questions_asked, s.questions_answered) == (3, 3)
    assert s.duration_minutes == 25.5
    assert 0 < s.confidence <= 1


def test_thresholds_and_partial_interviews() -> None:
    def rec(*overalls):
        answers = [answer(str(i), "t", ["technical_accuracy"], o) for i, o in enumerate(overalls)]
        return summarize(answers, INFO, scorer_kind="llm").recommendation

    assert rec(6.9, 5.0) == "maybe"
    assert rec(4.9, 4.9) == "no_hire"
    assert rec(9.0, None, None) == "maybe"  # one of three answered: never a hire


def test_nothing_scored_means_no_recommendation() -> None:
    s = summarize([answer("a", "t", ["x"], None)], INFO, scorer_kind="offline")
    assert s.recommendation is None
    assert s.overall_score is None
    assert s.confidence == 0
    assert "Did not answer 1 of 1 questions" in s.areas_for_improvement


def test_offline_scorer_is_less_confident_than_the_llm_judge() -> None:
    answers = [answer("a", "t", ["technical_accuracy"], 9.5)]
    llm = summarize(answers, INFO, scorer_kind="llm").confidence
    offline = summarize(answers, INFO, scorer_kind="offline").confidence
    assert offline < llm
