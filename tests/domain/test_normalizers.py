"""Value normalisers on many spoken forms, including bad input. ``today`` is fixed:
Saturday 21 November 2026."""

from datetime import date

import pytest

from voicehire.domain.fields import FieldSpec, load_field_specs
from voicehire.domain.normalizers import (
    DateRange,
    Declined,
    Invalid,
    Money,
    NormalizedValue,
    NumberRange,
    is_decline,
    match_choice,
    normalize,
    number_words,
    parse_number,
    parse_yes_no,
)

TODAY = date(2026, 11, 21)  # a Saturday
SPECS = load_field_specs()


def norm(field: str, text: str):
    return normalize(SPECS[field], text, today=TODAY)


def accepted(field: str, text: str) -> NormalizedValue:
    result = norm(field, text)
    assert isinstance(result, NormalizedValue), result
    return result


def invalid(field: str, text: str) -> Invalid:
    result = norm(field, text)
    assert isinstance(result, Invalid), result
    assert result.reason
    assert result.raw == text
    return result


# --- spoken numbers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("six", 6),
        ("twenty-five", 25),
        ("twenty five", 25),
        ("a hundred and twenty", 120),
        ("one hundred twenty", 120),
        ("one point five", 1.5),
        ("two and a half", 2.5),
        ("a hundred and twenty k", 120_000),
        ("120k", 120_000),
        ("120,000", 120_000),
        ("1.5 million", 1_500_000),
        ("one point five million", 1_500_000),
        ("a hundred thousand and fifty", 100_050),
        ("half a million", 500_000),
        ("two thousand and nineteen", 2019),
        ("twenty nineteen", 2019),
        ("twenty twenty five", 2025),
        ("one twenty", 120),
        ("a couple", 2),
        ("a dozen", 12),
        ("ninety grand", 90_000),
        ("point nine five", 0.95),
        ("zero", 0),
        ("nothing here", None),
    ],
)
def test_parse_number(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (0, "zero"),
        (6, "six"),
        (25, "twenty-five"),
        (110, "one hundred ten"),
        (120_000, "one hundred twenty thousand"),
        (2.5, "two and a half"),
        (0.5, "a half"),
        (1.25, "one point two five"),
        (1_500_000, "one million five hundred thousand"),
        (2_000_000, "two million"),
    ],
)
def test_number_words(value, words):
    assert number_words(value) == words


# --- years of experience (number with unit) ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "approximate"),
    [
        ("about six years", 6, True),
        ("six", 6, False),
        ("6", 6, False),
        ("around twenty-five years", 25, True),
        ("roughly 10 years", 10, True),
        ("maybe seven", 7, True),
        ("sixish", 6, True),
        ("two and a half years", 2.5, False),
        ("one point five years", 1.5, False),
        ("18 months", 1.5, False),
        ("a year and a half", 1.5, False),
        ("two years and six months", 2.5, False),
        ("about a decade", 10, True),
        ("I've had 3 jobs over 6 years", 6, False),
        ("six, no, seven years", 7, False),
        ("five years, actually make that six", 6, False),
        ("none, this would be my first job", 0, False),
        ("Um, I'd say twelve years in total.", 12, True),
    ],
)
def test_years_of_experience(text, value, approximate):
    result = accepted("years_of_experience", text)
    assert result.value == value
    assert result.json_value() == value
    assert result.approximate is approximate
    assert result.unit == "years"
    assert result.raw == text


def test_years_spoken_read_back():
    assert accepted("years_of_experience", "about six years").spoken == "about six years"
    assert accepted("years_of_experience", "2.5 years").spoken == "two and a half years"
    assert accepted("years_of_experience", "one year").spoken == "one year"


def test_years_range_is_kept():
    result = accepted("years_of_experience", "five or six years")
    assert result.value == NumberRange(5, 6)
    assert result.json_value() == {"min": 5, "max": 6}
    assert result.spoken == "between five and six years"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("-2 years", "negative"),
        ("minus two", "negative"),
        ("negative three years", "negative"),
        ("150 years", "out_of_range"),
        ("a hundred years", "out_of_range"),
        ("banana", "no_value"),
        ("lots", "no_value"),
        ("I don't know", "unsure"),
        ("", "empty"),
        ("...", "empty"),
    ],
)
def test_years_bad_input(text, code):
    assert invalid("years_of_experience", text).code == code


