"""Deriving the briefing from the data alone: every known fact with its source, then
who / strengths / concerns / open questions / opening questions (rules in the package
docstring)."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Any

from voicehire.domain.briefing.model import (
    LONG_NOTICE_DAYS,
    Briefing,
    BriefingData,
    Fact,
    InterviewResult,
    capitalized,
)
from voicehire.domain.fields import FieldRegistry, FieldSpec, canonical_name, load_field_specs
from voicehire.domain.normalizers import (
    CURRENCY_NAMES,
    Money,
    NormalizedValue,
    NumberRange,
    normalize,
    number_words,
    spoken_date,
)


@lru_cache(maxsize=1)
def builtin_specs() -> FieldRegistry:
    return load_field_specs()


def _spec(key: str) -> FieldSpec | None:
    registry = builtin_specs()
    return registry.get(key, None)


def field_label(key: str) -> str:
    spec = _spec(key)
    return spec.label if spec else key.replace("_", " ")


def money_text(doc: dict[str, Any]) -> str | None:
    currency = str(doc.get("currency", "USD")).upper()
    period = doc.get("period")
    name = CURRENCY_NAMES.get(currency, currency)
    per = f" per {period}" if period else ""
    if isinstance(doc.get("amount"), int | float):
        return f"{number_words(doc['amount'])} {name}{per}"
    if isinstance(doc.get("min"), int | float) and isinstance(doc.get("max"), int | float):
        return f"between {number_words(doc['min'])} and {number_words(doc['max'])} {name}{per}"
    return None


def _value_text(key: str, value: Any) -> str:
    """A speakable form of a stored value (JSON shapes of the normalisers, or plain)."""
    spec = _spec(key)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        if "currency" in value:
            text = money_text(value)
            if text:
                return text
        if "start" in value and "end" in value:
            return f"between {value['start']} and {value['end']}"
        if "min" in value and "max" in value:
            unit = f" {spec.unit}" if spec and spec.unit else ""
            return f"between {value['min']} and {value['max']}{unit}"
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, int | float) and spec is not None:
        if spec.type == "percentage":
            return f"{number_words(value)} percent"
        if spec.type == "duration":
            return f"{number_words(value)} days"
        if spec.unit:
            return f"{number_words(value)} {spec.unit}"
    if isinstance(value, str) and spec is not None and spec.type == "choice":
        for c in spec.choices:
            if c.value == value:
                return c.label
    if isinstance(value, str) and spec is not None and spec.type == "date":
        try:
            return spoken_date(date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def collect_facts(data: BriefingData) -> dict[str, Fact]:
    """Every value known about the candidate, by key; gap-filling answers override older
    profile values of the same field."""
    c = data.candidate
    facts: dict[str, Fact] = {}

    def add(key: str, label: str, text: str, source: str) -> None:
        facts[key] = Fact(key, label, text, source)

    if c.name:
        add("name", "name", c.name, "candidate.name")
    if c.current_title:
        add("current_title", "current job title", c.current_title, "candidate.current_title")
    if c.current_company:
        add("current_company", "current employer", c.current_company, "candidate.current_company")
    if c.location:
        add("current_location", "location", c.location, "candidate.location")
    if c.years_of_experience is not None:
        add(
            "years_of_experience",
            "years of experience",
            _value_text("years_of_experience", tidy_number(c.years_of_experience)),
            "candidate.years_of_experience",
        )
    if c.skills:
        add("skills", "skills", ", ".join(c.skills), "candidate.skills")
    for key, value in c.facts().items():
        add(key, field_label(key), _value_text(key, value), f"candidate.fields.{key}")
    if data.gap_filling is not None:
        for f in data.gap_filling.filled:
            text = f.spoken + ("" if f.confirmed else " (not confirmed)")
            add(f.field, f.label, text, f"gap_filling.{f.field}")
    return facts


def tidy_number(v: float) -> int | float:
    return int(v) if float(v).is_integer() else v


def mentions(haystack: str, needle: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(needle.lower())}(?!\w)", haystack.lower()) is not None


def _pct(ratio: float) -> str:
    return f"{round(ratio * 100)} percent"


def _score_text(r: InterviewResult) -> str:
    assert r.score is not None
    kind = f" {r.interview_type}" if r.interview_type else ""
    score, top = tidy_number(r.score), tidy_number(r.max_score)
    return f"scored {score} out of {top} in the earlier{kind} interview"


def _result_text(r: InterviewResult) -> str:
    kind = f"{r.interview_type} interview" if r.interview_type else "earlier interview"
    parts = []
    if r.score is not None:
        parts.append(
            f"they scored {tidy_number(r.score)} out of {tidy_number(r.max_score)} in the {kind}"
        )
    else:
        parts.append(f"they finished the {kind}")
    if r.recommendation and r.decided_by:
        decision = f"the hiring team's decision is {r.recommendation}"
        if r.machine_recommendation:
            decision += f", overriding the evaluator's {r.machine_recommendation}"
        parts.append(decision)
    elif r.recommendation:
        parts.append(f"the evaluator recommends {r.recommendation}")
    return "; ".join(parts)


def _money_bounds(value: Any, spec_name: str) -> tuple[float, float, str, str] | None:
    """(low, high, currency, period) of a salary given as JSON or as words."""
    if isinstance(value, dict) and ("amount" in value or "min" in value):
        low = value.get("amount", value.get("min"))
        high = value.get("amount", value.get("max"))
        if isinstance(low, int | float) and isinstance(high, int | float):
            return (
                float(low),
                float(high),
                str(value.get("currency", "USD")).upper(),
                str(value.get("period", "year")),
            )
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value), float(value), "USD", "year"
    if isinstance(value, str):
        spec = _spec(spec_name) or _spec("expected_salary")
        assert spec is not None
        result = normalize(spec, value, today=date(2000, 1, 1))
        if isinstance(result, NormalizedValue) and isinstance(result.value, Money):
            m = result.value
            amt = m.amount
            if isinstance(amt, NumberRange):
                return float(amt.low), float(amt.high), m.currency, m.period
            return float(amt), float(amt), m.currency, m.period
    return None


def _raw_value(data: BriefingData, key: str) -> Any:
    if data.gap_filling is not None:
        for f in data.gap_filling.filled:
            if f.field == key:
                return f.value
    return data.candidate.facts().get(key)


def build_briefing(data: BriefingData) -> Briefing:
    """Derive the briefing from the data alone (see the module docstring for the rules)."""
    c = data.candidate
    job = data.job
    facts = collect_facts(data)
    strengths: list[str] = []
    concerns: list[str] = []
    open_questions: list[str] = []

    # who
    who_parts = [c.name or "The candidate"]
    if c.current_title and c.current_company:
        who_parts.append(f"{c.current_title} at {c.current_company}")
    elif c.current_title or c.current_company:
        who_parts.append(c.current_title or f"at {c.current_company}")
    if "years_of_experience" in facts:
        who_parts.append(f"{facts['years_of_experience'].text} of experience")
    if "current_location" in facts:
        who_parts.append(f"based in {facts['current_location'].text}")
    who = ", ".join(who_parts)
    if job and job.title:
        who += f", interviewing for {job.title}"

    # must-haves
    evidence = " | ".join([*c.skills, data.resume_summary or ""])
    if job and job.must_haves:
        if c.skills or data.resume_summary:
            have = [m for m in job.must_haves if mentions(evidence, m)]
            lacking = [m for m in job.must_haves if m not in have]
            if have:
                strengths.append(f"Has the must-haves {', '.join(have)}")
            for m in lacking:
                concerns.append(f"No evidence of {m}, a must-have")
        else:
            open_questions.append(f"Check the must-haves: {', '.join(job.must_haves)}")

    # earlier interviews
    for r in data.interviews:
        strengths.extend(r.strengths)
        concerns.extend(r.concerns)
        if r.ratio is not None and r.ratio >= 0.75:
            strengths.append(capitalized(_score_text(r)))
        elif r.ratio is not None and r.ratio < 0.5:
            concerns.append(capitalized(_score_text(r)))
        rec = (r.recommendation or "").lower().replace("-", "_").replace(" ", "_")
        if rec in ("no_hire", "no", "reject", "not_recommended"):
            concerns.append("The earlier interview recommended no hire")

    # values
    quota = _raw_value(data, "quota_attainment")
    if isinstance(quota, int | float) and not isinstance(quota, bool) and quota >= 100:
        strengths.append(f"Hit {number_words(quota)} percent of quota")
    salary = _raw_value(data, "expected_salary")
    if salary is not None and job is not None and job.salary_range is not None:
        cand = _money_bounds(salary, "expected_salary")
        band = _money_bounds(job.salary_range, "expected_salary")
        if cand and band and cand[2:] == band[2:] and cand[0] > band[1]:
            concerns.append(
                f"Expected salary ({facts['expected_salary'].text}) is above the role's range"
            )
    notice = _raw_value(data, "notice_period")
    if (
        isinstance(notice, int | float)
        and not isinstance(notice, bool)
        and notice > LONG_NOTICE_DAYS
    ):
        concerns.append(f"Long notice period: {number_words(notice)} days")
    auth = _raw_value(data, "work_authorization")
    needs_visa = auth == "visa_required" or _raw_value(data, "requires_sponsorship") is True
    if needs_visa:
        if job is not None and job.sponsorship is False:
            concerns.append("Needs visa sponsorship, and the role does not sponsor")
        elif job is None or job.sponsorship is None:
            open_questions.append("Needs visa sponsorship: check whether the role can sponsor")

    # recruiter notes, marked by the recruiter
    for note in data.recruiter_notes:
        plus = re.match(r"^\s*(\+|strength:|pro:)\s*(.+)$", note, re.IGNORECASE)
        if plus:
            strengths.append(plus.group(2).strip())
            continue
        minus = re.match(r"^\s*(-|concern:|con:|risk:)\s*(.+)$", note, re.IGNORECASE)
        if minus:
            concerns.append(minus.group(2).strip())

    # open questions from missing fields and the gap-filling call
    gap = data.gap_filling
    filled = {f.field for f in gap.filled} if gap else set()
    handled: set[str] = set()
    if gap is not None:
        for f in gap.filled:
            if not f.confirmed:
                open_questions.append(f"Confirm {f.label}: {f.spoken} was not confirmed")
                handled.add(f.field)
        for d in gap.declined:
            open_questions.append(
                f"{capitalized(d.label)}: declined to say on the gap-filling call"
            )
            handled.add(d.field)
        for u in gap.unresolved:
            open_questions.append(
                f"{capitalized(u.label)}: still unknown after the gap-filling call"
            )
            handled.add(u.field)
    known = set(c.facts())
    for name in c.missing_required:
        key = canonical_name(name)
        spec = builtin_specs().get(key)
        key = spec.name if spec else key
        if key in filled or key in handled or key in known:
            continue
        open_questions.append(f"{capitalized(field_label(key))}: not on file")
        handled.add(key)

    opening = _opening_questions(data, concerns, open_questions, handled)
    return Briefing(
        who=who,
        result=capitalized(_result_text(data.interviews[0])) if data.interviews else "",
        strengths=_dedupe(strengths),
        concerns=_dedupe(concerns),
        open_questions=_dedupe(open_questions),
        opening_questions=opening,
    )


def _dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for i in items:
        k = i.lower()
        if k not in seen:
            seen.add(k)
            out.append(i)
    return out


def _opening_questions(
    data: BriefingData, concerns: list[str], open_questions: list[str], open_fields: set[str]
) -> list[str]:
    c = data.candidate
    qs: list[str] = []
    job = data.job
    if job and job.must_haves and (c.skills or data.resume_summary):
        evidence = " | ".join([*c.skills, data.resume_summary or ""])
        lacking = [m for m in job.must_haves if not mentions(evidence, m)]
        if lacking:
            qs.append(f"Can you walk me through your experience with {lacking[0]}?")
    for r in data.interviews:
        if r.concerns:
            qs.append(
                f"Earlier feedback mentioned {r.concerns[0][:1].lower() + r.concerns[0][1:]}. "
                "Can you tell me more about that?"
            )
            break
    if c.current_title:
        at = f" at {c.current_company}" if c.current_company else ""
        qs.append(
            f"Tell me about your current role as {c.current_title}{at}, and what you're most "
            "proud of there."
        )
    if job and job.title:
        qs.append(f"What draws you to the {job.title} role?")
    for key in sorted(open_fields):
        spec = builtin_specs().get(key)
        if spec is not None:
            qs.append(spec.ask)
            break
    qs.append("Tell me about a recent project you're proud of and your part in it.")
    qs.append("What are you looking for in your next role?")
    return _dedupe(qs)[:3]
