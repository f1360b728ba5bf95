"""Amounts of time in an answer: "two weeks", "18 months", "a year and a half"."""

from __future__ import annotations

from dataclasses import dataclass

from voicehire.domain.normalizers.spoken_numbers import NumSpan, parse_numbers

_TIME_UNITS = {
    "day": "day",
    "days": "day",
    "week": "week",
    "weeks": "week",
    "wk": "week",
    "wks": "week",
    "month": "month",
    "months": "month",
    "mo": "month",
    "mos": "month",
    "year": "year",
    "years": "year",
    "yr": "year",
    "yrs": "year",
    "decade": "decade",
    "decades": "decade",
    "fortnight": "fortnight",
    "fortnights": "fortnight",
}
DAYS_PER = {"day": 1, "week": 7, "fortnight": 14, "month": 30, "year": 365, "decade": 3650}
YEARS_PER = {
    "day": 1 / 365,
    "week": 1 / 52,
    "fortnight": 1 / 26,
    "month": 1 / 12,
    "year": 1,
    "decade": 10,
}


@dataclass(frozen=True)
class _Quantity:
    value: float
    unit: str | None
    start: int
    end: int
    span: NumSpan | None
    working_days: bool = False


def find_quantities(tokens: list[str]) -> list[_Quantity]:
    """Numbers with the time unit that follows them ("two weeks", "a month", "18 months",
    "a year and a half"). Units without a number ("a week") count as one."""
    out: list[_Quantity] = []
    spans = {s.start: s for s in parse_numbers(tokens)}
    i = 0
    n = len(tokens)
    while i < n:
        span = spans.get(i)
        value: float | None = None
        j = i
        if span is not None:
            value, j = span.value, span.end
        elif tokens[i] in ("a", "an", "one") and i + 1 < n and tokens[i + 1] in _TIME_UNITS:
            value, j = 1.0, i + 1
        elif tokens[i] in ("fortnight",):
            value, j = 1.0, i
        if value is None:
            i += 1
            continue
        k = j
        working = False
        while k < n and tokens[k] in ("of", "a", "more", "full", "calendar", "whole"):
            k += 1
        if k < n and tokens[k] in ("working", "business"):
            working = True
            k += 1
        unit = _TIME_UNITS.get(tokens[k]) if k < n else None
        if unit is None:
            out.append(_Quantity(value, None, i, j, span))
            i = max(j, i + 1)
            continue
        end = k + 1
        if end + 2 < n + 1 and tokens[end : end + 3] == ["and", "a", "half"]:
            value += 0.5
            end += 3
        out.append(_Quantity(value, unit, i, end, span, working))
        i = end
    return out


def days_in(q: _Quantity) -> float:
    assert q.unit is not None
    days = q.value * DAYS_PER[q.unit]
    if q.working_days and q.unit == "day":
        days = days * 7 / 5
    return days
