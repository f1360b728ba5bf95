"""Credentials: the admin credential, M2M client-credential JWTs, and candidate room tokens.

* Management endpoints need the admin credential (``Authorization: Bearer
  $VH_ADMIN_TOKEN``). With no ``VH_ADMIN_TOKEN`` configured (the embedded default),
  requests from the loopback interface without any ``Authorization`` header are treated
  as admin; everything else is refused.
* Agent endpoints need an M2M JWT from ``POST /oauth/token`` with the ``agent`` scope.
* Session-status endpoints also accept a candidate's LiveKit token for that one room.
A candidate token is never accepted by management or agent endpoints.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import time
from dataclasses import dataclass
from typing import Any

import jwt
from fastapi import Request

from voicehire.api.errors import ApiError
from voicehire.api.state import AppState

JWT_ISSUER = "voicehire"
JWT_AUDIENCE = "voicehire-api"
AGENT_SCOPE = "agent"


@dataclass(frozen=True)
class Principal:
    kind: str  # admin | agent | room
    subject: str
    room: str | None = None


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise ApiError(
            401,
            "Authorization header must be 'Bearer <token>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return value.strip()


# Any of these means the request came through a proxy: its socket peer says nothing
# about where the person is.
PROXY_HEADERS = ("forwarded", "x-forwarded-for", "x-forwarded-host", "x-real-ip", "via")
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")


def _loopback_ip(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_loopback(request: Request) -> bool:
    """True only for a request from this machine, not relayed by a proxy: the socket
    peer is a loopback address (the server never trusts forwarded-for headers), no proxy
    header is present, and the Host is a loopback name."""
    peer = request.client.host if request.client else ""
    if not (_loopback_ip(peer) or peer == "testclient"):  # Starlette's in-process client
        return False
    if any(h in request.headers for h in PROXY_HEADERS):
        return False
    host = request.headers.get("host", "")
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return name in LOOPBACK_HOSTS or name == "testserver"


def check_admin_token(state: AppState, token: str | None, request: Request) -> Principal | None:
    configured = state.settings.vh_admin_token
    if token is None:
        if not configured and is_loopback(request):
            return Principal("admin", "loopback")
        return None
    if configured and hmac.compare_digest(token.encode(), configured.get_secret_value().encode()):
        return Principal("admin", "admin-token")
    return None


def issue_m2m_token(state: AppState, client_id: str, scopes: str) -> tuple[str, int]:
    ttl = state.settings.vh_m2m_token_ttl
    now = int(time.time())
    claims = {
        "iss": JWT_ISSUER,
        "aud": JWT_AUDIENCE,
        "sub": client_id,
        "scope": scopes,
        "typ": "m2m",
        "iat": now,
        "exp": now + ttl,
        "jti": secrets.token_hex(8),
    }
    return jwt.encode(claims, state.jwt_secret, algorithm="HS256"), ttl


def verify_m2m_token(state: AppState, token: str) -> dict[str, Any] | None:
    try:
        claims = jwt.decode(
            token,
            state.jwt_secret,
            algorithms=["HS256"],
            audience=JWT_AUDIENCE,
            issuer=JWT_ISSUER,
            options={"require": ["exp", "iat", "sub"]},
        )
    except jwt.ExpiredSignatureError:
        raise ApiError(
            401,
            "M2M token expired; request a new one from POST /oauth/token",
            code="token_expired",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        ) from None
    except jwt.PyJWTError:
        return None
    if claims.get("typ") != "m2m":
        return None
    return claims


def verify_room_token(state: AppState, token: str) -> str | None:
    """The room a LiveKit participant token is scoped to, if it verifies."""
    gateway = state.gateway
    if gateway is None:
        return None
    from livekit.api import TokenVerifier

    try:
        claims = TokenVerifier(gateway.api_key, gateway.api_secret).verify(token)
    except Exception:
        return None
    if claims.video is None or not claims.video.room_join or not claims.video.room:
        return None
    return claims.video.room


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, message, headers={"WWW-Authenticate": "Bearer"})


def require_admin(state: AppState, request: Request) -> Principal:
    token = bearer(request)
    principal = check_admin_token(state, token, request)
    if principal is not None:
        return principal
    if token is None:
        raise _unauthorized(
            "this endpoint needs the admin credential: send 'Authorization: Bearer "
            "<VH_ADMIN_TOKEN>'"
            + ("" if state.settings.vh_admin_token else " (or call it from the local machine)")
        )
    if verify_m2m_token(state, token) is not None:
        raise ApiError(403, "an M2M agent token cannot call management endpoints")
    raise _unauthorized("the admin credential is wrong")


def require_agent(state: AppState, request: Request) -> Principal:
    token = bearer(request)
    if token is None:
        raise _unauthorized(
            "this endpoint needs an M2M token: get one from POST /oauth/token "
            "(client_credentials) and send 'Authorization: Bearer <token>'"
        )
    claims = verify_m2m_token(state, token)
    if claims is None:
        raise _unauthorized("the M2M token is invalid (bad signature or not an M2M token)")
    if AGENT_SCOPE not in str(claims.get("scope", "")).split():
        raise ApiError(403, f"the M2M token lacks the {AGENT_SCOPE!r} scope")
    return Principal("agent", str(claims["sub"]))


def require_room_access(state: AppState, request: Request, room: str) -> Principal:
    """Admin, an agent, or a participant holding a LiveKit token for this very room."""
    token = bearer(request)
    principal = check_admin_token(state, token, request)
    if principal is not None:
        return principal
    if token is None:
        raise _unauthorized(
            "send the admin credential or the room's LiveKit token as 'Authorization: Bearer ...'"
        )
    try:
        claims = verify_m2m_token(state, token)
    except ApiError:
        claims = None
    if claims is not None:
        # Only the agent scope reads rooms (a `reporting` client reads reports, not rooms).
        if AGENT_SCOPE not in str(claims.get("scope", "")).split():
            raise ApiError(403, f"the M2M token lacks the {AGENT_SCOPE!r} scope")
        return Principal("agent", str(claims["sub"]))
    token_room = verify_room_token(state, token)
    if token_room is None:
        raise _unauthorized("the token is not valid here")
    if token_room != room:
        raise ApiError(403, "this LiveKit token is for a different room")
    return Principal("room", "participant", room=token_room)
