"""The candidate record: the API's schema, typed, with what other systems send kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from voicehire.domain.candidate import CandidateRecord

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE = Path(__file__).parents[2] / "examples" / "candidates" / "priya_shah.json"


def test_the_example_record_reads_and_writes_back_unchanged():
    doc = json.loads(EXAMPLE.read_text())
    record = CandidateRecord.model_validate(doc)
    assert record.display_name == "Priya Shah"
    assert record.extracted_data.values() == {"languages": "English, Hindi"}
    assert record.missing_fields()[0] == "expected_salary"
    assert record.to_record() == doc


def test_other_spellings_and_unknown_keys_are_accepted_and_kept():
    record = CandidateRecord.model_validate(
        {
            "id": 42,
            "profile": {"name": " Ada "},
            "missingRequired": ["Notice Period", "salary"],
            "extractedData": {"notice_period": 30},
            "recruiterNotes": ["+ strong"],
            "current_title": "SRE",
            "source": "ats",
        }
    )
    assert record.id == "42" and record.display_name == "Ada"
    assert record.missing_fields() == ["salary"]  # notice period already has a value
    assert record.notes == ["+ strong"]
    assert record.model_extra == {"current_title": "SRE", "source": "ats"}
    data = record.briefing_data()
    assert data.candidate.current_title == "SRE" and data.recruiter_notes == ["+ strong"]


def test_a_record_after_a_gap_filling_call():
    record = CandidateRecord.model_validate_json(
        (FIXTURES / "candidate_after_gap_filling.json").read_text()
    )
    statuses = record.field_statuses
    assert statuses["expected_salary"].status == "filled"
    assert statuses["expected_salary"].value == {
        "currency": "USD",
        "period": "year",
        "amount": 140000,
    }
    result = record.gap_filling_result()
    assert result is not None
    assert {f.field for f in result.filled} >= {"expected_salary", "notice_period"}
    assert [d.field for d in result.declined] == ["earliest_start_date"]
    assert "gap_filling_status" not in record.extracted_data.values()
    briefing = record.briefing_data()
    assert briefing.gap_filling == result
    # an explicit result wins over the saved statuses
    assert record.briefing_data(gap_filling={"filled": []}).gap_filling.filled == []


def test_unconfirmed_retracted_and_junk_statuses():
    record = CandidateRecord.model_validate(
        {
            "name": "Bo",
            "extracted_data": {
                "gap_filling_status": {
                    "expected_salary": {"status": "unconfirmed", "value": 90000, "raw": "90k"},
                    "notice_period": {"status": "retracted", "value": None},
                    "weird": "not an entry",
                }
            },
        }
    )
    result = record.gap_filling_result()
    assert result is not None
    assert [(f.field, f.confirmed, f.spoken) for f in result.filled] == [
        ("expected_salary", False, "90000")
    ]
    assert [u.field for u in result.unresolved] == ["notice_period"]
    assert CandidateRecord(name="Cy").gap_filling_result() is None


def test_wrong_shapes_are_refused_naming_the_field():
    with pytest.raises(ValidationError, match="missing_required"):
        CandidateRecord.model_validate({"name": "A", "missing_required": "salary"})
    with pytest.raises(ValidationError, match="extracted_data"):
        CandidateRecord.model_validate({"name": "A", "extracted_data": ["x"]})


def test_a_record_from_another_system_never_fails_the_call():
    record, problems = CandidateRecord.lenient(
        {"name": "Di", "missing_required": "salary", "extracted_data": ["x"], "notes": "ok"}
    )
    assert (record.display_name, record.notes, record.missing_required) == ("Di", "ok", [])
    assert sorted(p.split("=")[0] for p in problems) == [
        "candidate record: extracted_data",
        "candidate record: missing_required",
    ]
    assert CandidateRecord.lenient({"name": "Ed"}) == (CandidateRecord(name="Ed"), [])
