"""RECORDING_BACKEND=egress against the real livekit-server's API. No egress worker runs
here, so the server refuses to start an egress: the gateway's call reaches the server and
its refusal is a clear LiveKitGatewayError, and the function the worker calls to set up a
room's recording falls back to the agent's recorder (with a warning)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from livekit.agents import AgentSession
from tests.harness import make_settings
from tests.livekit_server.conftest import livekit_binary

from voicehire.agent.recording import RECORD_AUDIO_ONLY, egress_target, record_room
from voicehire.devstack import LiveKitServer, LiveKitServerConfig
from voicehire.livekit_gateway import LiveKitGateway, LiveKitGatewayError

SECRET = "s3-secret-never-logged-0123456789"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveKitServerConfig]:
    binary, reason = livekit_binary()
    if binary is None:
        pytest.skip(reason)
    config = LiveKitServerConfig.random_ports()
    with LiveKitServer(config, Path(tmp_path_factory.mktemp("lk-egress")), binary):
        yield config


def settings_for(config: LiveKitServerConfig, tmp_path: Path, **overrides):
    return make_settings(
        **overrides,
        livekit_url=config.http_url,
        livekit_api_key=config.api_key,
        livekit_api_secret=config.api_secret,
        recording_backend="egress",
        transcript_bucket="vh-recordings",
        s3_endpoint_url="http://127.0.0.1:9",
        s3_access_key_id="AKIAEXAMPLE",
        s3_secret_access_key=SECRET,
        recording_dir=tmp_path / "recordings",
        storage_spool_dir=tmp_path / "spool",
    )


async def test_the_servers_refusal_is_a_clear_gateway_error(server, tmp_path):
    settings = settings_for(server, tmp_path)
    gateway = LiveKitGateway.from_settings(settings)
    assert gateway is not None
    try:
        await gateway.create_room("egress-room", {})
        target = egress_target(settings, "iv-egress")
        assert target is not None
        with pytest.raises(LiveKitGatewayError) as refused:
            await gateway.start_audio_egress("egress-room", target)
    finally:
        await gateway.aclose()
    text = str(refused.value)
    # it names the call and the room, and carries the server's own answer
    assert "StartRoomCompositeEgress" in text and "egress-room" in text
    assert "needs an egress service" in text and "RECORDING_BACKEND=agent" in text
    assert SECRET not in text


async def test_the_worker_falls_back_to_the_agents_recorder(server, tmp_path, caplog):
    # the server takes about 20 s to refuse; wait for its answer here
    settings = settings_for(server, tmp_path, recording_egress_timeout=60)
    gateway = LiveKitGateway.from_settings(settings)
    assert gateway is not None
    await gateway.create_room("fallback-room", {})
    await gateway.aclose()
    session: AgentSession = AgentSession()
    with caplog.at_level(logging.INFO):
        egress_id, record = await record_room(session, settings, "iv-fallback", "fallback-room")
    assert egress_id is None
    # the framework's recorder records the room (audio only), stored when the session closes
    assert record == RECORD_AUDIO_ONLY
    assert "agent's recorder records this interview instead" in caplog.text
    [warning] = [r for r in caplog.records if r.name == "voicehire.agent.recording"]
    assert warning.levelno == logging.WARNING
    assert "StartRoomCompositeEgress" in warning.error  # the server's refusal, in the log
    assert all(SECRET not in repr(r.__dict__) for r in caplog.records)


async def test_an_egress_that_does_not_answer_in_time_falls_back(server, tmp_path, caplog):
    settings = settings_for(server, tmp_path, recording_egress_timeout=1)
    gateway = LiveKitGateway.from_settings(settings)
    assert gateway is not None
    await gateway.create_room("slow-room", {})
    await gateway.aclose()
    with caplog.at_level(logging.WARNING):
        egress_id, record = await record_room(AgentSession(), settings, "iv-slow", "slow-room")
    assert egress_id is None and record == RECORD_AUDIO_ONLY
    assert "did not answer within 1 s" in caplog.text
