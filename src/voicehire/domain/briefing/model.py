"""What a briefing is made from and what it produces: the candidate's data (profile,
job, earlier interviews, gap-filling results), the briefing and its spoken form, facts
and grounded answers. All frozen; nothing here writes to the candidate record."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator, model_validator

from voicehire.domain.fields import canonical_name
from voicehire.domain.gap_filling import GapFillingResult

MAX_SPOKEN_WORDS = 120
LONG_NOTICE_DAYS = 60


class CandidateProfile(BaseModel):
    """The candidate record as the API returns it. Unknown keys are kept as facts."""

    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True)

    name: str | None = Field(None, validation_alias=AliasChoices("name", "full_name", "fullName"))
    current_title: str | None = Field(
        None, validation_alias=AliasChoices("current_title", "currentTitle", "title")
    )
    current_company: str | None = Field(
        None, validation_alias=AliasChoices("current_company", "currentCompany", "company")
    )
    location: str | None = Field(
        None, validation_alias=AliasChoices("location", "current_location", "currentLocation")
    )
    years_of_experience: float | None = Field(
        None, validation_alias=AliasChoices("years_of_experience", "yearsOfExperience")
    )
    skills: list[str] = Field(default_factory=list)
    missing_required: list[str] = Field(
        default_factory=list, validation_alias=AliasChoices("missing_required", "missingRequired")
    )
    fields: dict[str, Any] = Field(
        default_factory=dict,
        validation_alias=AliasChoices("fields", "extracted_data", "extractedData"),
        description="Other known profile values (e.g. expected_salary, notice_period)",
    )

    @field_validator("skills", mode="before")
    @classmethod
    def _split_skills(cls, v: Any) -> Any:
        if isinstance(v, str):
            return [s.strip() for s in re.split(r"[,;\n]", v) if s.strip()]
        return v

    def facts(self) -> dict[str, Any]:
        """Other profile values by canonical field name (``fields`` plus unknown keys)."""
        out: dict[str, Any] = {}
        for key, value in {**(self.model_extra or {}), **self.fields}.items():
            if value is None or value == "" or value == []:
                continue
            out[canonical_name(key)] = value
        return out


class JobInfo(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)

    title: str | None = Field(None, validation_alias=AliasChoices("title", "role", "name"))
    department: str | None = None
    location: str | None = None
    must_haves: list[str] = Field(
        default_factory=list,
        validation_alias=AliasChoices(
            "must_haves", "mustHaves", "requirements", "required_skills", "requiredSkills"
        ),
    )
    nice_to_haves: list[str] = Field(
        default_factory=list, validation_alias=AliasChoices("nice_to_haves", "niceToHaves")
    )
    salary_range: Any = Field(
        None, validation_alias=AliasChoices("salary_range", "salaryRange", "compensation")
    )
    sponsorship: bool | None = Field(
        None, validation_alias=AliasChoices("sponsorship", "visa_sponsorship", "sponsorsVisa")
    )
    description: str | None = None


# "intro.about_you: Clear structure" -> "Clear structure" (evaluation text may lead with
# a question or competency id, which must never be read aloud).
_ID_PREFIX = re.compile(r"^\s*[a-z0-9]+(?:[._-][a-z0-9]+)+\s*:\s*")
_ID = re.compile(r"^[a-z0-9]+(?:[._][a-z0-9]+)+$")


def plain_words(text: str) -> str:
    """Evaluation text as it may be said aloud: no leading id, an id itself in words."""
    text = _ID_PREFIX.sub("", text.strip())
    if _ID.match(text):
        text = re.sub(r"[._]+", " ", text)
    return text


class Evidence(BaseModel):
    """The candidate's own words in an interview, with the question they answered."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    question: str = ""
    quote: str


def _answer_evidence(answers: Any) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for a in answers if isinstance(answers, list) else []:
        if not isinstance(a, dict):
            continue
        question = str(a.get("question_text") or "")
        quotes = [q for q in a.get("evidence") or [] if isinstance(q, str)]
        quotes += [
            str(k.get("evidence"))
            for k in a.get("key_points") or []
            if isinstance(k, dict) and k.get("evidence")
        ]
        if not quotes and isinstance(a.get("answer_text"), str) and a["answer_text"].strip():
            quotes = [a["answer_text"]]
        for quote in quotes:
            if quote.strip() and quote not in seen:
                seen.add(quote)
                out.append({"question": question, "quote": quote.strip()})
    return out


