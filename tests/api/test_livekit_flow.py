"""Interview creation, cancellation and webhooks with the fake LiveKit server behind the API.

The happy path (real room, dispatch, real signed webhooks) runs against the real server in
``tests/livekit_server/``; these keep injected server errors and hand-made webhook edge cases."""

from __future__ import annotations

import base64
import hashlib
import json

from livekit.api import AccessToken, TokenVerifier

from tests.api.support import ADMIN


async def _candidate(client, **fields):
    res = await client.post(
        "/api/candidates", json={"name": "Grace Hopper", **fields}, headers=ADMIN
    )
    return res.json()


async def _interview(client, candidate_id, **fields):
    res = await client.post(
        "/api/interviews", json={"candidate_id": candidate_id, **fields}, headers=ADMIN
    )
    assert res.status_code == 201, res.text
    return res.json()


async def test_livekit_failure_gives_502_and_marks_interview_error(lk_client, fake_livekit):
    cand = await _candidate(lk_client)
    fake_livekit.fail_next("CreateDispatch", 503, "unavailable")
    res = await lk_client.post("/api/interviews", json={"candidate_id": cand["id"]}, headers=ADMIN)
    assert res.status_code == 502
    body = res.json()
    assert body["error"] == "livekit_error" and "CreateDispatch" in body["message"]
    got = (await lk_client.get(f"/api/interviews/{body['interview_id']}", headers=ADMIN)).json()
    assert got["status"] == "error" and got["end_reason"] == "livekit_error"


async def test_cancel_deletes_the_room(lk_client, fake_livekit):
    cand = await _candidate(lk_client)
    room = (await _interview(lk_client, cand["id"]))["interview"]["room_name"]
    iid = (await lk_client.get("/api/interviews", headers=ADMIN)).json()["items"][0]["id"]
    assert room in fake_livekit.rooms
    res = await lk_client.post(f"/api/interviews/{iid}/cancel", headers=ADMIN)
    assert res.json()["status"] == "cancelled"
    assert [c.body["room"] for c in fake_livekit.calls("DeleteRoom")] == [room]
    assert room not in fake_livekit.rooms
    # the invite link no longer hands out a LiveKit token, and says why
    join = (await lk_client.get(f"/api/web/join/{room}")).json()
    assert join["status"] == "cancelled" and "token" not in join
    assert "cancelled by the hiring team" in join["message"]


async def test_reissued_token_is_fresh_and_refused_after_end(lk_client, fake_livekit):
    cand = await _candidate(lk_client)
    iid = (await _interview(lk_client, cand["id"]))["interview"]["id"]
    res = await lk_client.post(f"/api/interviews/{iid}/token", headers=ADMIN)
    assert res.status_code == 200
    assert TokenVerifier(fake_livekit.api_key, fake_livekit.api_secret).verify(res.json()["token"])
    await lk_client.post(f"/api/interviews/{iid}/cancel", headers=ADMIN)
    assert (await lk_client.post(f"/api/interviews/{iid}/token", headers=ADMIN)).status_code == 409


# --- webhooks ------------------------------------------------------------------------------------


def _webhook(fake, event: dict, secret: str | None = None) -> tuple[str, dict]:
    body = json.dumps(event)
    digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    token = AccessToken(fake.api_key, secret or fake.api_secret).with_sha256(digest).to_jwt()
    return body, {"Authorization": token, "Content-Type": "application/webhook+json"}


async def _status(client, iid):
    return (await client.get(f"/api/interviews/{iid}", headers=ADMIN)).json()


async def test_room_finished_before_anyone_joined_cancels(lk_client, fake_livekit):
    cand = await _candidate(lk_client)
    iv = (await _interview(lk_client, cand["id"]))["interview"]
    body, headers = _webhook(
        fake_livekit, {"event": "room_finished", "room": {"name": iv["room_name"]}}
    )
    await lk_client.post("/webhooks/livekit", content=body, headers=headers)
    got = await _status(lk_client, iv["id"])
    assert got["status"] == "cancelled" and got["end_reason"] == "room_finished_before_start"


async def test_badly_signed_webhooks_get_401_and_change_nothing(lk_client, fake_livekit):
    cand = await _candidate(lk_client)
    iv = (await _interview(lk_client, cand["id"]))["interview"]
    event = {"event": "room_finished", "room": {"name": iv["room_name"]}}

    body, headers = _webhook(fake_livekit, event, secret="wrong-secret-0123456789abcdef0123456")
    res = await lk_client.post("/webhooks/livekit", content=body, headers=headers)
    assert res.status_code == 401 and res.json()["error"] == "invalid_signature"

    body, headers = _webhook(fake_livekit, event)
    tampered = body.replace("room_finished", "room_started")
    res = await lk_client.post("/webhooks/livekit", content=tampered, headers=headers)
    assert res.status_code == 401 and "hash mismatch" in res.json()["message"]

    res = await lk_client.post("/webhooks/livekit", content=body)
    assert res.status_code == 401

    assert (await _status(lk_client, iv["id"]))["status"] == "scheduled"


async def test_a_replayed_webhook_is_acknowledged_but_not_applied(lk_client, fake_livekit):
    cand = await _candidate(lk_client)
    iv = (await _interview(lk_client, cand["id"]))["interview"]
    joined = {
        "id": "EV_joined_1",
        "event": "participant_joined",
        "room": {"name": iv["room_name"]},
        "participant": {"identity": "candidate-1"},
    }
    body, headers = _webhook(fake_livekit, joined)
    first = await lk_client.post("/webhooks/livekit", content=body, headers=headers)
    assert first.status_code == 200 and first.json()["changed"] is True
    assert (await _status(lk_client, iv["id"]))["status"] == "in_progress"
    left = {**joined, "id": "EV_left_1", "event": "participant_left"}
    body_left, headers_left = _webhook(fake_livekit, left)
    res = await lk_client.post("/webhooks/livekit", content=body_left, headers=headers_left)
    assert res.json()["changed"] is True
    assert (await _status(lk_client, iv["id"]))["status"] == "completed"
    # The same deliveries again (a retry or a captured request): acknowledged, not applied.
    for replay_body, replay_headers in ((body, headers), (body_left, headers_left)):
        again = await lk_client.post(
            "/webhooks/livekit", content=replay_body, headers=replay_headers
        )
        assert again.status_code == 200
        assert again.json() == {
            "handled": False,
            "event": again.json()["event"],
            "reason": "duplicate event id",
        }
    got = await _status(lk_client, iv["id"])
    assert got["status"] == "completed" and got["end_reason"] == "candidate_left"


async def test_webhook_log_lines_keep_their_message(lk_client, fake_livekit):
    import io
    import logging

    from voicehire import logging_setup

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    out = io.StringIO()
    logging_setup.configure_logging("INFO", "json", stream=out)
    try:
        cand = await _candidate(lk_client)
        iv = (await _interview(lk_client, cand["id"]))["interview"]
        event = {"id": "EV_fin", "event": "room_finished", "room": {"name": iv["room_name"]}}
        body, headers = _webhook(fake_livekit, event)
        await lk_client.post("/webhooks/livekit", content=body, headers=headers)
        logging_setup.flush_logging()
    finally:
        logging_setup.stop_logging()
        root.handlers[:] = handlers
        root.setLevel(level)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    handled = [r for r in lines if r.get("logger") == "voicehire.api.routes.webhooks"]
    assert [r["event"] for r in handled] == ["webhook handled"]
    assert handled[0]["webhook_event"] == "room_finished"
