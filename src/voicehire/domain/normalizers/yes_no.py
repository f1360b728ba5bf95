"""Yes / no answers ("yeah, definitely", "not really")."""

from __future__ import annotations

import re

from voicehire.domain.fields import FieldSpec
from voicehire.domain.normalizers.lexicon import UNSURE, prepare, tokenize
from voicehire.domain.normalizers.values import Invalid, NormalizedValue, NormalizeResult

_YES_LEAD = {
    "yes",
    "yeah",
    "yep",
    "yup",
    "yea",
    "ya",
    "sure",
    "absolutely",
    "definitely",
    "certainly",
    "correct",
    "right",
    "affirmative",
    "indeed",
    "totally",
    "ok",
    "okay",
    "course",
}
_NO_LEAD = {"no", "nope", "nah", "negative", "never"}
_YES_PHRASES = re.compile(
    r"\b(no problem|not a problem|why not|don'?t mind|do not mind|wouldn'?t mind|no doubt|"
    r"of course|for sure|that'?s right|that is right|happy to|willing to|open to|"
    r"i am|i'?m|i do|i would|i'?d|i will|i'?ll|i can|i have|i could|would be|that works|"
    r"sounds good|i think so)\b"
)
NEGATION = re.compile(
    r"\b(not|no|never|don'?t|doesn'?t|won'?t|wouldn'?t|can'?t|cannot|couldn'?t|isn'?t|"
    r"aren'?t|am not|i'?m not|haven'?t|hardly|unwilling|unable)\b"
)
_AMBIVALENT = re.compile(
    r"\b(maybe|depends|it depends|possibly|perhaps|might|not sure|unsure|don'?t know|"
    r"could be|kind of|sort of|not really sure)\b"
)


def _yes_no(text: str) -> bool | None:
    tokens = tokenize(text)
    if not tokens:
        return None
    if re.search(
        r"\b(no problem|not a problem|why not|don'?t mind|do not mind|wouldn'?t mind|"
        r"no doubt|not at all a problem)\b",
        text,
    ):
        return True
    if re.search(
        r"\bnot really\b|\bnot at all\b|\bno way\b|"
        r"\b(of course|absolutely|definitely|certainly|sure|really) not\b",
        text,
    ):
        return False
    lead = (
        tokens[0]
        if tokens[0] not in ("oh", "um", "uh", "well", "so", "hmm")
        else (tokens[1] if len(tokens) > 1 else "")
    )
    if lead in _YES_LEAD or (lead == "of" and "course" in tokens):
        return True
    if lead in _NO_LEAD:
        return False
    if _AMBIVALENT.search(text):
        return None
    if NEGATION.search(text):
        return False
    if _YES_PHRASES.search(text):
        return True
    return None


def parse_yes_no(text: str) -> bool | None:
    """True / False for a spoken yes or no ("yep", "nope", "I'd be open to it"); None if
    unclear ("it depends")."""
    return _yes_no(prepare(text))


def normalize_yes_no(spec: FieldSpec, raw: str, prepped: str) -> NormalizeResult:
    answer = _yes_no(prepped)
    if answer is None:
        if UNSURE.search(prepped):
            return Invalid(spec.name, "Is that a yes or a no?", raw, "unsure")
        if _AMBIVALENT.search(prepped):
            return Invalid(
                spec.name, "Would you say that's more of a yes or a no?", raw, "ambiguous"
            )
        return Invalid(spec.name, "Is that a yes or a no?", raw, "no_value")
    return NormalizedValue(
        spec.name,
        spec.type,
        answer,
        "yes" if answer else "no",
        raw,
        needs_confirmation=spec.needs_confirmation,
    )