def test_out_of_range_reason_is_speakable():
    reason = invalid("years_of_experience", "150 years").reason
    assert reason.startswith("One hundred fifty years seems too high")


def test_integer_needs_a_whole_number():
    assert accepted("team_size_managed", "about twelve people").value == 12
    assert accepted("team_size_managed", "nobody").value == 0
    assert accepted("team_size_managed", "one").spoken == "one person"
    assert invalid("team_size_managed", "two and a half").code == "no_value"


# --- money ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount", "currency", "period"),
    [
        ("a hundred and twenty k", 120_000, "USD", "year"),
        ("120k", 120_000, "USD", "year"),
        ("$120,000", 120_000, "USD", "year"),
        ("$95,000 a year", 95_000, "USD", "year"),
        ("one hundred and twenty thousand dollars per year", 120_000, "USD", "year"),
        ("120 grand", 120_000, "USD", "year"),
        ("120 thousand USD annually", 120_000, "USD", "year"),
        ("one twenty", 120_000, "USD", "year"),  # salary talk: thousands
        ("150", 150_000, "USD", "year"),
        ("about 60 euros an hour", 60, "EUR", "hour"),
        ("85 dollars per hour", 85, "USD", "hour"),
        ("around 10k a month", 10_000, "USD", "month"),
        ("£80k", 80_000, "GBP", "year"),
        ("eighty thousand pounds", 80_000, "GBP", "year"),
        ("€70,000", 70_000, "EUR", "year"),
        ("1.5 million", 1_500_000, "USD", "year"),
        ("half a million", 500_000, "USD", "year"),
    ],
)
def test_salary(text, amount, currency, period):
    result = accepted("expected_salary", text)
    assert isinstance(result.value, Money)
    assert result.value == Money(amount, currency, period)
    assert result.json_value() == {"amount": amount, "currency": currency, "period": period}
    assert result.needs_confirmation is True


def test_salary_read_back():
    result = accepted("expected_salary", "a hundred and twenty k")
    assert result.spoken == "one hundred twenty thousand US dollars per year"
    assert accepted("expected_salary", "about 60 euros an hour").spoken == (
        "about sixty euros per hour"
    )
    assert "assumed thousands" in accepted("expected_salary", "one twenty").notes


@pytest.mark.parametrize(
    "text",
    [
        "between 100 and 120k",
        "100 to 120k",
        "100-120k",
        "a hundred and twenty to a hundred and forty thousand",
        "somewhere between one hundred thousand and one hundred twenty thousand",
    ],
)
def test_salary_range_kept_with_multiplier_on_both_ends(text):
    result = accepted("expected_salary", text)
    assert isinstance(result.value, Money)
    assert isinstance(result.value.amount, NumberRange)
    low, high = result.value.amount.low, result.value.amount.high
    assert low in (100_000, 120_000)
    assert high == low + 20_000
    assert result.json_value()["min"] == low
    assert result.json_value()["max"] == high
    assert result.spoken.startswith("between one hundred")


def test_salary_range_policy_midpoint_and_reject():
    base = SPECS["expected_salary"].model_dump()
    mid = FieldSpec.model_validate({**base, "range": "midpoint"})
    result = normalize(mid, "between 100 and 120k", today=TODAY)
    assert isinstance(result, NormalizedValue)
    assert result.value == Money(110_000, "USD", "year")
    assert result.approximate is True
    reject = FieldSpec.model_validate({**base, "range": "reject"})
    bad = normalize(reject, "between 100 and 120k", today=TODAY)
    assert isinstance(bad, Invalid) and bad.code == "range_not_allowed"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("five dollars", "out_of_range"),
        ("10 million", "out_of_range"),
        ("-50k", "negative"),
        ("lots of money", "no_value"),
        ("competitive", "no_value"),
        ("I'm not sure yet", "unsure"),
    ],
)
def test_salary_bad_input(text, code):
    assert invalid("expected_salary", text).code == code


def test_salary_range_converts_period_before_checking():
    # 60/hour is fine for an annual-salary spec (about 125k a year); 2/hour is not.
    assert accepted("current_salary", "60 an hour").value == Money(60, "USD", "hour")
    assert invalid("current_salary", "2 dollars an hour").code == "out_of_range"
    assert accepted("hourly_rate", "85").value == Money(85, "USD", "hour")


