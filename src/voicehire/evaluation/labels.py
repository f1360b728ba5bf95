"""Words for people in place of internal ids: stages, questions, competencies, scorers
and outcomes, for every recruiter-facing page and report (the dashboard gets them from
``GET /api/web/config``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from voicehire.domain.outcome import OUTCOME_LABELS
from voicehire.domain.plan import BUILTIN_PLANS, builtin_competency_scales, load_plan
from voicehire.evaluation.summary import COMPETENCY_LABELS

SCORER_LABELS = {
    "minilm-keypoint-coverage": "Offline rubric scorer (evidence against the rubric)",
    "llm-judge": "LLM judge (evidence against the rubric)",
}
RECOMMENDATION_LABELS = {
    "hire": "Hire",
    "maybe": "Maybe",
    "no_hire": "No hire",
    "needs_review": "Needs human review",
}
STATUS_LABELS = {
    "scored": "Scored",
    "unanswered": "No answer",
    "skipped": "Skipped at the candidate's request",
    "error": "Could not be scored",
}


def humanize(value: str) -> str:
    """A last resort for an id nobody named: ``self_introduction`` → "Self introduction"."""
    words = value.replace("_", " ").replace("-", " ").replace(".", " ").split()
    return " ".join(words).capitalize()


@dataclass(frozen=True)
class Labels:
    stages: dict[str, str] = field(default_factory=dict)
    questions: dict[str, str] = field(default_factory=dict)
    competencies: dict[str, str] = field(default_factory=dict)

    def stage(self, stage_id: str) -> str:
        return self.stages.get(stage_id) or humanize(stage_id)

    def question(self, question_id: str) -> str:
        return self.questions.get(question_id) or humanize(question_id)

    def competency(self, name: str) -> str:
        return self.competencies.get(name) or humanize(name)


def scorer_label(name: str) -> str:
    return SCORER_LABELS.get(name) or humanize(name)


@cache
def competency_labels() -> dict[str, str]:
    names = dict(COMPETENCY_LABELS)
    names.update({k: v.label for k, v in builtin_competency_scales().items()})
    return names


@cache
def plan_labels(plan_id: str) -> Labels:
    """Every built-in plan's stages and questions (those of ``plan_id`` win)."""
    stages: dict[str, str] = {}
    questions: dict[str, str] = {}
    for name in [*(p for p in BUILTIN_PLANS if p != plan_id), plan_id]:
        if name not in BUILTIN_PLANS:
            continue
        plan = load_plan(name)
        for st in plan.stages:
            stages[st.id] = st.title
            for q in st.questions:
                questions[q.id] = q.text
    return Labels(stages=stages, questions=questions, competencies=competency_labels())


def all_labels() -> dict[str, dict[str, str]]:
    """What the dashboard shows instead of ids (``GET /api/web/config``)."""
    merged = plan_labels("full")
    return {
        "stages": merged.stages,
        "questions": merged.questions,
        "competencies": merged.competencies,
        "scorers": dict(SCORER_LABELS),
        "outcomes": {str(k): v for k, v in OUTCOME_LABELS.items()},
        "recommendations": dict(RECOMMENDATION_LABELS),
        "answerStatuses": dict(STATUS_LABELS),
    }
