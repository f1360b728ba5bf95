"""JSON Schemas of the contracts: one file per contract, and they describe the documents
the code really writes (the web app's TypeScript types are generated from them)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema_rs
import pytest

from voicehire.domain.schemas import CONTRACTS, main

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def schemas(tmp_path_factory) -> dict[str, dict]:
    out = tmp_path_factory.mktemp("schemas")
    assert main([str(out)], out=lambda _line: None) == 0
    return {p.name.removesuffix(".schema.json"): json.loads(p.read_text()) for p in out.iterdir()}


def test_one_schema_file_per_contract(schemas):
    assert sorted(schemas) == sorted(c.name for c in CONTRACTS)
    for doc in schemas.values():
        jsonschema_rs.Draft202012Validator(doc)  # each is a valid 2020-12 schema


@pytest.mark.parametrize("name", ["interview_full", "gap_filling_full", "briefing_full"])
def test_written_transcripts_match_the_schema(schemas, name):
    validator = jsonschema_rs.Draft202012Validator(schemas["full-transcript"])
    doc = json.loads((FIXTURES / f"{name}.json").read_text())
    validator.validate(doc)
    del doc["sessionInfo"]
    assert not validator.is_valid(doc)


def test_stage_document_and_candidate_record_match(schemas):
    stage = json.loads((FIXTURES / "interview_stage.json").read_text())
    jsonschema_rs.Draft202012Validator(schemas["stage-transcript"]).validate(stage)
    record = json.loads((FIXTURES / "candidate_after_gap_filling.json").read_text())
    validator = jsonschema_rs.Draft202012Validator(schemas["candidate-record"])
    validator.validate(record)
    assert not validator.is_valid({**record, "missing_required": "salary"})


def test_the_written_schema_requires_every_field_of_an_utterance(schemas):
    required = schemas["utterance"]["required"]
    assert {"type", "participantId", "message", "timestamp", "isAI", "stage", "kind"} <= set(
        required
    )


def test_command_line(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "voicehire.domain.schemas", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert len(list((tmp_path / "out").glob("*.schema.json"))) == len(CONTRACTS)
    bad = subprocess.run(
        [sys.executable, "-m", "voicehire.domain.schemas"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2 and "OUT_DIR" in bad.stderr


def test_session_metadata_schema_lists_the_seed_keys(schemas):
    doc = schemas["session-metadata"]
    assert {"sessionType", "maxDuration", "interviewRole", "waitForStart", "timeBudget"} <= set(
        doc["properties"]
    )
    assert "extra" not in doc["properties"] and doc["additionalProperties"] is True
    validator = jsonschema_rs.Draft202012Validator(doc)
    validator.validate({"sessionType": "ai_interview", "maxDuration": 1800, "anyOtherKey": 1})
    assert not validator.is_valid({"sessionType": "ai_interview", "maxDuration": "long"})


def test_wire_messages_as_published_match_the_message_schemas(schemas):
    from voicehire.domain.messages import (
        AnswerFrame,
        DataFrame,
        InterviewEndedMessage,
        StageMessage,
        TurnFrame,
    )
    from voicehire.domain.transcript import Utterance

    data = jsonschema_rs.Draft202012Validator(schemas["data-message"])
    line = Utterance("agent", "agent", "Alex", "Hello", 5, "greeting", None, "speech")
    data.validate(line.to_json())  # a transcript line is a transcription message
    ended = InterviewEndedMessage(reason="completed", timestamp=9).to_wire()
    assert "mode" not in ended
    data.validate(ended)
    assert not data.is_valid({"reason": "completed", "timestamp": 9})  # no type
    assert not data.is_valid({"type": "stage", "stage": "greeting"})  # fields missing
    server = jsonschema_rs.Draft202012Validator(schemas["server-frame"])
    stage = StageMessage(stage="greeting", title="Greeting", index=0, total=4, timestamp=1)
    server.validate(DataFrame(seq=1, topic="transcription", message=stage).to_wire())
    server.validate(TurnFrame().to_wire())
    # the generated types can rely on every non-null field being present
    assert "type" in schemas["data-message"]["$defs"]["StageMessage"]["required"]
    browser = jsonschema_rs.Draft202012Validator(schemas["browser-frame"])
    browser.validate(AnswerFrame(text="I led the ledger rewrite").to_wire())
    assert not browser.is_valid({"type": "answer", "text": "x" * 5000})
    control = jsonschema_rs.Draft202012Validator(schemas["control-message"])
    control.validate({"type": "end_interview", "data": {"reason": "manual"}})
    assert not control.is_valid({"type": "reboot"})
