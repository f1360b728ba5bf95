"""Interview plans as data: stages, questions, follow-up hints, rubrics, timing.

A plan is a YAML file. Built-in plans live in ``voicehire/domain/plans/``; a user can
pass their own file (it is validated on load and every error names the field). Questions
may be restricted to roles and interview types; the plan is *resolved* for one session
(role, type, timing settings and, when there is one, the job) before the agent uses it.

How to write a rubric
---------------------
A rubric describes the *skill* a question probes, never one candidate's answer. Each
question has a ``rubric``: a list of competencies, each with *indicators* — things any
good answer shows, whatever the candidate's story::

    rubric:
      - competency: problem_solving          # a name from the competency scales
        indicators:
          - {kind: situation, text: "a specific problem, with when, where and what was at stake"}
          - {kind: reasoning, text: "the options they weighed and why they chose one"}
          - {kind: result, text: "what changed, measured where possible"}
      - competency: technical_accuracy
        indicators:
          - {kind: content, text: "measures first: metrics, profiling or tracing"}

Indicator kinds: ``situation`` (a concrete context), ``own_part`` (what *they* did, not
"we"), ``reasoning`` (options, trade-offs, why), ``result`` (outcome, ideally measured),
``learning`` (what they took away or changed), ``current_role``, ``experience`` and
``motivation`` (for introductions), ``specifics`` (named tools, methods, numbers) and
``content`` (subject matter a correct technical answer contains — name the concepts, not
a particular story; several acceptable alternatives in one indicator: "caching, indexing
or queueing"). Write ``text`` as what an interviewer would look for, in plain words: the
LLM judge reads it, and the offline scorer matches ``content`` indicators by meaning and
the other kinds by how people describe such things.

Each competency is scored 1–5 on a behaviourally anchored scale (``competencies:``);
the built-in scales are in ``plans/competencies.yaml``, and a plan may add or override
scales (all five levels required). Scores come from evidence: every indicator the
scorer credits carries a quote from the candidate's answer.

The old ``key_points: [...]`` form is still read: each key point becomes a ``content``
indicator of the question's first competency.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from voicehire.domain.prompts import locale

if TYPE_CHECKING:
    from voicehire.domain.question_bank import JobProfile

StageKind = Literal["greeting", "questions", "closing"]
# How the candidate's answers in a stage run, which sets how long the interviewer waits
# after they stop speaking: short (names, yes/no: answer quickly), open (the default for
# question stages), technical (thinking pauses mid-answer: wait longer when unsure).
AnswerStyle = Literal["short", "open", "technical"]
IndicatorKind = Literal[
    "situation",
    "own_part",
    "reasoning",
    "result",
    "learning",
    "current_role",
    "experience",
    "motivation",
    "specifics",
    "content",
]
INDICATOR_KINDS: tuple[str, ...] = IndicatorKind.__args__  # type: ignore[attr-defined]
LEVELS = (1, 2, 3, 4, 5)


class PlanError(ValueError):
    """A plan file that cannot be used; the message says where and why."""


class Indicator(BaseModel):
    """Something any good answer shows; the scorer credits it with a quote."""

    model_config = ConfigDict(extra="forbid")

    kind: IndicatorKind
    text: str = Field(min_length=3, description="What an interviewer looks for, in plain words")


class CompetencyRubric(BaseModel):
    """One competency a question probes and the indicators that show it."""

    model_config = ConfigDict(extra="forbid")

    competency: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    indicators: list[Indicator] = Field(min_length=1)


class CompetencyScale(BaseModel):
    """A behaviourally anchored 1–5 scale: what an answer at each level looks like."""

    model_config = ConfigDict(extra="forbid")

    label: str
    description: str = ""
    anchors: dict[int, str]

    @model_validator(mode="after")
    def _five_levels(self) -> CompetencyScale:
        if sorted(self.anchors) != list(LEVELS):
            raise ValueError(
                f"anchors need exactly the levels 1, 2, 3, 4 and 5, got {sorted(self.anchors)}"
            )
        return self

    def anchor(self, level: float) -> str:
        return self.anchors[min(5, max(1, round(level)))]


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9_.-]+$")
    text: str = Field(min_length=3)
    follow_ups: list[str] = Field(default_factory=list, description="Hints for probing")
    rubric: list[CompetencyRubric] = Field(default_factory=list)
    key_points: list[str] = Field(
        default_factory=list, description="Legacy form: read as content indicators"
    )
    competencies: list[str] = Field(
        default_factory=list, description="Filled from the rubric; set it only without one"
    )
    roles: list[str] = Field(
        default_factory=list, description="Role keywords this question suits; empty = any"
    )
    interview_types: list[str] = Field(
        default_factory=list, description="Interview types this question suits; empty = any"
    )
    refer_back_to: str | None = Field(
        None, description="Stage id whose answers this question may build on"
    )
    source: Literal["plan", "bank", "custom", "generated"] = "plan"

    @model_validator(mode="before")
    @classmethod
    def _legacy_key_points(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("key_points") and not data.get("rubric"):
            comps = data.get("competencies") or ["communication"]
            data = {
                **data,
                "rubric": [
                    {
                        "competency": comps[0],
                        "indicators": [{"kind": "content", "text": k} for k in data["key_points"]],
                    }
                ],
            }
        return data

    @model_validator(mode="after")
    def _derive(self) -> Question:
        names = [r.competency for r in self.rubric]
        if len(set(names)) != len(names):
            raise ValueError(f"question {self.id}: a competency appears twice in its rubric")
        if self.rubric:
            self.competencies = names
            self.key_points = [i.text for r in self.rubric for i in r.indicators]
        elif not self.competencies:
            self.competencies = ["communication"]
        return self

    def indicators(self) -> list[tuple[str, Indicator]]:
        """(competency, indicator) pairs in rubric order."""
        return [(r.competency, i) for r in self.rubric for i in r.indicators]

    def suits(self, role: str, interview_type: str) -> bool:
        role_l = role.lower()
        if self.roles and not any(r.lower() in role_l for r in self.roles):
            return False
        return not self.interview_types or interview_type.lower() in [
            t.lower() for t in self.interview_types
        ]


class Stage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    kind: StageKind = "questions"
    goal: str = Field("", description="What the interviewer tries to learn in this stage")
    opening: str = Field("", description="Line that opens the stage (templated)")
    questions: list[Question] = Field(default_factory=list)
    question_source: Literal["plan", "job"] = Field(
        "plan",
        description="job: questions come from the job (custom, generated, then the question "
        "bank by title, skills and level); the plan's own questions are the fallback",
    )
    max_questions: int | None = Field(None, ge=1)
    time_budget: float = Field(300, gt=0, description="Seconds before the stage moves on")
    time_budget_setting: str | None = Field(
        None, description="Name of a timing setting that overrides time_budget"
    )
    silence_timeout: float | None = Field(None, gt=0)
    answers: AnswerStyle | None = Field(
        None,
        description="How answers run (short, open, technical); unset: short in greeting and "
        "closing stages, open in question stages",
    )

    @property
    def answer_style(self) -> AnswerStyle:
        if self.answers is not None:
            return self.answers
        return "open" if self.kind == "questions" else "short"

    def select_questions(
        self,
        role: str,
        interview_type: str,
        job: JobProfile | None = None,
        language: str = "en",
    ) -> list[Question]:
        chosen: list[Question] = []
        if self.question_source == "job":
            from voicehire.domain.question_bank import questions_for_job

            chosen = questions_for_job(job, role=role, limit=self.max_questions)
            if language != "en":
                # The question bank is English only: a non-English interview asks the
                # job's own questions, then the plan's (translated) fallback questions.
                chosen = [q for q in chosen if q.source != "bank"]
        if not chosen:
            chosen = [q for q in self.questions if q.suits(role, interview_type)]
        if not chosen and self.questions:
            # No question matches this role/type: fall back to the generic ones.
            chosen = [q for q in self.questions if not q.roles and not q.interview_types]
        return chosen[: self.max_questions] if self.max_questions else chosen


@cache
def builtin_competency_scales() -> dict[str, CompetencyScale]:
    """The shipped 1–5 scales (``plans/competencies.yaml``)."""
    path = Path(str(resources.files("voicehire.domain") / "plans" / "competencies.yaml"))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {k: CompetencyScale.model_validate(v) for k, v in data["competencies"].items()}


class Plan(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    description: str = ""
    interviewer_name: str = "Alex"
    persona: str = Field(
        "You are a warm, professional interviewer. Keep turns short: one question at a time.",
    )
    competencies: dict[str, CompetencyScale] = Field(
        default_factory=dict, description="Extra or overriding 1–5 scales"
    )
    stages: list[Stage] = Field(min_length=2)

    @model_validator(mode="after")
    def _check(self) -> Plan:
        ids = [s.id for s in self.stages]
        if len(set(ids)) != len(ids):
            raise ValueError(f"stage ids must be unique, got {ids}")
        if self.stages[-1].kind != "closing":
            raise ValueError("the last stage must have kind: closing")
        qids = [q.id for s in self.stages for q in s.questions]
        if len(set(qids)) != len(qids):
            raise ValueError("question ids must be unique across the plan")
        scales = self.scales()
        for s in self.stages:
            for q in s.questions:
                if q.refer_back_to and q.refer_back_to not in ids:
                    raise ValueError(f"question {q.id}: refer_back_to {q.refer_back_to!r} unknown")
                for r in q.rubric:
                    if r.competency not in scales:
                        raise ValueError(
                            f"question {q.id}: competency {r.competency!r} has no 1–5 scale; "
                            f"use one of {', '.join(sorted(scales))} or define it under "
                            "competencies: with anchors 1 to 5"
                        )
        return self

    def scales(self) -> dict[str, CompetencyScale]:
        """Every competency scale this plan can use (built-in, then the plan's own)."""
        return {**builtin_competency_scales(), **self.competencies}

    def stage(self, stage_id: str) -> Stage:
        for s in self.stages:
            if s.id == stage_id:
                return s
        raise KeyError(stage_id)

    def resolve(
        self,
        *,
        role: str,
        interview_type: str,
        timing: dict[str, float] | None = None,
        job: JobProfile | None = None,
        language: str = "en",
    ) -> ResolvedPlan:
        """Pick this session's questions (by role, type and the job) and apply timing.
        ``language`` is the interview's language (see :func:`load_plan`)."""
        timing = timing or {}
        language = locale(language)
        stages = []
        for s in self.stages:
            budget = s.time_budget
            if s.time_budget_setting and s.time_budget_setting in timing:
                budget = float(timing[s.time_budget_setting])
            stages.append(
                s.model_copy(
                    update={
                        "questions": s.select_questions(role, interview_type, job, language),
                        "question_source": "plan",
                        "time_budget": budget,
                    }
                )
            )
        return ResolvedPlan(plan=self.model_copy(update={"stages": stages}))


class ResolvedPlan(BaseModel):
    """A plan narrowed to one session; question lists are final."""

    plan: Plan

    @property
    def stages(self) -> list[Stage]:
        return self.plan.stages

    def stage_ids(self) -> list[str]:
        return [s.id for s in self.plan.stages]

    def question(self, question_id: str) -> Question | None:
        for s in self.plan.stages:
            for q in s.questions:
                if q.id == question_id:
                    return q
        return None


BUILTIN_PLANS = ("full", "mock")


def builtin_plan_path(name: str) -> Path:
    return Path(str(resources.files("voicehire.domain") / "plans" / f"{name}.yaml"))


def format_validation_error(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'plan'}: {e['msg']}" for e in exc.errors()
    )


