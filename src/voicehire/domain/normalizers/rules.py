"""Rules every numeric normaliser shares: which number an answer means, hedges,
corrections, range policy and limits, and the messages that re-ask."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from voicehire.domain.fields import FieldSpec
from voicehire.domain.normalizers.lexicon import (
    BIG,
    CORRECTION,
    HEDGES,
    TENS,
    UNITS,
    UNSURE,
    prepare,
)
from voicehire.domain.normalizers.read_back import number_words
from voicehire.domain.normalizers.spoken_numbers import NumSpan, parse_numbers
from voicehire.domain.normalizers.values import Invalid, Number, NumberRange, tidy

RANGE_WORDS = {"to", "-", "or", "through", "till", "until", "and"}


@dataclass
class _Pick:
    low: NumSpan
    high: NumSpan | None = None
    low_value: float = 0.0
    high_value: float | None = None
    notes: list[str] = field(default_factory=list)


def pick_number(tokens: list[str], spans: list[NumSpan], prefer: int | None = None) -> _Pick:
    """The number the answer is about, and the upper end when it is a range."""
    idx = prefer if prefer is not None else 0
    pairs = []
    if idx > 0:
        pairs.append((spans[idx - 1], spans[idx]))
    if idx + 1 < len(spans):
        pairs.append((spans[idx], spans[idx + 1]))
    for first, second in pairs:
        between = tokens[first.end : second.start]
        before = tokens[max(0, first.start - 2) : first.start]
        is_range = len(between) == 1 and between[0] in RANGE_WORDS
        if between == ["and"] and "between" not in before:
            is_range = False
        if is_range:
            lo, hi = first.value, second.value
            if (
                second.multiplier > 1
                and first.multiplier == 1
                and lo < 1000
                and (lo * second.multiplier <= hi * 1.0001 or lo < second.base * 10)
            ):
                lo = lo * second.multiplier
            if lo > hi:
                lo, hi = hi, lo
            return _Pick(low=first, high=second, low_value=lo, high_value=hi)
    return _Pick(low=spans[idx], low_value=spans[idx].value)


def negative_before(tokens: list[str], span: NumSpan) -> bool:
    """'minus two', 'negative 3', '-2' (a dash not between two numbers)."""
    prev = tokens[span.start - 1] if span.start > 0 else ""
    if prev in ("minus", "negative"):
        return True
    if prev != "-":
        return False
    prev2 = tokens[span.start - 2] if span.start > 1 else ""
    return not (
        prev2[:1].isdigit() or prev2 in UNITS or prev2 in TENS or prev2 in BIG or prev2 == "hundred"
    )


def after_correction(prepped: str) -> str:
    parts = CORRECTION.split(prepped)
    tail = parts[-1] if parts else prepped
    if len(parts) > 1 and parse_numbers(tail):
        return tail.strip()
    return prepped


def is_hedged(prepped: str) -> bool:
    return bool(HEDGES.search(prepped))


def no_value(spec: FieldSpec, raw: str, what: str) -> Invalid:
    if UNSURE.search(prepare(raw)):
        return Invalid(spec.name, f"The candidate wasn't sure; {what} is fine.", raw, "unsure")
    return Invalid(spec.name, f"I didn't catch {what}.", raw, "no_value")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def range_check(spec: FieldSpec, values: Sequence[float], raw: str, shown: str) -> Invalid | None:
    shown = _cap(shown)
    for v in values:
        if spec.min_value is not None and v < spec.min_value:
            return Invalid(
                spec.name,
                f"{shown} seems too low for {spec.label}; could you check that?",
                raw,
                "out_of_range",
            )
        if spec.max_value is not None and v > spec.max_value:
            return Invalid(
                spec.name,
                f"{shown} seems too high for {spec.label}; could you check that?",
                raw,
                "out_of_range",
            )
    return None


def apply_range_policy(
    spec: FieldSpec, low: Number, high: Number | None, raw: str
) -> tuple[Number | NumberRange, bool] | Invalid:
    """(value, approximate) after the spec's range policy."""
    if high is None or low == high:
        return tidy(low), False
    if spec.range == "reject":
        return Invalid(
            spec.name,
            "Could you give me a single number rather than a range?",
            raw,
            "range_not_allowed",
        )
    if spec.range == "midpoint":
        return NumberRange(tidy(low), tidy(high)).midpoint, True
    return NumberRange(tidy(low), tidy(high)), False


def words_or_range(v: Number | NumberRange) -> str:
    if isinstance(v, NumberRange):
        return f"between {number_words(v.low)} and {number_words(v.high)}"
    return number_words(v)


_SINGULAR = {"people": "person", "children": "child"}


def unit_words(unit: str | None, v: Number | NumberRange) -> str:
    if not unit:
        return ""
    one = isinstance(v, int | float) and v == 1
    u = unit
    if one:
        u = _SINGULAR.get(unit, unit[:-1] if unit.endswith("s") else unit)
    return f" {u}"
