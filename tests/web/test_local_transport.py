"""The local WebSocket transport's protocol, as the candidate page uses it: start, typed
answers, numbered messages replayed after a reconnect, refusals with clear reasons."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from tests.api.support import ADMIN, make_settings
from voicehire.api import create_app


@pytest.fixture
def client(tmp_path):
    settings = make_settings(
        tmp_path,
        transcript_dir=tmp_path / "transcripts",
        llm_provider="policy",
        tts_provider="none",
        stt_provider="none",
        openai_api_key=None,
        openai_base_url=None,
    )
    with TestClient(create_app(settings), base_url="http://127.0.0.1:8000") as c:
        yield c


def new_interview(client, mode: str = "ai_interview") -> dict:
    cand = client.post("/api/candidates", json={"name": "Ada"}, headers=ADMIN).json()
    res = client.post(
        "/api/interviews",
        json={"candidate_id": cand["id"], "plan": "mock", "mode": mode},
        headers=ADMIN,
    )
    assert res.status_code == 201, res.text
    return res.json()["interview"]


def read_until(ws, predicate, limit: int = 500) -> list[dict]:
    seen = []
    for _ in range(limit):
        msg = ws.receive_json()
        seen.append(msg)
        if predicate(msg):
            return seen
    raise AssertionError(f"condition not met in {limit} messages: {seen[-5:]}")


def data(messages: list[dict]) -> list[dict]:
    return [m for m in messages if m["type"] == "data"]


def test_typed_answer_and_replay_after_reconnect(client):
    interview = new_interview(client)
    url = f"/api/web/live/{interview['room_name']}"
    with client.websocket_connect(url) as ws:
        ws.send_json({"type": "hello", "lastSeq": 0})
        hello = ws.receive_json()
        assert hello["type"] == "session" and hello["started"] is False
        ws.send_json({"type": "start"})
        first = read_until(ws, lambda m: m["type"] == "turn")
        ws.send_json({"type": "answer", "text": "I build payment systems in Python at Acme."})
        read_until(
            ws,
            lambda m: m["type"] == "data" and m["message"].get("isAI") is False,
        )
    # The page went away; the interviewer goes on (acknowledges, asks the next thing).
    got = data(first)
    last = got[-1]["seq"]
    assert [m["seq"] for m in got] == list(range(1, last + 1))
    assert client.get(f"/api/interviews/{interview['id']}", headers=ADMIN).json()["status"] == (
        "in_progress"
    )

    with client.websocket_connect(url) as ws:
        ws.send_json({"type": "hello", "lastSeq": last})
        snap = ws.receive_json()
        assert snap["type"] == "session" and snap["started"] is True
        assert snap["stage"]["title"] == "Self-introduction"
        replay = read_until(ws, lambda m: m["type"] == "data" and m["message"].get("isAI") is False)
        seqs = [m["seq"] for m in data(replay)]
        assert seqs[0] == last + 1 and seqs == list(range(last + 1, seqs[-1] + 1))
        ws.send_json({"type": "control", "data": {"type": "end_interview"}})
        ended = read_until(
            ws, lambda m: m["type"] == "data" and m["message"]["type"] == "interview_ended"
        )
        assert ended[-1]["message"]["reason"] == "manual_end"

    status = client.get(f"/api/interviews/{interview['id']}", headers=ADMIN).json()
    assert status["status"] == "completed" and status["end_reason"] == "manual_end"
    transcripts = client.get(f"/api/interviews/{interview['id']}/transcripts", headers=ADMIN)
    assert [t["kind"] for t in transcripts.json()] == ["full"]

    with client.websocket_connect(url) as ws:  # a finished interview cannot be rejoined
        ws.send_json({"type": "hello", "lastSeq": 0})
        snap = ws.receive_json()
        assert snap["ended"] is True


def test_unsupported_mode_is_refused_with_a_clear_message(client):
    interview = new_interview(client, mode="gap_filling")
    with client.websocket_connect(f"/api/web/live/{interview['room_name']}") as ws:
        ws.send_json({"type": "hello", "lastSeq": 0})
        ws.receive_json()
        ws.send_json({"type": "start"})
        error = read_until(ws, lambda m: m["type"] == "error")[-1]
    assert error["code"] == "mode_not_supported"
    assert "gap-filling" in error["message"]


def test_cross_origin_and_unknown_rooms_are_refused(client):
    interview = new_interview(client)
    url = f"/api/web/live/{interview['room_name']}"
    with (
        pytest.raises(WebSocketDisconnect) as refused,
        client.websocket_connect(url, headers={"origin": "https://evil.example"}) as ws,
    ):
        ws.receive_json()
    assert refused.value.code == 4403
    with (
        pytest.raises(WebSocketDisconnect) as unknown,
        client.websocket_connect("/api/web/live/interview-nope") as ws,
    ):
        ws.receive_json()
    assert unknown.value.code == 4404
