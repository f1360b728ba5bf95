"""An in-process ``llm.LLM`` whose replies come from a Python function.

The embedded default's interviewer policy and the tests' scripted LLM both subclass it,
so they go through exactly the same AgentSession machinery (streamed text, tool calls,
tool execution, handoffs) as a cloud model does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from livekit.agents import llm, utils
from livekit.agents.llm import ChatChunk, ChoiceDelta, FunctionToolCall
from livekit.agents.types import DEFAULT_API_CONNECT_OPTIONS, NOT_GIVEN, APIConnectOptions


@dataclass
class Reply:
    """What the model says this turn, and which tools it calls (name, arguments)."""

    text: str = ""
    tool_calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


def tool_names(tools: list[Any]) -> set[str]:
    names = set()
    for tool in tools:
        info = getattr(tool, "info", None)
        name = getattr(info, "name", None) or getattr(tool, "id", None)
        if name:
            names.add(name)
    return names


class _LocalStream(llm.LLMStream):
    def __init__(
        self,
        owner: LocalLLM,
        *,
        chat_ctx: llm.ChatContext,
        tools: list[Any],
        conn_options: APIConnectOptions,
    ) -> None:
        super().__init__(owner, chat_ctx=chat_ctx, tools=tools, conn_options=conn_options)
        self._owner = owner

    async def _run(self) -> None:
        reply = self._owner.decide(self._chat_ctx, list(self._tools))
        request_id = utils.shortuuid("local_")
        if reply.text:
            self._event_ch.send_nowait(
                ChatChunk(id=request_id, delta=ChoiceDelta(role="assistant", content=reply.text))
            )
        if reply.tool_calls:
            calls = [
                FunctionToolCall(
                    name=name, arguments=json.dumps(args), call_id=utils.shortuuid("call_")
                )
                for name, args in reply.tool_calls
            ]
            self._event_ch.send_nowait(
                ChatChunk(id=request_id, delta=ChoiceDelta(role="assistant", tool_calls=calls))
            )


class LocalLLM(llm.LLM[Any]):
    """Subclasses implement :meth:`decide`; it must not change any state (the framework
    may call it speculatively and discard the result)."""

    def __init__(self, model_name: str = "local") -> None:
        super().__init__()
        self._model_name = model_name

    @property
    def model(self) -> str:
        return self._model_name

    @property
    def provider(self) -> str:
        return "voicehire"

    def decide(self, chat_ctx: llm.ChatContext, tools: list[Any]) -> Reply:
        raise NotImplementedError

    def chat(
        self,
        *,
        chat_ctx: llm.ChatContext,
        tools: list[Any] | None = None,
        conn_options: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS,
        parallel_tool_calls: Any = NOT_GIVEN,
        tool_choice: Any = NOT_GIVEN,
        extra_kwargs: Any = NOT_GIVEN,
    ) -> llm.LLMStream:
        return _LocalStream(self, chat_ctx=chat_ctx, tools=tools or [], conn_options=conn_options)
