"""The interview list a recruiter decides from: search, filters on what happened and on
the decision, sorting by any column, and the same rows as CSV.

Outcome and verdict are derived from the status, the end reason and the stored
evaluation, not columns: a filtered or re-sorted list is computed here over the newest
``SCAN_LIMIT`` interviews (the plain newest-first list pages in SQL)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any, Literal

from voicehire.api.schemas import InterviewOut

SCAN_LIMIT = 5000
SortKey = Literal["created", "candidate", "role", "outcome", "score", "decision", "duration"]
Order = Literal["asc", "desc"]
Decision = Literal["hire", "maybe", "no_hire", "needs_review"]

RECOMMENDATION_LABELS = {
    "hire": "Hire",
    "maybe": "Maybe",
    "no_hire": "No hire",
    "needs_review": "Needs human review",
}
MODE_LABELS = {
    "ai_interview": "Interview",
    "gap_filling": "Gap-filling call",
    "briefing": "Voice briefing",
}
# A decision sorts from the strongest yes to the strongest no.
_DECISION_RANK = {"hire": 0, "maybe": 1, "needs_review": 2, "no_hire": 3}


def candidate_name(i: InterviewOut) -> str:
    return str(i.metadata.get("candidateName") or "")


def role(i: InterviewOut) -> str:
    return str(i.metadata.get("interviewRole") or "")


def decision(i: InterviewOut) -> str | None:
    return i.verdict.decision if i.verdict else None


def needs_scan(
    q: str | None, outcome: str | None, recommendation: str | None, sort: str, order: str
) -> bool:
    return bool(q or outcome or recommendation) or (sort, order) != ("created", "desc")


def select(
    items: Iterable[InterviewOut],
    *,
    q: str | None = None,
    outcome: str | None = None,
    recommendation: str | None = None,
    sort: SortKey = "created",
    order: Order = "desc",
) -> list[InterviewOut]:
    words = (q or "").casefold().split()

    def keep(i: InterviewOut) -> bool:
        if outcome and i.outcome != outcome:
            return False
        if recommendation and decision(i) != recommendation:
            return False
        text = " ".join((candidate_name(i), role(i), i.outcome_label or "")).casefold()
        return all(w in text for w in words)

    chosen = [i for i in items if keep(i)]
    # Rows without a value (no score yet, not started) go last in either order.
    present = [i for i in chosen if _key(i, sort) is not None]
    absent = [i for i in chosen if _key(i, sort) is None]
    present.sort(key=lambda i: (_key(i, sort), i.created_at or ""), reverse=order == "desc")
    return present + absent


def _key(i: InterviewOut, sort: SortKey) -> Any:
    if sort == "created":
        return i.created_at or ""
    if sort == "candidate":
        return candidate_name(i).casefold() or None
    if sort == "role":
        return role(i).casefold() or None
    if sort == "outcome":
        return i.outcome_label.casefold() if i.outcome_label else None
    if sort == "score":
        return i.verdict.overall_score if i.verdict else None
    if sort == "decision":
        d = decision(i)
        return _DECISION_RANK.get(d) if d else None
    return i.duration_seconds


CSV_COLUMNS = (
    "Candidate",
    "Role",
    "Type",
    "Outcome",
    "Overall score (0-10)",
    "Machine recommendation",
    "Needs human review",
    "Human decision",
    "Duration (min)",
    "Created (UTC)",
    "Ended (UTC)",
    "Interview id",
)


def _cell(value: Any) -> str:
    """A spreadsheet shows text as text: a cell starting like a formula is quoted."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def to_csv(items: Sequence[InterviewOut]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for i in items:
        v = i.verdict
        rec = v.recommendation if v else None
        writer.writerow(
            [
                _cell(candidate_name(i)),
                _cell(role(i)),
                MODE_LABELS.get(i.mode, i.mode),
                i.outcome_label or i.status.replace("_", " "),
                "" if not v or v.overall_score is None else f"{v.overall_score:.1f}",
                RECOMMENDATION_LABELS.get(rec, "") if rec else "",
                ("yes" if v.needs_human_review else "no") if v else "",
                RECOMMENDATION_LABELS.get(v.override, "") if v and v.override else "",
                "" if i.duration_seconds is None else f"{i.duration_seconds / 60:.1f}",
                i.created_at or "",
                i.ended_at or "",
                i.id,
            ]
        )
    return out.getvalue()
