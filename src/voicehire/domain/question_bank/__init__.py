"""The question bank: technical questions tagged by skill area, skills and level.

One YAML file per area (``backend.yaml``, ``data.yaml``, ...): ``area``, ``title``,
``match`` (words in a job title or description that point at the area) and
``questions`` — plan questions with a rubric plus ``skills`` and ``levels`` tags.

:func:`questions_for_job` chooses a session's technical questions from the job: the
recruiter's custom questions first, then questions generated from the job description,
then bank questions ranked by how many of the job's required skills they test, whether
the title (or description) names their area, and whether they suit the job's level.
"""

from __future__ import annotations

import re
from functools import cache, partial
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from voicehire.domain.plan import PlanError, Question, format_validation_error

Level = Literal["junior", "mid", "senior"]
LEVELS: tuple[Level, ...] = ("junior", "mid", "senior")
_LEVEL_WORDS: dict[str, Level] = {
    "intern": "junior",
    "graduate": "junior",
    "entry": "junior",
    "junior": "junior",
    "associate": "junior",
    "mid": "mid",
    "intermediate": "mid",
    "senior": "senior",
    "staff": "senior",
    "principal": "senior",
    "lead": "senior",
    "head": "senior",
}


def level_of(text: str | None) -> Level | None:
    """The seniority a title or level field names ("Senior Data Engineer" -> senior)."""
    for word in re.findall(r"[a-z]+", (text or "").lower()):
        if word in _LEVEL_WORDS:
            return _LEVEL_WORDS[word]
    return None


class BankQuestion(Question):
    model_config = ConfigDict(extra="forbid")

    skills: list[str] = Field(default_factory=list)
    levels: list[Level] = Field(default_factory=lambda: list(LEVELS))


class BankArea(BaseModel):
    model_config = ConfigDict(extra="forbid")

    area: str
    title: str
    match: list[str] = Field(min_length=1)
    questions: list[BankQuestion] = Field(min_length=1)


class JobProfile(BaseModel):
    """What a job tells the interview: it chooses the technical questions and answers
    the candidate's questions about the role."""

    model_config = ConfigDict(extra="ignore")

    title: str = ""
    level: str | None = None
    required_skills: list[str] = Field(default_factory=list)
    description: str = ""
    custom_questions: list[Question] = Field(default_factory=list)
    generated_questions: list[Question] = Field(default_factory=list)
    # Facts a candidate may ask about (answered from here or deferred honestly).
    location: str | None = None
    remote_policy: str | None = None
    salary_range: dict[str, Any] | str | None = None
    department: str | None = None
    team: str | None = None
    process: str | None = None

    @field_validator("required_skills", mode="before")
    @classmethod
    def _split(cls, v: Any) -> Any:
        if isinstance(v, str):
            return [s.strip() for s in re.split(r"[,;/]", v) if s.strip()]
        return v

    @property
    def seniority(self) -> Level | None:
        return level_of(self.level) or level_of(self.title)


def _bank_dir() -> Path:
    return Path(str(resources.files("voicehire.domain") / "question_bank"))


@cache
def load_bank() -> tuple[BankArea, ...]:
    """Every shipped area, validated (an invalid file is a packaging bug: PlanError)."""
    areas = []
    for path in sorted(_bank_dir().glob("*.yaml")):
        try:
            areas.append(BankArea.model_validate(yaml.safe_load(path.read_text("utf-8"))))
        except ValidationError as exc:
            raise PlanError(f"{path}: {format_validation_error(exc)}") from None
    return tuple(areas)


def _norm(text: str) -> str:
    return " " + re.sub(r"[^a-z0-9+#]+", " ", text.lower()).strip() + " "


def _mentions(haystack: str, needle: str) -> bool:
    return _norm(needle) in haystack


def _skill_hits(question: BankQuestion, skills: list[str]) -> set[str]:
    """The job's required skills this question tests (by tag or by name in its text)."""
    tags = [_norm(t) for t in question.skills]
    text = _norm(question.text)
    hits = set()
    for skill in skills:
        s = _norm(skill)
        if any(s == t or s in t or t in s for t in tags) or s in text:
            hits.add(skill.lower())
    return hits


def _gain(
    candidate: tuple[float, int, set[str], BankQuestion], covered: frozenset[str]
) -> tuple[float, int]:
    """Sort key: new required skills count most, then the area and description match."""
    base, order, skills, _ = candidate
    return (-(3.0 * len(skills - covered) + 0.5 * len(skills & covered) + base), order)


def questions_for_job(
    job: JobProfile | None, *, role: str = "", limit: int | None = 3
) -> list[Question]:
    """Technical questions for this job, best first (empty when nothing fits)."""
    job = job or JobProfile(title=role)
    if not job.title:
        job = job.model_copy(update={"title": role})
    chosen: list[Question] = [
        q.model_copy(update={"source": "custom"}) for q in job.custom_questions
    ]
    chosen += [q.model_copy(update={"source": "generated"}) for q in job.generated_questions]
    title = _norm(job.title)
    description = _norm(job.description)
    seniority = job.seniority
    candidates: list[tuple[float, int, set[str], BankQuestion]] = []
    order = 0
    for area in load_bank():
        in_title = any(_mentions(title, m) for m in area.match)
        in_description = any(_mentions(description, m) for m in area.match)
        for q in area.questions:
            order += 1
            skills = _skill_hits(q, job.required_skills)
            described = sum(_mentions(description, s) for s in q.skills)
            base = 2.0 * in_title + 1.0 * in_description + 0.5 * min(described, 2)
            if not skills and base <= 0:
                continue
            if seniority and seniority not in q.levels:
                base -= 1.5
            candidates.append((base, order, skills, q))
    # Greedy: each pick covers as many still-untested required skills as it can, so a
    # Data Engineer with Python, SQL, Airflow and Spark is asked about all of them.
    covered: set[str] = set()
    taken = {q.id for q in chosen}
    while candidates and (limit is None or len(chosen) < limit):
        done = frozenset(covered)
        candidates.sort(key=partial(_gain, covered=done))
        _, _, skills, q = candidates.pop(0)
        if q.id in taken:
            continue
        taken.add(q.id)
        covered |= skills
        chosen.append(
            Question.model_validate(q.model_dump(exclude={"skills", "levels"}) | {"source": "bank"})
        )
    return chosen[:limit] if limit else chosen
