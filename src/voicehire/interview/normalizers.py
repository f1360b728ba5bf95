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
"""

from __future__ import annotations

import calendar
import difflib
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from voicehire.interview.fields import FieldSpec

Number = int | float

# --------------------------------------------------------------------------------------
# Result types
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NumberRange:
    low: Number
    high: Number

    @property
    def midpoint(self) -> Number:
        return _tidy((self.low + self.high) / 2)

    def to_json(self) -> dict[str, Number]:
        return {"min": self.low, "max": self.high}


@dataclass(frozen=True)
class Money:
    amount: Number | NumberRange
    currency: str  # ISO 4217 code
    period: str  # hour | day | week | month | year

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"currency": self.currency, "period": self.period}
        if isinstance(self.amount, NumberRange):
            doc.update(self.amount.to_json())
        else:
            doc["amount"] = self.amount
        return doc


DatePrecision = Literal["week", "month", "quarter", "year", "span"]


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date
    precision: DatePrecision = "span"

    def to_json(self) -> dict[str, str]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "precision": self.precision,
        }


Value = Number | NumberRange | Money | date | DateRange | bool | str


@dataclass(frozen=True)
class NormalizedValue:
    field: str
    type: str
    value: Value
    spoken: str  # read-back form for confirmation
    raw: str  # what the candidate said
    unit: str | None = None
    approximate: bool = False
    needs_confirmation: bool = False
    notes: tuple[str, ...] = ()

    def json_value(self) -> Any:
        """The value as JSON-compatible data for the candidate record."""
        v = self.value
        if isinstance(v, NumberRange | Money):
            return v.to_json()
        if isinstance(v, DateRange):
            if self.type == "month_year" and v.precision == "month":
                return f"{v.start.year:04d}-{v.start.month:02d}"
            if self.type == "month_year" and v.precision == "year":
                return f"{v.start.year:04d}"
            return v.to_json()
        if isinstance(v, date):
            return v.isoformat()
        return v


InvalidCode = Literal[
    "empty",
    "no_value",
    "negative",
    "out_of_range",
    "impossible_date",
    "past_date",
    "future_date",
    "ambiguous",
    "missing_unit",
    "vague",
    "unsure",
    "range_not_allowed",
]


@dataclass(frozen=True)
class Invalid:
    field: str
    reason: str  # short, speakable: why the answer can't be used / what to ask
    raw: str
    code: InvalidCode = "no_value"


@dataclass(frozen=True)
class Declined:
    field: str
    raw: str


NormalizeResult = NormalizedValue | Invalid | Declined


# --------------------------------------------------------------------------------------
# Text preparation
# --------------------------------------------------------------------------------------

_UNIT_WORDS = (  # noqa: SIM905
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
UNITS = {w: i for i, w in enumerate(_UNIT_WORDS)} | {"nil": 0}
TENS = {
    w: 10 * i
    for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)  # noqa: SIM905
}
TENS["fourty"] = 40
BIG = {
    "thousand": 1_000,
    "k": 1_000,
    "grand": 1_000,
    "million": 1_000_000,
    "mil": 1_000_000,
    "mill": 1_000_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "billion": 1_000_000_000,
    "bn": 1_000_000_000,
}
_ORDINAL_LIST = (  # noqa: SIM905
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
).split()
ORDINALS = {w: i for i, w in enumerate(_ORDINAL_LIST, 1)} | {"thirtieth": 30}
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name} | {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}

_NUMBER_WORDS = "|".join([*UNITS, *TENS])
_HEDGES = re.compile(
    r"\b(about|around|roughly|approximately|approx|maybe|probably|perhaps|circa|ish|"
    r"or so|give or take|something like|close to|nearly|almost|just over|just under|"
    r"more or less|ballpark|i think|i guess|i'd say|somewhere around|like)\b"
)
_CORRECTION = re.compile(
    r"\b(actually|i mean|sorry|no wait|wait|correction|make that|scratch that)\b|,\s*no\s*,"
)
_UNSURE = re.compile(
    r"\b(i )?(don'?t|do not) (really )?know\b|\bnot (really )?sure\b|\bno idea\b|"
    r"\b(can'?t|cannot|don'?t) remember\b|\bunsure\b|\bno clue\b"
)
_DECLINE = [
    re.compile(p)
    for p in (
        r"\b(rather|prefer) (not|to not) (to )?(say|answer|share|disclose|tell|discuss|"
        r"get into|go into|give|comment|talk about|reveal)\b",
        r"\b(rather|prefer) (not|to not)( to)?( if (that'?s|it'?s) (ok|okay|alright|fine))?$",
        r"\b(don'?t|do not) (really )?(want|wish|care) to (say|answer|share|disclose|"
        r"discuss|tell|talk about|go into|give)\b",
        r"\bnot (comfortable|willing|going|happy) (to )?(say|saying|answer|answering|share|"
        r"sharing|disclos\w*|discuss\w*|tell|telling|give|giving|go into)\b",
        r"\b(i'?ll|i will|i'?m going to|i'?d like to|let me|i think i'?ll|i'?d|gonna) pass\b",
        r"^pass\b",
        r"\bpass on (that|this|it)\b",
        r"\bskip (that|this|it|the question|this one|that one)\b",
        r"\b(let'?s|can we|could we|please|i'?d like to|i want to) skip\b",
        r"^skip\b",
        r"\bno comment\b",
        r"\bnone of your business\b",
        r"\bi (respectfully )?decline\b",
        r"\bdecline to\b",
        r"\b(that'?s|it'?s|that is|it is) (private|confidential|personal)\b",
        r"\bkeep (that|it) (to myself|private|confidential)\b",
        r"\bnot at liberty\b",
        r"\bnext question\b",
        r"\bnot (something )?i('?d| would) (like to |want to )?(share|disclose)\b",
    )
]


def _prep(text: str) -> str:
    """Lower-case, normalise symbols and separate digits from letters and signs."""
    s = text.lower()
    s = s.replace("’", "'").replace("‘", "'").replace("–", "-").replace("—", " - ")
    s = s.replace("per cent", "percent")
    s = re.sub(r"(?<=\d),(?=\d{3}\b)", "", s)  # 120,000 -> 120000
    s = re.sub(r"(\d+)(st|nd|rd|th)\b", r"\1", s)  # 21st -> 21
    s = re.sub(rf"\b(\d+|{_NUMBER_WORDS})-?ish\b", r"\1 ish", s)  # sixish -> six ish
    s = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", s)  # twenty-five -> twenty five
    s = re.sub(r"(?<=\d)(?=[a-z$€£%])|(?<=[a-z$€£%])(?=\d)", " ", s)  # 120k, q3, $95
    s = re.sub(r"([$€£%/-])", r" \1 ", s)
    s = re.sub(r"[^\w\s'$€£%/.-]", " ", s)  # drop other punctuation (keep decimal points)
    s = re.sub(r"(?<!\d)\.|\.(?!\d)", " ", s)  # full stops are not decimal points
    return re.sub(r"\s+", " ", s).strip()


def _tokens(prepped: str) -> list[str]:
    return re.findall(r"\d+(?:\.\d+)?|[a-z]+(?:'[a-z]+)?|[$€£%/-]", prepped)


def _tidy(v: float) -> Number:
    """1200.0 -> 1200; keep real fractions (rounded to 4 places)."""
    if isinstance(v, int):
        return v
    r = round(v, 4)
    return int(r) if r == int(r) else r


# --------------------------------------------------------------------------------------
# Spoken numbers
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NumSpan:
    """A number found in a token list: tokens[start:end] say ``value``."""

    value: float
    start: int
    end: int
    multiplier: int = 1  # the last thousand/k/million multiplier said, 1 if none
    base: float = 0.0  # the value before that multiplier
    words: bool = False  # said in words (not digits)


def _is_num_start(tokens: list[str], i: int) -> bool:
    t = tokens[i]
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    if t[0].isdigit() or t in UNITS or t in TENS:
        return True
    if t in ("a", "an") and nxt in ("hundred", "thousand", "million", "couple", "dozen"):
        return True
    if t == "a" and nxt == "half":
        return True
    if t == "half" and nxt == "a" and i + 2 < len(tokens) and tokens[i + 2] in BIG:
        return True
    if t == "couple":
        return True
    if t == "point":
        return nxt[:1].isdigit() or (nxt in UNITS and UNITS[nxt] < 10)
    return t == "half"


def _parse_number_at(tokens: list[str], i: int) -> NumSpan | None:
    n = len(tokens)
    j = i
    total = 0.0
    current = 0.0
    have = False
    last = ""  # kind of the last token consumed
    only_unit = False  # the number so far is one unit word (for "one twenty")
    multiplier = 1
    base = 0.0
    words = False
    # state before an "and" that followed thousand/million, to undo a wrong continuation:
    # "between one hundred thousand and one hundred twenty thousand" is two numbers.
    snapshot: tuple[float, float, int, int, float] | None = None
    while j < n:
        t = tokens[j]
        nxt = tokens[j + 1] if j + 1 < n else ""
        if t[0].isdigit():
            if have and last not in ("hundred", "and", "big"):
                break
            current += float(t)
            have, last, only_unit = True, "digit", False
            j += 1
            continue
        if t in UNITS:
            v = UNITS[t]
            if have and last == "tens" and v >= 10:
                current = current * 100 + v  # "twenty nineteen" -> 2019
            elif (have and last in ("unit", "digit")) or (have and last == "tens" and current % 10):
                break
            else:
                current += v
            only_unit = not have and v < 20
            have, last, words = True, "unit", True
            j += 1
            continue
        if t in TENS:
            v = TENS[t]
            if have and last == "tens":
                current = current * 100 + v  # "twenty twenty" -> 2020
            elif have and last == "unit" and only_unit:
                current = current * 100 + v  # "one twenty" -> 120, "nineteen ninety"
            elif have and last in ("unit", "digit"):
                break
            else:
                current += v
            have, last, only_unit, words = True, "tens", False, True
            j += 1
            continue
        if t in ("a", "an") and not have and nxt in ("hundred", "thousand", "million"):
            current, have, last, words = 1.0, True, "unit", True
            j += 1
            continue
        if (t in ("a",) and not have and nxt == "couple") or (t == "couple" and not have):
            current, have, last, words = 2.0, True, "digit", True
            j += 2 if t == "a" else 1
            if j < n and tokens[j] == "of":
                j += 1
            break
        if t in ("a", "an") and not have and nxt == "dozen":
            current, have, last, words = 12.0, True, "digit", True
            j += 2
            break
        if t == "dozen" and have:
            current *= 12
            last = "digit"
            j += 1
            continue
        if t == "hundred" and (have or j == i):
            current = (current or 1) * 100
            have, last, only_unit, words = True, "hundred", False, True
            j += 1
            continue
        if t in BIG and have:
            mult = BIG[t]
            if snapshot is not None and mult >= multiplier:
                total, current, j, multiplier, base = snapshot
                break
            base = current or 1
            total += base * mult
            multiplier = mult
            current = 0.0
            last, only_unit = "big", False
            j += 1
            continue
        if t == "half" and not have:
            if nxt == "a" and j + 2 < n and tokens[j + 2] in BIG:
                mult = BIG[tokens[j + 2]]
                total += 0.5 * mult
                multiplier, base = mult, 0.5
                have, last, words = True, "big", True
                j += 3
                continue
            current, have, last, words = 0.5, True, "digit", True
            j += 1
            break
        if t == "a" and not have and nxt == "half":
            current, have, last, words = 0.5, True, "digit", True
            j += 2
            break
        if t == "point" and (nxt[:1].isdigit() or (nxt in UNITS and UNITS[nxt] < 10)):
            digits = ""
            k = j + 1
            while k < n:
                if tokens[k].isdigit():
                    digits += tokens[k]
                elif tokens[k] in UNITS and UNITS[tokens[k]] < 10:
                    digits += str(UNITS[tokens[k]])
                elif tokens[k] == "oh":
                    digits += "0"
                else:
                    break
                k += 1
            current = float(f"{int(current)}.{digits}") + (current - int(current))
            have, last, only_unit, words = True, "digit", False, True
            j = k
            continue
        if t == "and" and have:
            if nxt == "a" and j + 2 < n and tokens[j + 2] in ("half", "quarter"):
                current += 0.5 if tokens[j + 2] == "half" else 0.25
                last = "digit"
                j += 3
                continue
            if last in ("hundred", "big") and (nxt in UNITS or nxt in TENS or nxt[:1].isdigit()):
                if last == "big":
                    snapshot = (total, current, j, multiplier, base)
                j += 1
                last = "and"
                continue
            break
        break
    if not have:
        return None
    value = total + current
    if multiplier == 1:
        base = value
    elif current:
        base = value / multiplier
    return NumSpan(_tidy(value), i, j, multiplier, _tidy(base), words)


def parse_numbers(text_or_tokens: str | list[str]) -> list[NumSpan]:
    """Every number in the text, in order: words, digits, mixtures ("1.5 million")."""
    tokens = _tokens(_prep(text_or_tokens)) if isinstance(text_or_tokens, str) else text_or_tokens
    spans: list[NumSpan] = []
    i = 0
    while i < len(tokens):
        if _is_num_start(tokens, i):
            span = _parse_number_at(tokens, i)
            if span is not None and span.end > i:
                spans.append(span)
                i = span.end
                continue
        i += 1
    return spans


def parse_number(text: str) -> float | None:
    """The first number in ``text``, or None."""
    spans = parse_numbers(text)
    return spans[0].value if spans else None


# --------------------------------------------------------------------------------------
# Numbers to words (read-back)
# --------------------------------------------------------------------------------------

_SMALL = _UNIT_WORDS
_TENS_WORDS = {v: k for k, v in TENS.items() if k != "fourty"}
_ORDINAL_WORDS = {v: k for k, v in ORDINALS.items()}


def _int_words(n: int) -> str:
    if n < 0:
        return "minus " + _int_words(-n)
    if n < 20:
        return _SMALL[n]
    if n < 100:
        tens, rest = divmod(n, 10)
        return _TENS_WORDS[tens * 10] + (f"-{_SMALL[rest]}" if rest else "")
    if n < 1000:
        h, rest = divmod(n, 100)
        return f"{_SMALL[h]} hundred" + (f" {_int_words(rest)}" if rest else "")
    for scale, name in ((10**9, "billion"), (10**6, "million"), (1000, "thousand")):
        if n >= scale:
            hi, rest = divmod(n, scale)
            return f"{_int_words(hi)} {name}" + (f" {_int_words(rest)}" if rest else "")
    raise AssertionError(n)  # pragma: no cover


def number_words(v: float) -> str:
    """120000 -> 'one hundred twenty thousand'; 2.5 -> 'two and a half'; 1.25 ->
    'one point two five'; 1500000 -> 'one point five million'."""
    v = _tidy(v)
    if isinstance(v, int):
        return _int_words(v)
    if v < 0:
        return "minus " + number_words(-v)
    for scale, name in ((10**6, "million"), (10**9, "billion")):
        if v >= scale and v < scale * 1000:
            return f"{number_words(v / scale)} {name}"
    whole = int(v)
    frac = round(v - whole, 4)
    if frac == 0.5:
        return "a half" if whole == 0 else f"{_int_words(whole)} and a half"
    digits = f"{v:.4f}".split(".")[1].rstrip("0")
    return f"{_int_words(whole)} point " + " ".join(_SMALL[int(d)] for d in digits)


def ordinal_words(n: int) -> str:
    if n in _ORDINAL_WORDS:
        return _ORDINAL_WORDS[n]
    tens, rest = divmod(n, 10)
    if 20 <= n < 100 and rest:
        return f"{_TENS_WORDS[tens * 10]}-{_ORDINAL_WORDS[rest]}"
    return _int_words(n) + "th"


def spoken_date(d: date) -> str:
    """'Monday, June first, 2026'."""
    weekday, month = calendar.day_name[d.weekday()], calendar.month_name[d.month]
    return f"{weekday}, {month} {ordinal_words(d.day)}, {d.year}"


# --------------------------------------------------------------------------------------
# Shared helpers
# --------------------------------------------------------------------------------------

_RANGE_WORDS = {"to", "-", "or", "through", "till", "until", "and"}


@dataclass
class _Pick:
    low: NumSpan
    high: NumSpan | None = None
    low_value: float = 0.0
    high_value: float | None = None
    notes: list[str] = field(default_factory=list)


def _pick_number(tokens: list[str], spans: list[NumSpan], prefer: int | None = None) -> _Pick:
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
        is_range = len(between) == 1 and between[0] in _RANGE_WORDS
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


def _negative_before(tokens: list[str], span: NumSpan) -> bool:
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


def _after_correction(prepped: str) -> str:
    parts = _CORRECTION.split(prepped)
    tail = parts[-1] if parts else prepped
    if len(parts) > 1 and parse_numbers(tail):
        return tail.strip()
    return prepped


def _is_hedged(prepped: str) -> bool:
    return bool(_HEDGES.search(prepped))


def is_decline(text: str) -> bool:
    """True when the candidate chooses not to answer ("I'd rather not say", "pass")."""
    p = _prep(text)
    return any(rx.search(p) for rx in _DECLINE)


def _no_value(spec: FieldSpec, raw: str, what: str) -> Invalid:
    if _UNSURE.search(_prep(raw)):
        return Invalid(spec.name, f"The candidate wasn't sure; {what} is fine.", raw, "unsure")
    return Invalid(spec.name, f"I didn't catch {what}.", raw, "no_value")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _range_check(spec: FieldSpec, values: list[float], raw: str, shown: str) -> Invalid | None:
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


def _apply_range_policy(
    spec: FieldSpec, low: Number, high: Number | None, raw: str
) -> tuple[Number | NumberRange, bool] | Invalid:
    """(value, approximate) after the spec's range policy."""
    if high is None or low == high:
        return _tidy(low), False
    if spec.range == "reject":
        return Invalid(
            spec.name,
            "Could you give me a single number rather than a range?",
            raw,
            "range_not_allowed",
        )
    if spec.range == "midpoint":
        return NumberRange(_tidy(low), _tidy(high)).midpoint, True
    return NumberRange(_tidy(low), _tidy(high)), False


