"""Spoken numbers: "a hundred and twenty k", "one point five", "twenty nineteen"."""

from __future__ import annotations

from dataclasses import dataclass

from voicehire.domain.normalizers.lexicon import BIG, TENS, UNITS, prepare, tokenize
from voicehire.domain.normalizers.values import tidy


@dataclass(frozen=True)
class NumSpan:
    """A number found in a token list: tokens[start:end] say ``value``."""

    value: float
    start: int
    end: int
    multiplier: int = 1  # the last thousand/k/million multiplier said, 1 if none
    base: float = 0.0  # the value before that multiplier
    words: bool = False  # said in words (not digits)


def is_num_start(tokens: list[str], i: int) -> bool:
    t = tokens[i]
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    if t[0].isdigit() or t in UNITS or t in TENS:
        return True
    if t in ("a", "an") and nxt in ("hundred", "thousand", "million", "couple", "dozen"):
        return True
    if t == "a" and nxt == "half":
        return True
    if t == "half" and nxt == "a" and i + 2 < len(tokens) and tokens[i + 2] in BIG:
        return True
    if t == "couple":
        return True
    if t == "point":
        return nxt[:1].isdigit() or (nxt in UNITS and UNITS[nxt] < 10)
    return t == "half"


def parse_number_at(tokens: list[str], i: int) -> NumSpan | None:
    n = len(tokens)
    j = i
    total = 0.0
    current = 0.0
    have = False
    last = ""  # kind of the last token consumed
    only_unit = False  # the number so far is one unit word (for "one twenty")
    multiplier = 1
    base = 0.0
    words = False
    # state before an "and" that followed thousand/million, to undo a wrong continuation:
    # "between one hundred thousand and one hundred twenty thousand" is two numbers.
    snapshot: tuple[float, float, int, int, float] | None = None
    while j < n:
        t = tokens[j]
        nxt = tokens[j + 1] if j + 1 < n else ""
        if t[0].isdigit():
            if have and last not in ("hundred", "and", "big"):
                break
            current += float(t)
            have, last, only_unit = True, "digit", False
            j += 1
            continue
        if t in UNITS:
            v = UNITS[t]
            if have and last == "tens" and v >= 10:
                current = current * 100 + v  # "twenty nineteen" -> 2019
            elif (have and last in ("unit", "digit")) or (have and last == "tens" and current % 10):
                break
            else:
                current += v
            only_unit = not have and v < 20
            have, last, words = True, "unit", True
            j += 1
            continue
        if t in TENS:
            v = TENS[t]
            if have and last == "tens":
                current = current * 100 + v  # "twenty twenty" -> 2020
            elif have and last == "unit" and only_unit:
                current = current * 100 + v  # "one twenty" -> 120, "nineteen ninety"
            elif have and last in ("unit", "digit"):
                break
            else:
                current += v
            have, last, only_unit, words = True, "tens", False, True
            j += 1
            continue
        if t in ("a", "an") and not have and nxt in ("hundred", "thousand", "million"):
            current, have, last, words = 1.0, True, "unit", True
            j += 1
            continue
        if (t in ("a",) and not have and nxt == "couple") or (t == "couple" and not have):
            current, have, last, words = 2.0, True, "digit", True
            j += 2 if t == "a" else 1
            if j < n and tokens[j] == "of":
                j += 1
            break
        if t in ("a", "an") and not have and nxt == "dozen":
            current, have, last, words = 12.0, True, "digit", True
            j += 2
            break
        if t == "dozen" and have:
            current *= 12
            last = "digit"
            j += 1
            continue
        if t == "hundred" and (have or j == i):
            current = (current or 1) * 100
            have, last, only_unit, words = True, "hundred", False, True
            j += 1
            continue
        if t in BIG and have:
            mult = BIG[t]
            if snapshot is not None and mult >= multiplier:
                total, current, j, multiplier, base = snapshot
                break
            base = current or 1
            total += base * mult
            multiplier = mult
            current = 0.0
            last, only_unit = "big", False
            j += 1
            continue
        if t == "half" and not have:
            if nxt == "a" and j + 2 < n and tokens[j + 2] in BIG:
                mult = BIG[tokens[j + 2]]
                total += 0.5 * mult
                multiplier, base = mult, 0.5
                have, last, words = True, "big", True
                j += 3
                continue
            current, have, last, words = 0.5, True, "digit", True
            j += 1
            break
        if t == "a" and not have and nxt == "half":
            current, have, last, words = 0.5, True, "digit", True
            j += 2
            break
        if t == "point" and (nxt[:1].isdigit() or (nxt in UNITS and UNITS[nxt] < 10)):
            digits = ""
            k = j + 1
            while k < n:
                if tokens[k].isdigit():
                    digits += tokens[k]
                elif tokens[k] in UNITS and UNITS[tokens[k]] < 10:
                    digits += str(UNITS[tokens[k]])
                elif tokens[k] == "oh":
                    digits += "0"
                else:
                    break
                k += 1
            current = float(f"{int(current)}.{digits}") + (current - int(current))
            have, last, only_unit, words = True, "digit", False, True
            j = k
            continue
        if t == "and" and have:
            if nxt == "a" and j + 2 < n and tokens[j + 2] in ("half", "quarter"):
                current += 0.5 if tokens[j + 2] == "half" else 0.25
                last = "digit"
                j += 3
                continue
            if last in ("hundred", "big") and (nxt in UNITS or nxt in TENS or nxt[:1].isdigit()):
                if last == "big":
                    snapshot = (total, current, j, multiplier, base)
                j += 1
                last = "and"
                continue
            break
        break
    if not have:
        return None
    value = total + current
    if multiplier == 1:
        base = value
    elif current:
        base = value / multiplier
    return NumSpan(tidy(value), i, j, multiplier, tidy(base), words)


def parse_numbers(text_or_tokens: str | list[str]) -> list[NumSpan]:
    """Every number in the text, in order: words, digits, mixtures ("1.5 million")."""
    tokens = (
        tokenize(prepare(text_or_tokens)) if isinstance(text_or_tokens, str) else text_or_tokens
    )
    spans: list[NumSpan] = []
    i = 0
    while i < len(tokens):
        if is_num_start(tokens, i):
            span = parse_number_at(tokens, i)
            if span is not None and span.end > i:
                spans.append(span)
                i = span.end
                continue
        i += 1
    return spans


def parse_number(text: str) -> float | None:
    """The first number in ``text``, or None."""
    spans = parse_numbers(text)
    return spans[0].value if spans else None
