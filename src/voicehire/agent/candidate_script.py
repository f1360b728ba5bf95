"""A scripted candidate for unattended interviews (``voicehire interview --answers``).

The file is a YAML list of answers, or a mapping with ``answers`` plus optional
``candidate: {name}`` and ``silence_timeout``. Each answer is text, ``{say, pause}`` or
``{silence}`` (seconds to stay quiet, which the agent meets with a nudge).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


class ScriptError(ValueError):
    """An answers file that cannot be used; the message says where and why."""


@dataclass
class ScriptStep:
    say: str | None = None
    audio: Path | None = None  # a spoken answer (WAV), heard through speech recognition
    pause: float = 0.0  # seconds to wait before answering
    silence: float = 0.0  # seconds to stay silent instead of answering


@dataclass
class CandidateScript:
    steps: list[ScriptStep]
    name: str | None = None
    silence_timeout: float | None = None
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def spoken(self) -> bool:
        """True when some answers are audio: the session must hear them."""
        return any(step.audio is not None for step in self.steps)


def load_script(path: Path) -> CandidateScript:
    """Read an answers file: a YAML list of answers, or a mapping with ``answers``."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ScriptError(f"cannot read answers file {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise ScriptError(f"{path}: not valid YAML: {exc}") from None
    meta: dict[str, Any] = {}
    if isinstance(doc, dict):
        meta, doc = doc, doc.get("answers")
    if not isinstance(doc, list) or not doc:
        raise ScriptError(f"{path}: expected a non-empty list of answers (or 'answers: [...]')")
    steps = []
    for i, entry in enumerate(doc, 1):
        if isinstance(entry, str):
            steps.append(ScriptStep(say=entry))
        elif isinstance(entry, dict) and ("say" in entry or "silence" in entry or "audio" in entry):
            audio = None
            if entry.get("audio") is not None:
                audio = (path.parent / str(entry["audio"])).resolve()
                if not audio.is_file():
                    raise ScriptError(f"{path}: answer {i}: audio file {audio} does not exist")
            try:
                steps.append(
                    ScriptStep(
                        say=str(entry["say"]) if entry.get("say") is not None else None,
                        audio=audio,
                        pause=float(entry.get("pause", 0)),
                        silence=float(entry.get("silence", 0)),
                    )
                )
            except (TypeError, ValueError):
                raise ScriptError(f"{path}: answer {i}: pause/silence must be seconds") from None
        else:
            raise ScriptError(
                f"{path}: answer {i} must be text, {{say: ..., pause: s}}, {{audio: file.wav}}"
                " or {silence: s}"
            )
    silence_timeout = meta.get("silence_timeout")
    if silence_timeout is not None and not isinstance(silence_timeout, int | float):
        raise ScriptError(f"{path}: silence_timeout must be a number of seconds")
    candidate = meta.get("candidate") or {}
    return CandidateScript(
        steps=steps,
        name=candidate.get("name") if isinstance(candidate, dict) else None,
        silence_timeout=silence_timeout,
    )
