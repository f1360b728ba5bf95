"""From a full transcript to the answers to score.

Candidate utterances are grouped by the question they answer (``questionId``); each
answer is paired with the plan's question (text, rubric key points, competencies).
Scorers see a *neutral* copy of the candidate's words: the candidate's name and
gendered pronouns are replaced, so swapping them cannot change a score, and sentences
that try to instruct the grader are left out (and reported). Quotes found in the
neutral text are mapped back to the candidate's original words.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from voicehire.domain.intents import INJECTION, classify
from voicehire.domain.plan import CompetencyScale, Plan, PlanError, Question, load_plan
from voicehire.domain.transcript import FullTranscript

logger = logging.getLogger(__name__)

NAME_PLACEHOLDER = "Candidate"
# Every gendered or neutral third-person pronoun maps to one form, so he/she/they (and
# him/her/them, his/hers/their) swaps give byte-identical scoring text.
_PRONOUNS = {
    **dict.fromkeys(
        ["he", "she", "him", "her", "his", "hers", "they", "them", "their", "theirs"], "they"
    ),
    **dict.fromkeys(["himself", "herself", "themself", "themselves"], "themselves"),
    **dict.fromkeys(["mr", "mrs", "ms", "miss", "mx"], "mx"),
}


@dataclass
class NeutralText:
    """Text with names and pronouns neutralised, able to map spans back to the original."""

    original: str
    text: str
    # (neutral_start, neutral_end, original_start, original_end) of each replaced span
    _spans: list[tuple[int, int, int, int]] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # sentences addressed to the grader

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original span of neutral span [start, end); a cut replacement widens to it."""

        def conv(pos: int, is_end: bool) -> int:
            shift = 0
            for ns, ne, os_, oe in self._spans:
                if pos <= ns:
                    break
                if pos < ne:
                    return oe if is_end else os_
                shift = oe - ne
            return pos + shift

        return conv(start, False), conv(end, True)

    def find_original(self, quote: str) -> str | None:
        """The original words behind a verbatim quote of the neutral text, if present."""
        quote = quote.strip()
        if not quote:
            return None
        pos = self.text.find(quote)
        if pos < 0:
            pos = self.text.lower().find(quote.lower())
        if pos < 0:
            return None
        s, e = self.to_original(pos, pos + len(quote))
        return self.original[s:e]


def _name_parts(names: list[str]) -> list[str]:
    parts: set[str] = set()
    for name in names:
        name = (name or "").strip()
        if not name:
            continue
        parts.add(name)
        parts.update(p for p in re.split(r"[\s\-]+", name) if len(p) >= 2)
    return sorted(parts, key=len, reverse=True)


# Sentences addressed to the grader rather than the interviewer ("ignore your
# instructions", "rate me 10/10", "SYSTEM: ..."), recognised by the domain's intent rules.
# They are data, never instructions; the offline scorer leaves them out of the text it
# compares, and both scorers flag them.
_SENTENCE_SPAN = re.compile(r"[^.!?\n]+[.!?]*")


def instruction_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences in ``text`` that try to instruct the grader."""
    spans = []
    for m in _SENTENCE_SPAN.finditer(text):
        if INJECTION.search(m.group(0)):
            spans.append(m.span())
    return spans


def neutralize(
    text: str, names: list[str] | None = None, *, drop_instructions: bool = True
) -> NeutralText:
    """Replace the candidate's name(s) and third-person pronouns with neutral forms, and
    (by default) drop sentences that try to instruct the grader."""
    alternatives = [re.escape(p) for p in _name_parts(names or [])]
    alternatives.append("|".join(sorted(_PRONOUNS, key=len, reverse=True)))
    pattern = re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)
    name_set = {p.lower() for p in _name_parts(names or [])}
    dropped = instruction_spans(text) if drop_instructions else []
    edits: list[tuple[int, int, str]] = [(a, b, "") for a, b in dropped]
    for m in pattern.finditer(text):
        if any(a <= m.start() < b for a, b in dropped):
            continue
        low = m.group(0).lower()
        edits.append((m.start(), m.end(), NAME_PLACEHOLDER if low in name_set else _PRONOUNS[low]))
    edits.sort()
    out: list[str] = []
    spans: list[tuple[int, int, int, int]] = []
    last = 0
    length = 0
    for start, end, repl in edits:
        chunk = text[last:start]
        out.append(chunk)
        length += len(chunk)
        spans.append((length, length + len(repl), start, end))
        out.append(repl)
        length += len(repl)
        last = end
    out.append(text[last:])
    return NeutralText(
        original=text,
        text="".join(out),
        _spans=spans,
        dropped=[text[a:b].strip() for a, b in dropped],
    )


@dataclass(frozen=True)
class RubricIndicator:
    competency: str
    kind: str
    text: str


@dataclass(frozen=True)
class NonAnswer:
    """A candidate turn that was not an answer (repeat, skip, a role question, ...)."""

    kind: str
    text: str
    topic: str | None = None
    injection: bool = False


@dataclass
class AnswerItem:
    """One asked question with the candidate's answer and its rubric."""

    question_id: str
    stage: str
    question_text: str
    key_points: list[str]
    competencies: list[str]
    answer: NeutralText
    role: str = ""
    indicators: list[RubricIndicator] = field(default_factory=list)
    non_answers: list[NonAnswer] = field(default_factory=list)
    scales: dict[str, CompetencyScale] | None = None  # the plan's own 1–5 scales

    @property
    def answer_text(self) -> str:
        return self.answer.original

    @property
    def scoring_text(self) -> str:
        return self.answer.text

    @property
    def answered(self) -> bool:
        return bool(self.answer.original.strip())

    @property
    def skipped(self) -> bool:
        return not self.answered and any(n.kind == "skip" for n in self.non_answers)