# --- percentages ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a hundred and ten percent of quota", 110),
        ("110%", 110),
        ("110 per cent", 110),
        ("one hundred ten percent", 110),
        ("ninety five", 95),
        ("1.2 times quota", 120),
        ("1.2x", 120),
        ("0.95", 95),
        ("I hit quota", 100),
        ("about 87%", 87),
        ("between 90 and 110 percent", NumberRange(90, 110)),
    ],
)
def test_quota_attainment(text, value):
    result = accepted("quota_attainment", text)
    assert result.value == value
    assert result.unit == "percent"


def test_percentage_read_back():
    assert accepted("quota_attainment", "110%").spoken == "one hundred ten percent"


@pytest.mark.parametrize(
    ("text", "code"),
    [("-10%", "negative"), ("2000 percent", "out_of_range"), ("pretty good", "no_value")],
)
def test_quota_bad_input(text, code):
    assert invalid("quota_attainment", text).code == code


# --- durations ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("two weeks", 14),
        ("2 weeks", 14),
        ("a month", 30),
        ("one month", 30),
        ("three months", 90),
        ("immediately", 0),
        ("I can start right away", 0),
        ("none", 0),
        ("zero", 0),
        ("30 days notice", 30),
        ("thirty days' notice", 30),
        ("a couple of weeks", 14),
        ("a fortnight", 14),
        ("one month and two weeks", 44),
        ("10 working days", 14),
        ("six weeks", 42),
        ("about a month", 30),
        ("two to four weeks", NumberRange(14, 28)),
        ("3-4 weeks", NumberRange(21, 28)),
        ("a month or two", NumberRange(30, 60)),
    ],
)
def test_notice_period_in_days(text, days):
    result = accepted("notice_period", text)
    assert result.value == days
    assert result.unit == "days"


def test_notice_period_read_back():
    assert accepted("notice_period", "two weeks").spoken == "two weeks (fourteen days)"
    assert accepted("notice_period", "a month").spoken == "a month (thirty days)"
    assert accepted("notice_period", "30 days").spoken == "thirty days"
    assert accepted("notice_period", "immediately").spoken.startswith("immediately")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("thirty", "missing_unit"),
        ("a few weeks", "vague"),
        ("-2 weeks", "negative"),
        ("two years", "out_of_range"),
        ("whenever", "no_value"),
    ],
)
def test_notice_period_bad_input(text, code):
    assert invalid("notice_period", text).code == code


# --- dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("next Monday", date(2026, 11, 23)),
        ("Monday", date(2026, 11, 23)),
        ("this Friday", date(2026, 11, 27)),
        ("the first of June", date(2027, 6, 1)),  # no year: the next June 1st
        ("June 1st", date(2027, 6, 1)),
        ("June first, 2027", date(2027, 6, 1)),
        ("June twenty first", date(2027, 6, 21)),
        ("21st of June", date(2027, 6, 21)),
        ("the first of december", date(2026, 12, 1)),
        ("in two weeks", date(2026, 12, 5)),
        ("two weeks from now", date(2026, 12, 5)),
        ("in a month", date(2026, 12, 21)),
        ("ASAP", TODAY),
        ("as soon as possible", TODAY),
        ("immediately", TODAY),
        ("today", TODAY),
        ("tomorrow", date(2026, 11, 22)),
        ("end of the month", date(2026, 11, 30)),
        ("beginning of next month", date(2026, 12, 1)),
        ("mid January", date(2027, 1, 15)),
        ("the 15th", date(2026, 12, 15)),
        ("2027-01-04", date(2027, 1, 4)),
        ("February 29th 2028", date(2028, 2, 29)),
        ("the first of january two thousand and twenty seven", date(2027, 1, 1)),
        ("I may be free from the 4th of January", date(2027, 1, 4)),
    ],
)
def test_start_date_single_days(text, expected):
    result = accepted("earliest_start_date", text)
    assert result.value == expected
    assert result.json_value() == expected.isoformat()
    assert result.needs_confirmation is True


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("next week", date(2026, 11, 23), date(2026, 11, 29), "week"),
        ("next month", date(2026, 12, 1), date(2026, 12, 31), "month"),
        ("in January", date(2027, 1, 1), date(2027, 1, 31), "month"),
        ("early January", date(2027, 1, 1), date(2027, 1, 10), "span"),
        ("Q1 next year", date(2027, 1, 1), date(2027, 3, 31), "quarter"),
        ("in two to three weeks", date(2026, 12, 5), date(2026, 12, 12), "span"),
    ],
)
def test_start_date_ranges(text, start, end, precision):
    result = accepted("earliest_start_date", text)
    assert result.value == DateRange(start, end, precision)
    assert result.json_value() == {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "precision": precision,
    }


