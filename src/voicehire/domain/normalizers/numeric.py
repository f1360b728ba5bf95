"""Number fields (counts, years of experience): "about six years", "18 months"."""

from __future__ import annotations

import re

from voicehire.domain.fields import FieldSpec
from voicehire.domain.normalizers.lexicon import tokenize
from voicehire.domain.normalizers.quantities import YEARS_PER, find_quantities
from voicehire.domain.normalizers.rules import (
    after_correction,
    apply_range_policy,
    is_hedged,
    negative_before,
    no_value,
    pick_number,
    range_check,
    unit_words,
    words_or_range,
)
from voicehire.domain.normalizers.spoken_numbers import parse_numbers
from voicehire.domain.normalizers.values import (
    Invalid,
    NormalizedValue,
    NormalizeResult,
    NumberRange,
    tidy,
)


def normalize_number(spec: FieldSpec, raw: str, prepped: str) -> NormalizeResult:
    text = after_correction(prepped)
    tokens = tokenize(text)
    spans = parse_numbers(tokens)
    hedged = is_hedged(prepped)
    wants_years = (spec.unit or "").lower() in ("year", "years")
    notes: list[str] = []
    prefer: int | None = None
    factor = 1.0
    if wants_years:
        # "18 months", "a year and a half", "two years and six months"
        timed = [q for q in find_quantities(tokens) if q.unit]
        if timed:
            q = timed[0]
            if q.span is not None and negative_before(tokens, q.span):
                return Invalid(spec.name, f"{spec.label} can't be negative.", raw, "negative")
            factor = YEARS_PER[q.unit or "year"]
            if q.unit != "year":
                notes.append(f"converted from {q.unit}s")
            extra = 0.0
            if len(timed) > 1 and tokens[q.end : timed[1].start] == ["and"]:
                extra = timed[1].value * YEARS_PER[timed[1].unit or "year"]
            if q.span is None or extra:
                return _finish_number(spec, raw, q.value * factor + extra, None, hedged, notes)
            prefer = next(k for k, sp in enumerate(spans) if sp.start == q.start)
    elif spec.unit:
        stem = spec.unit.lower().rstrip("s")
        for k, sp in enumerate(spans):
            if sp.end < len(tokens) and tokens[sp.end].startswith(stem):
                prefer = k
                break
    if not spans:
        if re.search(r"\b(none|no experience|not any|nobody|no one|nothing)\b", text) and (
            spec.min_value is None or spec.min_value <= 0
        ):
            return _finish_number(spec, raw, 0, None, False, notes)
        return no_value(spec, raw, f"a number for {spec.label}")
    pick = pick_number(tokens, spans, prefer)
    if negative_before(tokens, pick.low):
        return Invalid(spec.name, f"{spec.label} can't be negative.", raw, "negative")
    low = pick.low_value * factor
    high = pick.high_value * factor if pick.high_value is not None else None
    if spec.type == "integer" and (low != int(low) or (high is not None and high != int(high))):
        return Invalid(spec.name, f"I need a whole number for {spec.label}.", raw, "no_value")
    return _finish_number(spec, raw, low, high, hedged, notes)


def _finish_number(
    spec: FieldSpec,
    raw: str,
    low: float,
    high: float | None,
    hedged: bool,
    notes: list[str],
) -> NormalizeResult:
    low = round(low, 2)
    high = round(high, 2) if high is not None else None
    checked = [low] if high is None else [low, high]
    shown = words_or_range(NumberRange(tidy(low), tidy(high)) if high is not None else tidy(low))
    bad = range_check(spec, checked, raw, shown + unit_words(spec.unit, low))
    if bad:
        return bad
    res = apply_range_policy(spec, low, high, raw)
    if isinstance(res, Invalid):
        return res
    value, approx = res
    approx = approx or hedged
    spoken = ("about " if approx else "") + words_or_range(value) + unit_words(spec.unit, value)
    return NormalizedValue(
        spec.name,
        spec.type,
        value,
        spoken,
        raw,
        unit=spec.unit,
        approximate=approx,
        needs_confirmation=spec.needs_confirmation,
        notes=tuple(notes),
    )
