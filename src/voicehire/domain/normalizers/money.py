"""Money: amounts, currencies and pay periods ("120k", "about 60 euros an hour")."""

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
    Money,
    NormalizedValue,
    NormalizeResult,
    Number,
    NumberRange,
    tidy,
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


def normalize_currency(spec: FieldSpec, raw: str, prepped: str) -> NormalizeResult:
    text = after_correction(prepped)
    tokens = tokenize(text)
    spans = parse_numbers(tokens)
    if not spans:
        return no_value(spec, raw, "an amount")
    pick = pick_number(tokens, spans)
    if negative_before(tokens, pick.low):
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
        NumberRange(tidy(low), tidy(high)) if high is not None else tidy(low)
    )
    per = f" per {period}"
    bad = range_check(
        spec,
        checked,
        raw,
        f"{words_or_range(shown_amt)} {CURRENCY_NAMES.get(currency, currency)}{per}",
    )
    if bad:
        return bad
    res = apply_range_policy(spec, low, high, raw)
    if isinstance(res, Invalid):
        return res
    amount, approx = res
    approx = approx or is_hedged(prepped)
    money = Money(amount, currency, period)
    spoken = (
        "about " if approx else ""
    ) + f"{words_or_range(amount)} {CURRENCY_NAMES.get(currency, currency)}{per}"
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
