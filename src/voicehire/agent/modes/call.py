"""What the gap-filling and briefing calls share on top of the session lifecycle: one
transcript stage named after the mode, a fixed greeting then the LLM's opening turn,
an optional time budget, and ``end_call``.

The deterministic policies read the runtime (never change it); only tools, timers and
room events do.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from livekit.agents import Agent

from voicehire.agent.runtime import SessionRuntime
from voicehire.domain.messages import CallStartedMessage
from voicehire.domain.transcript import now_ms

logger = logging.getLogger(__name__)

DEFAULT_AGENT_NAME = "Alex"


class CallRuntime(SessionRuntime):
    """A call: subclasses add the agent, the lines, the tools and the result."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._opened = False  # the agent's opening turn has been spoken

    @property
    def call_id(self) -> str:
        return self.session_id

    # --- hooks for the call modes --------------------------------------------------------
    def make_agent(self) -> Agent:
        raise NotImplementedError

    def opening_instruction(self) -> str:
        raise NotImplementedError

    async def greet(self) -> None:
        """Fixed lines said before the LLM's first turn (none by default)."""

    def closing_line(self) -> str:
        return "Thank you. Goodbye!"

    def time_budget(self) -> float | None:
        """Seconds after which the call closes politely (None: only maxDuration)."""
        return None

    def question_id(self) -> str | None:
        return None

    # --- the lifecycle's hooks -----------------------------------------------------------
    def start(self) -> Agent:
        assert self.recorder is not None, "bind_io() first"
        self.recorder.open_stage(self.mode, self.title)
        budget = self.time_budget()
        if budget is not None:
            self.start_timer(self._budget_timer(budget))
        return self.make_agent()

    def start_log(self) -> dict[str, Any]:
        return {"time_budget": self.time_budget(), "max_duration": self.config.max_duration}

    @property
    def awaiting_answer(self) -> bool:
        """True when the call waits for the person (the opening has been said and the agent
        is listening)."""
        return not self._ending and self._opened and self.agent_state == "listening"

    def answer_question_id(self, text: str) -> str | None:
        return self.question_id()

    def agent_question_id(self) -> str | None:
        return self.question_id()

    def max_duration_line(self) -> str:
        return self.closing_line()

    def manual_end_line(self) -> str:
        return self.closing_line()

    def log_context(self) -> dict[str, Any]:
        return {"mode": self.mode, "call_id": self.session_id}

    async def on_enter(self) -> None:
        """The agent's ``on_enter``: fixed greeting, then the LLM's opening turn."""
        self.publish(CallStartedMessage(mode=self.mode, timestamp=now_ms()))
        await self.greet()
        if self._ending or self.session is None:
            return
        handle = self.session.generate_reply(instructions=self.opening_instruction())
        self.spawn(self._mark_opened(handle))

    async def _mark_opened(self, handle: Any) -> None:
        with contextlib.suppress(Exception):
            await handle
        self._opened = True
        self.changed.notify()

    async def _budget_timer(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
        if self._ending:
            return
        logger.info("call time budget reached", extra={"mode": self.mode, "budget": seconds})
        await self.wait_idle()
        if not self._ending:
            await self.end("time_up", line=self.closing_line())

    def tool_end_call(self, reason: str) -> None:
        # End after the current turn (the goodbye) has been spoken.
        self.spawn(self.end(reason or "completed"))


class CallAgent(Agent):
    """A call's agent: opens with the runtime's greeting (the runtime is the userdata)."""

    async def on_enter(self) -> None:
        runtime: CallRuntime = self.session.userdata
        await runtime.on_enter()


def conversation(transcript: dict[str, Any] | None) -> list[dict[str, Any]]:
    return list((transcript or {}).get("fullConversation") or [])
