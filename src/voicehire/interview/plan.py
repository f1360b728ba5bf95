"""Interview plans as data: stages, questions, follow-up hints, rubric key points, timing.

A plan is a YAML file. Built-in plans live in ``voicehire/interview/plans/``; a user can
pass their own file. Questions may be restricted to roles and interview types; the plan
is *resolved* for one session (role, type, timing settings) before the agent uses it.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

StageKind = Literal["greeting", "questions", "closing"]


class PlanError(ValueError):
    """A plan file that cannot be used; the message says where and why."""


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9_.-]+$")
    text: str = Field(min_length=3)
    follow_ups: list[str] = Field(default_factory=list, description="Hints for probing")
    key_points: list[str] = Field(default_factory=list, description="Rubric key points")
    competencies: list[str] = Field(default_factory=lambda: ["communication"])
    roles: list[str] = Field(
        default_factory=list, description="Role keywords this question suits; empty = any"
    )
    interview_types: list[str] = Field(
        default_factory=list, description="Interview types this question suits; empty = any"
    )
    refer_back_to: str | None = Field(
        None, description="Stage id whose answers this question may build on"
    )

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
    max_questions: int | None = Field(None, ge=1)
    time_budget: float = Field(300, gt=0, description="Seconds before the stage moves on")
    time_budget_setting: str | None = Field(
        None, description="Name of a timing setting that overrides time_budget"
    )
    silence_timeout: float | None = Field(None, gt=0)

    def select_questions(self, role: str, interview_type: str) -> list[Question]:
        chosen = [q for q in self.questions if q.suits(role, interview_type)]
        if not chosen and self.questions:
            # No question matches this role/type: fall back to the generic ones.
            chosen = [q for q in self.questions if not q.roles and not q.interview_types]
        return chosen[: self.max_questions] if self.max_questions else chosen


class Plan(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    description: str = ""
    interviewer_name: str = "Alex"
    persona: str = Field(
        "You are a warm, professional interviewer. Keep turns short: one question at a time.",
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
        for s in self.stages:
            for q in s.questions:
                if q.refer_back_to and q.refer_back_to not in ids:
                    raise ValueError(f"question {q.id}: refer_back_to {q.refer_back_to!r} unknown")
        return self

    def stage(self, stage_id: str) -> Stage:
        for s in self.stages:
            if s.id == stage_id:
                return s
        raise KeyError(stage_id)

    def resolve(
        self, *, role: str, interview_type: str, timing: dict[str, float] | None = None
    ) -> ResolvedPlan:
        """Pick this session's questions and apply timing settings."""
        timing = timing or {}
        stages = []
        for s in self.stages:
            budget = s.time_budget
            if s.time_budget_setting and s.time_budget_setting in timing:
                budget = float(timing[s.time_budget_setting])
            stages.append(
                s.model_copy(
                    update={
                        "questions": s.select_questions(role, interview_type),
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
    return Path(str(resources.files("voicehire.interview") / "plans" / f"{name}.yaml"))


def load_plan(name_or_path: str | Path) -> Plan:
    """Load a built-in plan by name (``full``, ``mock``) or a plan YAML file by path."""
    text_name = str(name_or_path)
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
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        details = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'plan'}: {e['msg']}" for e in exc.errors()
        )
        raise PlanError(f"{path}: {details}") from None


def plan_for_session(plan: str | None, interview_type: str) -> str:
    """Which plan a session uses when the metadata names none."""
    if plan:
        return plan
    return "mock" if interview_type == "mock" else "full"