def _words_or_range(v: Number | NumberRange) -> str:
    if isinstance(v, NumberRange):
        return f"between {number_words(v.low)} and {number_words(v.high)}"
    return number_words(v)


_SINGULAR = {"people": "person", "children": "child"}


def _unit_words(unit: str | None, v: Number | NumberRange) -> str:
    if not unit:
        return ""
    one = isinstance(v, int | float) and v == 1
    u = unit
    if one:
        u = _SINGULAR.get(unit, unit[:-1] if unit.endswith("s") else unit)
    return f" {u}"


# --------------------------------------------------------------------------------------
# Per-type normalisers
# --------------------------------------------------------------------------------------

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
_DAYS_PER = {"day": 1, "week": 7, "fortnight": 14, "month": 30, "year": 365, "decade": 3650}
_YEARS_PER = {
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


def _quantities(tokens: list[str]) -> list[_Quantity]:
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


def _in_days(q: _Quantity) -> float:
    assert q.unit is not None
    days = q.value * _DAYS_PER[q.unit]
    if q.working_days and q.unit == "day":
        days = days * 7 / 5
    return days


def _normalize_number(spec: FieldSpec, raw: str, prepped: str) -> NormalizeResult:
    text = _after_correction(prepped)
    tokens = _tokens(text)
    spans = parse_numbers(tokens)
    hedged = _is_hedged(prepped)
    wants_years = (spec.unit or "").lower() in ("year", "years")
    notes: list[str] = []
    prefer: int | None = None
    factor = 1.0
    if wants_years:
        # "18 months", "a year and a half", "two years and six months"
        timed = [q for q in _quantities(tokens) if q.unit]
        if timed:
            q = timed[0]
            if q.span is not None and _negative_before(tokens, q.span):
                return Invalid(spec.name, f"{spec.label} can't be negative.", raw, "negative")
            factor = _YEARS_PER[q.unit or "year"]
            if q.unit != "year":
                notes.append(f"converted from {q.unit}s")
            extra = 0.0
            if len(timed) > 1 and tokens[q.end : timed[1].start] == ["and"]:
                extra = timed[1].value * _YEARS_PER[timed[1].unit or "year"]
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
        return _no_value(spec, raw, f"a number for {spec.label}")
    pick = _pick_number(tokens, spans, prefer)
    if _negative_before(tokens, pick.low):
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
    shown = _words_or_range(
        NumberRange(_tidy(low), _tidy(high)) if high is not None else _tidy(low)
    )
    bad = _range_check(spec, checked, raw, shown + _unit_words(spec.unit, low))
    if bad:
        return bad
    res = _apply_range_policy(spec, low, high, raw)
    if isinstance(res, Invalid):
        return res
    value, approx = res
    approx = approx or hedged
    spoken = ("about " if approx else "") + _words_or_range(value) + _unit_words(spec.unit, value)
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


_CURRENCY_WORDS = {
    "$": "$",
    "dollar": "$",
    "dollars": "$",
    "bucks": "$",
    "usd": "USD",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "quid": "GBP",
    "sterling": "GBP",
    "chf": "CHF",
    "franc": "CHF",
    "francs": "CHF",
    "cad": "CAD",
    "aud": "AUD",
    "inr": "INR",
    "rupees": "INR",
    "yen": "JPY",
    "jpy": "JPY",
}
CURRENCY_NAMES = {
    "USD": "US dollars",
    "EUR": "euros",
    "GBP": "British pounds",
    "CAD": "Canadian dollars",
    "AUD": "Australian dollars",
    "NZD": "New Zealand dollars",
    "SGD": "Singapore dollars",
    "CHF": "Swiss francs",
    "INR": "Indian rupees",
    "JPY": "Japanese yen",
}
_DOLLAR_CURRENCIES = {"USD", "CAD", "AUD", "NZD", "SGD", "HKD"}
_PERIOD_PATTERNS = [
    ("hour", r"\b(hour|hourly|hr|hrs)\b"),
    ("day", r"\b(per|a|each) day\b|\bdaily\b|\bday rate\b"),
    ("week", r"\b(per|a|each) week\b|\bweekly\b"),
    ("month", r"\b(per|a|each|every) month\b|\bmonthly\b|\bmonth\b"),
    ("year", r"\b(year|years|yearly|annual|annually|annum|yr|pa|p a)\b"),
]
_PER_YEAR = {"hour": 2080, "day": 260, "week": 52, "month": 12, "year": 1}


def _normalize_currency(spec: FieldSpec, raw: str, prepped: str) -> NormalizeResult:
    text = _after_correction(prepped)
    tokens = _tokens(text)
    spans = parse_numbers(tokens)
    if not spans:
        return _no_value(spec, raw, "an amount")
    pick = _pick_number(tokens, spans)
    if _negative_before(tokens, pick.low):
        return Invalid(spec.name, "The amount can't be negative.", raw, "negative")
    currency = spec.currency
    for t in tokens:
        if t in _CURRENCY_WORDS:
            c = _CURRENCY_WORDS[t]
            currency = (
                (spec.currency if spec.currency in _DOLLAR_CURRENCIES else "USD") if c == "$" else c
            )
            break
    period = None
    for name, rx in _PERIOD_PATTERNS:
        if re.search(rx, text):
            period = name
            break
    said_period = period
    period = period or spec.pay_period
    low, high = pick.low_value, pick.high_value
    notes: list[str] = []
    no_multiplier = pick.low.multiplier == 1 and (pick.high is None or pick.high.multiplier == 1)
    if period == "year" and no_multiplier and 10 <= (high or low) < 1000 and said_period is None:
        low, high = low * 1000, (high * 1000 if high is not None else None)
        notes.append("assumed thousands")
    factor = _PER_YEAR[period] / _PER_YEAR[spec.pay_period]
    checked = [v * factor for v in ([low] if high is None else [low, high])]
    shown_amt: Number | NumberRange = (
        NumberRange(_tidy(low), _tidy(high)) if high is not None else _tidy(low)
    )
    per = f" per {period}"
    bad = _range_check(
        spec,
        checked,
        raw,
        f"{_words_or_range(shown_amt)} {CURRENCY_NAMES.get(currency, currency)}{per}",
    )
    if bad:
        return bad
    res = _apply_range_policy(spec, low, high, raw)
    if isinstance(res, Invalid):
        return res
    amount, approx = res
    approx = approx or _is_hedged(prepped)
    money = Money(amount, currency, period)
    spoken = (
        "about " if approx else ""
    ) + f"{_words_or_range(amount)} {CURRENCY_NAMES.get(currency, currency)}{per}"
    return NormalizedValue(
        spec.name,
        spec.type,
        money,
        spoken,
        raw,
        unit=currency,
        approximate=approx,
        needs_confirmation=spec.needs_confirmation,
        notes=tuple(notes),
    )


def _normalize_percentage(spec: FieldSpec, raw: str, prepped: str) -> NormalizeResult:
    text = _after_correction(prepped)
    tokens = _tokens(text)
    spans = parse_numbers(tokens)
    if not spans:
        if re.search(
            r"\b(hit|made|met|reached|achieved|at|on) (my |the |our )?(quota|target)\b", text
        ):
            return _finish_percentage(spec, raw, 100, None, _is_hedged(text), ["hit quota"])
        return _no_value(spec, raw, "a percentage")
    pick = _pick_number(tokens, spans)
    if _negative_before(tokens, pick.low):
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
    return _finish_percentage(spec, raw, low, high, _is_hedged(prepped), notes)


def _finish_percentage(
    spec: FieldSpec, raw: str, low: float, high: float | None, hedged: bool, notes: list[str]
) -> NormalizeResult:
    low = round(low, 2)
    high = round(high, 2) if high is not None else None
    checked = [low] if high is None else [low, high]
    shown = _words_or_range(
        NumberRange(_tidy(low), _tidy(high)) if high is not None else _tidy(low)
    )
    bad = _range_check(spec, checked, raw, f"{shown} percent")
    if bad:
        return bad
    res = _apply_range_policy(spec, low, high, raw)
    if isinstance(res, Invalid):
        return res
    value, approx = res
    approx = approx or hedged
    return NormalizedValue(
        spec.name,
        spec.type,
        value,
        ("about " if approx else "") + f"{_words_or_range(value)} percent",
        raw,
        unit="percent",
        approximate=approx,
        needs_confirmation=spec.needs_confirmation,
        notes=tuple(notes),
    )


_IMMEDIATE = re.compile(
    r"\b(immediately|immediate|right away|straight away|straightaway|asap|as soon as possible|"
    r"no notice|none|nothing|zero notice|available now|now|right now|at once|"
    r"not employed|unemployed|between jobs|already left|already free|no notice period)\b"
)


def _normalize_duration(spec: FieldSpec, raw: str, prepped: str) -> NormalizeResult:
    text = _after_correction(prepped)
    tokens = _tokens(text)
    qs = _quantities(tokens)
    with_unit = [q for q in qs if q.unit]
    if not with_unit:
        if re.search(r"\b(a )?few (days|weeks|months)\b|\bsome (weeks|months)\b", text):
            return Invalid(
                spec.name, "Roughly how many, as a number? For example two weeks.", raw, "vague"
            )
        if qs:
            neg = qs[0].span is not None and _negative_before(tokens, qs[0].span)
            if neg:
                return Invalid(spec.name, f"{spec.label} can't be negative.", raw, "negative")
            if qs[0].value == 0:
                return _finish_duration(spec, raw, 0, None, False, "immediately")
            return Invalid(spec.name, "Is that days, weeks or months?", raw, "missing_unit")
        if _IMMEDIATE.search(text):
            return _finish_duration(spec, raw, 0, None, False, "immediately")
        return _no_value(spec, raw, f"the {spec.label}, for example two weeks or a month")
    first = with_unit[0]
    if first.span is not None and _negative_before(tokens, first.span):
        return Invalid(spec.name, f"{spec.label} can't be negative.", raw, "negative")
    # a range: "two to four weeks", "3-4 weeks", "a month or two" handled as two quantities
    low_days = _in_days(first)
    high_days: float | None = None
    unit_name = f"{'working ' if first.working_days else ''}{first.unit}"
    said = f"{number_words(first.value)} {unit_name}{'s' if first.value != 1 else ''}"
    if first.span is not None:
        prev = [q for q in qs if q.end <= first.start and q.unit is None and q.span is not None]
        if prev:
            p = prev[-1]
            between = tokens[p.end : first.start]
            if len(between) == 1 and between[0] in _RANGE_WORDS:
                hi = first
                lo_days = p.value * _in_days(hi) / hi.value if hi.value else 0
                low_days, high_days = lo_days, _in_days(hi)
                said = f"{number_words(p.value)} to {said}"
    later = [q for q in with_unit if q.start >= first.end]
    if high_days is None and later:
        second = later[0]
        between = tokens[first.end : second.start]
        if between == ["and"]:
            low_days += _in_days(second)  # "one month and two weeks"
            said = ""
        elif len(between) == 1 and between[0] in _RANGE_WORDS:
            high_days = _in_days(second)
            said = ""
    unitless_after = [q for q in qs if q.start >= first.end and q.unit is None]
    if high_days is None and unitless_after and first.unit:
        nxt = unitless_after[0]
        between = tokens[first.end : nxt.start]
        if len(between) == 1 and between[0] in _RANGE_WORDS and nxt.value > first.value:
            high_days = nxt.value * _in_days(first) / first.value  # "a month or two"
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
        _is_hedged(prepped),
        said,
    )


