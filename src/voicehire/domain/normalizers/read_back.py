"""Numbers and dates as words, for the read-back ("one hundred twenty thousand")."""

from __future__ import annotations

import calendar
from datetime import date

from voicehire.domain.normalizers.lexicon import ORDINALS, TENS, UNIT_WORDS
from voicehire.domain.normalizers.values import tidy

_SMALL = UNIT_WORDS
_TENS_WORDS = {v: k for k, v in TENS.items() if k != "fourty"}
ORDINAL_WORDS = {v: k for k, v in ORDINALS.items()}


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
    v = tidy(v)
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
    if n in ORDINAL_WORDS:
        return ORDINAL_WORDS[n]
    tens, rest = divmod(n, 10)
    if 20 <= n < 100 and rest:
        return f"{_TENS_WORDS[tens * 10]}-{ORDINAL_WORDS[rest]}"
    return _int_words(n) + "th"


def spoken_date(d: date) -> str:
    """'Monday, June first, 2026'."""
    weekday, month = calendar.day_name[d.weekday()], calendar.month_name[d.month]
    return f"{weekday}, {month} {ordinal_words(d.day)}, {d.year}"