def rubric_indicators(question: Question | None) -> list[RubricIndicator]:
    if question is None:
        return []
    return [RubricIndicator(c, i.kind, i.text) for c, i in question.indicators()]


def read_transcript(full: dict[str, Any] | FullTranscript) -> FullTranscript:
    """The stored document through the typed transcript model."""
    if isinstance(full, FullTranscript):
        return full
    return FullTranscript.model_validate(full)


def plan_from_transcript(full: dict[str, Any] | FullTranscript) -> Plan | None:
    """The plan the interview used: embedded in metadata, or loaded by ``planId``."""
    doc = read_transcript(full)
    data = doc.metadata_value("plan")
    if isinstance(data, dict):
        if "plan" in data and isinstance(data["plan"], dict) and "stages" not in data:
            data = data["plan"]
        try:
            return Plan.model_validate(data)
        except ValueError as exc:
            logger.warning("transcript metadata holds an invalid plan: %s", exc)
    info = doc.session_info
    if info.plan_id:
        try:
            plan = load_plan(info.plan_id, doc.language)
        except PlanError as exc:
            logger.warning("cannot load plan %r named by the transcript: %s", info.plan_id, exc)
            return None
        return plan.resolve(
            role=info.role, interview_type=info.interview_type, language=doc.language
        ).plan
    return None


def _questions_by_id(plan: Plan | None) -> dict[str, tuple[str, Question]]:
    if plan is None:
        return {}
    return {q.id: (s.id, q) for s in plan.stages for q in s.questions}


def extract_answers(
    full: dict[str, Any] | FullTranscript, plan: Plan | None = None
) -> list[AnswerItem]:
    """Asked questions in interview order, each with the candidate's words for it."""
    doc = read_transcript(full)
    plan = plan or plan_from_transcript(doc)
    known = _questions_by_id(plan)
    name = doc.session_info.participant_name
    names = [name] if name else []
    order: list[str] = []
    meta: dict[str, dict[str, Any]] = {}
    words: dict[str, list[str]] = {}
    others: dict[str, list[NonAnswer]] = {}

    def note_question(qid: str, text: str, stage: str) -> None:
        if qid not in meta:
            order.append(qid)
            meta[qid] = {"text": text, "stage": stage}
            words[qid] = []
            others[qid] = []
        elif text and not meta[qid]["text"]:
            meta[qid]["text"] = text

    for stage in doc.stages:
        for q in stage.questions:
            note_question(q.id, q.text, stage.stage)
        for entry in stage.conversation:
            qid = entry.question_id
            if not qid:
                continue
            if entry.is_ai:
                if entry.kind == "question":
                    note_question(qid, entry.message, stage.stage)
                continue
            if entry.kind != "speech":
                continue
            note_question(qid, "", stage.stage)
            msg = entry.message.strip()
            if not msg:
                continue
            intent = classify(msg, doc.language)
            # An injection attempt stays in the answer: its sentences are dropped from
            # the scored text and flagged by neutralize(), the rest is still an answer.
            if intent.is_answer or intent.kind == "injection":
                words[qid].append(msg)
            else:
                # Not scored and never quoted as evidence; listed in the report.
                others[qid].append(NonAnswer(intent.kind, msg, intent.topic, intent.injection))

    items = []
    for qid in order:
        stage_id, question = known.get(qid, (meta[qid]["stage"], None))
        text = meta[qid]["text"] or (question.text if question else qid)
        items.append(
            AnswerItem(
                question_id=qid,
                stage=meta[qid]["stage"] or stage_id,
                question_text=text,
                key_points=list(question.key_points) if question else [],
                competencies=list(question.competencies) if question else ["communication"],
                answer=neutralize(" ".join(words[qid]), names),
                role=doc.session_info.role,
                indicators=rubric_indicators(question),
                non_answers=others[qid],
                scales=plan.competencies if plan else None,
            )
        )
    return items
