"""The tab closed and never came back: after RECONNECT_GRACE the browser transport ends
the interview as candidate_left, its outcome is "abandoned" and the partial transcript
(the answer given before the drop) is stored."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.support import ADMIN
from tests.web.conftest import policy_settings
from tests.web.test_local_transport import new_interview, read_until, wait_for
from voicehire.server import create_app

ANSWER = "I build payment systems in Python at Acme."


def test_a_dropped_page_that_never_returns_is_abandoned(tmp_path):
    settings = policy_settings(tmp_path, reconnect_grace=0.5)  # seconds, not two minutes
    with TestClient(create_app(settings), base_url="http://127.0.0.1:8000") as client:
        interview = new_interview(client)
        iid = interview["id"]
        with client.websocket_connect(f"/api/web/live/{interview['room_name']}") as ws:
            ws.send_json({"type": "hello", "lastSeq": 0})
            assert ws.receive_json()["type"] == "session"
            ws.send_json({"type": "start"})
            read_until(ws, lambda m: m["type"] == "turn")
            ws.send_json({"type": "answer", "text": ANSWER})
            read_until(ws, lambda m: m["type"] == "data" and m["message"].get("isAI") is False)
        # the socket dropped; nobody reconnects

        record = wait_for(
            lambda: client.get(f"/api/interviews/{iid}", headers=ADMIN).json(),
            lambda doc: doc["status"] not in ("scheduled", "in_progress"),
        )
        assert record["status"] == "completed", record
        assert record["end_reason"] == "candidate_left"
        assert record["outcome"] == "abandoned"
        assert record["outcome_label"] == "Abandoned (candidate left and did not return)"

        index = wait_for(
            lambda: client.get(f"/api/interviews/{iid}/transcripts", headers=ADMIN).json(),
            lambda rows: any(t["kind"] == "full" for t in rows),
        )
        [full] = [t for t in index if t["kind"] == "full"]
        doc = client.get(f"/api/interviews/{iid}/transcripts/{full['id']}", headers=ADMIN).json()
        document = doc["document"]
        assert document["sessionInfo"]["endReason"] == "candidate_left"
        said = [
            line["message"]
            for stage in document["stages"]
            for line in stage["conversation"]
            if line.get("isAI") is False
        ]
        assert said == [ANSWER]

        listed = client.get("/api/interviews", params={"outcome": "abandoned"}, headers=ADMIN)
        assert [i["id"] for i in listed.json()["items"]] == [iid]
