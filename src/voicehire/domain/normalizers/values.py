"""Result types of the normalisers: a value, a refusal to guess, or a decline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

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
        return tidy((self.low + self.high) / 2)

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


def tidy(v: float) -> Number:
    """1200.0 -> 1200; keep real fractions (rounded to 4 places)."""
    if isinstance(v, int):
        return v
    r = round(v, 4)
    return int(r) if r == int(r) else r
