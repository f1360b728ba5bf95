"""Percentages ("a hundred and ten percent of quota", "1.2x", "I hit quota")."""

from __future__ import annotations

import re

from voicehire.domain.fields import FieldSpec
from voicehire.domain.normalizers.lexicon import tokenize
from voicehire.domain.normalizers.rules import (
    after_correction,
    apply_range_policy,
    is_hedged,
    negative_before,
    no_value,
    pick_number,
    range_check,
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


def normalize_percentage(spec: FieldSpec, raw: str, prepped: str) -> NormalizeResult:
    text = after_correction(prepped)
    tokens = tokenize(text)
    spans = parse_numbers(tokens)
    if not spans:
        if re.search(
            r"\b(hit|made|met|reached|achieved|at|on) (my |the |our )?(quota|target)\b", text
        ):
            return _finish_percentage(spec, raw, 100, None, is_hedged(text), ["hit quota"])
        return no_value(spec, raw, "a percentage")
    pick = pick_number(tokens, spans)
    if negative_before(tokens, pick.low):
        return Invalid(spec.name, "A percentage here can't be negative.", raw, "negative")
    low, high = pick.low_value, pick.high_value
    last = pick.high or pick.low
    after = tokens[last.end : last.end + 1]
    notes = []
    has_percent = "%" in tokens or "percent" in tokens
    if after and after[0] in ("times", "x"):
        low, high = low * 100, (high * 100 if high is not None else None)
        notes.append("converted from a multiple of quota")
    elif not has_percent and low < 5 and (high or low) <= 3 and low != int(low):
        low, high = low * 100, (high * 100 if high is not None else None)
        notes.append("converted from a fraction")
    return _finish_percentage(spec, raw, low, high, is_hedged(prepped), notes)


def _finish_percentage(
    spec: FieldSpec, raw: str, low: float, high: float | None, hedged: bool, notes: list[str]
) -> NormalizeResult:
    low = round(low, 2)
    high = round(high, 2) if high is not None else None
    checked = [low] if high is None else [low, high]
    shown = words_or_range(NumberRange(tidy(low), tidy(high)) if high is not None else tidy(low))
    bad = range_check(spec, checked, raw, f"{shown} percent")
    if bad:
        return bad
    res = apply_range_policy(spec, low, high, raw)
    if isinstance(res, Invalid):
        return res
    value, approx = res
    approx = approx or hedged
    return NormalizedValue(
        spec.name,
        spec.type,
        value,
        ("about " if approx else "") + f"{words_or_range(value)} percent",
        raw,
        unit="percent",
        approximate=approx,
        needs_confirmation=spec.needs_confirmation,
        notes=tuple(notes),
    )
