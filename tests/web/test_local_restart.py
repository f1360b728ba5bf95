"""`voicehire serve` restarting in the middle of a web interview: the session's state is
gone with the old process, so the page is told clearly that the interview was
interrupted, the interview ends as interrupted, and nothing starts again from the
greeting under the question the page still shows (answers never reach a wrong
question)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.support import ADMIN, make_settings
from tests.web.test_local_transport import data, new_interview, read_until
from voicehire.server import create_app


def _settings(tmp_path):
    return make_settings(
        tmp_path,
        transcript_dir=tmp_path / "transcripts",
        outbox_dir=tmp_path / "outbox",
        llm_provider="policy",
        tts_provider="none",
        stt_provider="none",
        openai_api_key=None,
        openai_base_url=None,
    )


def _mid_interview(client) -> tuple[dict, int, str]:
    interview = new_interview(client)
    with client.websocket_connect(f"/api/web/live/{interview['room_name']}") as ws:
        ws.send_json({"type": "hello", "lastSeq": 0})
        epoch = ws.receive_json()["epoch"]
        ws.send_json({"type": "start"})
        seen = read_until(ws, lambda m: m["type"] == "turn")
        ws.send_json({"type": "answer", "text": "I build payment systems in Python at Acme."})
        seen += read_until(ws, lambda m: m["type"] == "turn")
    return interview, data(seen)[-1]["seq"], epoch


def _reconnect(client, interview, last_seq, epoch) -> list[dict]:
    frames = []
    with client.websocket_connect(f"/api/web/live/{interview['room_name']}") as ws:
        ws.send_json({"type": "hello", "lastSeq": last_seq, "epoch": epoch})
        while True:
            frames.append(ws.receive_json())
            if frames[-1]["type"] == "error":
                break
            if len(frames) > 50:
                break
    return frames


def test_a_crashed_server_does_not_restart_the_interview_from_the_greeting(tmp_path):
    settings = _settings(tmp_path)
    with TestClient(create_app(settings), base_url="http://127.0.0.1:8000") as first:
        interview, last_seq, epoch = _mid_interview(first)
        # the first server dies without ending anything; a new one serves the same data
        with TestClient(create_app(settings), base_url="http://127.0.0.1:8000") as second:
            frames = _reconnect(second, interview, last_seq, epoch)
            assert [f["type"] for f in frames] == ["error"], frames
            assert frames[0]["code"] == "ended"
            assert "interrupted because the interview server restarted" in frames[0]["message"]
            got = second.get(f"/api/interviews/{interview['id']}", headers=ADMIN).json()
            assert (got["status"], got["end_reason"]) == ("error", "server_restarted")
            # and again later: the same message, still no new session
            again = _reconnect(second, interview, 0, None)
            assert [f["type"] for f in again] == ["error"]
            assert "interrupted" in again[0]["message"]


def test_a_page_coming_back_after_a_clean_restart_is_told_the_interview_was_interrupted(
    tmp_path,
):
    settings = _settings(tmp_path)
    with TestClient(create_app(settings), base_url="http://127.0.0.1:8000") as first:
        interview, last_seq, epoch = _mid_interview(first)
    # stopped cleanly (Ctrl-C): the running session ended as server_shutdown
    with TestClient(create_app(settings), base_url="http://127.0.0.1:8000") as second:
        frames = _reconnect(second, interview, last_seq, epoch)
        assert [f["type"] for f in frames] == ["error"], frames
        assert "interrupted because the interview server restarted" in frames[0]["message"]
        got = second.get(f"/api/interviews/{interview['id']}", headers=ADMIN).json()
        assert got["status"] == "error"
