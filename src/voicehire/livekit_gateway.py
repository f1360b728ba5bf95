"""The one place that talks to the LiveKit server API (rooms, dispatch, tokens, webhooks).

Everything else asks this module: the API creates a room with seed-format metadata,
dispatches the agent explicitly by its registered ``agent_name`` with the same metadata
as job metadata, issues short-lived candidate tokens scoped to one room, lists
participants, and deletes the room to stop the agent. LiveKit errors become
:class:`LiveKitGatewayError` with a message saying what failed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from livekit import api
from livekit.protocol.agent_dispatch import CreateAgentDispatchRequest, RoomAgentDispatch
from livekit.protocol.egress import (
    EncodedFileOutput,
    EncodedFileType,
    RoomCompositeEgressRequest,
    S3Upload,
    StopEgressRequest,
)
from livekit.protocol.models import DataPacket, ParticipantInfo
from livekit.protocol.room import (
    CreateRoomRequest,
    DeleteRoomRequest,
    ListParticipantsRequest,
    ListRoomsRequest,
    RoomConfiguration,
    SendDataRequest,
)

logger = logging.getLogger(__name__)

CANDIDATE_PREFIX = "candidate-"
OBSERVER_PREFIX = "observer-"  # a recruiter watching a room (hidden, subscribe-only)
LEGACY_AGENT_PREFIX = "interview-agent"  # seed 004's front end looks for this prefix


class LiveKitGatewayError(RuntimeError):
    """A LiveKit server API call failed; the message says which and why."""

    def __init__(self, message: str, *, not_found: bool = False) -> None:
        super().__init__(message)
        self.not_found = not_found


class WebhookVerificationError(ValueError):
    """A webhook whose signature or body hash does not verify."""


@dataclass(frozen=True)
class Participant:
    identity: str
    name: str
    kind: str
    state: str
    joined_at: int
    is_agent: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "identity": self.identity,
            "name": self.name,
            "kind": self.kind,
            "state": self.state,
            "joinedAt": self.joined_at,
            "isAgent": self.is_agent,
        }


def new_room_name(prefix: str = "interview") -> str:
    """An unguessable room name (144 random bits)."""
    return f"{prefix}-{secrets.token_urlsafe(18)}"


def is_agent_identity(identity: str, agent_identity: str, kind: str = "") -> bool:
    return (
        kind == "AGENT"
        or identity.startswith(agent_identity)
        or identity.startswith(LEGACY_AGENT_PREFIX)
    )


def make_join_token(
    api_key: str,
    api_secret: str,
    *,
    room: str,
    identity: str,
    name: str | None = None,
    ttl_seconds: int = 900,
    metadata: dict[str, Any] | None = None,
    dispatch_agent: str | None = None,
    dispatch_metadata: dict[str, Any] | None = None,
    audio_only: bool = True,
) -> str:
    """A participant token scoped to one room.

    With ``dispatch_agent`` the token carries a room configuration that dispatches that
    agent (with ``dispatch_metadata`` as job metadata) when the token's holder creates
    the room by joining it; LiveKit ignores it when the room already exists.
    """
    grants = api.VideoGrants(
        room_join=True,
        room=room,
        can_publish=True,
        can_subscribe=True,
        can_publish_data=True,
        can_publish_sources=["microphone"] if audio_only else None,
    )
    token = (
        api.AccessToken(api_key, api_secret)
        .with_identity(identity)
        .with_name(name or identity)
        .with_grants(grants)
        .with_ttl(dt.timedelta(seconds=ttl_seconds))
    )
    if metadata:
        token.with_metadata(json.dumps(metadata))
    if dispatch_agent:
        token.with_room_config(
            RoomConfiguration(
                agents=[
                    RoomAgentDispatch(
                        agent_name=dispatch_agent, metadata=json.dumps(dispatch_metadata or {})
                    )
                ]
            )
        )
    return str(token.to_jwt())


@dataclass(frozen=True)
class EgressTarget:
    """Where a room-composite egress uploads its file: one S3-compatible bucket and key."""

    bucket: str
    key: str
    region: str = ""
    endpoint: str = ""
    access_key: str = ""
    secret: str = field(default="", repr=False)  # never printed or logged

    def describe(self) -> str:
        where = f" at {self.endpoint}" if self.endpoint else ""
        return f"s3://{self.bucket}/{self.key}{where}"


def audio_egress_request(room: str, target: EgressTarget) -> RoomCompositeEgressRequest:
    """A room-composite egress of ``room``'s audio only (every participant mixed), as one
    Ogg/Opus file uploaded to ``target``."""
    s3 = S3Upload(
        bucket=target.bucket,
        region=target.region,
        endpoint=target.endpoint,
        access_key=target.access_key,
        secret=target.secret,
        # MinIO and most non-AWS stores need path-style addressing
        force_path_style=bool(target.endpoint),
    )
    output = EncodedFileOutput(file_type=EncodedFileType.OGG, filepath=target.key, s3=s3)
    return RoomCompositeEgressRequest(room_name=room, audio_only=True, file_outputs=[output])


def _enum_name(enum: Any, value: int) -> str:
    try:
        return str(enum.Name(value))
    except ValueError:
        return ""


class LiveKitGateway:
    def __init__(
        self,
        url: str,
        api_key: str,
        api_secret: str,
        *,
        agent_name: str = "voicehire-interviewer",
        agent_identity: str = "interview-agent",
        max_participants: int = 2,
        empty_timeout: int = 300,
        timeout: float = 10.0,
    ) -> None:
        self.url = url
        self.api_key = api_key
        self.api_secret = api_secret
        self.agent_name = agent_name
        self.agent_identity = agent_identity
        self.max_participants = max_participants
        self.empty_timeout = empty_timeout
        self.timeout = timeout
        self._api: api.LiveKitAPI | None = None
        self._lock = asyncio.Lock()

    @classmethod
    def from_settings(cls, settings: Any) -> LiveKitGateway | None:
        """The gateway for these settings, or None when LiveKit is not configured."""
        if not settings.livekit_configured:
            return None
        return cls(
            settings.livekit_url,
            settings.livekit_api_key,
            settings.livekit_api_secret.get_secret_value(),
            agent_name=settings.agent_name,
            agent_identity=settings.agent_identity,
            max_participants=settings.max_participants,
        )

    @property
    def client_url(self) -> str:
        """The URL a browser connects to (ws/wss)."""
        return self.url.replace("https://", "wss://", 1).replace("http://", "ws://", 1)

    async def _client(self) -> api.LiveKitAPI:
        if self._api is None:
            async with self._lock:
                if self._api is None:
                    self._api = api.LiveKitAPI(
                        self.url,
                        self.api_key,
                        self.api_secret,
                        timeout=aiohttp.ClientTimeout(total=self.timeout),
                    )
        return self._api

    async def _call(
        self, what: str, room: str, coro_fn: Callable[[api.LiveKitAPI], Awaitable[Any]]
    ) -> Any:
        client = await self._client()
        try:
            return await coro_fn(client)
        except api.TwirpError as exc:
            not_found = exc.code == "not_found" or exc.status == 404
            logger.warning(
                "livekit api call failed",
                extra={"call": what, "room": room, "code": exc.code, "status": exc.status},
            )
            raise LiveKitGatewayError(
                f"LiveKit {what} for room {room!r} failed: {exc.code} ({exc.status}) {exc.message}",
                not_found=not_found,
            ) from None
        except (aiohttp.ClientError, TimeoutError) as exc:
            logger.warning(
                "livekit server unreachable", extra={"call": what, "room": room, "error": repr(exc)}
            )
            raise LiveKitGatewayError(
                f"LiveKit server at {self.url} unreachable during {what}: {exc!r}"
            ) from None

    async def create_room(self, name: str, metadata: dict[str, Any]) -> None:
        req = CreateRoomRequest(
            name=name,
            metadata=json.dumps(metadata),
            empty_timeout=self.empty_timeout,
            max_participants=self.max_participants,
        )
        await self._call("CreateRoom", name, lambda c: c.room.create_room(req))
        logger.info("room created", extra={"room": name})

    async def dispatch_agent(self, room: str, metadata: dict[str, Any]) -> str:
        """Explicitly dispatch the agent (by ``agent_name``) to ``room``; returns the id."""
        req = CreateAgentDispatchRequest(
            agent_name=self.agent_name, room=room, metadata=json.dumps(metadata)
        )
        dispatch = await self._call(
            "CreateDispatch", room, lambda c: c.agent_dispatch.create_dispatch(req)
        )
        logger.info(
            "agent dispatched",
            extra={"room": room, "agent_name": self.agent_name, "dispatch_id": dispatch.id},
        )
        return str(dispatch.id)

    def candidate_token(
        self,
        room: str,
        *,
        participant_id: str | None = None,
        name: str = "Candidate",
        ttl_seconds: int = 900,
        dispatch_metadata: dict[str, Any] | None = None,
        prefix: str = CANDIDATE_PREFIX,
    ) -> str:
        """A short-lived token to join ``room`` only, publishing audio and data."""
        identity = prefix + (participant_id or secrets.token_hex(6))
        return make_join_token(
            self.api_key,
            self.api_secret,
            room=room,
            identity=identity,
            name=name,
            ttl_seconds=ttl_seconds,
            dispatch_agent=self.agent_name if dispatch_metadata is not None else None,
            dispatch_metadata=dispatch_metadata,
        )

    def observer_token(self, room: str, *, name: str = "Recruiter", ttl_seconds: int = 900) -> str:
        """A token for a recruiter watching ``room``: hidden from the other participants
        (the candidate never sees a third person), subscribing only (no audio, no data
        published: it cannot speak into the interview)."""
        grants = api.VideoGrants(
            room_join=True,
            room=room,
            hidden=True,
            can_publish=False,
            can_publish_data=False,
            can_subscribe=True,
        )
        token = (
            api.AccessToken(self.api_key, self.api_secret)
            .with_identity(OBSERVER_PREFIX + secrets.token_hex(6))
            .with_name(name)
            .with_grants(grants)
            .with_ttl(dt.timedelta(seconds=ttl_seconds))
        )
        return str(token.to_jwt())

    async def send_control(self, room: str, message: dict[str, Any]) -> None:
        """Send a control message (topic ``control``) into the room from the server, as
        the candidate's page would send it (``{"type": "end_interview"}``)."""
        req = SendDataRequest(
            room=room,
            data=json.dumps(message).encode(),
            kind=DataPacket.Kind.RELIABLE,
            topic="control",
        )
        await self._call("SendData", room, lambda c: c.room.send_data(req))
        logger.info("control message sent", extra={"room": room, "type": message.get("type")})

    async def list_participants(self, room: str) -> list[Participant]:
        try:
            res = await self._call(
                "ListParticipants",
                room,
                lambda c: c.room.list_participants(ListParticipantsRequest(room=room)),
            )
        except LiveKitGatewayError as exc:
            if exc.not_found:
                return []
            raise
        out = []
        for p in res.participants:
            kind = _enum_name(ParticipantInfo.Kind, p.kind)
            state = _enum_name(ParticipantInfo.State, p.state)
            out.append(
                Participant(
                    identity=p.identity,
                    name=p.name,
                    kind=kind,
                    state=state,
                    joined_at=int(p.joined_at),
                    is_agent=is_agent_identity(p.identity, self.agent_identity, kind),
                )
            )
        return out

    async def delete_room(self, room: str) -> bool:
        """Delete the room (disconnecting everyone, which ends the agent's job)."""
        try:
            await self._call(
                "DeleteRoom", room, lambda c: c.room.delete_room(DeleteRoomRequest(room=room))
            )
        except LiveKitGatewayError as exc:
            if exc.not_found:
                return False
            raise
        logger.info("room deleted", extra={"room": room})
        return True

    async def start_audio_egress(self, room: str, target: EgressTarget) -> str:
        """Start recording ``room``'s audio with LiveKit Egress into ``target``; returns the
        egress id. Raises :class:`LiveKitGatewayError` when the server refuses (a
        deployment without an egress service answers with an error)."""
        req = audio_egress_request(room, target)
        try:
            info = await self._call(
                "StartRoomCompositeEgress",
                room,
                lambda c: c.egress.start_room_composite_egress(req),
            )
        except LiveKitGatewayError as exc:
            raise LiveKitGatewayError(
                f"{exc} (recording with LiveKit Egress needs an egress service connected "
                "to this LiveKit server; without one set RECORDING_BACKEND=agent)",
                not_found=exc.not_found,
            ) from None
        logger.info(
            "egress started",
            extra={"room": room, "egress_id": info.egress_id, "target": target.describe()},
        )
        return str(info.egress_id)

    async def stop_egress(self, egress_id: str, room: str = "") -> None:
        """Stop an egress (it finishes and uploads its file)."""
        await self._call(
            "StopEgress",
            room or egress_id,
            lambda c: c.egress.stop_egress(StopEgressRequest(egress_id=egress_id)),
        )
        logger.info("egress stopped", extra={"room": room, "egress_id": egress_id})

    async def ping(self) -> bool:
        try:
            await self._call(
                "ListRooms", "*", lambda c: c.room.list_rooms(ListRoomsRequest(names=[]))
            )
            return True
        except LiveKitGatewayError:
            return False

    def verify_webhook(self, body: str, authorization: str | None) -> Any:
        """Verify a LiveKit webhook (JWT signed with the API secret carrying the body's
        SHA-256) and return the parsed ``WebhookEvent``."""
        if not authorization:
            raise WebhookVerificationError("missing Authorization header")
        token = authorization.removeprefix("Bearer ").strip()
        receiver = api.WebhookReceiver(api.TokenVerifier(self.api_key, self.api_secret))
        try:
            return receiver.receive(body, token)
        except Exception as exc:
            raise WebhookVerificationError(f"webhook signature invalid: {exc}") from None

    async def aclose(self) -> None:
        if self._api is not None:
            await self._api.aclose()
            self._api = None
