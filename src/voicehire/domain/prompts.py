"""Prompt templates and fixed interviewer lines, loaded from ``prompts.yaml`` (English)
and ``prompts.LANG.yaml`` (one file per other interview language, the same keys and the
same placeholders: ``tests/domain/test_locales.py`` checks it).

Every function takes the interview's language (``lang``: ``"es"``, ``"fr-CA"``, ...);
a language without a prompts file falls back to English.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

# Languages the built-in plans and the interviewer's fixed lines exist in.
LANGUAGES: tuple[str, ...] = ("en", "es", "fr")
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "es": "Spanish", "fr": "French"}


class _Missing(dict[str, Any]):
    def __missing__(self, key: str) -> str:  # leave unknown placeholders visible
        return "{" + key + "}"


def locale(language: str | None) -> str:
    """The supported locale for a language tag (``es-MX`` → ``es``; unknown → ``en``)."""
    base = (language or "en").replace("_", "-").split("-")[0].strip().lower()
    return base if base in LANGUAGES else "en"


def _read(name: str) -> dict[str, Any]:
    text = (resources.files("voicehire.domain") / name).read_text(encoding="utf-8")
    doc = yaml.safe_load(text)
    if not isinstance(doc, dict):
        raise ValueError(f"{name} must be a mapping of template names to text")
    return doc


@lru_cache(maxsize=len(LANGUAGES))
def templates(lang: str = "en") -> dict[str, Any]:
    """Every template of one locale (English for keys a locale file lacks)."""
    english = _read("prompts.yaml")
    code = locale(lang)
    if code == "en":
        return english
    return {**english, **_read(f"prompts.{code}.yaml")}


def fill(template: str, values: dict[str, Any]) -> str:
    """Fill ``{name}`` placeholders; unknown placeholders are left visible, not an error."""
    return str(template).format_map(_Missing(values)).strip()


def render(key: str, *, lang: str = "en", **values: Any) -> str:
    """Render the template ``key`` of the locale ``lang`` with ``values``."""
    return fill(templates(lang)[key], values)


def intent_lines(lang: str = "en") -> dict[str, str]:
    """Fixed lines for candidate intents (see ``domain/intents.py``)."""
    return {str(k): str(v) for k, v in templates(lang)["intent_lines"].items()}


def clarify_asks(lang: str = "en") -> dict[str, str]:
    """What a good answer covers, per indicator kind, in a candidate's terms."""
    return {str(k): str(v) for k, v in templates(lang)["clarify_asks"].items()}


def lines(key: str, lang: str = "en") -> list[str]:
    return list(templates(lang)[key])


def stage_intro(stage_id: str, stage_title: str, lang: str = "en") -> str:
    intros = templates(lang)["stage_intros"]
    return str(intros.get(stage_id, intros["default"])).format(stage_title=stage_title)


def joined(items: list[str], lang: str = "en") -> str:
    """``a, b and c`` in the locale's words."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {templates(lang)['and']} " + items[-1]
