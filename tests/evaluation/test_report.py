"""The report: JSON and a standalone HTML page that shows the same numbers."""

from __future__ import annotations

import asyncio
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from voicehire.evaluation.models import EvaluationResult
from voicehire.evaluation.offline import OfflineScorer
from voicehire.evaluation.report import load_result, render_html, write_report
from voicehire.evaluation.service import evaluate
from voicehire.settings import load_settings

from .transcripts import GOOD_INTRO, GOOD_SCALING, GOOD_TESTING, WEAK_SCALING, build_transcript


class Page(HTMLParser):
    """Elements with their attributes and full inner text."""

    VOID = frozenset({"meta", "br", "rect", "line", "link", "img", "input", "hr"})

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self._open: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        el = {"tag": tag, "attrs": dict(attrs), "text": ""}
        self.elements.append(el)
        if tag not in self.VOID:
            self._open.append(el)

    def handle_startendtag(self, tag, attrs):
        self.elements.append({"tag": tag, "attrs": dict(attrs), "text": ""})

    def handle_endtag(self, tag):
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i]["tag"] == tag:
                del self._open[i:]
                break

    def handle_data(self, data):
        for el in self._open:
            el["text"] += data

    def by_id(self, id_: str) -> dict:
        (el,) = [e for e in self.elements if e["attrs"].get("id") == id_]
        return el

    def all(self, **attrs) -> list[dict]:
        return [e for e in self.elements if all(e["attrs"].get(k) == v for k, v in attrs.items())]


def fmt(v: float | None) -> str:
    return "—" if v is None else f"{v:.1f}"


@pytest.fixture(scope="module")
def result(offline_scorer: OfflineScorer) -> EvaluationResult:
    full = build_transcript(
        {
            "intro.about_you": GOOD_INTRO,
            "tech.scaling": [GOOD_SCALING[:120], GOOD_SCALING[121:]],  # two utterances
            "tech.testing": GOOD_TESTING,
            "exp.recent_project": WEAK_SCALING + " <script>alert('x')</script>",
        },
        interview_id="rep-1",
        duration_s=1234,
    )
    return asyncio.run(evaluate(full, settings=load_settings(), scorer=offline_scorer))


async def test_html_shows_the_numbers_of_the_json(result: EvaluationResult, tmp_path: Path):
    paths = write_report(result, tmp_path)
    doc = json.loads(paths.json.read_text())
    page = Page(paths.html.read_text())
    s = doc["summary"]

    assert page.by_id("recommendation")["attrs"]["data-value"] == s["recommendation"]
    label = {
        "hire": "Hire",
        "maybe": "Maybe",
        "no_hire": "No hire",
        "needs_review": "Needs human review",
    }[s["recommendation"]]
    assert page.by_id("recommendation")["text"].strip() == label
    assert page.by_id("overall-score")["text"].strip() == fmt(s["overall_score"])
    assert page.by_id("questions-answered")["text"] == str(s["questions_answered"])
    assert page.by_id("questions-asked")["text"] == str(s["questions_asked"])
    assert page.by_id("duration-minutes")["text"] == f"{s['duration_minutes']:.1f}"
    assert s["duration_seconds"] == 1234
    assert page.by_id("confidence")["text"] == f"{s['confidence'] * 100:.0f}%"

    bars = page.all(**{"class": "bar"})
    assert {b["attrs"]["data-competency"] for b in bars} == set(s["competency_scores"])
    for bar in bars:
        value = s["competency_scores"][bar["attrs"]["data-competency"]]
        assert bar["attrs"]["data-score"] == ("" if value is None else str(value))
        assert fmt(value) in bar["text"]

    rows = page.all(**{"class": "answer"})
    assert [r["attrs"]["data-question-id"] for r in rows] == [
        a["question_id"] for a in doc["answers"]
    ]
    for row, a in zip(rows, doc["answers"], strict=True):
        for dim in ("technical_accuracy", "communication_clarity", "problem_solving", "overall"):
            value = a["scores"][dim]
            assert row["attrs"]["data-" + dim.replace("_", "-")] == (
                "" if value is None else str(value)
            )
            assert fmt(value) in row["text"]

    for stage, value in s["stage_scores"].items():
        (row,) = [r for r in page.all(**{"data-stage": stage}) if r["tag"] == "tr"]
        assert fmt(value) in row["text"]

    embedded = json.loads(page.by_id("evaluation-data")["text"])
    assert embedded == doc


async def test_evidence_is_highlighted_in_the_stage_transcript(result: EvaluationResult):
    page = Page(render_html(result))
    marks = [m["text"] for m in page.all(**{"class": "evidence"}) if m["tag"] == "mark"]
    evidence = {k.evidence for a in result.answers for k in a.key_points if k.evidence}
    assert marks, "no evidence highlighted"
    assert set(marks) <= evidence | {q for a in result.answers for q in a.evidence}
    technical = [e for e in page.all(**{"data-stage": "technical"}) if e["tag"] == "section"]
    assert any(m in technical[0]["text"] for m in marks)


async def test_candidate_text_is_escaped_and_page_needs_no_network(result: EvaluationResult):
    html = render_html(result)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert not re.search(r"@import|url\(", html)
    assert "<link" not in html and "<script src" not in html


async def test_a_human_override_sits_next_to_the_machine_verdict(
    result: EvaluationResult, tmp_path: Path
):
    machine = result.summary.recommendation
    human = "hire" if machine != "hire" else "no_hire"
    overridden = result.with_override(human, "Strong references from two past managers.", "Dana")
    paths = write_report(overridden, tmp_path)
    stored = load_result(paths.json)
    assert stored.summary.recommendation == machine
    assert stored.override and stored.override.recommendation == human
    assert stored.final_recommendation == human
    page = Page(paths.html.read_text())
    assert page.by_id("recommendation")["attrs"]["data-value"] == machine
    assert page.by_id("human-override")["attrs"]["data-value"] == human
    assert "Strong references from two past managers." in page.by_id("human-override")["text"]
    with pytest.raises(ValueError):
        result.with_override(human, "")  # an override needs a note
