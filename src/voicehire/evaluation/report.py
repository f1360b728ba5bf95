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
from voicehire.evaluation.models import AnswerScore, EvaluationResult
from voicehire.evaluation.summary import competency_label

RECOMMENDATION_LABELS = {
    "hire": "Hire",
    "maybe": "Maybe",
    "no_hire": "No hire",
    "needs_review": "Needs human review",
    None: "None",
}


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


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("voicehire.evaluation", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["score"] = _fmt
    env.filters["competency"] = competency_label
    env.filters["recommendation"] = lambda r: RECOMMENDATION_LABELS.get(r, str(r))
    return env


def render_html(result: EvaluationResult) -> str:
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
                    "speaker": "Interviewer" if is_ai else "Candidate",
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
        _environment()
        .get_template("report.html.j2")
        .render(
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
    tmp = json_path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(result.model_dump(mode="json"), indent=2), encoding="utf-8")
    tmp.replace(json_path)
    tmp = html_path.with_suffix(".html.tmp")
    tmp.write_text(render_html(result), encoding="utf-8")
    tmp.replace(html_path)
    return ReportPaths(json=json_path, html=html_path)


def load_result(path: Path) -> EvaluationResult:
    return EvaluationResult.model_validate_json(Path(path).read_text(encoding="utf-8"))
