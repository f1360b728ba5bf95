"""The words and patterns answers are read with, and how an answer is prepared
(lower-cased, symbols normalised, digits split from letters) and split into tokens."""

from __future__ import annotations

import calendar
import re

UNIT_WORDS = (  # noqa: SIM905
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
UNITS = {w: i for i, w in enumerate(UNIT_WORDS)} | {"nil": 0}
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
HEDGES = re.compile(
    r"\b(about|around|roughly|approximately|approx|maybe|probably|perhaps|circa|ish|"
    r"or so|give or take|something like|close to|nearly|almost|just over|just under|"
    r"more or less|ballpark|i think|i guess|i'd say|somewhere around|like)\b"
)
CORRECTION = re.compile(
    r"\b(actually|i mean|sorry|no wait|wait|correction|make that|scratch that)\b|,\s*no\s*,"
)
UNSURE = re.compile(
    r"\b(i )?(don'?t|do not) (really )?know\b|\bnot (really )?sure\b|\bno idea\b|"
    r"\b(can'?t|cannot|don'?t) remember\b|\bunsure\b|\bno clue\b"
)


def prepare(text: str) -> str:
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


def tokenize(prepped: str) -> list[str]:
    return re.findall(r"\d+(?:\.\d+)?|[a-z]+(?:'[a-z]+)?|[$€£%/-]", prepped)
