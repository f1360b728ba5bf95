"""Every error the API returns is JSON: ``{"error": <code>, "message": <what was wrong>}``.

Routes raise :class:`ApiError`; framework errors (unknown path, bad JSON, validation,
database busy) are turned into the same shape here so no request gets an HTML page or
a bare 500.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from voicehire.storage.db import DatabaseFileGone, DatabaseUnavailable

logger = logging.getLogger(__name__)

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "too_many_requests",
    502: "bad_gateway",
    503: "unavailable",
}


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code or _CODES.get(status, "error")
        self.headers = headers
        self.extra = extra or {}


def error_body(status: int, message: str, code: str | None = None, **extra: Any) -> dict:
    return {"error": code or _CODES.get(status, "error"), "message": message, **extra}


def error_response(status: int, message: str, code: str | None = None, **extra: Any):
    return JSONResponse(error_body(status, message, code, **extra), status_code=status)


def not_found(what: str, ident: str) -> ApiError:
    return ApiError(404, f"{what} {ident!r} not found")


def _loc(loc: tuple | list) -> str:
    return ".".join(str(p) for p in loc)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RecursionError)
    async def _too_deep(_request: Request, _exc: RecursionError):
        # JSON nested so deep that the parser gives up: the client's error, not ours.
        return error_response(400, "the request body is nested too deeply", "too_deep")

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError):
        resp = error_response(exc.status, exc.message, exc.code, **exc.extra)
        if exc.headers:
            resp.headers.update(exc.headers)
        return resp

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 404 and exc.detail == "Not Found":
            message = f"no such endpoint: {request.method} {request.url.path}"
        elif exc.status_code == 405:
            message = f"method {request.method} is not allowed on {request.url.path}"
        else:
            message = str(exc.detail)
        resp = error_response(exc.status_code, message)
        if exc.headers:
            resp.headers.update(exc.headers)
        return resp

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, exc: RequestValidationError):
        problems = []
        for err in exc.errors():
            loc = [p for p in err.get("loc", ()) if p != "body"] or list(err.get("loc", ()))
            where = _loc(loc) or "request"
            problems.append({"field": where, "problem": str(err.get("msg", "invalid"))})
        message = "; ".join(f"{p['field']}: {p['problem']}" for p in problems) or "invalid request"
        return error_response(422, message, "invalid_request", problems=problems)

    @app.exception_handler(IntegrityError)
    async def _integrity(_request: Request, exc: IntegrityError):
        logger.warning("integrity error", extra={"error": str(exc.orig)})
        return error_response(
            409, "the request conflicts with stored data (duplicate or missing reference)"
        )

    @app.exception_handler(OperationalError)
    async def _operational(_request: Request, exc: OperationalError):
        logger.error("database operational error", extra={"error": str(exc.orig)})
        return error_response(503, "the database is unavailable or busy; retry shortly")

    @app.exception_handler(DatabaseFileGone)
    async def _file_gone(_request: Request, exc: DatabaseFileGone):
        logger.error("database file gone", extra={"error": str(exc)})
        return error_response(
            503,
            "the database file was deleted or replaced while the server was running; nothing "
            "is written until it is restored and the server restarted",
            "database_unavailable",
        )

    @app.exception_handler(DatabaseUnavailable)
    async def _unreachable(_request: Request, exc: DatabaseUnavailable):
        logger.error("database unreachable", extra={"error": str(exc)})
        return error_response(503, "the database is unavailable; retry shortly")

    @app.exception_handler(DBAPIError)
    async def _dbapi(request: Request, exc: DBAPIError):
        # a connection the server dropped mid-request (PostgreSQL restarting)
        if exc.connection_invalidated:
            logger.error("database connection lost", extra={"error": str(exc.orig)})
            return error_response(503, "the database is unavailable; retry shortly")
        return await _unexpected(request, exc)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        logger.exception(
            "unhandled error", extra={"path": request.url.path, "method": request.method}
        )
        return error_response(500, "internal error; it has been logged", "internal_error")
