"""Prompt templates and fixed interviewer lines, loaded from ``prompts.yaml``."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml


class _Missing(dict[str, Any]):
    def __missing__(self, key: str) -> str:  # leave unknown placeholders visible
        return "{" + key + "}"


@lru_cache(maxsize=1)
def _templates() -> dict[str, Any]:
    text = (resources.files("voicehire.domain") / "prompts.yaml").read_text(encoding="utf-8")
    doc = yaml.safe_load(text)
    if not isinstance(doc, dict):
        raise ValueError("prompts.yaml must be a mapping of template names to text")
    return doc


def fill(template: str, values: dict[str, Any]) -> str:
    """Fill ``{name}`` placeholders; unknown placeholders are left visible, not an error."""
    return str(template).format_map(_Missing(values)).strip()


def render(key: str, **values: Any) -> str:
    """Render the template ``key`` from prompts.yaml with ``values``."""
    return fill(_templates()[key], values)


def intent_lines() -> dict[str, str]:
    """Fixed lines for candidate intents (see ``domain/intents.py``)."""
    return {str(k): str(v) for k, v in _templates()["intent_lines"].items()}


def clarify_asks() -> dict[str, str]:
    """What a good answer covers, per indicator kind, in a candidate's terms."""
    return {str(k): str(v) for k, v in _templates()["clarify_asks"].items()}


def lines(key: str) -> list[str]:
    return list(_templates()[key])


def stage_intro(stage_id: str, stage_title: str) -> str:
    intros = _templates()["stage_intros"]
    return str(intros.get(stage_id, intros["default"])).format(stage_title=stage_title)