def _finish_duration(
    spec: FieldSpec, raw: str, low: int, high: int | None, hedged: bool, said: str
) -> NormalizeResult:
    checked = [low] if high is None else [low, high]
    shown = said or f"{number_words(high if high is not None else low)} days"
    bad = _range_check(spec, checked, raw, shown)
    if bad:
        return bad
    res = _apply_range_policy(spec, low, high, raw)
    if isinstance(res, Invalid):
        return res
    value, approx = res
    approx = approx or hedged
    if said == "immediately":
        spoken = "immediately, with no notice period"
    else:
        days = _words_or_range(value) + (" day" if value == 1 else " days")
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


# ----- dates ----------------------------------------------------------------------------


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
    if k < len(tokens) and _is_num_start(tokens, k):
        span = _parse_number_at(tokens, k)
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
        span = _parse_number_at(tokens, k)
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
    tokens = _tokens(text)
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
            day = last if m.group(1) in ("end", "close") else 1
            return date(base.year, base.month, day), None
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
    qs = [x for x in _quantities(tokens) if x.unit]
    month_idx = next(
        (i for i, t in enumerate(tokens) if t in MONTHS and _is_month_word(tokens, i)), None
    )
    weekday_idx = next((i for i, t in enumerate(tokens) if t in WEEKDAYS), None)
    if qs and month_idx is None and weekday_idx is None:
        x = qs[0]
        sign = -1 if re.search(r"\bago\b", text) else 1
        if x.span is not None and _negative_before(tokens, x.span):
            raise _DateError("That doesn't sound like a date; when exactly?")

        def shift(value: float, unit: str) -> date:
            if unit in ("month", "year", "decade"):
                months = round(value * {"month": 1, "year": 12, "decade": 120}[unit])
                return _add_months(today, sign * months)
            return today + timedelta(days=sign * round(value * _DAYS_PER[unit]))

        assert x.unit is not None
        # a range "in two to three weeks"
        prev = [p for p in _quantities(tokens) if p.unit is None and p.end <= x.start]
        if prev and tokens[prev[-1].end : x.start] and tokens[prev[-1].end] in _RANGE_WORDS:
            a, b = shift(prev[-1].value, x.unit), shift(x.value, x.unit)
            return DateRange(min(a, b), max(a, b), "span"), None
        return shift(x.value, x.unit), None

    if re.search(r"\bnext week\b", text):
        start = today + timedelta(days=7 - today.weekday())
        return DateRange(start, start + timedelta(days=6), "week"), None
    if re.search(r"\bthis week\b", text):
        start = today - timedelta(days=today.weekday())
        return DateRange(start, start + timedelta(days=6), "week"), None
    if month_idx is None and re.search(r"\b(next|last|this) month\b", text):
        offset = {"next": 1, "last": -1, "this": 0}[
            re.search(r"\b(next|last|this) month\b", text).group(1)
        ]  # type: ignore[union-attr]
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
        y, mo, d = (int(g) for g in m.groups())
        if not 1 <= mo <= 12:
            raise _DateError("That month doesn't exist; which date did you mean?")
        return _checked_date(y, mo, d), None

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
            f"the {_ORDINAL_WORDS[q]} quarter of {v.start.year}, "
            f"{calendar.month_name[v.start.month]} to {calendar.month_name[v.end.month]}"
        )
    if v.precision == "week":
        return f"the week of {spoken_date(v.start)}"
    return f"between {spoken_date(v.start)} and {spoken_date(v.end)}"


