"""Free-text answers: trimmed, fillers dropped, cut at the length limit."""

from __future__ import annotations

import re

from voicehire.domain.fields import FieldSpec
from voicehire.domain.normalizers.values import Invalid, NormalizedValue, NormalizeResult

_FILLERS = re.compile(r"^((um+|uh+|er+|erm|hmm+|well|so|okay|ok|oh)\b[,.]?\s*)+", re.IGNORECASE)


def normalize_text(spec: FieldSpec, raw: str) -> NormalizeResult:
    text = re.sub(r"\s+", " ", raw).strip()
    text = _FILLERS.sub("", text).strip(" ,.")
    if not text or not re.search(r"\w", text):
        return Invalid(spec.name, "I didn't catch that.", raw, "empty")
    notes: tuple[str, ...] = ()
    if len(text) > spec.max_length:
        cut = text[: spec.max_length]
        if " " in cut[spec.max_length // 2 :]:
            cut = cut[: cut.rfind(" ")]
        text = cut.rstrip(" ,.;:")
        notes = (f"truncated to {spec.max_length} characters",)
    return NormalizedValue(
        spec.name,
        spec.type,
        text,
        text,
        raw,
        needs_confirmation=spec.needs_confirmation,
        notes=notes,
    )
