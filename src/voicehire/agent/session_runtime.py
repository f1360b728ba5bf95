"""What every conversation runtime shares (the interview, the gap-filling and briefing
calls): speaking fixed lines, waiting for the agent to finish a turn, background tasks,
outbound messages, tool-call logs, and turning a closed session into an end reason."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import Any

from livekit.agents import AgentSession
from livekit.agents.voice.events import CloseEvent, CloseReason, FunctionToolsExecutedEvent

from voicehire.agent.messages import MessageSink

logger = logging.getLogger(__name__)

# Seconds to wait for the agent to finish a turn before a timer acts anyway.
IDLE_WAIT = 15.0


class SessionRuntime:
    human_role = "candidate"  # who the agent talks to: "<role>_left" when they leave

    def __init__(self, sink: MessageSink | None = None) -> None:
        self.sink = sink
        self.session: AgentSession | None = None
        self.ended = asyncio.Event()
        self._ending = False
        self._pending_kinds: dict[str, str] = {}  # fixed lines said, by text -> kind
        self._tasks: set[asyncio.Task[Any]] = set()

    @property
    def ending(self) -> bool:
        """True from the moment the conversation starts to end (before ``ended`` is set)."""
        return self._ending

    def log_context(self) -> dict[str, Any]:
        """Fields that identify this conversation in every log line."""
        return {}

    async def end(self, reason: str, *, speak: bool = True) -> Any:
        raise NotImplementedError

    # --- speech -------------------------------------------------------------------------------
    async def say(self, text: str, *, kind: str = "speech") -> None:
        """Speak a fixed line (not from the LLM); recorded with ``kind`` in the transcript."""
        if self.session is None:
            return
        self._pending_kinds[text] = kind
        try:
            await self.session.say(text, allow_interruptions=kind != "goodbye")
        except RuntimeError as exc:  # session closing
            logger.info("could not speak", extra={"text": text[:80], "error": str(exc)})

    async def wait_idle(self, limit: float = IDLE_WAIT) -> None:
        """Wait until the agent is neither thinking nor speaking (bounded)."""
        if self.session is None:
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        while self.session.agent_state in ("thinking", "speaking", "initializing"):
            if loop.time() > deadline:
                logger.warning("agent still busy; acting anyway", extra={"waited": limit})
                return
            await asyncio.sleep(0.05)

    # --- session events -----------------------------------------------------------------------
    def _on_tools(self, ev: FunctionToolsExecutedEvent) -> None:
        for call, output in zip(ev.function_calls, ev.function_call_outputs, strict=False):
            error = output is not None and output.is_error
            (logger.warning if error else logger.info)(
                "tool call",
                extra={
                    **self.log_context(),
                    "tool": call.name,
                    "arguments": call.arguments,
                    "error": output.output if error else None,
                },
            )

    def _on_close(self, ev: CloseEvent) -> None:
        if self._ending:
            return
        reason = {
            CloseReason.PARTICIPANT_DISCONNECTED: f"{self.human_role}_left",
            CloseReason.ERROR: "error",
            CloseReason.JOB_SHUTDOWN: "job_shutdown",
        }.get(ev.reason, "session_closed")
        if ev.error is not None:
            logger.error(
                "session closed on error", extra={**self.log_context(), "error": repr(ev.error)}
            )
        self.spawn(self.end(reason, speak=False))

    # --- helpers ------------------------------------------------------------------------------
    def _publish(self, message: dict[str, Any]) -> None:
        if self.sink is not None:
            self.spawn(self.sink.send(message))

    def spawn(self, coro: Awaitable[Any]) -> asyncio.Task[Any]:
        """Run ``coro`` in the background; its failure is logged, never lost."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error(
                "background task failed", exc_info=task.exception(), extra=self.log_context()
            )

    @staticmethod
    def _cancel(task: asyncio.Task[Any] | None) -> None:
        if task is not None and not task.done() and task is not asyncio.current_task():
            task.cancel()