def test_date_read_back():
    assert accepted("earliest_start_date", "the first of June").spoken == (
        "Tuesday, June first, 2027"
    )
    assert accepted("earliest_start_date", "ASAP").spoken == (
        "as soon as possible, so from today, Saturday, November twenty-first, 2026"
    )
    assert accepted("earliest_start_date", "next week").spoken == (
        "the week of Monday, November twenty-third, 2026"
    )


@pytest.mark.parametrize(
    ("text", "code", "needle"),
    [
        ("February 30th", "impossible_date", "February has only 28 days"),
        ("February 29th 2027", "impossible_date", "February 2027 has only 28 days"),
        ("June 31", "impossible_date", "June has only 30 days"),
        ("February 45", "impossible_date", "February 45"),
        ("the 45th of June", "impossible_date", "day 45"),
        ("2027-13-04", "impossible_date", "month"),
        ("in the year 3000", "impossible_date", "3000"),
        ("yesterday", "past_date", "in the past"),
        ("March 2025", "past_date", "March 2025 is in the past"),
        ("purple monkey", "no_value", "date"),
        ("I have no idea", "unsure", "sure"),
    ],
)
def test_start_date_bad_input(text, code, needle):
    result = invalid("earliest_start_date", text)
    assert result.code == code
    assert needle in result.reason


def test_q3_last_year_is_a_date_range():
    spec = FieldSpec(name="last_promotion", label="last promotion", ask="When?", type="date")
    result = normalize(spec, "Q3 last year", today=TODAY)
    assert isinstance(result, NormalizedValue)
    assert result.value == DateRange(date(2025, 7, 1), date(2025, 9, 30), "quarter")
    assert result.spoken == "the third quarter of 2025, July to September"


def test_past_direction_resolves_backwards_and_rejects_future():
    spec = FieldSpec(
        name="left_last_job", label="leaving date", ask="When?", type="date", direction="past"
    )
    result = normalize(spec, "the first of December", today=TODAY)
    assert isinstance(result, NormalizedValue) and result.value == date(2025, 12, 1)
    late = normalize(spec, "next Monday", today=TODAY)
    assert isinstance(late, Invalid) and late.code == "future_date"


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("May 2019", "2019-05"),
        ("March of 2025", "2025-03"),
        ("June last year", "2025-06"),
        ("twenty nineteen", "2019"),
        ("the 3rd of July 2020", "2020-07"),
    ],
)
def test_month_year(text, stored):
    assert accepted("graduation_date", text).json_value() == stored


def test_month_year_read_back():
    assert accepted("graduation_date", "May 2019").spoken == "May 2019"


# --- yes / no ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("yes", True),
        ("yep", True),
        ("yeah, definitely", True),
        ("sure, I'd be open to it", True),
        ("absolutely", True),
        ("of course", True),
        ("I don't mind", True),
        ("no problem", True),
        ("why not", True),
        ("I would", True),
        ("no", False),
        ("nope", False),
        ("nah", False),
        ("not really", False),
        ("absolutely not", False),
        ("I would not", False),
        ("I'd rather not relocate", False),
        ("No, my family is here", False),
    ],
)
def test_yes_no(text, value):
    result = accepted("willing_to_relocate", text)
    assert result.value is value
    assert result.spoken == ("yes" if value else "no")
    assert parse_yes_no(text) is value


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("it depends on the location", "ambiguous"),
        ("maybe", "ambiguous"),
        ("I'm not sure", "unsure"),
        ("banana", "no_value"),
    ],
)
def test_yes_no_unclear(text, code):
    assert invalid("willing_to_relocate", text).code == code
    assert parse_yes_no(text) is None


