"""The evaluation report as a PDF (fpdf2), for sharing outside the dashboard: the
headline (outcome, score, the machine's recommendation and the human decision), the
competency scores, each answer with its evidence and flags, and the transcript.

Text is drawn with DejaVu Sans when the system has it (any script); otherwise with the
PDF core font, where characters outside Latin-1 become "?"."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from voicehire.evaluation.labels import (
    RECOMMENDATION_LABELS,
    STATUS_LABELS,
    plan_labels,
    scorer_label,
)
from voicehire.evaluation.models import EvaluationResult

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts"),
)


def _font_files() -> tuple[Path, Path] | None:
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


class _Report(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4")
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(15, 15, 15)
        fonts = _font_files()
        if fonts:
            self.add_font("Report", "", str(fonts[0]))
            self.add_font("Report", "B", str(fonts[1]))
            self.family_name, self.unicode = "Report", True
        else:
            self.family_name, self.unicode = "Helvetica", False

    def text_of(self, value: object) -> str:
        text = str(value)
        if not self.unicode:
            text = text.replace("—", "-").replace("“", '"').replace("”", '"').replace("’", "'")
            text = text.encode("latin-1", "replace").decode("latin-1")
        return text

    def para(self, value: object, size: float = 10, bold: bool = False, gap: float = 1) -> None:
        self.set_font(self.family_name, "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, self.text_of(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(gap)

    def heading(self, value: str, size: float = 13) -> None:
        self.ln(2)
        self.para(value, size=size, bold=True, gap=1.5)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family_name, "", 8)
        self.cell(0, 6, f"VoiceHire interview report · page {self.page_no()}", align="C")


def render_pdf(result: EvaluationResult, *, candidate: str = "", role: str = "") -> bytes:
    labels = plan_labels(result.plan_id)
    s = result.summary
    pdf = _Report()
    pdf.add_page()
    who = candidate or result.participant_name or "Candidate"
    pdf.para(f"Interview report: {who}", size=17, bold=True, gap=1)
    what = role or result.role
    pdf.para(
        " · ".join(
            x
            for x in (
                what,
                result.created_at.strftime("%d %b %Y %H:%M UTC"),
                f"scored by {scorer_label(result.scorer.name)}",
            )
            if x
        ),
        size=9,
        gap=3,
    )

    pdf.heading("Decision")
    machine = RECOMMENDATION_LABELS.get(s.recommendation or "", "None")
    if result.override:
        o = result.override
        by = f" by {o.by}" if o.by else ""
        pdf.para(
            f"Human decision: {RECOMMENDATION_LABELS[o.recommendation]}{by} — {o.note}", bold=True
        )
        pdf.para(f"Machine recommendation: {machine} (kept for the record)")
    else:
        pdf.para(f"Recommendation: {machine}", bold=True)
    if s.needs_human_review and s.leaning:
        pdf.para(f"The scores lean to {RECOMMENDATION_LABELS.get(s.leaning, s.leaning)}.")
    pdf.para(
        f"Overall score: {_score(s.overall_score)} / 10 · confidence "
        f"{round(s.confidence * 100)}% · outcome: {result.outcome_label or '—'} · "
        f"{s.questions_answered} of {s.questions_asked} questions answered · "
        f"{s.duration_minutes:.1f} min"
    )
    if s.rationale:
        pdf.para(s.rationale, size=9)
    for reason in s.review_reasons:
        pdf.para(f"• Review: {reason}", size=9)

    if s.competency_scores:
        pdf.heading("Scores per competency")
        for name, value in sorted(s.competency_scores.items()):
            pdf.para(f"{labels.competency(name)}: {_score(value)} / 10", gap=0.5)
    if s.strengths:
        pdf.heading("Strengths", size=11)
        for x in s.strengths:
            pdf.para(f"• {x}", size=9, gap=0.5)
    if s.areas_for_improvement:
        pdf.heading("Areas for improvement", size=11)
        for x in s.areas_for_improvement:
            pdf.para(f"• {x}", size=9, gap=0.5)
    if s.questions_not_asked:
        pdf.para(
            "Not asked (not scored): "
            + "; ".join(labels.question(q) for q in s.questions_not_asked),
            size=9,
        )

    pdf.heading("Answers and evidence")
    for a in result.answers:
        status = (
            f"{_score(a.scores.overall)} / 10"
            if a.status == "scored"
            else STATUS_LABELS.get(a.status, a.status)
        )
        pdf.para(f"{a.question_text}  [{labels.stage(a.stage)} · {status}]", bold=True, gap=0.5)
        if a.answer_text:
            pdf.para(f"Answer: {a.answer_text}", size=9, gap=0.5)
        for q in a.evidence:
            pdf.para(f"“{q}”", size=9, gap=0.5)
        for comp, level in a.competency_levels.items():
            anchor = a.anchors.get(comp)
            pdf.para(
                f"{labels.competency(comp)}: level {level:.1f}/5"
                + (f" — {anchor}" if anchor else ""),
                size=9,
                gap=0.5,
            )
        for f in a.flags:
            pdf.para(f"Flag: {f}", size=9, gap=0.5)
        pdf.ln(2)
    for turn in result.candidate_questions:
        pdf.para(f"Candidate asked: {turn.text}", size=9, gap=0.5)
    for turn in result.flagged_turns:
        pdf.para(f"Flagged ({turn.kind.replace('_', ' ')}): {turn.text}", size=9, gap=0.5)

    if result.stages:
        pdf.heading("Transcript")
        for st in result.stages:
            pdf.para(st.title or labels.stage(st.stage), size=11, bold=True, gap=0.5)
            for line in st.lines:
                who = "Interviewer" if line.get("isAI") else "Candidate"
                pdf.para(f"{who}: {line.get('message', '')}", size=9, gap=0.5)
    return bytes(pdf.output())
