"""M2M auth: the OAuth 2 client-credentials grant (seed 000) and machine-client admin."""

from __future__ import annotations

import asyncio
import base64
import binascii
import functools
import hmac
import json
import logging
import secrets
from urllib.parse import parse_qs

from fastapi import APIRouter, Request

from voicehire.api.auth import issue_m2m_token
from voicehire.api.deps import AdminDep, SessionDep, StateDep
from voicehire.api.errors import ApiError
from voicehire.api.ratelimit import RateLimiter
from voicehire.api.schemas import M2MClientCreate, M2MClientCreated, TokenResponse
from voicehire.api.state import AppState
from voicehire.storage import repositories as repo

logger = logging.getLogger(__name__)
router = APIRouter(tags=["auth"])

_TOKEN_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "required": ["grant_type"],
                    "properties": {
                        "grant_type": {"type": "string", "enum": ["client_credentials"]},
                        "client_id": {"type": "string"},
                        "client_secret": {"type": "string"},
                        "scope": {"type": "string"},
                    },
                }
            },
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["grant_type"],
                    "properties": {
                        "grant_type": {"type": "string", "enum": ["client_credentials"]},
                        "client_id": {"type": "string"},
                        "client_secret": {"type": "string"},
                        "scope": {"type": "string"},
                    },
                }
            },
        },
    }
}


def _oauth_error(status: int, error: str, description: str) -> ApiError:
    headers = {"WWW-Authenticate": 'Basic realm="voicehire"'} if status == 401 else None
    return ApiError(
        status,
        description,
        code=error,
        headers=headers,
        extra={"error_description": description},
    )


async def _form(request: Request) -> dict[str, str]:
    raw = await request.body()
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _oauth_error(400, "invalid_request", "the request body is not UTF-8") from None
    if ctype == "application/json":
        try:
            data = json.loads(text) if text else {}
        except ValueError:
            raise _oauth_error(400, "invalid_request", "the body is not valid JSON") from None
        if not isinstance(data, dict):
            raise _oauth_error(400, "invalid_request", "the body must be a JSON object")
        return {k: v for k, v in data.items() if isinstance(v, str)}
    if ctype in ("application/x-www-form-urlencoded", ""):
        return {k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()}
    raise ApiError(
        415,
        "send the token request as application/x-www-form-urlencoded or application/json",
    )


def _basic(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise _oauth_error(401, "invalid_client", "malformed Basic credentials") from None
    client_id, sep, secret = decoded.partition(":")
    if not sep:
        raise _oauth_error(401, "invalid_client", "malformed Basic credentials")
    return client_id, secret


@router.post(
    "/oauth/token",
    response_model=TokenResponse,
    openapi_extra=_TOKEN_BODY,
    summary="Client-credentials grant: a signed JWT for the agent worker",
)
async def token(request: Request, state: StateDep, session: SessionDep):
    peer = request.client.host if request.client else "unknown"
    wait = state.token_limiter.hit(peer)
    if wait is not None:
        logger.warning("m2m token requests rate-limited", extra={"client_ip": peer})
        raise ApiError(
            429,
            "too many token requests from this address; retry after the Retry-After seconds",
            code="slow_down",
            headers={"Retry-After": RateLimiter.retry_after(wait)},
        )
    form = await _form(request)
    if form.get("grant_type") != "client_credentials":
        raise _oauth_error(400, "unsupported_grant_type", "grant_type must be 'client_credentials'")
    creds = _basic(request) or (form.get("client_id", ""), form.get("client_secret", ""))
    client_id, secret = creds
    if not client_id or not secret:
        raise _oauth_error(
            401, "invalid_client", "client_id and client_secret are required (body or Basic auth)"
        )
    if "\x00" in client_id or len(client_id) > 200 or len(secret) > 500:
        raise _oauth_error(401, "invalid_client", "unknown client or wrong secret")

    # Every request does the same work (one lookup, one slow hash check) whether the
    # client id exists or not, so the answer's timing reveals no registered id.
    settings = state.settings
    stored = await repo.get_m2m_client(session, client_id)
    await session.commit()  # release the connection before the slow hash check
    env_client = bool(settings.vh_m2m_client_id) and hmac.compare_digest(
        client_id.encode(), (settings.vh_m2m_client_id or "").encode()
    )
    stored_hash = stored.secret_hash if stored is not None and not env_client else None
    client_scopes = "agent" if env_client else stored.scopes if stored is not None else None
    matches = await asyncio.to_thread(_check_secret, state, secret, env_client, stored_hash)
    scopes = client_scopes if matches else None
    if scopes is None:
        logger.warning("m2m token refused", extra={"client_id": client_id[:200]})
        raise _oauth_error(401, "invalid_client", "unknown client or wrong secret")

    requested = form.get("scope")
    if requested:
        wanted = set(requested.split())
        if not wanted <= set(scopes.split()):
            raise _oauth_error(400, "invalid_scope", f"this client may only request: {scopes}")
        scopes = " ".join(sorted(wanted))
    access_token, ttl = issue_m2m_token(state, client_id, scopes)
    logger.info("m2m token issued", extra={"client_id": client_id, "ttl": ttl})
    return TokenResponse(access_token=access_token, expires_in=ttl, scope=scopes)


@router.post("/api/m2m-clients", status_code=201, response_model=M2MClientCreated)
async def create_m2m_client(body: M2MClientCreate, session: SessionDep, _: AdminDep):
    """Register a machine client; its secret is returned once and stored only as a hash."""
    if await repo.get_m2m_client(session, body.client_id) is not None:
        raise ApiError(409, f"machine client {body.client_id!r} already exists")
    await session.commit()  # release the connection while hashing
    secret = secrets.token_urlsafe(32)
    hashed = await asyncio.to_thread(repo.hash_secret, secret)
    await repo.create_m2m_client(session, body.client_id, hashed, body.scopes)
    await session.commit()
    return M2MClientCreated(client_id=body.client_id, client_secret=secret, scopes=body.scopes)


@functools.cache
def _dummy_hash() -> str:
    """A hash no secret matches, checked for unknown client ids (same cost as a real one)."""
    return repo.hash_secret(secrets.token_urlsafe(32))


def _check_secret(state: AppState, secret: str, env_client: bool, stored_hash: str | None) -> bool:
    """One scrypt check whatever the client id (runs in a thread)."""
    if env_client:
        if state.env_client_hash is None:  # hashed once per process, like a stored secret
            configured = state.settings.vh_m2m_client_secret
            state.env_client_hash = repo.hash_secret(
                configured.get_secret_value() if configured else secrets.token_hex()
            )
        stored_hash = state.env_client_hash
    return repo.verify_secret(secret, stored_hash or _dummy_hash())
