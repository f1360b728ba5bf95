"""The local WebSocket transport under a candidate's odd or hostile input (issue 12):
lone surrogates (item 4), answers sent while the agent is thinking (item 7), oversized
control frames (item 11). The socket stays open, the session goes on, nothing is lost."""

from __future__ import annotations

import json

import pytest

from tests.api.support import ADMIN
from tests.web.test_local_transport import new_interview, read_until, wait_for
from voicehire.web.local.protocol import MAX_TEXT_FRAME
from voicehire.web.local.session import MAX_QUEUED_ANSWERS

ANSWER = "I build payment systems in Python at Acme, mostly ledgers and reconciliation."


def started(ws) -> list[dict]:
    ws.send_json({"type": "hello", "lastSeq": 0})
    assert ws.receive_json()["type"] == "session"
    ws.send_json({"type": "start"})
    return read_until(ws, lambda m: m["type"] == "turn")


def end(ws) -> list[dict]:
    ws.send_json({"type": "control", "data": {"type": "end_interview"}})
    return read_until(
        ws, lambda m: m["type"] == "data" and m["message"]["type"] == "interview_ended"
    )


def stored(client, interview) -> dict:
    doc = wait_for(
        lambda: client.get(f"/api/interviews/{interview['id']}", headers=ADMIN).json(),
        lambda d: d["status"] != "in_progress",
    )
    assert doc["status"] == "completed", doc
    items = client.get(f"/api/interviews/{interview['id']}/transcripts", headers=ADMIN).json()
    [full] = [t for t in items if t["kind"] == "full"]
    return client.get(
        f"/api/interviews/{interview['id']}/transcripts/{full['id']}", headers=ADMIN
    ).json()


def test_an_answer_with_a_lone_surrogate_is_kept_as_u_fffd(client):
    interview = new_interview(client)
    with client.websocket_connect(f"/api/web/live/{interview['room_name']}") as ws:
        started(ws)
        # sent as the raw JSON a page (or an attacker) can send: a \ud800 escape
        ws.send_text('{"type": "answer", "text": "I am Ada \\ud800 and ' + ANSWER + '"}')
        shown = read_until(ws, lambda m: m["type"] == "data" and m["message"].get("isAI") is False)
        caption = shown[-1]["message"]["message"]
        assert "Ada \ufffd and" in caption and "\ud800" not in caption
        read_until(ws, lambda m: m["type"] == "turn")  # the interviewer goes on
        end(ws)
    transcript = stored(client, interview)
    text = json.dumps(transcript, ensure_ascii=False)
    assert "Ada \ufffd and" in text
    result = wait_for(
        lambda: client.get(f"/api/interviews/{interview['id']}/result", headers=ADMIN),
        lambda r: r.status_code == 200,
    )
    assert result.status_code == 200  # the evaluation was written
    assert client.get("/api/candidates", headers=ADMIN).status_code == 200
    assert client.get("/api/interviews", headers=ADMIN).status_code == 200


@pytest.mark.timeout(60)
def test_answers_sent_while_the_agent_thinks_are_queued_then_refused_visibly(client):
    interview = new_interview(client)
    with client.websocket_connect(f"/api/web/live/{interview['room_name']}") as ws:
        started(ws)
        # far more answers than the queue holds, sent at once while the agent thinks
        texts = [f"{ANSWER} (answer {i})" for i in range(3 * MAX_QUEUED_ANSWERS + 3)]
        for text in texts:
            ws.send_json({"type": "answer", "text": text})
        heard: list[str] = []
        refused: list[dict] = []

        over: list[dict] = []

        def settled(m: dict) -> bool:
            if m["type"] == "data" and m["message"]["type"] == "interview_ended":
                over.append(m)
            if m["type"] == "error":
                refused.append(m)
            elif m["type"] == "data" and m["message"].get("isAI") is False:
                heard.append(m["message"]["message"])
            return len(heard) + len(refused) == len(texts)

        read_until(ws, settled, limit=2000)
        # past the queue, the candidate is told to wait (the socket stays open); if the
        # interview ends with answers still queued, each is named as not taken
        # (which of the two depends on how fast the interviewer gets through its questions)
        codes = [e["code"] for e in refused]
        assert refused and set(codes) <= {"busy", "not_taken"}, refused
        for e in refused:
            assert ("wait for the interviewer" if e["code"] == "busy" else "ended before") in (
                e["message"]
            )
        # ... and every answer not refused is heard, in order; the second one (sent while
        # the agent was thinking about the first) among them
        kept = [t for t in texts if any(t in h for h in heard)]
        assert len(kept) == len(texts) - len(refused) and kept[:2] == texts[:2]
        assert kept == sorted(kept, key=texts.index)
        if not over:  # the interviewer may have finished its questions meanwhile
            end(ws)
    text = json.dumps(stored(client, interview), ensure_ascii=False)
    for answer in kept:
        assert answer in text


def test_an_oversized_frame_is_refused_and_the_session_goes_on(client):
    interview = new_interview(client)
    with client.websocket_connect(f"/api/web/live/{interview['room_name']}") as ws:
        started(ws)
        huge = {"type": "control", "data": {"type": "candidate_info", "x": "a" * MAX_TEXT_FRAME}}
        ws.send_text(json.dumps(huge))
        refused = read_until(ws, lambda m: m["type"] == "error")
        assert refused[-1]["code"] == "too_large"
        assert "too large" in refused[-1]["message"]
        ws.send_json({"type": "answer", "text": ANSWER})  # the same socket still works
        read_until(ws, lambda m: m["type"] == "data" and m["message"].get("isAI") is False)
        ended = end(ws)
        assert ended[-1]["message"]["reason"] == "manual_end"
    assert ANSWER in json.dumps(stored(client, interview))


def test_a_candidates_next_question_spam_is_refused_visibly(client):
    interview = new_interview(client)
    with client.websocket_connect(f"/api/web/live/{interview['room_name']}") as ws:
        first = started(ws)
        stage = [m for m in first if m["type"] == "data" and m["message"]["type"] == "stage"]
        for _ in range(5):
            ws.send_json({"type": "control", "data": {"type": "next_question"}})
        refused: list[dict] = []

        def five_refusals(m: dict) -> bool:
            if m["type"] == "error":
                refused.append(m)
            return len(refused) == 5

        read_until(ws, five_refusals)
        assert {e["code"] for e in refused} == {"next_question_refused"}
        # nothing was skipped: the page still waits on the same stage; the session goes on
        ws.send_json({"type": "answer", "text": ANSWER})
        heard = read_until(ws, lambda m: m["type"] == "data" and m["message"].get("isAI") is False)
        stages = [m for m in heard if m["type"] == "data" and m["message"]["type"] == "stage"]
        assert not stages or stages[0]["message"] == stage[-1]["message"]
        assert end(ws)[-1]["message"]["reason"] == "manual_end"