# --- choices ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("I'm a US citizen", "citizen"),
        ("citizen", "citizen"),
        ("I have a green card", "permanent_resident"),
        ("permanent resident", "permanent_resident"),
        ("permanant resident", "permanent_resident"),  # speech-to-text typo
        ("I'd need sponsorship", "visa_required"),
        ("I need a work visa", "visa_required"),
        ("I'm on an H-1B", "work_visa"),
        ("I don't need sponsorship, I'm a citizen", "citizen"),
        ("no, I'm a citizen", "citizen"),
        ("I'm not a citizen but I'm a permanent resident", "permanent_resident"),
    ],
)
def test_work_authorization(text, value):
    result = accepted("work_authorization", text)
    assert result.value == value
    label = {c.value: c.label for c in SPECS["work_authorization"].choices}[value]
    assert result.spoken == label


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("green card but I'll need sponsorship later", "ambiguous"),
        ("I don't need a visa", "no_value"),
        ("pizza", "no_value"),
    ],
)
def test_work_authorization_unclear(text, code):
    result = invalid("work_authorization", text)
    assert result.code == code
    assert "?" in result.reason


def test_match_choice_reports_negated_choices():
    matched, negated = match_choice(SPECS["work_authorization"], "I don't need sponsorship")
    assert matched == []
    assert negated == ["visa_required"]


@pytest.mark.parametrize(
    ("field", "text", "value"),
    [
        ("remote_preference", "fully remote please", "remote"),
        ("remote_preference", "a mix of both", "hybrid"),
        ("remote_preference", "in the office", "onsite"),
        ("employment_type", "full-time", "full_time"),
        ("employment_type", "I freelance, so contract", "contract"),
        ("highest_education", "I have an MBA", "master"),
        ("highest_education", "a PhD in physics", "doctorate"),
    ],
)
def test_other_choices(field, text, value):
    assert accepted(field, text).value == value


# --- free text --------------------------------------------------------------------------


def test_text_is_trimmed_and_fillers_dropped():
    result = accepted("current_location", "  um, Berlin,   Germany. ")
    assert result.value == "Berlin, Germany"
    assert result.spoken == "Berlin, Germany"


def test_text_is_cut_at_the_length_limit():
    long = "I live in " + "a very long place name " * 20
    result = accepted("current_location", long)
    assert isinstance(result.value, str)
    assert len(result.value) <= SPECS["current_location"].max_length
    assert result.value.startswith("I live in a very long")
    assert result.notes and "truncated" in result.notes[0]


def test_text_empty_is_invalid():
    assert invalid("current_location", "   ").code == "empty"
    assert invalid("current_location", "um").code == "empty"


# --- declining --------------------------------------------------------------------------

DECLINES = [
    "I'd rather not say",
    "I would rather not answer that",
    "prefer not to answer",
    "I'd prefer not to",
    "skip that",
    "can we skip this one?",
    "pass",
    "I'll pass",
    "I'll pass on that",
    "no comment",
    "I'm not comfortable sharing that",
    "I don't want to say",
    "That's private",
    "I'd rather keep that to myself",
]


@pytest.mark.parametrize("text", DECLINES)
@pytest.mark.parametrize(
    "field",
    [
        "expected_salary",
        "years_of_experience",
        "willing_to_relocate",
        "work_authorization",
        "earliest_start_date",
        "notice_period",
        "current_location",
    ],
)
def test_decline_detected_for_every_type(field, text):
    result = norm(field, text)
    assert isinstance(result, Declined), result
    assert result.field == field
    assert result.raw == text


@pytest.mark.parametrize(
    "text",
    [
        "I passed quota every year",
        "I have a passport",
        "No, I'd rather not relocate",
        "I can pass a background check",
        "yes",
        "a hundred and twenty k",
    ],
)
def test_not_a_decline(text):
    assert is_decline(text) is False


# --- general ------------------------------------------------------------------------------


def test_results_carry_field_name_and_raw_text():
    result = accepted("expected_salary", "120k")
    assert result.field == "expected_salary"
    assert result.type == "currency"
    assert result.raw == "120k"


def test_fallback_text_spec_keeps_the_answer():
    spec = SPECS.resolve("favourite_editor")
    result = normalize(spec, "Vim, obviously", today=TODAY)
    assert isinstance(result, NormalizedValue)
    assert result.value == "Vim, obviously"
    assert result.needs_confirmation is False


def test_today_is_respected():
    other_day = date(2027, 3, 1)  # a Monday
    result = normalize(SPECS["earliest_start_date"], "next Monday", today=other_day)
    assert isinstance(result, NormalizedValue)
    assert result.value == date(2027, 3, 8)
