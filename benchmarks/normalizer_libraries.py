"""Would a library parse spoken numbers and dates at least as well as VoiceHire's own rules?

Runs the table-driven cases of ``tests/domain/test_normalizers.py`` through
``text2num`` (``alpha2digit``) and ``dateparser`` and through the hand-written rules, and
prints how many cases each gets right. Neither library is a dependency; run with

    uv run --with text2num --with dateparser python benchmarks/normalizer_libraries.py
"""

from __future__ import annotations

import re
import sys
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

import dateparser
from tests.interview import test_normalizers as t
from text_to_num import alpha2digit

from voicehire.domain.normalizers import DateRange, NormalizedValue, parse_number

TODAY = t.TODAY


def table(test) -> list[tuple]:
    return list(test.pytestmark[0].args[1])


def text2num_number(text: str) -> float | None:
    found = re.findall(r"-?\d+(?:[.,]\d+)*", alpha2digit(text, "en"))
    if len(found) != 1:
        return None
    n = float(found[0].replace(",", ""))
    return int(n) if n.is_integer() else n


def dateparser_date(text: str, direction: str = "future") -> date | None:
    got = dateparser.parse(
        text,
        languages=["en"],
        settings={
            "RELATIVE_BASE": datetime(TODAY.year, TODAY.month, TODAY.day),
            "PREFER_DATES_FROM": direction,
            "PREFER_DAY_OF_MONTH": "first",
        },
    )
    return got.date() if got else None


def ours(field: str, text: str):
    return t.normalize(t.SPECS[field], text, today=TODAY)


def score(name: str, cases: list, check) -> tuple[int, int]:
    ok = sum(1 for case in cases if check(*case))
    print(f"  {name:<44} {ok:>3} / {len(cases)}")
    return ok, len(cases)


def main() -> None:
    numbers = table(t.test_parse_number)
    print("spoken numbers (test_parse_number):")
    score("hand-written parse_number", numbers, lambda s, want: parse_number(s) == want)
    score("text2num alpha2digit", numbers, lambda s, want: text2num_number(s) == want)

    singles = table(t.test_start_date_single_days)
    ranges = table(t.test_start_date_ranges)
    months = table(t.test_month_year)
    bad = table(t.test_start_date_bad_input)

    def our_single(s, want):
        r = ours("earliest_start_date", s)
        return isinstance(r, NormalizedValue) and r.value == want

    def our_range(s, start, end, precision):
        r = ours("earliest_start_date", s)
        return isinstance(r, NormalizedValue) and r.value == DateRange(start, end, precision)

    def our_month(s, stored):
        r = ours("graduation_date", s)
        return isinstance(r, NormalizedValue) and r.json_value() == stored

    def our_bad(s, code, needle):
        r = ours("earliest_start_date", s)
        return getattr(r, "code", None) == code

    def dp_month(s, stored):
        d = dateparser_date(s, "past")
        return d is not None and d.isoformat()[: len(stored)] == stored

    def dp_bad(s, code, needle):
        d = dateparser_date(s)
        # a library can only refuse (None) or give a past date; it can't say why
        return d is None or (code == "past_date" and d < TODAY)

    print("dates (test_start_date_single_days / _ranges / test_month_year / _bad_input):")
    totals = {"ours": [0, 0], "dateparser": [0, 0]}
    for label, cases, mine, lib in (
        ("single days", singles, our_single, lambda s, want: dateparser_date(s) == want),
        ("ranges (a library gives one date: fails)", ranges, our_range, lambda *a: False),
        ("month and year", months, our_month, dp_month),
        ("bad input refused", bad, our_bad, dp_bad),
    ):
        print(f" {label}:")
        for who, check in (("ours", mine), ("dateparser", lib)):
            ok, n = score(who, cases, check)
            totals[who][0] += ok
            totals[who][1] += n
    for who, (ok, n) in totals.items():
        print(f"  total {who:<38} {ok:>3} / {n}")


if __name__ == "__main__":
    main()
