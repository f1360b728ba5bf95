"""The LiveKit gateway against a local fake of the LiveKit server's Twirp API.

The fake verifies each request's JWT signature and grants with livekit-api's verifier
and records the decoded protobuf bodies, so these tests see exactly what a real server
would receive. Rooms, dispatch, participants and deletion against the real server are
in ``tests/livekit_server/``; these keep what a real server cannot be made to do (injected
errors, an unreachable server) and the token and webhook signatures.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json

import pytest
from livekit.api import AccessToken, TokenVerifier

from tests.fakes.livekit_server import FakeLiveKitServer
from voicehire.domain.config import SessionConfig
from voicehire.livekit_gateway import (
    LiveKitGateway,
    LiveKitGatewayError,
    WebhookVerificationError,
    make_join_token,
    new_room_name,
)


@pytest.fixture
async def fake():
    server = await FakeLiveKitServer().start()
    yield server
    await server.stop()


@pytest.fixture
async def gateway(fake):
    gw = LiveKitGateway(
        fake.url,
        fake.api_key,
        fake.api_secret,
        agent_name="voicehire-interviewer",
        agent_identity="interview-agent",
        max_participants=2,
    )
    yield gw
    await gw.aclose()


METADATA = SessionConfig(
    interview_id="iv1", candidate_id="c1", interview_role="Data Engineer", plan="full"
).to_metadata()


async def test_wrong_secret_is_rejected_by_server_and_reported(fake):
    gw = LiveKitGateway(fake.url, fake.api_key, "not-the-secret-but-long-enough-000")
    with pytest.raises(LiveKitGatewayError, match="unauthenticated"):
        await gw.create_room("r1", METADATA)
    await gw.aclose()
    assert fake.rooms == {}
    assert any("bad token" in r for r in fake.rejected)


async def test_server_errors_become_gateway_errors_naming_the_call(fake, gateway):
    fake.fail_next("CreateDispatch", 500, "internal")
    with pytest.raises(LiveKitGatewayError, match="CreateDispatch"):
        await gateway.dispatch_agent("r1", METADATA)


async def test_unreachable_server_is_a_clear_error():
    gw = LiveKitGateway("http://127.0.0.1:9", "k", "s" * 32, timeout=2)
    with pytest.raises(LiveKitGatewayError, match="unreachable"):
        await gw.create_room("r1", METADATA)
    assert await gw.ping() is False
    await gw.aclose()


async def test_ping_uses_list_rooms(fake, gateway):
    assert await gateway.ping() is True
    assert fake.calls("ListRooms")[0].claims.video.room_list is True


# --- tokens ---------------------------------------------------------------------------------


def test_candidate_token_is_scoped_short_lived_audio_only_with_dispatch(gateway):
    before = dt.datetime.now(dt.UTC)
    token = gateway.candidate_token(
        "interview-xyz",
        participant_id="c1",
        name="Ada",
        ttl_seconds=600,
        dispatch_metadata=METADATA,
    )
    claims = TokenVerifier(gateway.api_key, gateway.api_secret).verify(token)
    assert claims.identity == "candidate-c1"
    assert claims.name == "Ada"
    video = claims.video
    assert video.room == "interview-xyz" and video.room_join is True
    assert video.can_publish is True and video.can_publish_sources == ["microphone"]
    assert video.can_subscribe is True
    assert not video.room_create and not video.room_admin and not video.room_list
    [agent] = claims.room_config.agents
    assert agent.agent_name == "voicehire-interviewer"
    assert json.loads(agent.metadata)["interviewId"] == "iv1"
    import jwt

    exp = jwt.decode(token, options={"verify_signature": False})["exp"]
    ttl = exp - before.timestamp()
    assert 595 <= ttl <= 605


def test_token_without_dispatch_has_no_room_config(gateway):
    token = gateway.candidate_token("r", participant_id="c1")
    claims = TokenVerifier(gateway.api_key, gateway.api_secret).verify(token)
    assert claims.room_config is None


def test_token_signed_with_other_secret_does_not_verify(gateway):
    token = make_join_token("k", "other-secret-0123456789abcdef0123", room="r", identity="x")
    with pytest.raises(Exception):  # noqa: B017 - any verification failure
        TokenVerifier("k", gateway.api_secret).verify(token)


def test_room_names_are_unguessable_and_unique():
    names = {new_room_name() for _ in range(1000)}
    assert len(names) == 1000
    assert all(n.startswith("interview-") and len(n) >= 34 for n in names)


# --- webhooks ------------------------------------------------------------------------------------


def _signed(body: str, key: str, secret: str) -> str:
    digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    return AccessToken(key, secret).with_sha256(digest).to_jwt()


def test_webhook_with_valid_signature_parses(gateway):
    body = json.dumps({"event": "room_finished", "room": {"name": "r1"}, "id": "EV_1"})
    event = gateway.verify_webhook(body, _signed(body, gateway.api_key, gateway.api_secret))
    assert event.event == "room_finished" and event.room.name == "r1"


def test_webhook_with_tampered_body_or_wrong_secret_is_refused(gateway):
    body = json.dumps({"event": "room_finished", "room": {"name": "r1"}})
    good = _signed(body, gateway.api_key, gateway.api_secret)
    with pytest.raises(WebhookVerificationError):
        gateway.verify_webhook(body.replace("r1", "r2"), good)
    with pytest.raises(WebhookVerificationError):
        gateway.verify_webhook(body, _signed(body, gateway.api_key, "x" * 40))
    with pytest.raises(WebhookVerificationError):
        gateway.verify_webhook(body, None)
