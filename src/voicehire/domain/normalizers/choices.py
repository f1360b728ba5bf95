"""Answers that pick from a spec's choices ("hybrid would be ideal")."""

from __future__ import annotations

import difflib

from voicehire.domain.fields import FieldSpec
from voicehire.domain.normalizers.lexicon import UNSURE, prepare, tokenize
from voicehire.domain.normalizers.rules import after_correction
from voicehire.domain.normalizers.values import Invalid, NormalizedValue, NormalizeResult
from voicehire.domain.normalizers.yes_no import NEGATION


def _phrase_tokens(phrase: str) -> list[str]:
    return tokenize(prepare(phrase))


def match_choice(spec: FieldSpec, text: str) -> tuple[list[str], list[str]]:
    """(choices matched, choices mentioned only in a negation). Longest phrases win and
    hide shorter overlapping ones ("need a work visa" hides "work visa")."""
    tokens = tokenize(prepare(text))
    found: list[tuple[int, int, int, str]] = []  # (length, start, end, value)
    for choice in spec.choices:
        for phrase in choice.phrases():
            pt = _phrase_tokens(phrase)
            if not pt:
                continue
            for i in range(len(tokens) - len(pt) + 1):
                window = tokens[i : i + len(pt)]
                if window == pt or (
                    len(" ".join(pt)) >= 6
                    and difflib.SequenceMatcher(None, " ".join(window), " ".join(pt)).ratio()
                    >= 0.85
                ):
                    found.append((len(pt), i, i + len(pt), choice.value))
    found.sort(key=lambda f: (-f[0], f[1]))
    taken: list[tuple[int, int]] = []
    matched: list[str] = []
    negated: list[str] = []
    for _length, start, end, value in found:
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        before = " ".join(tokens[max(0, start - 2) : start])
        target = negated if NEGATION.search(before) else matched
        if value not in target:
            target.append(value)
    return matched, [v for v in negated if v not in matched]


def normalize_choice(spec: FieldSpec, raw: str, prepped: str) -> NormalizeResult:
    matched, _negated = match_choice(spec, after_correction(prepped))
    labels = {c.value: c.label for c in spec.choices}
    options = ", ".join(c.label for c in spec.choices[:-1]) + f" or {spec.choices[-1].label}"
    if len(matched) == 1:
        value = matched[0]
        return NormalizedValue(
            spec.name,
            spec.type,
            value,
            labels[value],
            raw,
            needs_confirmation=spec.needs_confirmation,
        )
    if len(matched) > 1:
        both = " or ".join(labels[v] for v in matched[:3])
        return Invalid(spec.name, f"Just to be sure: {both}?", raw, "ambiguous")
    if UNSURE.search(prepped):
        return Invalid(spec.name, f"Would you say {options}?", raw, "unsure")
    return Invalid(spec.name, f"Which fits best: {options}?", raw, "no_value")