def _normalize_date(spec: FieldSpec, raw: str, prepped: str, today: date) -> NormalizeResult:
    text = _after_correction(prepped)
    try:
        value, note = _parse_date(text, today, spec.direction)
    except _DateError as exc:
        if exc.code == "no_value":
            return _no_value(spec, raw, "a date")
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
    approx = _is_hedged(prepped)
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


# ----- yes / no, choices, text -----------------------------------------------------------

_YES_LEAD = {
    "yes",
    "yeah",
    "yep",
    "yup",
    "yea",
    "ya",
    "sure",
    "absolutely",
    "definitely",
    "certainly",
    "correct",
    "right",
    "affirmative",
    "indeed",
    "totally",
    "ok",
    "okay",
    "course",
}
_NO_LEAD = {"no", "nope", "nah", "negative", "never"}
_YES_PHRASES = re.compile(
    r"\b(no problem|not a problem|why not|don'?t mind|do not mind|wouldn'?t mind|no doubt|"
    r"of course|for sure|that'?s right|that is right|happy to|willing to|open to|"
    r"i am|i'?m|i do|i would|i'?d|i will|i'?ll|i can|i have|i could|would be|that works|"
    r"sounds good|i think so)\b"
)
_NEGATION = re.compile(
    r"\b(not|no|never|don'?t|doesn'?t|won'?t|wouldn'?t|can'?t|cannot|couldn'?t|isn'?t|"
    r"aren'?t|am not|i'?m not|haven'?t|hardly|unwilling|unable)\b"
)
_AMBIVALENT = re.compile(
    r"\b(maybe|depends|it depends|possibly|perhaps|might|not sure|unsure|don'?t know|"
    r"could be|kind of|sort of|not really sure)\b"
)


