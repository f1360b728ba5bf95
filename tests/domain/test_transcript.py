"""Transcripts as typed models: the seed-000 files written before the models existed read
back and are written again byte for byte; readers get attributes, not dict lookups."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from voicehire.domain.transcript import (
    AskedQuestion,
    FullTranscript,
    SessionInfo,
    StageDocument,
    StageTranscript,
    Utterance,
    full_document,
    stage_document,
)

FIXTURES = Path(__file__).parent / "fixtures"
# Written by `voicehire interview` / `voicehire call` with the code before the models.
FULL = ["interview_full.json", "gap_filling_full.json", "briefing_full.json"]


def _dump(doc: dict) -> str:
    # How storage.transcripts.LocalTranscriptStore writes a document.
    return json.dumps(doc, ensure_ascii=False, indent=2)


@pytest.mark.parametrize("name", FULL)
def test_full_transcripts_round_trip_byte_for_byte(name):
    raw = (FIXTURES / name).read_text(encoding="utf-8")
    transcript = FullTranscript.model_validate_json(raw)
    assert _dump(transcript.to_json()) == raw


def test_stage_document_of_a_running_session_round_trips():
    raw = (FIXTURES / "interview_stage.json").read_text(encoding="utf-8")
    doc = StageDocument.model_validate_json(raw)
    assert doc.session_info.ended_at is None  # written while the interview went on
    assert _dump(doc.to_json()) == raw


def test_typed_accessors_of_an_interview_transcript():
    t = FullTranscript.model_validate_json((FIXTURES / "interview_full.json").read_text())
    assert t.session_info.session_type == "ai_interview"
    assert t.session_info.total_stages == len(t.stages) == 4
    assert t.stages[0].stage == "greeting"
    intro = t.stage("self_introduction")
    assert intro is not None and intro.end_reason
    assert intro.candidate_lines() and all(u.role == "candidate" for u in intro.candidate_lines())
    assert all(u.role == "agent" for u in intro.agent_lines())
    times = [u.timestamp for u in t.full_conversation]
    assert times == sorted(times)
    assert t.metadata.kind == "full" and t.metadata_value("plan")["id"] == "mock"


def test_mode_results_stay_in_the_metadata():
    t = FullTranscript.model_validate_json((FIXTURES / "gap_filling_full.json").read_text())
    assert t.session_info.session_type == "gap_filling"
    assert t.metadata_value("gapFilling")["filled"][0]["field"] == "expected_salary"


def test_documents_built_from_models_have_the_seed_shape():
    info = SessionInfo(interview_id="i 1/x", participant_name="Ada", started_at=1_000)
    stage = StageTranscript(stage="greeting", title="Greeting", started_at=1_000)
    stage.conversation.append(
        Utterance(
            role="agent",
            participant_id="agent",
            participant_name="Alex",
            message="Hello",
            timestamp=1_100,
            stage="greeting",
        )
    )
    stage.conversation.append(
        Utterance(
            role="candidate",
            participant_id="c",
            participant_name="Ada",
            message="Hi",
            timestamp=1_050,
            stage="greeting",
        )
    )
    stage.ended_at = 3_500
    info.ended_at, info.end_reason = 4_000, "completed"
    doc = full_document(info, [stage], {"mode": "ai_interview"})
    assert list(doc) == ["sessionInfo", "stages", "fullConversation", "metadata"]
    assert list(doc["sessionInfo"]) == [
        "interviewId",
        "participantName",
        "roomName",
        "sessionType",
        "planId",
        "interviewRole",
        "interviewType",
        "startedAt",
        "endedAt",
        "durationSeconds",
        "totalStages",
        "endReason",
    ]
    assert doc["sessionInfo"]["durationSeconds"] == 3.0
    assert doc["sessionInfo"]["totalStages"] == 1
    assert doc["stages"][0]["durationSeconds"] == 2.5
    assert [u["message"] for u in doc["fullConversation"]] == ["Hi", "Hello"]
    assert doc["fullConversation"][1] == {
        "type": "transcription",
        "participantId": "agent",
        "participantName": "Alex",
        "message": "Hello",
        "timestamp": 1_100,
        "isAI": True,
        "stage": "greeting",
        "questionId": None,
        "kind": "speech",
        "offsetMs": None,
    }
    assert doc["metadata"]["kind"] == "full" and doc["metadata"]["mode"] == "ai_interview"
    sdoc = stage_document(info, stage, total_stages=2)
    assert sdoc["metadata"]["kind"] == "stage" and sdoc["sessionInfo"]["totalStages"] == 2
    # the live object is not changed by writing documents of it
    assert info.total_stages == 0
    assert FullTranscript.model_validate(doc).to_json() == doc


def test_a_document_that_is_not_a_transcript_is_refused_with_the_field_named():
    with pytest.raises(ValidationError) as exc:
        FullTranscript.model_validate({"stages": []})
    assert "sessionInfo" in str(exc.value)
    with pytest.raises(ValidationError, match="role must be 'agent' or 'candidate'"):
        Utterance(role="recruiter", message="x")


def test_positional_construction_as_before_the_models():
    u = Utterance("candidate", "c", "Ada", "Hi", 5, "greeting", "q1", "speech")
    assert (u.role, u.participant_name, u.question_id, u.is_ai) == ("candidate", "Ada", "q1", False)
    q = AskedQuestion("q1", "Why?", 7)
    assert q.to_json() == {"id": "q1", "text": "Why?", "askedAt": 7}
    with pytest.raises(TypeError, match="at most 3 positional"):
        AskedQuestion("q1", "Why?", 7, 8)
    with pytest.raises(TypeError, match="'id' twice"):
        AskedQuestion("q1", id="q2", text="x", asked_at=1)
