"""End-of-turn configuration: LiveKit's local model with configurable patience."""

from __future__ import annotations

import pytest

from voicehire.agent.speech.turn import turn_handling
from voicehire.settings import SettingsError, load_settings


def test_default_uses_the_local_end_of_turn_model_with_the_configured_delays():
    options = turn_handling(
        load_settings(min_endpointing_delay=0.4, max_endpointing_delay=4.0), hearing=True
    )
    detector = options["turn_detection"]
    assert getattr(detector, "model", None) == "turn-detector-v1-mini"  # runs in-process
    assert options["endpointing"] == {"min_delay": 0.4, "max_delay": 4.0}


def test_vad_only_mode_and_text_only_sessions():
    assert turn_handling(load_settings(turn_detection="vad"), hearing=True)["turn_detection"] == (
        "vad"
    )
    assert turn_handling(load_settings(), hearing=False) == {"turn_detection": "manual"}


def test_patience_below_the_minimum_is_refused():
    with pytest.raises(SettingsError, match="MAX_ENDPOINTING_DELAY"):
        turn_handling(
            load_settings(min_endpointing_delay=2.0, max_endpointing_delay=1.0), hearing=True
        )
