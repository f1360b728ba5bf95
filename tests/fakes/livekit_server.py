"""A local fake of the LiveKit server's HTTP (Twirp) API for gateway and API tests.

It listens on 127.0.0.1, checks every request's ``Authorization`` JWT with livekit-api's
own verifier (signature, issuer, expiry) and the grants each method needs, decodes the
protobuf body with the real request class, records it, and keeps a little room state so
``ListParticipants`` and ``DeleteRoom`` answer consistently. Tests can queue failures.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from google.protobuf.json_format import MessageToDict
from livekit.api import TokenVerifier
from livekit.protocol.agent_dispatch import AgentDispatch, CreateAgentDispatchRequest
from livekit.protocol.models import ParticipantInfo, Room
from livekit.protocol.room import (
    CreateRoomRequest,
    DeleteRoomRequest,
    DeleteRoomResponse,
    ListParticipantsRequest,
    ListParticipantsResponse,
    ListRoomsRequest,
    ListRoomsResponse,
)

API_KEY = "fake-key"
API_SECRET = "fake-secret-that-is-long-enough-for-hs256"


@dataclass
class Recorded:
    service: str
    method: str
    body: dict[str, Any]
    claims: Any


@dataclass
class FakeLiveKitServer:
    api_key: str = API_KEY
    api_secret: str = API_SECRET
    requests: list[Recorded] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    rooms: dict[str, Room] = field(default_factory=dict)
    participants: dict[str, list[ParticipantInfo]] = field(default_factory=dict)
    failures: dict[str, tuple[int, str]] = field(default_factory=dict)
    url: str = ""
    _runner: web.AppRunner | None = None

    # --- test helpers -------------------------------------------------------------------

    def calls(self, method: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method]

    def fail_next(self, method: str, status: int = 500, code: str = "internal") -> None:
        self.failures[method] = (status, code)

    def add_participant(
        self, room: str, identity: str, kind: int = ParticipantInfo.Kind.STANDARD
    ) -> None:
        self.participants.setdefault(room, []).append(
            ParticipantInfo(
                sid="PA_" + secrets.token_hex(4),
                identity=identity,
                name=identity,
                kind=kind,
                state=ParticipantInfo.State.ACTIVE,
            )
        )

    # --- server -------------------------------------------------------------------------

    async def start(self) -> FakeLiveKitServer:
        app = web.Application()
        app.router.add_post("/twirp/livekit.{service}/{method}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def _error(self, status: int, code: str, msg: str) -> web.Response:
        self.rejected.append(f"{code}: {msg}")
        return web.json_response({"code": code, "msg": msg}, status=status)

    async def _handle(self, request: web.Request) -> web.Response:
        service = request.match_info["service"]
        method = request.match_info["method"]
        auth = request.headers.get("Authorization", "")
        if not auth.startswith("Bearer "):
            return self._error(401, "unauthenticated", "missing bearer token")
        try:
            claims = TokenVerifier(self.api_key, self.api_secret).verify(auth[7:])
        except Exception as exc:
            return self._error(401, "unauthenticated", f"bad token: {exc}")
        if request.headers.get("Content-Type") != "application/protobuf":
            return self._error(400, "malformed", "expected application/protobuf")
        raw = await request.read()
        handler = _HANDLERS.get((service, method))
        if handler is None:
            return self._error(404, "bad_route", f"no such method {service}/{method}")
        req_cls, grant_check, fn = handler
        msg = req_cls.FromString(raw)
        problem = grant_check(claims, msg)
        if problem:
            return self._error(403, "permission_denied", problem)
        self.requests.append(
            Recorded(service, method, MessageToDict(msg, preserving_proto_field_name=True), claims)
        )
        if method in self.failures:
            status, code = self.failures.pop(method)
            return self._error(status, code, "injected failure")
        result = fn(self, msg)
        if isinstance(result, web.Response):
            return result
        return web.Response(body=result.SerializeToString(), content_type="application/protobuf")

    # --- method implementations -------------------------------------------------------------

    def _create_room(self, req: CreateRoomRequest) -> Room:
        room = self.rooms.get(req.name)
        if room is None:
            room = Room(
                sid="RM_" + secrets.token_hex(4),
                name=req.name,
                metadata=req.metadata,
                empty_timeout=req.empty_timeout,
                max_participants=req.max_participants,
            )
            self.rooms[req.name] = room
        return room

    def _create_dispatch(self, req: CreateAgentDispatchRequest) -> AgentDispatch:
        return AgentDispatch(
            id="AD_" + secrets.token_hex(4),
            agent_name=req.agent_name,
            room=req.room,
            metadata=req.metadata,
        )

    def _list_participants(self, req: ListParticipantsRequest):
        if req.room not in self.rooms:
            return self._error(404, "not_found", "requested room does not exist")
        return ListParticipantsResponse(participants=self.participants.get(req.room, []))

    def _delete_room(self, req: DeleteRoomRequest):
        if self.rooms.pop(req.room, None) is None:
            return self._error(404, "not_found", "requested room does not exist")
        self.participants.pop(req.room, None)
        return DeleteRoomResponse()

    def _list_rooms(self, req: ListRoomsRequest) -> ListRoomsResponse:
        names = set(req.names)
        return ListRoomsResponse(
            rooms=[r for n, r in self.rooms.items() if not names or n in names]
        )


def _needs(**flags: bool):
    def check(claims: Any, _msg: Any) -> str | None:
        video = claims.video
        for name in flags:
            if not getattr(video, name, None):
                return f"token lacks the {name} grant"
        return None

    return check


def _needs_room_admin(claims: Any, msg: Any) -> str | None:
    video = claims.video
    if not video.room_admin:
        return "token lacks the room_admin grant"
    if video.room != msg.room:
        return f"token is for room {video.room!r}, request is for {msg.room!r}"
    return None


_HANDLERS = {
    ("RoomService", "CreateRoom"): (
        CreateRoomRequest,
        _needs(room_create=True),
        FakeLiveKitServer._create_room,
    ),
    ("RoomService", "ListRooms"): (
        ListRoomsRequest,
        _needs(room_list=True),
        FakeLiveKitServer._list_rooms,
    ),
    ("RoomService", "DeleteRoom"): (
        DeleteRoomRequest,
        _needs(room_create=True),
        FakeLiveKitServer._delete_room,
    ),
    ("RoomService", "ListParticipants"): (
        ListParticipantsRequest,
        _needs_room_admin,
        FakeLiveKitServer._list_participants,
    ),
    ("AgentDispatchService", "CreateDispatch"): (
        CreateAgentDispatchRequest,
        _needs_room_admin,
        FakeLiveKitServer._create_dispatch,
    ),
}
