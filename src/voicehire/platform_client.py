"""The agent worker's client for the VoiceHire API (M2M auth, seed 000).

* Gets a JWT with the client-credentials grant (``VH_M2M_CLIENT_ID`` /
  ``VH_M2M_CLIENT_SECRET``) and caches it.
* Renews it 5 minutes before it expires (proactively, not on failure).
* On a 401 it invalidates the token, fetches a new one and retries the call once.
* Concurrent callers share one token request (single flight).
* 403 and rejected credentials raise :class:`PlatformAuthError`; 5xx and transport
  errors are retried a bounded number of times, then raise
  :class:`PlatformUnavailableError`. Every error says which call failed and why.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, Literal

import httpx

logger = logging.getLogger(__name__)

RENEW_BEFORE_SECONDS = 300


class PlatformError(RuntimeError):
    """A VoiceHire API call failed."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class PlatformAuthError(PlatformError):
    """Credentials rejected (401 after a fresh token) or not allowed (403)."""


class PlatformNotFoundError(PlatformError):
    """The interview or candidate does not exist (404)."""


class PlatformUnavailableError(PlatformError):
    """The API kept failing (5xx or unreachable) after every attempt."""


def _message(res: httpx.Response) -> str:
    try:
        body = res.json()
    except ValueError:
        return res.text[:200] or res.reason_phrase
    if isinstance(body, dict):
        return str(
            body.get("message") or body.get("error_description") or body.get("error") or body
        )
    return str(body)[:200]


