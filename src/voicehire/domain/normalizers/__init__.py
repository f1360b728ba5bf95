"""Turn a candidate's spoken answer into a validated, normalised field value.

``normalize(spec, text, today=...)`` returns exactly one of:

- :class:`NormalizedValue` — the value, its JSON form for storage (``json_value()``), and
  a ``spoken`` read-back form ("one hundred twenty thousand US dollars per year");
- :class:`Invalid` — a short ``reason`` the agent can use to re-ask, and a ``code``;
- :class:`Declined` — the candidate chose not to answer ("I'd rather not say", "pass").

Everything is deterministic and offline: spoken numbers are parsed by a small
hand-written parser (``parse_numbers``), dates relative to the ``today`` passed in.

Decisions, in one place:

- Ranges ("between 100 and 120k", "five or six years", "two to four weeks") are kept
  as a :class:`NumberRange` by default: a salary range is real information that a
  midpoint would lose. A spec can say ``range: midpoint`` (store the midpoint, marked
  approximate) or ``range: reject`` (ask for one number). A multiplier said only on the
  upper end applies to both ("100 to 120k" -> 100000-120000).
- Hedges ("about", "around", "roughly", "-ish", "or so") keep the value and mark it
  ``approximate``; the read-back says "about".
- Corrections: for numbers, the part after "actually", "I mean", "sorry", "no wait" wins.
- An annual salary said without a multiplier and below 1000 ("one twenty", "150")
  means thousands; the read-back confirms it.
- Notice periods are stored in days (week = 7, month = 30, year = 365; working days x 7/5).
  A bare number with no unit ("thirty") is re-asked: days, weeks or months?
- Dates without a year resolve by the spec's ``direction``: ``future`` -> the next
  occurrence, ``past`` -> the last one, ``any`` -> this year. "next Monday" and
  "Monday" are the first Monday after today. "ASAP"/"immediately" is today.
- Years of experience accept months ("18 months" -> 1.5).
- "I don't know" / "not sure" without a usable value is Invalid (code ``unsure``), so
  it counts as an attempt; declining is separate and final.

The rules live in one module per concern: ``lexicon`` (words and answer preparation),
``spoken_numbers``, ``read_back``, ``declines``, ``rules`` (shared by the numeric
normalisers), ``quantities`` (amounts of time), and one module per field type:
``numeric``, ``money``, ``percentages``, ``durations``, ``dates``, ``yes_no``,
``choices``, ``free_text``. Import from this package, not from the modules.
"""

from __future__ import annotations

import re
from datetime import date

from voicehire.domain.fields import FieldSpec
from voicehire.domain.normalizers.choices import match_choice, normalize_choice
from voicehire.domain.normalizers.dates import normalize_date
from voicehire.domain.normalizers.declines import is_decline
from voicehire.domain.normalizers.durations import normalize_duration
from voicehire.domain.normalizers.free_text import normalize_text
from voicehire.domain.normalizers.lexicon import (
    BIG,
    MONTHS,
    ORDINALS,
    TENS,
    UNITS,
    WEEKDAYS,
    prepare,
)
from voicehire.domain.normalizers.money import CURRENCY_NAMES, normalize_currency
from voicehire.domain.normalizers.numeric import normalize_number
from voicehire.domain.normalizers.percentages import normalize_percentage
from voicehire.domain.normalizers.read_back import number_words, ordinal_words, spoken_date
from voicehire.domain.normalizers.spoken_numbers import NumSpan, parse_number, parse_numbers
from voicehire.domain.normalizers.values import (
    DatePrecision,
    DateRange,
    Declined,
    Invalid,
    InvalidCode,
    Money,
    NormalizedValue,
    NormalizeResult,
    Number,
    NumberRange,
    Value,
)
from voicehire.domain.normalizers.yes_no import normalize_yes_no, parse_yes_no

__all__ = [
    "BIG",
    "CURRENCY_NAMES",
    "MONTHS",
    "ORDINALS",
    "TENS",
    "UNITS",
    "WEEKDAYS",
    "DatePrecision",
    "DateRange",
    "Declined",
    "Invalid",
    "InvalidCode",
    "Money",
    "NormalizeResult",
    "NormalizedValue",
    "NumSpan",
    "Number",
    "NumberRange",
    "Value",
    "is_decline",
    "match_choice",
    "normalize",
    "number_words",
    "ordinal_words",
    "parse_number",
    "parse_numbers",
    "parse_yes_no",
    "spoken_date",
]


def normalize(spec: FieldSpec, spoken_text: str, *, today: date) -> NormalizeResult:
    """Validate and normalise one spoken answer for ``spec``."""
    raw = spoken_text if isinstance(spoken_text, str) else str(spoken_text)
    prepped = prepare(raw)
    if not prepped or not re.search(r"[a-z0-9$€£%]", prepped):
        return Invalid(spec.name, "I didn't catch that.", raw, "empty")
    if is_decline(raw):
        return Declined(spec.name, raw)
    if spec.type in ("integer", "number"):
        return normalize_number(spec, raw, prepped)
    if spec.type == "currency":
        return normalize_currency(spec, raw, prepped)
    if spec.type == "percentage":
        return normalize_percentage(spec, raw, prepped)
    if spec.type == "duration":
        return normalize_duration(spec, raw, prepped)
    if spec.type in ("date", "month_year"):
        return normalize_date(spec, raw, prepped, today)
    if spec.type == "yes_no":
        return normalize_yes_no(spec, raw, prepped)
    if spec.type == "choice":
        return normalize_choice(spec, raw, prepped)
    return normalize_text(spec, raw)
