"""Dates and date ranges relative to today: "next Monday", "June 1st", "Q1 next year"."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from voicehire.domain.fields import FieldSpec
from voicehire.domain.normalizers.lexicon import (
    MONTHS,
    ORDINALS,
    TENS,
    UNITS,
    WEEKDAYS,
    tokenize,
)
from voicehire.domain.normalizers.quantities import DAYS_PER, find_quantities
from voicehire.domain.normalizers.read_back import ORDINAL_WORDS, spoken_date
from voicehire.domain.normalizers.rules import (
    RANGE_WORDS,
    after_correction,
    is_hedged,
    negative_before,
    no_value,
)
from voicehire.domain.normalizers.spoken_numbers import (
    is_num_start,
    parse_number_at,
    parse_numbers,
)
from voicehire.domain.normalizers.values import (
    DateRange,
    Invalid,
    InvalidCode,
    NormalizedValue,
    NormalizeResult,
)


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _month_range(year: int, month: int) -> DateRange:
    return DateRange(
        date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), "month"
    )


def _quarter_range(year: int, q: int) -> DateRange:
    start = date(year, 3 * q - 2, 1)
    end_month = 3 * q
    return DateRange(
        start, date(year, end_month, calendar.monthrange(year, end_month)[1]), "quarter"
    )


class _DateError(Exception):
    def __init__(self, reason: str, code: InvalidCode = "impossible_date"):
        super().__init__(reason)
        self.reason = reason
        self.code = code


def _relative_year(text: str, today: date) -> int | None:
    if re.search(r"\blast year\b|\bprevious year\b", text):
        return today.year - 1
    if re.search(r"\bnext year\b", text):
        return today.year + 1
    if re.search(r"\bthis year\b|\bthe current year\b", text):
        return today.year
    return None


def _year_after(tokens: list[str], i: int) -> tuple[int | None, int]:
    """A year said at tokens[i:] (skipping ',', 'of', 'in'): (year, end index)."""
    k = i
    while k < len(tokens) and tokens[k] in ("of", "in", "the", "year"):
        k += 1
    if k < len(tokens) and is_num_start(tokens, k):
        span = parse_number_at(tokens, k)
        if span is not None and span.value == int(span.value) and 1000 <= span.value <= 2999:
            return int(span.value), span.end
    return None, i


def _day_number(tokens: list[str], i: int) -> tuple[int | None, int]:
    """A day of month at tokens[i]: '1', 'first', 'twenty first', 'twenty-one'."""
    k = i
    if k < len(tokens) and tokens[k] == "the":
        k += 1
    if k >= len(tokens):
        return None, i
    t = tokens[k]
    if t in ("twenty", "thirty") and k + 1 < len(tokens) and tokens[k + 1] in ORDINALS:
        o = ORDINALS[tokens[k + 1]]
        if o < 10:
            return TENS[t] + o, k + 2
    if t in ORDINALS:
        return ORDINALS[t], k + 1
    if t.isdigit() and len(t) <= 2:
        return int(t), k + 1
    if t in UNITS or t in TENS:
        span = parse_number_at(tokens, k)
        if span is not None and span.value < 100:
            return int(span.value), span.end
    return None, i


def _resolve_year(month: int, day: int | None, today: date, direction: str) -> int:
    d = day or 1
    this = today.year
    try_this = date(this, month, min(d, calendar.monthrange(this, month)[1]))
    if direction == "future":
        end = try_this if day else date(this, month, calendar.monthrange(this, month)[1])
        return this if end >= today else this + 1
    if direction == "past":
        return this if try_this <= today else this - 1
    return this


def _checked_date(year: int, month: int, day: int) -> date:
    if day < 1 or day > 31:
        raise _DateError(f"There's no day {day} in a month; which date did you mean?")
    last = calendar.monthrange(year, month)[1]
    if day > last:
        name = calendar.month_name[month]
        if month == 2 and day == 29:
            raise _DateError(f"February {year} has only 28 days; which date did you mean?")
        raise _DateError(f"{name} has only {last} days; which date did you mean?")
    return date(year, month, day)


def _parse_date(text: str, today: date, direction: str) -> tuple[date | DateRange, str | None]:
    """(value, note). Raises _DateError with a re-ask reason."""
    tokens = tokenize(text)
    rel_year = _relative_year(text, today)

    if re.search(
        r"\b(asap|as soon as possible|immediately|right away|straight away|"
        r"right now|now|any time|anytime)\b",
        text,
    ) and not re.search(r"\b(from now|weeks|months|days)\b", text):
        return today, "as soon as possible"
    if re.search(r"\bday after tomorrow\b", text):
        return today + timedelta(days=2), None
    if re.search(r"\btomorrow\b", text):
        return today + timedelta(days=1), None
    if re.search(r"\btoday\b", text):
        return today, None
    if re.search(r"\byesterday\b", text):
        return today - timedelta(days=1), None

    # end / beginning of (this|next) month / year
    m = re.search(r"\b(end|close|beginning|start) of (the |this |next )?(month|year)\b", text)
    if m:
        base = today
        if m.group(2) == "next ":
            base = _add_months(today, 1) if m.group(3) == "month" else date(today.year + 1, 1, 1)
        if m.group(3) == "month":
            last = calendar.monthrange(base.year, base.month)[1]
            edge = last if m.group(1) in ("end", "close") else 1
            return date(base.year, base.month, edge), None
        return (
            date(base.year, 12, 31) if m.group(1) in ("end", "close") else date(base.year, 1, 1)
        ), None

    # quarters: "Q3 last year", "the third quarter of 2024"
    q = None
    m = re.search(r"\bq ([1-4])\b", text)
    if m:
        q = int(m.group(1))
    else:
        m = re.search(r"\b(first|second|third|fourth|1|2|3|4) quarter\b", text)
        if m:
            q = {"first": 1, "second": 2, "third": 3, "fourth": 4}.get(m.group(1)) or int(
                m.group(1)
            )
    if q is not None:
        year = rel_year
        if year is None:
            qi = next((i for i, t in enumerate(tokens) if t in ("quarter", "q")), 0)
            year, _ = _year_after(tokens, qi + 1 if tokens[qi] == "quarter" else qi + 2)
        if year is None:
            rng = _quarter_range(today.year, q)
            if direction == "future" and rng.end < today:
                year = today.year + 1
            elif direction == "past" and rng.start > today:
                year = today.year - 1
            else:
                year = today.year
        return _quarter_range(year, q), None

    # "in two weeks", "two weeks from now", "3 months ago"
    qs = [x for x in find_quantities(tokens) if x.unit]
    month_idx = next(
        (i for i, t in enumerate(tokens) if t in MONTHS and _is_month_word(tokens, i)), None
    )
    weekday_idx = next((i for i, t in enumerate(tokens) if t in WEEKDAYS), None)
    if qs and month_idx is None and weekday_idx is None:
        x = qs[0]
        sign = -1 if re.search(r"\bago\b", text) else 1
        if x.span is not None and negative_before(tokens, x.span):
            raise _DateError("That doesn't sound like a date; when exactly?")

        def shift(value: float, unit: str) -> date:
            if unit in ("month", "year", "decade"):
                months = round(value * {"month": 1, "year": 12, "decade": 120}[unit])
                return _add_months(today, sign * months)
            return today + timedelta(days=sign * round(value * DAYS_PER[unit]))

        assert x.unit is not None
        # a range "in two to three weeks"
        prev = [p for p in find_quantities(tokens) if p.unit is None and p.end <= x.start]
        if prev and tokens[prev[-1].end : x.start] and tokens[prev[-1].end] in RANGE_WORDS:
            a, b = shift(prev[-1].value, x.unit), shift(x.value, x.unit)
            return DateRange(min(a, b), max(a, b), "span"), None
        return shift(x.value, x.unit), None

    if re.search(r"\bnext week\b", text):
        start = today + timedelta(days=7 - today.weekday())
        return DateRange(start, start + timedelta(days=6), "week"), None
    if re.search(r"\bthis week\b", text):
        start = today - timedelta(days=today.weekday())
        return DateRange(start, start + timedelta(days=6), "week"), None
    which_month = re.search(r"\b(next|last|this) month\b", text)
    if month_idx is None and which_month:
        offset = {"next": 1, "last": -1, "this": 0}[which_month.group(1)]
        d = _add_months(today, offset)
        return _month_range(d.year, d.month), None

    if weekday_idx is not None and month_idx is None:
        wd = WEEKDAYS[tokens[weekday_idx]]
        prev_tok = tokens[weekday_idx - 1] if weekday_idx > 0 else ""
        if prev_tok in ("last", "past", "previous"):
            delta = (today.weekday() - wd) % 7 or 7
            return today - timedelta(days=delta), None
        delta = (wd - today.weekday()) % 7 or 7
        if prev_tok == "week" or re.search(r"\bweek after next\b", text):
            delta += 7
        return today + timedelta(days=delta), None

    if month_idx is not None:
        month = MONTHS[tokens[month_idx]]
        # day after the month: "june 1", "june the first", "june twenty first"
        day, end = _day_number(tokens, month_idx + 1)
        if day is not None and day > 31:
            day, end = None, month_idx + 1
        if day is None:
            # day before the month: "1 june", "the first of june"
            k = month_idx - 1
            if k >= 0 and tokens[k] == "of":
                k -= 1
            if k >= 0:
                t = tokens[k]
                if t in ORDINALS:
                    day = ORDINALS[t]
                    if k > 0 and tokens[k - 1] in ("twenty", "thirty") and day < 10:
                        day += TENS[tokens[k - 1]]
                elif t.isdigit() and len(t) <= 2:
                    day = int(t)
        # a number after the month that is no year and no day: "February 45"
        if day is None:
            after = tokens[month_idx + 1 : month_idx + 2]
            if after and after[0].isdigit() and 31 < int(after[0]) < 1000:
                raise _DateError(
                    f"There's no {calendar.month_name[month]} {after[0]}; which date did you mean?"
                )
        year, _ = _year_after(tokens, end if day is not None else month_idx + 1)
        if year is None:
            year = rel_year
        if year is not None and not (1900 <= year <= today.year + 50):
            raise _DateError(f"The year {year} doesn't look right; which year did you mean?")
        before = " ".join(tokens[max(0, month_idx - 3) : month_idx])
        if day is None:
            y = year if year is not None else _resolve_year(month, None, today, direction)
            last = calendar.monthrange(y, month)[1]
            if re.search(r"\b(end|close) of( the month of)?$", before) or before.endswith("late"):
                if before.endswith("late"):
                    return DateRange(date(y, month, 21), date(y, month, last), "span"), None
                return date(y, month, last), None
            if re.search(r"\b(beginning|start) of$", before):
                return date(y, month, 1), None
            if before.endswith("early"):
                return DateRange(date(y, month, 1), date(y, month, 10), "span"), None
            if before.endswith("mid") or before.endswith("middle of"):
                return date(y, month, 15), None
            return _month_range(y, month), None
        y = year if year is not None else _resolve_year(month, day, today, direction)
        return _checked_date(y, month, day), None

    # "the 15th" (no month): the next/last such day
    m = re.search(r"\bthe (\d{1,2})\b", text)
    if m:
        day = int(m.group(1))
        if 1 <= day <= 31:
            for offset in range(0, 13):
                d = _add_months(
                    date(today.year, today.month, 1), offset if direction != "past" else -offset
                )
                if day <= calendar.monthrange(d.year, d.month)[1]:
                    cand = date(d.year, d.month, day)
                    if (direction == "past" and cand > today) or (
                        direction != "past" and cand < today
                    ):
                        continue
                    return cand, None
        raise _DateError(f"There's no day {day} in a month; which date did you mean?")

    m = re.search(r"\b(\d{4}) - (\d{1,2}) - (\d{1,2})\b", text)
    if m:
        y, mo, dom = (int(g) for g in m.groups())
        if not 1 <= mo <= 12:
            raise _DateError("That month doesn't exist; which date did you mean?")
        return _checked_date(y, mo, dom), None

    # a year alone: "2019", "twenty nineteen", "next year"
    spans = [s for s in parse_numbers(tokens) if s.value == int(s.value)]
    if spans and 1900 <= spans[0].value <= today.year + 50:
        y = int(spans[0].value)
        return DateRange(date(y, 1, 1), date(y, 12, 31), "year"), None
    if rel_year is not None:
        return DateRange(date(rel_year, 1, 1), date(rel_year, 12, 31), "year"), None
    if spans and spans[0].value == int(spans[0].value) and 1000 <= spans[0].value <= 9999:
        raise _DateError(
            f"The year {int(spans[0].value)} doesn't look right; which year did you mean?"
        )
    if spans:
        raise _DateError("That doesn't sound like a date; could you say the day and month?")
    raise _DateError("I didn't catch a date; could you say the day and month?", "no_value")


def _is_month_word(tokens: list[str], i: int) -> bool:
    """'may' and 'march' are also ordinary words; count them as months only near a date."""
    t = tokens[i]
    if t not in ("may", "march", "jan", "mar", "sep", "oct", "dec", "aug", "jun", "jul", "apr"):
        return True
    prev = tokens[i - 1] if i > 0 else ""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    if prev in (
        "in",
        "of",
        "early",
        "mid",
        "late",
        "by",
        "from",
        "until",
        "since",
        "end",
        "beginning",
        "start",
        "this",
        "next",
        "last",
        "the",
    ):
        return True
    if len(tokens) == 1:
        return True
    return bool(nxt) and (
        nxt[0].isdigit()
        or nxt in ORDINALS
        or nxt in UNITS
        or nxt in TENS
        or nxt in ("the", "next", "last", "this", "of")
    )


def _spoken_date_value(v: date | DateRange) -> str:
    if isinstance(v, date):
        return spoken_date(v)
    if v.precision == "month":
        return f"{calendar.month_name[v.start.month]} {v.start.year}"
    if v.precision == "year":
        return f"the year {v.start.year}"
    if v.precision == "quarter":
        q = (v.start.month - 1) // 3 + 1
        return (
            f"the {ORDINAL_WORDS[q]} quarter of {v.start.year}, "
            f"{calendar.month_name[v.start.month]} to {calendar.month_name[v.end.month]}"
        )
    if v.precision == "week":
        return f"the week of {spoken_date(v.start)}"
    return f"between {spoken_date(v.start)} and {spoken_date(v.end)}"


def normalize_date(spec: FieldSpec, raw: str, prepped: str, today: date) -> NormalizeResult:
    text = after_correction(prepped)
    try:
        value, note = _parse_date(text, today, spec.direction)
    except _DateError as exc:
        if exc.code == "no_value":
            return no_value(spec, raw, "a date")
        return Invalid(spec.name, exc.reason, raw, exc.code)
    start = value if isinstance(value, date) else value.start
    end = value if isinstance(value, date) else value.end
    if spec.type == "month_year" and isinstance(value, date):
        value = _month_range(value.year, value.month)
    if start.year < 1900 or end.year > today.year + 50:
        return Invalid(
            spec.name,
            "That year doesn't look right; which year did you mean?",
            raw,
            "impossible_date",
        )
    if spec.direction == "future" and end < today:
        return Invalid(
            spec.name,
            f"{_spoken_date_value(value)} is in the past; which date did you mean?",
            raw,
            "past_date",
        )
    if spec.direction == "past" and start > today:
        return Invalid(
            spec.name,
            f"{_spoken_date_value(value)} is in the future; which date did you mean?",
            raw,
            "future_date",
        )
    spoken = _spoken_date_value(value)
    if note == "as soon as possible":
        spoken = f"as soon as possible, so from today, {spoken}"
    approx = is_hedged(prepped)
    return NormalizedValue(
        spec.name,
        spec.type,
        value,
        ("around " if approx else "") + spoken,
        raw,
        approximate=approx,
        needs_confirmation=spec.needs_confirmation,
        notes=(note,) if note else (),
    )
