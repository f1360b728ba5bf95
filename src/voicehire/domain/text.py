"""Text that can always be stored and shown: lone UTF-16 surrogates (which JSON's
``\\ud800`` escapes can carry, and which UTF-8 cannot encode) become U+FFFD."""

from __future__ import annotations

import re
from typing import Any

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def valid_text(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD (the same object if none)."""
    return _LONE_SURROGATE.sub(REPLACEMENT, text)


def valid_unicode(value: Any) -> Any:
    """``value`` (decoded JSON: dicts, lists, strings, numbers) with every string, key
    included, made encodable as UTF-8."""
    if isinstance(value, str):
        return valid_text(value)
    if isinstance(value, dict):
        return {valid_unicode(k): valid_unicode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [valid_unicode(v) for v in value]
    return value
