"""RECORDING_BACKEND=egress: the LiveKit Egress request (audio only, Ogg/Opus, the
storage's bucket and key, no secret logged) and the fallback to the agent's recorder."""

from __future__ import annotations

import logging

from livekit.protocol.egress import EncodedFileType

from tests.harness import make_settings
from voicehire.agent.recording import egress_target, start_room_egress
from voicehire.livekit_gateway import LiveKitGatewayError, audio_egress_request
from voicehire.storage.objects import recording_key

SECRET = "s3-secret-never-logged-0123456789"


def egress_settings(**overrides):
    base = {
        "recording_backend": "egress",
        "transcript_bucket": "vh-recordings",
        "transcript_bucket_prefix": "acme/",
        "s3_endpoint_url": "http://minio.internal:9000",
        "s3_region": "eu-west-1",
        "s3_access_key_id": "AKIAEXAMPLE",
        "s3_secret_access_key": SECRET,
    }
    base.update(overrides)
    return make_settings(**base)


def test_the_backend_is_the_agent_unless_set():
    assert make_settings().recording_backend == "agent"
    assert make_settings(recording_backend="egress").recording_backend == "egress"


def test_the_request_is_audio_only_ogg_to_the_storage_bucket_and_key():
    settings = egress_settings()
    target = egress_target(settings, "iv-42")
    assert target is not None
    req = audio_egress_request("interview-room", target)
    assert req.room_name == "interview-room"
    assert req.audio_only is True
    assert not req.video_only
    [out] = req.file_outputs
    assert out.file_type == EncodedFileType.OGG  # Egress encodes Ogg as Opus
    assert out.filepath == "acme/" + recording_key("iv-42") == "acme/recordings/iv-42.ogg"
    assert out.s3.bucket == "vh-recordings"
    assert out.s3.endpoint == "http://minio.internal:9000"
    assert out.s3.region == "eu-west-1"
    assert out.s3.access_key == "AKIAEXAMPLE"
    assert out.s3.secret == SECRET
    assert out.s3.force_path_style is True
    # the secret is never in what is printed or logged about the target
    assert SECRET not in repr(target) and SECRET not in target.describe()


def test_aws_without_an_endpoint_uses_virtual_host_addressing():
    target = egress_target(egress_settings(s3_endpoint_url=None), "iv-1")
    assert target is not None
    out = audio_egress_request("r", target).file_outputs[0]
    assert out.s3.endpoint == "" and out.s3.force_path_style is False


def test_no_bucket_no_target():
    assert egress_target(make_settings(transcript_bucket=None), "iv-1") is None


class RefusingGateway:
    def __init__(self):
        self.requests = []
        self.closed = False

    async def start_audio_egress(self, room, target):
        self.requests.append((room, target))
        raise LiveKitGatewayError("LiveKit StartRoomCompositeEgress failed: unavailable")

    async def aclose(self):
        self.closed = True


async def test_a_refused_egress_falls_back_to_the_agent_with_a_warning(caplog):
    gateway = RefusingGateway()
    with caplog.at_level(logging.DEBUG):
        egress_id = await start_room_egress(egress_settings(), "room-x", "iv-7", gateway=gateway)
    assert egress_id is None
    assert len(gateway.requests) == 1
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert any(
        "agent's recorder records this interview instead" in r.getMessage() for r in warnings
    )
    assert SECRET not in caplog.text


async def test_egress_without_a_bucket_falls_back_without_calling_livekit(caplog):
    gateway = RefusingGateway()
    with caplog.at_level(logging.WARNING):
        egress_id = await start_room_egress(
            egress_settings(transcript_bucket=None), "room-x", "iv-7", gateway=gateway
        )
    assert egress_id is None and gateway.requests == []
    assert "needs TRANSCRIPT_BUCKET" in caplog.text


async def test_the_agent_backend_never_calls_livekit():
    gateway = RefusingGateway()
    assert await start_room_egress(make_settings(), "r", "iv", gateway=gateway) is None
    assert gateway.requests == []


async def test_the_egress_id_is_kept_in_the_interviews_transcript(start_interview):
    from voicehire.domain.messages import ControlMessage

    run = await start_interview()
    run.runtime.egress_id = "EG_abc123"  # as record_room set it in a room
    assert await run.runtime.handle_control(ControlMessage(type="end_interview", data={}))
    metadata = run.runtime.outcome.transcript["metadata"]
    assert metadata["recording"] == {"backend": "egress", "egressId": "EG_abc123"}


class StoppingGateway:
    def __init__(self, fail: bool = False):
        self.fail = fail
        self.stopped = []

    async def stop_egress(self, egress_id, room=""):
        self.stopped.append((egress_id, room))
        if self.fail:
            raise LiveKitGatewayError("LiveKit StopEgress failed: not_found (404)")


async def test_the_egress_is_stopped_and_a_failed_stop_is_only_a_warning(caplog):
    from voicehire.agent.recording import stop_room_egress

    gateway = StoppingGateway()
    await stop_room_egress(egress_settings(), "iv-1", "EG_1", "room-1", gateway=gateway)
    assert gateway.stopped == [("EG_1", "room-1")]
    failing = StoppingGateway(fail=True)
    with caplog.at_level(logging.WARNING):
        await stop_room_egress(egress_settings(), "iv-1", "EG_2", "room-1", gateway=failing)
    assert "LiveKit Egress could not be stopped" in caplog.text
