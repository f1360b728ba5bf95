"""Where a turn's latency goes: one INFO line per spoken reply to a candidate's turn.

The framework measures each part on the chat items (``ChatMessage.metrics``): the
candidate's last voiced moment (VAD, wall clock), the end-of-turn wait after it
(``end_of_turn_delay``: VAD silence + endpointing patience + the end-of-turn model),
the transcript's delay, the LLM's first token, the TTS's first audio, and when the
agent's audio started. ``turn timing`` logs them together with the endpointing delays
in force, so a slow turn shows which part was slow (benchmarks read it). An end-of-turn
wait near the maximum delay means the end-of-turn model judged the answer unfinished
(the framework does not publish the model's probability).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

TIMING_MESSAGE = "turn timing"


def _ms(value: Any) -> float | None:
    return round(float(value) * 1000, 1) if isinstance(value, int | float) else None


class TurnTiming:
    """Collects a session's per-turn timing and logs it when the agent starts replying."""

    def __init__(self, delays: Callable[[], tuple[float, float]]) -> None:
        self._delays = delays  # the (min, max) endpointing delays in force
        self._user: dict[str, Any] | None = None
        self.turns: list[dict[str, Any]] = []

    def attach(self, session: Any) -> None:
        session.on("conversation_item_added", self._on_item)

    def _on_item(self, event: Any) -> None:
        item = event.item
        if getattr(item, "type", None) != "message":
            return
        metrics = dict(getattr(item, "metrics", None) or {})
        if item.role == "user":
            self._user = metrics
            return
        if item.role != "assistant" or self._user is None:
            return
        user, self._user = self._user, None
        min_delay, max_delay = self._delays()
        waited = user.get("end_of_turn_delay")
        record: dict[str, Any] = {
            "speech_ended_at": user.get("stopped_speaking_at"),
            "reply_started_at": metrics.get("started_speaking_at"),
            "end_of_turn_ms": _ms(user.get("end_of_turn_delay")),
            "transcription_ms": _ms(user.get("transcription_delay")),
            "llm_ttft_ms": _ms(metrics.get("llm_node_ttft")),
            "tts_ttfb_ms": _ms(metrics.get("tts_node_ttfb")),
            "e2e_ms": _ms(metrics.get("e2e_latency")),
            "min_delay_ms": _ms(min_delay),
            "max_delay_ms": _ms(max_delay),
            # the model judged the turn unfinished: the wait ran to the maximum delay
            "judged_unfinished": (
                bool(waited > (min_delay + max_delay) / 2)
                if isinstance(waited, int | float) and max_delay > min_delay
                else None
            ),
        }
        self.turns.append(record)
        logger.info(TIMING_MESSAGE, extra={"turn_timing": record})


def delays_in_force(session: Any, default: tuple[float, float]) -> tuple[float, float]:
    """The current agent's (min, max) endpointing delays (stages set their own)."""
    try:
        agent = session.current_agent
    except RuntimeError:  # not started yet
        agent = None
    low = getattr(agent, "min_endpointing_delay", None)
    high = getattr(agent, "max_endpointing_delay", None)
    return (
        float(low) if isinstance(low, int | float) else default[0],
        float(high) if isinstance(high, int | float) else default[1],
    )


def track_turn_timing(session: Any, default: tuple[float, float]) -> TurnTiming:
    timing = TurnTiming(lambda: delays_in_force(session, default))
    timing.attach(session)
    return timing
