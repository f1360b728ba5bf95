"""Session configuration from seed-format metadata: never trusted, never fatal."""

from __future__ import annotations

import json

import pytest

from voicehire.domain.config import METADATA, SessionConfig, parse_session_config

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


# --- the typed model: every key, spellings by AliasChoices, field-by-field fallback --------


def test_call_inputs_are_typed_and_stay_in_extra_as_sent():
    doc = {
        "sessionType": "gap_filling",
        "candidateName": "Priya",
        "missingRequired": ["notice_period"],
        "timeBudget": "90",
        "fieldSpecs": [{"name": "shoe_size", "type": "number", "ask": "Shoe size?"}],
        "gap_filling": {"filled": []},
        "earlierInterviews": [{"score": 7}],
        "userName": "Dana",
        "jobLevel": "senior",
        "requiredSkills": ["Go"],
        "waitForStart": "yes",
        "somethingElse": 1,
    }
    parsed = parse_session_config(doc)
    assert parsed.problems == []
    c = parsed.config
    assert (c.missing_required, c.time_budget, c.interviewer_name) == (
        ["notice_period"],
        90.0,
        "Dana",
    )
    assert c.gap_filling == {"filled": []} and c.interviews == [{"score": 7}]
    assert (c.job_level, c.required_skills, c.wait_for_start) == ("senior", ["Go"], True)
    assert c.field_specs == doc["fieldSpecs"]
    assert "waitForStart" not in c.extra and c.extra["somethingElse"] == 1
    assert c.extra["timeBudget"] == "90"  # as sent
    meta, problems = c.call_metadata()
    assert meta.time_budget == 90.0 and problems == []
    again = parse_session_config(json.dumps(c.to_metadata())).config
    assert again == c


@pytest.mark.parametrize(
    ("doc", "fragment", "attr"),
    [
        (
            {"timeBudget": -5},
            "timeBudget=-5 is invalid (must be more than 0 seconds)",
            "time_budget",
        ),
        ({"missing_required": "salary"}, "expected a list of names", "missing_required"),
        ({"candidate": ["x"]}, "candidate=['x'] is invalid", "candidate"),
        ({"interviews": {"a": 1}}, "interviews={'a': 1} is invalid", "interviews"),
    ],
)
def test_a_bad_call_input_falls_back_alone(doc, fragment, attr):
    parsed = parse_session_config(
        {"sessionType": "briefing", "interviewId": "i-9", "job": {"title": "SRE"}, **doc}
    )
    assert len(parsed.problems) == 1 and fragment in parsed.problems[0]
    c = parsed.config
    assert getattr(c, attr) is None
    # every other field kept its value
    assert (c.session_type, c.interview_id, c.job) == ("briefing", "i-9", {"title": "SRE"})


def test_metadata_documents_merge_room_then_job_then_api():
    room = '{"interviewRole": "Data Engineer", "timeBudget": 60, "candidateName": "A"}'
    job = b'{"timeBudget": 120}'
    api = {"candidateName": "Bea", "maxDuration": 900}
    c = parse_session_config(room, job, api).config
    assert (c.interview_role, c.time_budget, c.candidate_name, c.max_duration) == (
        "Data Engineer",
        120.0,
        "Bea",
        900,
    )


def test_the_strict_model_reads_a_document_in_any_spelling():
    c = SessionConfig.model_validate(
        {"mode": "briefing", "role": "SRE", "participantName": "Kim", "user_name": "Lee"}
    )
    assert (c.session_type, c.interview_role, c.candidate_name, c.interviewer_name) == (
        "briefing",
        "SRE",
        "Kim",
        "Lee",
    )
    assert c.extra == {"user_name": "Lee"}  # as sent
    with pytest.raises(ValueError, match="must be one of"):
        SessionConfig.model_validate({"sessionType": "sales_call"})
    # metadata may ask for 10 s to 6 h; code (a test, the CLI) may set any positive length
    with pytest.raises(ValueError, match="between 10 and 21600"):
        SessionConfig.model_validate({"maxDuration": 3}, context=METADATA)
    assert SessionConfig(max_duration=1).max_duration == 1
    with pytest.raises(ValueError, match="more than 0"):
        SessionConfig(max_duration=0)


def test_keywords_and_extra_agree():
    by_keyword = SessionConfig(session_type="gap_filling", missing_required=["salary"])
    by_extra = SessionConfig(session_type="gap_filling", extra={"missing_required": ["salary"]})
    assert by_keyword == by_extra
    assert by_keyword.to_metadata()["missing_required"] == ["salary"]
    renamed = by_keyword.updated(candidate_name="Ola")
    assert renamed.candidate_name == "Ola" and renamed.missing_required == ["salary"]
    with pytest.raises(ValueError, match="expected text"):
        by_keyword.updated(candidate_name=["x"])


def test_the_candidate_record_from_metadata():
    c = parse_session_config(
        {
            "candidateId": "c-1",
            "candidateName": "Priya",
            "candidate": {"profile": {"current_title": "SRE"}},
            "missing_required": ["notice_period"],
            "recruiterNotes": "+ calm",
        }
    ).config
    record = c.candidate_record()
    assert (record.id, record.display_name, record.missing_required, record.notes) == (
        "c-1",
        "Priya",
        ["notice_period"],
        "+ calm",
    )
    assert record.profile == {"current_title": "SRE"}
    # the record's own values win over the session's
    c2 = parse_session_config({"candidateName": "X", "candidate": {"name": "Yu"}}).config
    assert c2.candidate_record().display_name == "Yu"
    assert SessionConfig().candidate_record().display_name is None
