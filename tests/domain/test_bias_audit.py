"""Selection rates and impact ratios (four-fifths rule) from (group, decision) pairs."""

from __future__ import annotations

from voicehire.domain.bias_audit import audit


def test_impact_ratio_is_each_rate_over_the_highest_and_flags_below_four_fifths() -> None:
    outcomes = (
        [("female", "hire")] * 6
        + [("female", "no_hire")] * 4  # 60 %
        + [("male", "hire")] * 4
        + [("male", "maybe")] * 6  # 40 %
        + [("male", "needs_review")] * 3  # pending: not in the rate
        + [(None, "hire"), ("prefer_not_to_say", "no_hire")]
    )
    rows = {r.group: r for r in audit("sex", outcomes).rows}
    assert (rows["female"].selection_rate, rows["female"].impact_ratio) == (0.6, 1.0)
    male = rows["male"]
    assert (male.decided, male.selected, male.pending) == (10, 4, 3)
    assert male.selection_rate == 0.4 and male.impact_ratio == 0.667 and male.adverse
    assert not rows["female"].adverse
    # not disclosed: counted and shown, never part of the ratios
    hidden = rows["not_disclosed"]
    assert (hidden.decided, hidden.selected, hidden.impact_ratio) == (2, 1, None)
    assert rows["non_binary"].selection_rate is None and rows["non_binary"].small


def test_no_decisions_yet_gives_no_rates() -> None:
    rows = audit("age_band", [("under_40", "needs_review"), ("40_or_over", None)]).rows
    assert all(r.selection_rate is None and r.impact_ratio is None for r in rows)
    assert sum(r.pending for r in rows) == 2