def _yes_no(text: str) -> bool | None:
    tokens = _tokens(text)
    if not tokens:
        return None
    if re.search(
        r"\b(no problem|not a problem|why not|don'?t mind|do not mind|wouldn'?t mind|"
        r"no doubt|not at all a problem)\b",
        text,
    ):
        return True
    if re.search(
        r"\bnot really\b|\bnot at all\b|\bno way\b|"
        r"\b(of course|absolutely|definitely|certainly|sure|really) not\b",
        text,
    ):
        return False
    lead = (
        tokens[0]
        if tokens[0] not in ("oh", "um", "uh", "well", "so", "hmm")
        else (tokens[1] if len(tokens) > 1 else "")
    )
    if lead in _YES_LEAD or (lead == "of" and "course" in tokens):
        return True
    if lead in _NO_LEAD:
        return False
    if _AMBIVALENT.search(text):
        return None
    if _NEGATION.search(text):
        return False
    if _YES_PHRASES.search(text):
        return True
    return None


def parse_yes_no(text: str) -> bool | None:
    """True / False for a spoken yes or no ("yep", "nope", "I'd be open to it"); None if
    unclear ("it depends")."""
    return _yes_no(_prep(text))


def _normalize_yes_no(spec: FieldSpec, raw: str, prepped: str) -> NormalizeResult:
    answer = _yes_no(prepped)
    if answer is None:
        if _UNSURE.search(prepped):
            return Invalid(spec.name, "Is that a yes or a no?", raw, "unsure")
        if _AMBIVALENT.search(prepped):
            return Invalid(
                spec.name, "Would you say that's more of a yes or a no?", raw, "ambiguous"
            )
        return Invalid(spec.name, "Is that a yes or a no?", raw, "no_value")
    return NormalizedValue(
        spec.name,
        spec.type,
        answer,
        "yes" if answer else "no",
        raw,
        needs_confirmation=spec.needs_confirmation,
    )


