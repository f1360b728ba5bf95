"""Durations in days (notice periods): "two weeks", "a month or two", "immediately"."""

from __future__ import annotations

import re

from voicehire.domain.fields import FieldSpec
from voicehire.domain.normalizers.lexicon import tokenize
from voicehire.domain.normalizers.quantities import days_in, find_quantities
from voicehire.domain.normalizers.read_back import number_words
from voicehire.domain.normalizers.rules import (
    RANGE_WORDS,
    after_correction,
    apply_range_policy,
    is_hedged,
    negative_before,
    no_value,
    range_check,
    words_or_range,
)
from voicehire.domain.normalizers.values import Invalid, NormalizedValue, NormalizeResult

_IMMEDIATE = re.compile(
    r"\b(immediately|immediate|right away|straight away|straightaway|asap|as soon as possible|"
    r"no notice|none|nothing|zero notice|available now|now|right now|at once|"
    r"not employed|unemployed|between jobs|already left|already free|no notice period)\b"
)


def normalize_duration(spec: FieldSpec, raw: str, prepped: str) -> NormalizeResult:
    text = after_correction(prepped)
    tokens = tokenize(text)
    qs = find_quantities(tokens)
    with_unit = [q for q in qs if q.unit]
    if not with_unit:
        if re.search(r"\b(a )?few (days|weeks|months)\b|\bsome (weeks|months)\b", text):
            return Invalid(
                spec.name, "Roughly how many, as a number? For example two weeks.", raw, "vague"
            )
        if qs:
            neg = qs[0].span is not None and negative_before(tokens, qs[0].span)
            if neg:
                return Invalid(spec.name, f"{spec.label} can't be negative.", raw, "negative")
            if qs[0].value == 0:
                return _finish_duration(spec, raw, 0, None, False, "immediately")
            return Invalid(spec.name, "Is that days, weeks or months?", raw, "missing_unit")
        if _IMMEDIATE.search(text):
            return _finish_duration(spec, raw, 0, None, False, "immediately")
        return no_value(spec, raw, f"the {spec.label}, for example two weeks or a month")
    first = with_unit[0]
    if first.span is not None and negative_before(tokens, first.span):
        return Invalid(spec.name, f"{spec.label} can't be negative.", raw, "negative")
    # a range: "two to four weeks", "3-4 weeks", "a month or two" handled as two quantities
    low_days = days_in(first)
    high_days: float | None = None
    unit_name = f"{'working ' if first.working_days else ''}{first.unit}"
    said = f"{number_words(first.value)} {unit_name}{'s' if first.value != 1 else ''}"
    if first.span is not None:
        prev = [q for q in qs if q.end <= first.start and q.unit is None and q.span is not None]
        if prev:
            p = prev[-1]
            between = tokens[p.end : first.start]
            if len(between) == 1 and between[0] in RANGE_WORDS:
                hi = first
                lo_days = p.value * days_in(hi) / hi.value if hi.value else 0
                low_days, high_days = lo_days, days_in(hi)
                said = f"{number_words(p.value)} to {said}"
    later = [q for q in with_unit if q.start >= first.end]
    if high_days is None and later:
        second = later[0]
        between = tokens[first.end : second.start]
        if between == ["and"]:
            low_days += days_in(second)  # "one month and two weeks"
            said = ""
        elif len(between) == 1 and between[0] in RANGE_WORDS:
            high_days = days_in(second)
            said = ""
    unitless_after = [q for q in qs if q.start >= first.end and q.unit is None]
    if high_days is None and unitless_after and first.unit:
        nxt = unitless_after[0]
        between = tokens[first.end : nxt.start]
        if len(between) == 1 and between[0] in RANGE_WORDS and nxt.value > first.value:
            high_days = nxt.value * days_in(first) / first.value  # "a month or two"
            said = f"{said} or {number_words(nxt.value)}"
    if high_days is not None and high_days < low_days:
        low_days, high_days = high_days, low_days
    if first.unit == "day" and not first.working_days and high_days is None:
        said = ""
    if said.startswith("one "):
        said = "a " + said[4:]  # "a month (thirty days)"
    return _finish_duration(
        spec,
        raw,
        round(low_days),
        round(high_days) if high_days is not None else None,
        is_hedged(prepped),
        said,
    )


def _finish_duration(
    spec: FieldSpec, raw: str, low: int, high: int | None, hedged: bool, said: str
) -> NormalizeResult:
    checked = [low] if high is None else [low, high]
    shown = said or f"{number_words(high if high is not None else low)} days"
    bad = range_check(spec, checked, raw, shown)
    if bad:
        return bad
    res = apply_range_policy(spec, low, high, raw)
    if isinstance(res, Invalid):
        return res
    value, approx = res
    approx = approx or hedged
    if said == "immediately":
        spoken = "immediately, with no notice period"
    else:
        days = words_or_range(value) + (" day" if value == 1 else " days")
        spoken = f"{said} ({days})" if said else days
        spoken = ("about " if approx else "") + spoken
    return NormalizedValue(
        spec.name,
        spec.type,
        value,
        spoken,
        raw,
        unit="days",
        approximate=approx,
        needs_confirmation=spec.needs_confirmation,
    )
