"""Interview-level integrity checks that do not depend on the scorer.

Pasted or repeated text: the same passage given as the answer to different questions
(or copied from the question) is flagged on every answer that carries it. Overlap is
measured on word 6-grams of the neutral text, so small edits don't hide a paste and
common phrases ("I would start by") don't trigger it.
"""

from __future__ import annotations

import re

from voicehire.evaluation.answers import AnswerItem

SHINGLE = 6
SHARED_AT = 0.5  # share of the shorter answer's 6-grams found in the other
MIN_WORDS = 15  # shorter answers are too short to call a paste

_WORD = re.compile(r"[a-z0-9]+")


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def duplicate_text_flags(items: list[AnswerItem]) -> dict[str, list[str]]:
    """question id -> flags for answers that repeat another answer's text."""
    grams = {
        it.question_id: _shingles(it.scoring_text)
        for it in items
        if it.answered and len(_WORD.findall(it.scoring_text)) >= MIN_WORDS
    }
    flags: dict[str, list[str]] = {}
    ids = list(grams)
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            small = min(len(grams[a]), len(grams[b]))
            if small and len(grams[a] & grams[b]) / small >= SHARED_AT:
                flags.setdefault(a, []).append(f"duplicate_text: same passage as the answer to {b}")
                flags.setdefault(b, []).append(f"duplicate_text: same passage as the answer to {a}")
    return flags
