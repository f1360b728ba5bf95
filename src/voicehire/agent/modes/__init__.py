"""The mode registry: every kind of session the agent runs, by ``sessionType``.

The worker, the terminal runner (``voicehire interview`` / ``voicehire call``), the
browser transport and the API all look modes up here. A mode is a module with a
``MODE`` attribute (a :class:`~voicehire.agent.launch.Mode`: its name, a label and an
async factory that builds its :class:`~voicehire.agent.runtime.SessionRuntime` from a
:class:`~voicehire.agent.launch.SessionRequest`). Adding a mode is one line here and
one new module (see AGENTS.md).

Modules are imported on first use, so asking which modes exist stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from voicehire.domain.config import register_session_type

if TYPE_CHECKING:
    from voicehire.agent.launch import Mode

# sessionType -> the module that implements it
BUILTIN_MODES: dict[str, str] = {
    "ai_interview": "voicehire.agent.modes.interview",
    "gap_filling": "voicehire.agent.modes.gap_filling",
    "briefing": "voicehire.agent.modes.briefing",
}
_registered: dict[str, Mode] = {}
for _name in BUILTIN_MODES:
    register_session_type(_name)


class UnknownMode(LookupError):
    def __init__(self, name: str) -> None:
        super().__init__(
            f"unknown session type {name!r}; this agent runs: {', '.join(mode_names())}"
        )
        self.name = name


def mode_names() -> tuple[str, ...]:
    return (*BUILTIN_MODES, *(n for n in _registered if n not in BUILTIN_MODES))


def register(mode: Mode) -> None:
    """Add a mode at run time (a plugin, or a test)."""
    register_session_type(mode.name)
    _registered[mode.name] = mode


def unregister(name: str) -> None:
    _registered.pop(name, None)


def mode_for(name: str) -> Mode:
    if name in _registered:
        return _registered[name]
    if name not in BUILTIN_MODES:
        raise UnknownMode(name)
    mode: Mode = importlib.import_module(BUILTIN_MODES[name]).MODE
    _registered[name] = mode
    return mode
