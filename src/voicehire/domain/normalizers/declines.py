"""Declines: the candidate chose not to answer ("I'd rather not say", "pass")."""

from __future__ import annotations

import re

from voicehire.domain.normalizers.lexicon import prepare

_DECLINE = [
    re.compile(p)
    for p in (
        r"\b(rather|prefer) (not|to not) (to )?(say|answer|share|disclose|tell|discuss|"
        r"get into|go into|give|comment|talk about|reveal)\b",
        r"\b(rather|prefer) (not|to not)( to)?( if (that'?s|it'?s) (ok|okay|alright|fine))?$",
        r"\b(don'?t|do not) (really )?(want|wish|care) to (say|answer|share|disclose|"
        r"discuss|tell|talk about|go into|give)\b",
        r"\bnot (comfortable|willing|going|happy) (to )?(say|saying|answer|answering|share|"
        r"sharing|disclos\w*|discuss\w*|tell|telling|give|giving|go into)\b",
        r"\b(i'?ll|i will|i'?m going to|i'?d like to|let me|i think i'?ll|i'?d|gonna) pass\b",
        r"^pass\b",
        r"\bpass on (that|this|it)\b",
        r"\bskip (that|this|it|the question|this one|that one)\b",
        r"\b(let'?s|can we|could we|please|i'?d like to|i want to) skip\b",
        r"^skip\b",
        r"\bno comment\b",
        r"\bnone of your business\b",
        r"\bi (respectfully )?decline\b",
        r"\bdecline to\b",
        r"\b(that'?s|it'?s|that is|it is) (private|confidential|personal)\b",
        r"\bkeep (that|it) (to myself|private|confidential)\b",
        r"\bnot at liberty\b",
        r"\bnext question\b",
        r"\bnot (something )?i('?d| would) (like to |want to )?(share|disclose)\b",
    )
]


def is_decline(text: str) -> bool:
    """True when the candidate chooses not to answer ("I'd rather not say", "pass")."""
    p = prepare(text)
    return any(rx.search(p) for rx in _DECLINE)