class InterviewResult(BaseModel):
    """An earlier interview's outcome. Accepts VoiceHire's evaluation result shape
    (``summary.overall_score`` on 0-10, ``areas_for_improvement``, ``answers`` with their
    evidence, a human ``override`` that wins over the machine's recommendation) or a flat
    one."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)

    interview_type: str | None = Field(
        None, validation_alias=AliasChoices("interview_type", "interviewType", "type", "kind")
    )
    date: str | None = None
    score: float | None = Field(
        None, validation_alias=AliasChoices("score", "overall_score", "overallScore")
    )
    max_score: float = Field(10.0, gt=0)
    recommendation: str | None = None
    strengths: list[str] = Field(default_factory=list)
    concerns: list[str] = Field(
        default_factory=list,
        validation_alias=AliasChoices("concerns", "areas_for_improvement", "weaknesses"),
    )
    summary: str | None = Field(None, validation_alias=AliasChoices("summary", "rationale"))
    evidence: list[Evidence] = Field(default_factory=list)
    machine_recommendation: str | None = Field(
        None, description="The evaluator's recommendation when a person overrode it"
    )
    decision_note: str | None = Field(None, description="The person's reason for the decision")
    decided_by: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _flatten_evaluation(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("summary"), dict):
            flat = {k: v for k, v in data.items() if k not in ("summary", "answers")}
            for k, v in data["summary"].items():
                flat.setdefault(k, v)
            if "evidence" not in flat:
                flat["evidence"] = _answer_evidence(data.get("answers"))
            override = data.get("override")
            if isinstance(override, dict) and override.get("recommendation"):
                if flat.get("recommendation") != override["recommendation"]:
                    flat["machine_recommendation"] = flat.get("recommendation")
                flat["recommendation"] = override["recommendation"]
                flat["decision_note"] = override.get("note") or None
                flat["decided_by"] = override.get("by") or "the hiring team"
            return flat
        return data

    @field_validator("interview_type", "recommendation", "machine_recommendation")
    @classmethod
    def _words(cls, v: str | None) -> str | None:
        return re.sub(r"[_-]+", " ", v).strip() if isinstance(v, str) else v

    @field_validator("strengths", "concerns")
    @classmethod
    def _plain(cls, v: list[str]) -> list[str]:
        return [t for t in (plain_words(x) for x in v) if t]

    @property
    def ratio(self) -> float | None:
        return None if self.score is None else self.score / self.max_score


class BriefingData(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True)

    candidate: CandidateProfile = Field(
        default_factory=CandidateProfile,
        validation_alias=AliasChoices("candidate", "candidate_profile", "profile"),
    )
    resume_summary: str | None = Field(
        None, validation_alias=AliasChoices("resume_summary", "resumeSummary", "resume")
    )
    recruiter_notes: list[str] = Field(
        default_factory=list,
        validation_alias=AliasChoices("recruiter_notes", "recruiterNotes", "notes"),
    )
    job: JobInfo | None = None
    interviews: list[InterviewResult] = Field(
        default_factory=list,
        validation_alias=AliasChoices(
            "interviews", "earlier_interviews", "interview_results", "previous_interviews"
        ),
    )
    gap_filling: GapFillingResult | None = Field(
        None, validation_alias=AliasChoices("gap_filling", "gapFilling", "gap_filling_result")
    )

    @field_validator("recruiter_notes", mode="before")
    @classmethod
    def _split_notes(cls, v: Any) -> Any:
        if v is None:
            return []
        if isinstance(v, str):
            return [line.strip() for line in v.splitlines() if line.strip()]
        return v


@dataclass(frozen=True)
class Fact:
    key: str  # canonical field name or a topic key
    label: str
    text: str  # speakable value
    source: str  # e.g. "gap_filling.expected_salary", "candidate.skills"


@dataclass(frozen=True)
class Briefing:
    who: str
    # the latest finished interview and the hiring team's decision, in words
    result: str = ""
    strengths: list[str] = field(default_factory=list)
    concerns: list[str] = field(default_factory=list)
    open_questions: list[str] = field(default_factory=list)
    opening_questions: list[str] = field(default_factory=list)

    def spoken_text(self, max_words: int = MAX_SPOKEN_WORDS) -> str:
        """The briefing to say aloud, under ``max_words`` words: fewer items per section
        and shorter items until it fits; who and one opening question always stay."""
        for per_section, item_words in ((2, 30), (2, 14), (1, 14), (1, 8), (0, 8)):
            text = self._compose(per_section, item_words)
            if _words(text) <= max_words:
                return text
        return _clip(self._compose(0, 8), max_words)

    def _compose(self, per_section: int, item_words: int) -> str:
        parts = [f"Here's your briefing. {as_sentence(self.who)}"]
        if self.result:
            parts.append(as_sentence(self.result))
        for title, items in (
            ("Strengths", self.strengths),
            ("Concerns", self.concerns),
            ("Open questions", self.open_questions),
        ):
            chosen = [_clip(i, item_words) for i in items[:per_section]]
            if chosen:
                parts.append(f"{title}: {'; '.join(chosen)}.")
        openers = self.opening_questions[: max(1, per_section)]
        if openers:
            parts.append("You could open with: " + " Or: ".join(openers))
        return " ".join(parts)


def _words(text: str) -> int:
    return len(text.split())


def _clip(text: str, n: int) -> str:
    words = text.split()
    if len(words) <= n:
        return text.rstrip(".")
    return " ".join(words[:n]).rstrip(",;.") + "..."


def as_sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class GroundedAnswer:
    text: str
    grounded: bool  # True only when the answer comes from the data
    sources: list[str] = field(default_factory=list)
