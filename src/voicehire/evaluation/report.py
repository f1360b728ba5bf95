"""Reports: the evaluation as JSON and as a standalone HTML page.

The HTML page needs nothing from the network (inline CSS and an inline SVG chart). It
shows the recommendation (and a human override next to it, if any), the competency
chart, per-question scores, and each stage's transcript with the evidence quotes
highlighted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from voicehire.domain.transcript import safe_file_part
from voicehire.evaluation.labels import plan_labels, scorer_label
from voicehire.evaluation.models import AnswerScore, EvaluationResult
from voicehire.evaluation.words import report_words
from voicehire.storage.files import atomic_write_text

RECOMMENDATION_LABELS = {
    **{k: str(v) for k, v in report_words("en")["recommendations"].items() if k != "none"},
    None: "None",
}


def recommendation_label(value: str | None, language: str | None = "en") -> str:
    labels = report_words(language)["recommendations"]
    return str(labels.get(value or "none", value))


def outcome_label(outcome: str | None, language: str | None = "en") -> str:
    """The outcome in words, in the interview's language ("" for none)."""
    return str(report_words(language)["outcomes"].get(outcome, outcome)) if outcome else ""


@dataclass(frozen=True)
class ReportPaths:
    json: Path
    html: Path


def report_stem(interview_id: str) -> str:
    return f"interview_{safe_file_part(interview_id)}"


def highlight(text: str, quotes: list[str]) -> Markup:
    """HTML-escaped text with every occurrence of the quotes wrapped in <mark>."""
    spans: list[tuple[int, int]] = []
    low = text.lower()
    for q in sorted({q.strip() for q in quotes if q and q.strip()}, key=len, reverse=True):
        start = 0
        while (pos := low.find(q.lower(), start)) >= 0:
            end = pos + len(q)
            if not any(a < end and pos < b for a, b in spans):
                spans.append((pos, end))
            start = end
    out = Markup("")
    last = 0
    for a, b in sorted(spans):
        out += escape(text[last:a]) + Markup('<mark class="evidence">') + escape(text[a:b])
        out += Markup("</mark>")
        last = b
    return out + escape(text[last:])


def _script_json(data: object) -> str:
    """JSON safe to embed in a <script> element: no markup characters survive."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _environment(language: str = "en", plan_id: str = "") -> Environment:
    words = report_words(language)
    env = Environment(
        loader=PackageLoader("voicehire.evaluation", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["score"] = _fmt
    labels = plan_labels(plan_id)
    env.filters["competency"] = lambda name: words["competency_labels"].get(
        name, labels.competency(name)
    )
    env.filters["stage"] = labels.stage
    env.filters["question"] = labels.question
    env.filters["scorer"] = scorer_label
    env.filters["recommendation"] = lambda r: recommendation_label(r, language)
    return env


def render_html(result: EvaluationResult) -> str:
    """The report page, its words in the interview's language (``result.language``)."""
    words = report_words(result.language)
    evidence = [q for a in result.answers for q in a.evidence]
    evidence += [k.evidence for a in result.answers for k in a.key_points if k.evidence]
    stages = []
    for st in result.stages:
        lines = []
        for line in st.lines:
            message = str(line.get("message", ""))
            is_ai = bool(line.get("isAI"))
            lines.append(
                {
                    "speaker": words["interviewer"] if is_ai else words["candidate"].capitalize(),
                    "is_ai": is_ai,
                    "html": escape(message) if is_ai else highlight(message, evidence),
                }
            )
        stages.append({"stage": st.stage, "title": st.title, "lines": lines})
    answers_by_stage: dict[str, list[AnswerScore]] = {}
    for a in result.answers:
        answers_by_stage.setdefault(a.stage, []).append(a)
    chart = [
        (name, score)
        for name, score in sorted(result.summary.competency_scores.items())
        if name is not None
    ]
    return (
        _environment(result.language, result.plan_id)
        .get_template("report.html.j2")
        .render(
            t=words,
            r=result,
            s=result.summary,
            chart=chart,
            stages=stages,
            answers_by_stage=answers_by_stage,
            data_json=Markup(_script_json(result.model_dump(mode="json"))),
        )
    )


def write_report(result: EvaluationResult, out_dir: Path) -> ReportPaths:
    """Write ``interview_{id}.json`` and ``interview_{id}.html`` into ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = report_stem(result.interview_id)
    json_path = out_dir / f"{stem}.json"
    html_path = out_dir / f"{stem}.html"
    atomic_write_text(json_path, json.dumps(result.model_dump(mode="json"), indent=2))
    atomic_write_text(html_path, render_html(result))
    return ReportPaths(json=json_path, html=html_path)


def load_result(path: Path) -> EvaluationResult:
    return EvaluationResult.model_validate_json(Path(path).read_text(encoding="utf-8"))