def locale_overlay_path(lang: str) -> Path:
    return Path(str(resources.files("voicehire.domain") / "plans" / "locales" / f"{lang}.yaml"))


@cache
def locale_overlay(lang: str) -> dict[str, Any]:
    """The built-in plans' text in one locale (``plans/locales/LANG.yaml``): ``plans:``
    (per plan id: ``title`` and ``stages:`` per stage id: ``title``, ``goal``,
    ``opening``) and ``questions:`` (per question id: ``text``, ``follow_ups``)."""
    path = locale_overlay_path(lang)
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise PlanError(f"{path}: a locale overlay must be a mapping with plans and questions")
    return data


def localize(data: dict[str, Any], lang: str) -> dict[str, Any]:
    """A plan document with its text replaced by the locale overlay's, by stage and
    question id (anything the overlay lacks stays as written)."""
    overlay = locale_overlay(lang)
    if not overlay:
        return data
    plan_text = (overlay.get("plans") or {}).get(data.get("id"), {})
    stage_text = plan_text.get("stages") or {}
    question_text = overlay.get("questions") or {}
    out = {**data, **{k: v for k, v in plan_text.items() if k in ("title", "description")}}
    stages = []
    for stage in data.get("stages") or []:
        stage = {**stage, **(stage_text.get(stage.get("id")) or {})}
        stage["questions"] = [
            {**q, **(question_text.get(q.get("id")) or {})} for q in stage.get("questions") or []
        ]
        stages.append(stage)
    out["stages"] = stages
    return out


def load_plan(name_or_path: str | Path, language: str = "en") -> Plan:
    """Load a built-in plan by name (``full``, ``mock``) or a plan YAML file by path.

    ``language`` (an interview language such as ``es`` or ``fr-CA``) puts a built-in
    plan's stage titles, openings, questions and follow-ups in that locale from
    ``plans/locales/LANG.yaml``; a plan file is used as written (write it in the
    interview's language)."""
    text_name = str(name_or_path)
    lang = locale(language)
    if text_name in BUILTIN_PLANS:
        path = builtin_plan_path(text_name)
    else:
        path = Path(name_or_path)
        if not path.is_file():
            raise PlanError(
                f"plan {text_name!r} is neither a built-in plan ({', '.join(BUILTIN_PLANS)}) "
                "nor a readable file"
            )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise PlanError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise PlanError(f"{path}: a plan must be a YAML mapping with id, title and stages")
    if text_name in BUILTIN_PLANS and lang != "en":
        data = localize(data, lang)
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        raise PlanError(f"{path}: {format_validation_error(exc)}") from None


def plan_for_session(plan: str | None, interview_type: str) -> str:
    """Which plan a session uses when the metadata names none."""
    if plan:
        return plan
    return "mock" if interview_type == "mock" else "full"
