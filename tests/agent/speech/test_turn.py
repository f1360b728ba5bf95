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


def test_stages_wait_as_their_answers_need():
    from voicehire.agent.modes.interview import interview_runtime
    from voicehire.domain.config import SessionConfig
    from voicehire.domain.plan import load_plan

    settings = load_settings(min_endpointing_delay=0.5, max_endpointing_delay=3.0)
    plan = load_plan("full").resolve(role="Software Engineer", interview_type="technical")
    runtime = interview_runtime(settings, SessionConfig(interview_id="t"), plan)
    waits = {}
    for stage in plan.plan.stages:
        agent = runtime.make_agent(stage, None)
        # what the framework applies when this stage's agent takes over
        waits[stage.id] = (agent.min_endpointing_delay, agent.max_endpointing_delay)
    # a name or "yes" is answered quickly, and a doubtful pause is not waited out long
    assert waits["greeting"] == waits["closing"] == (0.3, 1.5)
    # open questions use the configured patience
    assert waits["self_introduction"] == waits["experience"] == (0.5, 3.0)
    # technical answers have thinking pauses: longer, and much longer when unsure
    assert waits["technical"] == (0.6, 4.5)


def test_a_plan_can_set_a_stages_answer_style_and_a_wrong_one_is_refused():
    from pydantic import ValidationError

    from voicehire.domain.plan import Stage

    assert Stage(id="quiz", title="Quiz", answers="short").answer_style == "short"
    assert Stage(id="talk", title="Talk").answer_style == "open"
    assert Stage(id="bye", title="Bye", kind="closing").answer_style == "short"
    with pytest.raises(ValidationError, match="answers"):
        Stage(id="x", title="X", answers="slow")


def test_turns_are_interrupted_by_vad_not_a_cloud_model():
    assert turn_handling(load_settings(), hearing=True)["interruption"] == {"mode": "vad"}