def _phrase_tokens(phrase: str) -> list[str]:
    return _tokens(_prep(phrase))


def match_choice(spec: FieldSpec, text: str) -> tuple[list[str], list[str]]:
    """(choices matched, choices mentioned only in a negation). Longest phrases win and
    hide shorter overlapping ones ("need a work visa" hides "work visa")."""
    tokens = _tokens(_prep(text))
    found: list[tuple[int, int, int, str]] = []  # (length, start, end, value)
    for choice in spec.choices:
        for phrase in choice.phrases():
            pt = _phrase_tokens(phrase)
            if not pt:
                continue
            for i in range(len(tokens) - len(pt) + 1):
                window = tokens[i : i + len(pt)]
                if window == pt or (
                    len(" ".join(pt)) >= 6
                    and difflib.SequenceMatcher(None, " ".join(window), " ".join(pt)).ratio()
                    >= 0.85
                ):
                    found.append((len(pt), i, i + len(pt), choice.value))
    found.sort(key=lambda f: (-f[0], f[1]))
    taken: list[tuple[int, int]] = []
    matched: list[str] = []
    negated: list[str] = []
    for _length, start, end, value in found:
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        before = " ".join(tokens[max(0, start - 2) : start])
        target = negated if _NEGATION.search(before) else matched
        if value not in target:
            target.append(value)
    return matched, [v for v in negated if v not in matched]


