"""When the candidate's turn ends: LiveKit's end-of-turn model on top of the VAD.

``livekit-agents`` depends on ``livekit-local-inference``, whose native library carries
LiveKit's audio end-of-turn model (``turn-detector-v1-mini``, ~108 MB in memory, LiveKit
Model License: free to use with LiveKit Agents only). It listens to the last 1.2 s of
speech; when it judges the turn unfinished ("let me think… hmm"), the session waits
``MAX_ENDPOINTING_DELAY`` instead of ``MIN_ENDPOINTING_DELAY`` before answering.
"""

from __future__ import annotations

import importlib.util
import logging
from typing import Any

from livekit.agents.voice.turn import EndpointingOptions, TurnHandlingOptions

from voicehire.domain.plan import AnswerStyle
from voicehire.settings import Settings, SettingsError

logger = logging.getLogger(__name__)


def turn_model_installed() -> bool:
    return importlib.util.find_spec("livekit.local_inference") is not None


def build_turn_detector(settings: Settings) -> Any | None:
    """The local end-of-turn model, or None when turns end on VAD silence alone."""
    mode = settings.turn_detection
    if mode == "vad":
        return None
    if not turn_model_installed():
        if mode == "model":
            raise SettingsError(
                "TURN_DETECTION=model needs livekit-local-inference (installed with "
                "livekit-agents); reinstall with `uv sync --frozen`"
            )
        logger.warning("end-of-turn model unavailable: turns end on VAD silence alone")
        return None
    from livekit.agents.inference.eot import TurnDetector

    # v1-mini runs in-process; "v1" would call LiveKit's cloud gateway
    return TurnDetector(version="v1-mini")


def endpointing(settings: Settings) -> EndpointingOptions:
    if settings.max_endpointing_delay < settings.min_endpointing_delay:
        raise SettingsError(
            f"MAX_ENDPOINTING_DELAY ({settings.max_endpointing_delay}) must not be below "
            f"MIN_ENDPOINTING_DELAY ({settings.min_endpointing_delay})"
        )
    return {
        "min_delay": settings.min_endpointing_delay,
        "max_delay": settings.max_endpointing_delay,
    }


# (min, max) delay factors per answer style, applied to MIN/MAX_ENDPOINTING_DELAY: short
# answers (a name, "yes") are answered sooner and a doubtful pause waits less; technical
# answers, where candidates stop to think mid-answer, wait longer before answering and
# much longer when the end-of-turn model judges the answer unfinished.
STYLE_FACTORS: dict[AnswerStyle, tuple[float, float]] = {
    "short": (0.6, 0.5),
    "open": (1.0, 1.0),
    "technical": (1.2, 1.5),
}


def stage_endpointing(min_delay: float, max_delay: float, style: AnswerStyle) -> EndpointingOptions:
    """A stage agent's endpointing: the session's delays scaled for its answer style."""
    low, high = STYLE_FACTORS[style]
    min_d = round(min_delay * low, 3)
    return {"min_delay": min_d, "max_delay": max(min_d, round(max_delay * high, 3))}


def turn_handling(settings: Settings, *, hearing: bool) -> TurnHandlingOptions:
    """``AgentSession(turn_handling=...)`` for a session that hears the candidate or not."""
    if not hearing:
        return {"turn_detection": "manual"}
    detector = build_turn_detector(settings)
    return {
        "turn_detection": detector if detector is not None else "vad",
        "endpointing": endpointing(settings),
        # Barge-in by VAD. The "adaptive" detector is LiveKit Cloud's model: in `agent dev`
        # the framework tries it, fails offline, and falls back mid-session.
        "interruption": {"mode": "vad"},
    }
