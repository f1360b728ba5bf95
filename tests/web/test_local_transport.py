"""The local WebSocket transport's protocol, as the candidate page uses it: start, typed
answers, numbered messages replayed after a reconnect, refusals with clear reasons."""

from __future__ import annotations

import time

import pytest
from starlette.websockets import WebSocketDisconnect

from tests.api.support import ADMIN


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


def wait_for(fetch, predicate, timeout: float = 20.0):
    """Poll ``fetch()`` until ``predicate`` holds (the end is stored just after the page
    hears about it)."""
    deadline = time.monotonic() + timeout
    while True:
        value = fetch()
        if predicate(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


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

    status = wait_for(
        lambda: client.get(f"/api/interviews/{interview['id']}", headers=ADMIN).json(),
        lambda doc: doc["status"] != "in_progress",
    )
    assert status["status"] == "completed" and status["end_reason"] == "manual_end"
    transcripts = client.get(f"/api/interviews/{interview['id']}/transcripts", headers=ADMIN)
    assert [t["kind"] for t in transcripts.json()] == ["full"]

    with client.websocket_connect(url) as ws:  # a finished interview cannot be rejoined
        ws.send_json({"type": "hello", "lastSeq": 0})
        snap = ws.receive_json()
        assert snap["ended"] is True


def test_gap_filling_call_saves_the_answer_to_the_candidate_record(client):
    cand = client.post(
        "/api/candidates",
        json={"name": "Priya Shah", "missing_required": ["notice_period", "remote_preference"]},
        headers=ADMIN,
    ).json()
    interview = client.post(
        "/api/interviews",
        json={"candidate_id": cand["id"], "mode": "gap_filling"},
        headers=ADMIN,
    ).json()["interview"]
    with client.websocket_connect(f"/api/web/live/{interview['room_name']}") as ws:
        ws.send_json({"type": "hello", "lastSeq": 0})
        ws.receive_json()
        ws.send_json({"type": "start"})
        opening = read_until(ws, lambda m: m["type"] == "turn")
        said = " ".join(m["message"]["message"] for m in data(opening) if m["message"].get("isAI"))
        assert "how much notice" in said.lower()
        ws.send_json({"type": "answer", "text": "Three weeks"})
        read_until(ws, lambda m: m["type"] == "data" and m["message"].get("type") == "field_update")
        ws.send_json({"type": "control", "data": {"type": "end_interview"}})
        read_until(ws, lambda m: m["type"] == "data" and m["message"]["type"] == "interview_ended")
    wait_for(
        lambda: client.get(f"/api/interviews/{interview['id']}/result", headers=ADMIN),
        lambda res: res.status_code == 200,
    )
    record = client.get(f"/api/candidates/{cand['id']}", headers=ADMIN).json()
    assert "notice_period" in record["extracted_data"]
    assert "notice_period" not in record["missing_required"]
    result = client.get(f"/api/interviews/{interview['id']}/result", headers=ADMIN)
    assert result.status_code == 200


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


def test_cancelling_ends_the_running_session_and_the_link(client):
    interview = new_interview(client)
    room = interview["room_name"]
    url = f"/api/web/live/{room}"
    with client.websocket_connect(url) as ws:
        ws.send_json({"type": "hello", "lastSeq": 0})
        ws.receive_json()
        ws.send_json({"type": "start"})
        read_until(ws, lambda m: m["type"] == "turn")
        res = client.post(f"/api/interviews/{interview['id']}/cancel", headers=ADMIN)
        assert res.status_code == 200 and res.json()["status"] == "cancelled"
        told = read_until(ws, lambda m: m["type"] == "error")
        assert told[-1]["code"] == "ended" and "cancelled" in told[-1]["message"]
        ended = read_until(
            ws, lambda m: m["type"] == "data" and m["message"]["type"] == "interview_ended"
        )
        assert ended[-1]["message"]["reason"] == "cancelled_by_admin"
        # the interviewer says nothing more after the end
        ws.send_json({"type": "answer", "text": "Hello? Are you still there?"})
    stored = wait_for(
        lambda: client.get(f"/api/interviews/{interview['id']}/transcripts", headers=ADMIN).json(),
        lambda items: bool(items),
    )
    assert [t["kind"] for t in stored] == ["full"]  # what was said is kept
    got = client.get(f"/api/interviews/{interview['id']}", headers=ADMIN).json()
    assert got["status"] == "cancelled" and got["end_reason"] == "cancelled_by_admin"
    join = client.get(f"/api/web/join/{room}").json()
    assert join["status"] == "cancelled" and "token" not in join
    assert join["message"].startswith("This interview was cancelled by the hiring team")


def test_cancelling_before_the_start_closes_the_page_and_it_cannot_start(client):
    interview = new_interview(client)
    url = f"/api/web/live/{interview['room_name']}"
    with client.websocket_connect(url) as ws:
        ws.send_json({"type": "hello", "lastSeq": 0})
        assert ws.receive_json()["started"] is False
        client.post(f"/api/interviews/{interview['id']}/cancel", headers=ADMIN)
        told = ws.receive_json()
        assert told["type"] == "error" and "cancelled" in told["message"]
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
        assert closed.value.code == 4000
    with client.websocket_connect(url) as ws:  # the link cannot start it any more
        refused = ws.receive_json()
        assert refused["type"] == "error" and refused["code"] == "ended"
        assert "cancelled" in refused["message"]
    assert (
        client.get(f"/api/interviews/{interview['id']}", headers=ADMIN).json()["status"]
        == "cancelled"
    )
