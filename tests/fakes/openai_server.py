"""A local OpenAI-compatible HTTP server for tests.

It serves ``POST /v1/chat/completions`` (plain JSON and SSE streaming, text and tool
calls, an optional usage chunk) on 127.0.0.1 with a random port, inside the test's own
event loop, so the real ``openai`` SDK and ``livekit-plugins-openai`` run unchanged
against it. Replies are scripted; every request body is recorded.

    async with FakeOpenAIServer([FakeReply(text="hi")]) as server:
        client = openai.AsyncOpenAI(base_url=server.base_url, api_key="test")
        ...
        assert server.requests[0]["model"] == "gpt-4o-mini"

A responder is a ``FakeReply`` (served for every request), a list of replies (served in
order; a request after the last one gets HTTP 500 naming the problem), or a callable
``(request_json) -> FakeReply`` (sync or async).

Note: the ``openai`` SDK retries 408/409/429/5xx and timeouts (``max_retries``, 2 by
default), so a scripted error reply may be requested more than once.
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import json
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

__all__ = ["FakeOpenAIServer", "FakeReply"]


@dataclass
class FakeReply:
    """One scripted completion.

    text: the assistant's content (streamed in small pieces when the client streams).
    tool_calls: ``(function name, arguments dict)`` pairs the assistant calls.
    delay: seconds to wait before answering (to exercise client timeouts).
    status: HTTP status; anything but 200 returns an OpenAI-style error body whose
        message is ``text`` (or a default).
    raw_body: sent verbatim instead of a well-formed response (malformed-server tests).
    """

    text: str = ""
    tool_calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    delay: float = 0.0
    status: int = 200
    raw_body: str | None = None


Responder = (
    FakeReply | Sequence[FakeReply] | Callable[[dict[str, Any]], FakeReply | Awaitable[FakeReply]]
)


class FakeOpenAIServer:
    """Async context manager running the fake on 127.0.0.1:<random port>."""

    def __init__(self, responder: Responder, *, model: str = "fake-model") -> None:
        self._responder = responder
        self._queue: list[FakeReply] | None = (
            list(responder)
            if isinstance(responder, Sequence) and not isinstance(responder, FakeReply)
            else None
        )
        self.model = model
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._ids = itertools.count(1)

    # -- lifecycle --------------------------------------------------------------------------
    async def __aenter__(self) -> FakeOpenAIServer:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._chat_completions)
        # livekit-plugins-openai prewarms its connection with a model listing
        app.router.add_get("/v1/models", self._models)
        # Short shutdown so a test that abandoned a delayed request does not wait on it.
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.2)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None and server.sockets
        self._port = server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        if self._port is None:
            raise RuntimeError("FakeOpenAIServer is not running; use `async with`")
        return f"http://127.0.0.1:{self._port}/v1"

    # -- scripting --------------------------------------------------------------------------
    async def _next_reply(self, body: dict[str, Any]) -> FakeReply | None:
        if self._queue is not None:
            return self._queue.pop(0) if self._queue else None
        if isinstance(self._responder, FakeReply):
            return self._responder
        reply = self._responder(body)  # type: ignore[operator]
        if inspect.isawaitable(reply):
            reply = await reply
        return reply

    # -- HTTP ---------------------------------------------------------------------------------
    async def _models(self, request: web.Request) -> web.Response:
        return web.json_response(
            {"object": "list", "data": [{"id": self.model, "object": "model", "owned_by": "fake"}]}
        )

    async def _chat_completions(self, request: web.Request) -> web.StreamResponse:
        try:
            body = await request.json()
        except json.JSONDecodeError:
            return _error(400, "request body is not JSON")
        self.requests.append(body)
        self.headers.append(dict(request.headers))
        reply = await self._next_reply(body)
        if reply is None:
            return _error(
                500, f"FakeOpenAIServer: no scripted reply left for request #{len(self.requests)}"
            )
        if reply.delay:
            await asyncio.sleep(reply.delay)
        if reply.status != 200:
            return _error(reply.status, reply.text or f"scripted error {reply.status}")
        if reply.raw_body is not None:
            ctype = "text/event-stream" if body.get("stream") else "application/json"
            return web.Response(text=reply.raw_body, content_type=ctype)
        model = str(body.get("model") or self.model)
        completion_id = f"chatcmpl-fake{next(self._ids)}"
        if body.get("stream"):
            return await self._stream(request, body, reply, model, completion_id)
        return web.json_response(_completion(reply, model, completion_id, body))

    async def _stream(
        self,
        request: web.Request,
        body: dict[str, Any],
        reply: FakeReply,
        model: str,
        completion_id: str,
    ) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await resp.prepare(request)
        created = int(time.time())

        async def send(choices: list[dict[str, Any]], usage: dict[str, Any] | None = None) -> None:
            chunk: dict[str, Any] = {
                "id": completion_id,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "choices": choices,
            }
            if usage is not None:
                chunk["usage"] = usage
            await resp.write(f"data: {json.dumps(chunk)}\n\n".encode())

        await send([{"index": 0, "delta": {"role": "assistant", "content": ""}}])
        for piece in _pieces(reply.text):
            await send([{"index": 0, "delta": {"content": piece}, "finish_reason": None}])
        for i, (name, args) in enumerate(reply.tool_calls):
            arguments = json.dumps(args)
            first = {
                "index": i,
                "id": f"call_fake{completion_id[-4:]}_{i}",
                "type": "function",
                "function": {"name": name, "arguments": ""},
            }
            await send([{"index": 0, "delta": {"tool_calls": [first]}, "finish_reason": None}])
            # Arguments arrive in fragments, as real servers send them.
            for j in range(0, len(arguments), 12):
                frag = {"index": i, "function": {"arguments": arguments[j : j + 12]}}
                await send([{"index": 0, "delta": {"tool_calls": [frag]}, "finish_reason": None}])
        finish = "tool_calls" if reply.tool_calls else "stop"
        await send([{"index": 0, "delta": {}, "finish_reason": finish}])
        if (body.get("stream_options") or {}).get("include_usage"):
            await send([], usage=_usage(body, reply))
        await resp.write(b"data: [DONE]\n\n")
        await resp.write_eof()
        return resp


def _pieces(text: str, size: int = 3) -> list[str]:
    """Split text into runs of a few words, keeping every character."""
    if not text:
        return []
    words = text.split(" ")
    return [
        " ".join(words[i : i + size]) + (" " if i + size < len(words) else "")
        for i in range(0, len(words), size)
    ]


def _usage(body: dict[str, Any], reply: FakeReply) -> dict[str, int]:
    prompt = sum(len(str(m.get("content", "")).split()) for m in body.get("messages", []))
    completion = len(reply.text.split()) + sum(len(json.dumps(a)) // 4 for _, a in reply.tool_calls)
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


def _completion(
    reply: FakeReply, model: str, completion_id: str, body: dict[str, Any]
) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": reply.text or None}
    if reply.tool_calls:
        message["tool_calls"] = [
            {
                "id": f"call_fake{completion_id[-4:]}_{i}",
                "type": "function",
                "function": {"name": name, "arguments": json.dumps(args)},
            }
            for i, (name, args) in enumerate(reply.tool_calls)
        ]
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": message,
                "finish_reason": "tool_calls" if reply.tool_calls else "stop",
            }
        ],
        "usage": _usage(body, reply),
    }


def _error(status: int, message: str) -> web.Response:
    return web.json_response(
        {"error": {"message": message, "type": "fake_error", "code": str(status)}},
        status=status,
    )
