"""Session configuration from seed-format metadata: never trusted, never fatal."""

from __future__ import annotations

import json

import pytest

from voicehire.interview.config import SessionConfig, parse_session_config

SEED = {
    "sessionType": "ai_interview",
    "maxDuration": 1800,
    "enableTranscription": True,
    "enableRecording": False,
    "interviewRole": "Software Engineer",
    "interviewType": "technical",
}


def test_seed_example_parses_without_problems():
    parsed = parse_session_config(json.dumps(SEED))
    assert parsed.problems == []
    assert parsed.config == SessionConfig()


def test_later_documents_win_and_unknown_keys_are_kept():
    room = {"interviewRole": "Data Engineer", "interviewId": 12345}
    job = {"interviewRole": "ML Engineer", "missing_required": ["notice_period"]}
    c = parse_session_config(json.dumps(room), job).config
    assert c.interview_role == "ML Engineer"
    assert c.interview_id == "12345"
    assert c.extra == {"missing_required": ["notice_period"]}


@pytest.mark.parametrize("raw", ["", None, b"", "{}"])
def test_missing_metadata_gives_defaults(raw):
    parsed = parse_session_config(raw, default_max_duration=900)
    assert parsed.problems == []
    assert parsed.config.max_duration == 900
    assert parsed.config.session_type == "ai_interview"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        (b"\xff\xfe", "not valid JSON"),
        ('{"maxDuration": 3}', "maxDuration=3 is invalid (must be between 10 and 21600"),
        ('{"maxDuration": true}', "maxDuration=True is invalid"),
        ('{"sessionType": "sales_call"}', "must be one of ai_interview, gap_filling, briefing"),
        ('{"enableRecording": "perhaps"}', "expected true or false"),
        ('{"interviewRole": ""}', "interviewRole='' is invalid"),
        ('{"candidateName": {"first": "A"}}', "expected text"),
    ],
)
def test_bad_metadata_names_the_problem_and_keeps_defaults(raw, fragment):
    parsed = parse_session_config(raw)
    assert len(parsed.problems) == 1
    assert fragment in parsed.problems[0]
    assert parsed.config.session_type == "ai_interview"


def test_string_and_numeric_forms_are_accepted():
    c = parse_session_config(
        {
            "maxDuration": "600",
            "enableRecording": "true",
            "sessionType": "briefing",
            "interviewType": "Behavioral",
        }
    ).config
    assert (c.max_duration, c.enable_recording, c.session_type, c.interview_type) == (
        600,
        True,
        "briefing",
        "behavioral",
    )


def test_round_trip_through_metadata():
    c = SessionConfig(
        interview_id="i-1", candidate_name="Ada", plan="mock", wait_for_start=True, extra={"x": 1}
    )
    assert parse_session_config(json.dumps(c.to_metadata())).config == c