class PlatformClient:
    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: str,
        *,
        timeout: float = 10.0,
        max_attempts: int = 3,
        retry_delay: float = 0.5,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._client_id = client_id
        self._client_secret = client_secret
        self._max_attempts = max(1, max_attempts)
        self._retry_delay = retry_delay
        self._clock = clock
        self._sleep = sleep
        self._http = httpx.AsyncClient(base_url=self.base_url, timeout=timeout, transport=transport)
        self._token: str | None = None
        self._expires_at = 0.0
        self._renew_at = 0.0
        self._lock = asyncio.Lock()
        self.token_requests = 0  # how many tokens were fetched (for logs and tests)

    @classmethod
    def from_settings(cls, settings: Any, **kwargs: Any) -> PlatformClient | None:
        """A client for ``VH_API_BASE_URL``, or None when it is unset (no platform)."""
        if not settings.vh_api_base_url:
            return None
        if not (settings.vh_m2m_client_id and settings.vh_m2m_client_secret):
            raise PlatformAuthError(
                "VH_API_BASE_URL is set but VH_M2M_CLIENT_ID / VH_M2M_CLIENT_SECRET are not"
            )
        return cls(
            settings.vh_api_base_url,
            settings.vh_m2m_client_id,
            settings.vh_m2m_client_secret.get_secret_value(),
            **kwargs,
        )

    # --- the calls the agent makes --------------------------------------------------------

    async def get_interview_config(self, interview_id: str) -> dict[str, Any]:
        """Interview metadata, candidate and job; raises if it does not exist or has ended."""
        return await self._call("GET", f"/api/agent/interviews/{interview_id}/config")

    async def report_status(
        self, interview_id: str, status: str, end_reason: str | None = None
    ) -> dict[str, Any]:
        """``in_progress`` / ``completed`` / ``cancelled`` / ``error`` (idempotent)."""
        body: dict[str, Any] = {"status": status}
        if end_reason is not None:
            body["end_reason"] = end_reason
        return await self._call("POST", f"/api/agent/interviews/{interview_id}/status", body)

    async def upload_transcript(
        self,
        interview_id: str,
        document: dict[str, Any],
        kind: Literal["stage", "full"],
        name: str,
    ) -> dict[str, Any]:
        """Store a transcript document; uploading the same ``name`` again replaces it."""
        return await self._call(
            "POST",
            f"/api/agent/interviews/{interview_id}/transcripts",
            {"kind": kind, "name": name, "document": document},
        )

    async def upload_result(self, interview_id: str, result: dict[str, Any]) -> dict[str, Any]:
        return await self._call(
            "PUT", f"/api/agent/interviews/{interview_id}/result", {"result": result}
        )

    async def get_candidate(self, candidate_id: str) -> dict[str, Any]:
        return await self._call("GET", f"/api/agent/candidates/{candidate_id}")

    async def update_candidate_fields(
        self, candidate_id: str, fields: dict[str, Any]
    ) -> dict[str, Any]:
        """Merge into ``extracted_data``; those fields leave ``missing_required``."""
        return await self._call(
            "PATCH", f"/api/agent/candidates/{candidate_id}/fields", {"fields": fields}
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> PlatformClient:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.aclose()

    # --- token handling --------------------------------------------------------------------------

    def _fresh(self) -> bool:
        return self._token is not None and self._clock() < self._renew_at

    async def _get_token(self, stale: str | None = None) -> str:
        """The cached token, or a new one. ``stale`` is a token the server just refused:
        if another caller has already replaced it, that replacement is used."""
        if self._fresh() and self._token != stale:
            return self._token  # type: ignore[return-value]
        async with self._lock:
            if self._fresh() and self._token != stale:
                return self._token  # type: ignore[return-value]
            self._token = None
            token, ttl = await self._fetch_token()
            now = self._clock()
            self._token = token
            self._expires_at = now + ttl
            self._renew_at = self._expires_at - min(RENEW_BEFORE_SECONDS, ttl / 2)
            return token

    async def _fetch_token(self) -> tuple[str, float]:
        data = {
            "grant_type": "client_credentials",
            "client_id": self._client_id,
            "client_secret": self._client_secret,
        }
        res = await self._send("POST", "/oauth/token", what="token request", data=data)
        if res.status_code in (400, 401, 403):
            raise PlatformAuthError(
                f"VoiceHire API refused the M2M credentials ({res.status_code}: "
                f"{_message(res)}); check VH_M2M_CLIENT_ID and VH_M2M_CLIENT_SECRET",
                status=res.status_code,
            )
        if res.status_code != 200:
            raise PlatformError(
                f"token request failed ({res.status_code}: {_message(res)})",
                status=res.status_code,
            )
        body = res.json()
        self.token_requests += 1
        logger.info("m2m token obtained", extra={"expires_in": body.get("expires_in")})
        return str(body["access_token"]), float(body.get("expires_in") or 3600)

    # --- requests ---------------------------------------------------------------------------------

    async def _send(self, method: str, path: str, *, what: str, **kwargs: Any) -> httpx.Response:
        """Send with bounded retries on 5xx and transport errors."""
        last: str = ""
        for attempt in range(1, self._max_attempts + 1):
            try:
                res = await self._http.request(method, path, **kwargs)
            except httpx.TransportError as exc:
                last = f"unreachable: {exc!r}"
            else:
                if res.status_code < 500:
                    return res
                last = f"{res.status_code}: {_message(res)}"
            logger.warning(
                "voicehire api call failed",
                extra={"call": what, "attempt": attempt, "error": last},
            )
            if attempt < self._max_attempts:
                await self._sleep(self._retry_delay * attempt)
        raise PlatformUnavailableError(
            f"{what} failed after {self._max_attempts} attempts ({last}) at {self.base_url}"
        )

    async def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        what = f"{method} {path}"
        token = await self._get_token()
        res = await self._send(
            method, path, what=what, json=body, headers={"Authorization": f"Bearer {token}"}
        )
        if res.status_code == 401:
            logger.info("m2m token refused; fetching a new one", extra={"call": what})
            token = await self._get_token(stale=token)
            res = await self._send(
                method, path, what=what, json=body, headers={"Authorization": f"Bearer {token}"}
            )
            if res.status_code == 401:
                raise PlatformAuthError(
                    f"{what}: a fresh M2M token was refused too ({_message(res)})", status=401
                )
        if res.status_code == 403:
            raise PlatformAuthError(f"{what}: not allowed ({_message(res)})", status=403)
        if res.status_code == 404:
            raise PlatformNotFoundError(f"{what}: {_message(res)}", status=404)
        if res.status_code >= 400:
            raise PlatformError(
                f"{what}: {res.status_code} {_message(res)}", status=res.status_code
            )
        return res.json()