def _normalize_choice(spec: FieldSpec, raw: str, prepped: str) -> NormalizeResult:
    matched, _negated = match_choice(spec, _after_correction(prepped))
    labels = {c.value: c.label for c in spec.choices}
    options = ", ".join(c.label for c in spec.choices[:-1]) + f" or {spec.choices[-1].label}"
    if len(matched) == 1:
        value = matched[0]
        return NormalizedValue(
            spec.name,
            spec.type,
            value,
            labels[value],
            raw,
            needs_confirmation=spec.needs_confirmation,
        )
    if len(matched) > 1:
        both = " or ".join(labels[v] for v in matched[:3])
        return Invalid(spec.name, f"Just to be sure: {both}?", raw, "ambiguous")
    if _UNSURE.search(prepped):
        return Invalid(spec.name, f"Would you say {options}?", raw, "unsure")
    return Invalid(spec.name, f"Which fits best: {options}?", raw, "no_value")


_FILLERS = re.compile(r"^((um+|uh+|er+|erm|hmm+|well|so|okay|ok|oh)\b[,.]?\s*)+", re.IGNORECASE)


def _normalize_text(spec: FieldSpec, raw: str) -> NormalizeResult:
    text = re.sub(r"\s+", " ", raw).strip()
    text = _FILLERS.sub("", text).strip(" ,.")
    if not text or not re.search(r"\w", text):
        return Invalid(spec.name, "I didn't catch that.", raw, "empty")
    notes: tuple[str, ...] = ()
    if len(text) > spec.max_length:
        cut = text[: spec.max_length]
        if " " in cut[spec.max_length // 2 :]:
            cut = cut[: cut.rfind(" ")]
        text = cut.rstrip(" ,.;:")
        notes = (f"truncated to {spec.max_length} characters",)
    return NormalizedValue(
        spec.name,
        spec.type,
        text,
        text,
        raw,
        needs_confirmation=spec.needs_confirmation,
        notes=notes,
    )


# --------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------


def normalize(spec: FieldSpec, spoken_text: str, *, today: date) -> NormalizeResult:
    """Validate and normalise one spoken answer for ``spec``."""
    raw = spoken_text if isinstance(spoken_text, str) else str(spoken_text)
    prepped = _prep(raw)
    if not prepped or not re.search(r"[a-z0-9$€£%]", prepped):
        return Invalid(spec.name, "I didn't catch that.", raw, "empty")
    if is_decline(raw):
        return Declined(spec.name, raw)
    if spec.type in ("integer", "number"):
        return _normalize_number(spec, raw, prepped)
    if spec.type == "currency":
        return _normalize_currency(spec, raw, prepped)
    if spec.type == "percentage":
        return _normalize_percentage(spec, raw, prepped)
    if spec.type == "duration":
        return _normalize_duration(spec, raw, prepped)
    if spec.type in ("date", "month_year"):
        return _normalize_date(spec, raw, prepped, today)
    if spec.type == "yes_no":
        return _normalize_yes_no(spec, raw, prepped)
    if spec.type == "choice":
        return _normalize_choice(spec, raw, prepped)
    return _normalize_text(spec, raw)
