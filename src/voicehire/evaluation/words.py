"""The evaluation's words per interview language (``evaluation/locales/LANG.yaml``):
the report page's labels, recommendation and outcome labels, and the summary's
sentences. Every locale file has the keys of ``en.yaml``."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from voicehire.domain.prompts import locale


@cache
def report_words(language: str | None = "en") -> dict[str, Any]:
    """The words in the interview's language (English for a language without a file)."""
    code = locale(language)
    text = (resources.files("voicehire.evaluation") / "locales" / f"{code}.yaml").read_text(
        encoding="utf-8"
    )
    words: dict[str, Any] = yaml.safe_load(text)
    return words


def summary_line(key: str, language: str | None = "en", **values: Any) -> str:
    """One of the summary's sentences (``summary:`` in the locale file), filled in."""
    return str(report_words(language)["summary"][key]).format(**values)
