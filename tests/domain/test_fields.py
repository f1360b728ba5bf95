from pathlib import Path

import pytest

from voicehire.domain.fields import (
    FIELD_TYPES,
    FieldSpec,
    FieldSpecError,
    UnknownFieldError,
    canonical_name,
    fallback_spec,
    load_field_specs,
    parse_field_specs,
)

BUILTIN_TYPES = {
    "years_of_experience": "number",
    "current_salary": "currency",
    "expected_salary": "currency",
    "hourly_rate": "currency",
    "notice_period": "duration",
    "quota_attainment": "percentage",
    "work_authorization": "choice",
    "requires_sponsorship": "yes_no",
    "willing_to_relocate": "yes_no",
    "willing_to_travel": "yes_no",
    "earliest_start_date": "date",
    "remote_preference": "choice",
    "employment_type": "choice",
    "highest_education": "choice",
    "graduation_date": "month_year",
    "team_size_managed": "integer",
    "current_location": "text",
    "current_title": "text",
    "current_company": "text",
    "languages": "text",
}


def test_builtin_specs_load_with_expected_names_and_types():
    registry = load_field_specs()
    assert {name: registry[name].type for name in registry} == BUILTIN_TYPES
    for spec in registry.values():
        assert spec.label and spec.ask.endswith("?"), spec.name


def test_every_declared_type_is_used_by_a_builtin():
    assert set(BUILTIN_TYPES.values()) == set(FIELD_TYPES)


def test_money_and_dates_are_read_back_by_default():
    registry = load_field_specs()
    confirmed = {name for name, spec in registry.items() if spec.needs_confirmation}
    assert confirmed == {
        "current_salary",
        "expected_salary",
        "hourly_rate",
        "earliest_start_date",
        "graduation_date",
    }


def test_work_authorization_choices():
    spec = load_field_specs()["work_authorization"]
    assert [c.value for c in spec.choices] == [
        "citizen",
        "permanent_resident",
        "work_visa",
        "visa_required",
    ]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("yearsOfExperience", "years_of_experience"),
        ("Years of experience", "years_of_experience"),
        ("years-of-experience", "years_of_experience"),
        ("  notice_period ", "notice_period"),
    ],
)
def test_names_are_matched_loosely(given, expected):
    assert canonical_name(given) == expected
    assert load_field_specs()[given].name == expected


def test_aliases_resolve_to_the_spec():
    registry = load_field_specs()
    assert registry["salary_expectations"].name == "expected_salary"
    assert registry["startDate"].name == "earliest_start_date"
    assert "visa_status" in registry


def test_unknown_field_strict_lookup_raises_a_readable_error():
    registry = load_field_specs()
    with pytest.raises(UnknownFieldError) as info:
        registry["favourite_colour"]
    message = str(info.value)
    assert "favourite_colour" in message
    assert "years_of_experience" in message
    assert "field spec YAML" in message
    assert registry.get("favourite_colour") is None


def test_unknown_field_lenient_lookup_gives_a_free_text_fallback(caplog):
    registry = load_field_specs()
    with caplog.at_level("WARNING"):
        spec = registry.resolve("linkedInProfile")
    assert spec.fallback is True
    assert spec.type == "text"
    assert spec.name == "linked_in_profile"
    assert "linked in profile" in spec.ask
    assert "linkedInProfile" in caplog.text
    assert "linked_in_profile" not in registry  # not added


def test_fallback_spec_for_odd_names():
    assert fallback_spec("2nd language").name == "field_2nd_language"
    assert fallback_spec("!!!").name == "field"


def test_user_file_adds_and_overrides(tmp_path: Path):
    path = tmp_path / "fields.yaml"
    path.write_text(
        """
fields:
  - name: github_stars
    label: GitHub stars
    ask: How many stars does your best project have?
    type: integer
    min: 0
  - name: notice_period
    label: notice period
    ask: How long is your notice period?
    type: duration
    unit: days
    max: 180
""",
        encoding="utf-8",
    )
    registry = load_field_specs([path])
    assert registry["github_stars"].type == "integer"
    assert registry["github_stars"].min_value == 0
    assert registry["notice_period"].max_value == 180
    assert registry["notice_period"].ask == "How long is your notice period?"
    assert "years_of_experience" in registry


def test_mapping_form_and_inline_specs():
    registry = load_field_specs(
        extra_specs={
            "shift_preference": {
                "label": "shift",
                "ask": "Day or night shift?",
                "type": "choice",
                "choices": ["day", "night"],
            }
        }
    )
    spec = registry["shift_preference"]
    assert [c.value for c in spec.choices] == ["day", "night"]
    assert spec.choices[0].label == "day"


def test_without_builtins():
    registry = load_field_specs(
        include_builtin=False, extra_specs=[{"name": "x_field", "label": "x", "ask": "What is x?"}]
    )
    assert list(registry) == ["x_field"]


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("fields: [ {name: a, label: a, ask: 'What is a?', type: colour} ]", "type"),
        (
            "fields: [ {name: a, label: a, ask: 'What?', type: choice, choices: [x]} ]",
            "at least two choices",
        ),
        (
            "fields: [ {name: a, label: a, ask: 'What?', type: integer, min: 5, max: 1} ]",
            "min must not be greater than max",
        ),
        (
            "fields: [ {name: a, label: a, ask: 'What?', type: text, choices: [x, y]} ]",
            "only allowed on choice",
        ),
        ("fields: [ {name: a, label: a, ask: 'What?', colour: red} ]", "colour"),
        (
            "fields: [ {name: a, label: a, ask: 'What?'}, {name: a, label: b, ask: 'Why?'} ]",
            "defined twice",
        ),
        ("fields: 3", "expected a mapping"),
        ("fields: [ {name: a, label: a, ask: 'x: [' ", "not valid YAML"),
    ],
)
def test_bad_user_files_name_the_problem(tmp_path: Path, content, needle):
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FieldSpecError) as info:
        load_field_specs([path])
    assert needle in str(info.value)
    assert str(path) in str(info.value)


def test_missing_user_file():
    with pytest.raises(FieldSpecError, match="does not exist"):
        load_field_specs(["/nonexistent/fields.yaml"])


def test_min_max_aliases_and_period_only_on_currency():
    spec = FieldSpec.model_validate(
        {"name": "x", "label": "x", "ask": "What?", "type": "number", "min": 1, "max": 2}
    )
    assert (spec.min_value, spec.max_value) == (1, 2)
    with pytest.raises(FieldSpecError, match="period"):
        parse_field_specs([{"name": "x", "label": "x", "ask": "What?", "period": "hour"}])


def test_specs_are_immutable():
    spec = load_field_specs()["expected_salary"]
    with pytest.raises(ValueError):
        spec.label = "other"  # type: ignore[misc]
