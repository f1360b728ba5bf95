"""Bias audit: selection rates by a self-reported, optional demographic category and the
impact ratio of each group (the "four-fifths rule"), from stored interview outcomes.

A candidate may answer a voluntary self-identification question; the answer is kept
apart from the interview and never reaches the interviewer or the scorer. The audit
counts, per group, candidates whose decision is known: *selected* when the decision
(the human override, else the machine's recommendation) is "hire", not selected for
"maybe" or "no_hire". Interviews still waiting for a human ("needs_review" with no
override) are counted as pending and left out of the rates. Candidates who did not
answer, or preferred not to say, form the "not disclosed" row, shown but left out of
the impact ratios (as NYC Local Law 144 bias audits report unknown categories).

This is a monitoring summary, not legal advice and not a substitute for an independent
audit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

NOTICE = (
    "Summary for monitoring only, not legal advice: selection rates from stored "
    "outcomes and self-reported, optional answers. An impact ratio below 0.8 "
    "(the four-fifths rule) calls for a closer look; small groups are unreliable."
)
FOUR_FIFTHS = 0.8
SMALL_GROUP = 5  # fewer decided candidates than this: the rate says little
NOT_DISCLOSED = "not_disclosed"
DECLINE = "prefer_not_to_say"

# The voluntary question's categories and answers (EEO-1 style), with their labels.
CATEGORIES: dict[str, dict[str, str]] = {
    "sex": {
        "female": "Female",
        "male": "Male",
        "non_binary": "Non-binary",
        "another": "Another identity",
        DECLINE: "Prefer not to say",
    },
    "race_ethnicity": {
        "hispanic_or_latino": "Hispanic or Latino",
        "white": "White",
        "black_or_african_american": "Black or African American",
        "asian": "Asian",
        "native_hawaiian_or_pacific_islander": "Native Hawaiian or Other Pacific Islander",
        "american_indian_or_alaska_native": "American Indian or Alaska Native",
        "two_or_more": "Two or more races",
        DECLINE: "Prefer not to say",
    },
    "age_band": {
        "under_40": "Under 40",
        "40_or_over": "40 or over",
        DECLINE: "Prefer not to say",
    },
}
CATEGORY_LABELS = {"sex": "Sex", "race_ethnicity": "Race/ethnicity", "age_band": "Age"}
SELECTED = frozenset({"hire"})
DECIDED = frozenset({"hire", "maybe", "no_hire"})


@dataclass(frozen=True)
class GroupRow:
    group: str
    label: str
    decided: int
    selected: int
    pending: int
    selection_rate: float | None
    impact_ratio: float | None

    @property
    def adverse(self) -> bool:
        return self.impact_ratio is not None and self.impact_ratio < FOUR_FIFTHS

    @property
    def small(self) -> bool:
        return self.decided < SMALL_GROUP


@dataclass(frozen=True)
class AuditReport:
    category: str
    rows: list[GroupRow]
    notice: str = NOTICE


def audit(category: str, outcomes: Iterable[tuple[str | None, str | None]]) -> AuditReport:
    """Selection rates and impact ratios for ``category`` from (group, decision) pairs,
    one pair per candidate. ``group`` is the candidate's answer (None: not answered);
    ``decision`` is the final recommendation (None or "needs_review": pending)."""
    values = CATEGORIES[category]
    counts: dict[str, list[int]] = {g: [0, 0, 0] for g in values if g != DECLINE}
    counts[NOT_DISCLOSED] = [0, 0, 0]
    for group, decision in outcomes:
        key = group if group in counts else NOT_DISCLOSED
        if decision in DECIDED:
            counts[key][0] += 1
            counts[key][1] += decision in SELECTED
        else:
            counts[key][2] += 1
    rates = {g: (c[1] / c[0] if c[0] else None) for g, c in counts.items()}
    disclosed = [r for g, r in rates.items() if g != NOT_DISCLOSED and r is not None]
    best = max(disclosed, default=0.0)
    rows = []
    for group, (decided, selected, pending) in counts.items():
        rate = rates[group]
        ratio = (
            round(rate / best, 3)
            if group != NOT_DISCLOSED and rate is not None and best > 0
            else None
        )
        label = "Not disclosed" if group == NOT_DISCLOSED else values[group]
        rows.append(
            GroupRow(
                group=group,
                label=label,
                decided=decided,
                selected=selected,
                pending=pending,
                selection_rate=round(rate, 3) if rate is not None else None,
                impact_ratio=ratio,
            )
        )
    return AuditReport(category=category, rows=rows)
