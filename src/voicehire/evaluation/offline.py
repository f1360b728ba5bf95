"""The offline scorer: rubric indicators found in the answer, each with its evidence.

Every rubric indicator is looked for in the candidate's words:

- ``content`` indicators (what a correct technical answer contains) by meaning: every
  content word piece of the indicator is matched to its most similar word piece in the
  answer (cosine of MiniLM's contextual token vectors, as in BERTScore recall), rescaled
  so that unrelated text scores 0 and a full paraphrase 1. Words that already occur in
  the question are left out ("question demoting", Sultan et al. 2016): repeating the
  question earns nothing.
- the other kinds (a concrete situation, their own part, reasoning, a result, a lesson,
  ...) by how people tell them (:mod:`voicehire.evaluation.evidence`), in any field.

An indicator counts as shown at half strength; its evidence is the candidate's sentence
that shows it best. Each competency's level on its anchored 1–5 scale is
1 + 4 × (mean strength of its indicators)^0.4; its 0–10 score is (level − 1) × 2.5. The
answer's overall score is the mean of its competencies weighted by their number of
indicators, scaled down for answers too short
to show anything and for answers that do not address the question (those are flagged).
communication_clarity is a separate signal: length, relevance and filler words.

No text is treated as an instruction: the answer is only ever embedded and compared.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass

import numpy as np

from voicehire.evaluation.answers import AnswerItem, RubricIndicator
from voicehire.evaluation.embedding import MiniLMEmbedder, TokenEmbeddings, get_embedder
from voicehire.evaluation.evidence import detect, sentences
from voicehire.evaluation.models import AnswerScore, DimensionScores, KeyPointCoverage, ScorerInfo
from voicehire.evaluation.scorer import instruction_flags, unanswered

# Similarity anchors of the token-recall scale: unrelated text lands near FLOOR, an
# answer that restates the key point in other words near FULL.
RECALL_FLOOR = 0.20
RECALL_FULL = 0.70
# Sentence cosine anchors for relevance (answer vs question and rubric).
RELEVANCE_FLOOR = 0.10
RELEVANCE_FULL = 0.60
COVERED_AT = 0.5  # an indicator counts as shown at half strength
# An answer whose sentence cosine with both the question and its rubric is below this
# does not address the question: flagged, and its levels halved. Stories told for
# behavioural questions are often far from the question's words (on the benchmark's dev
# split the lowest on-topic answer had cosine 0.12, the median answer to another
# question of the same interview 0.18), so only clearly unrelated text is flagged.
OFF_TOPIC_BELOW = 0.05
OFF_TOPIC_GATE = 0.5
# Indicator strength -> level: level = 1 + 4 * mean_strength ** STRENGTH_EXPONENT. Showing
# most indicators clearly is rare in speech; a concave map puts a good answer that
# shows most of them at level 4 (chosen on the interview benchmark's dev split:
# the grade means then sit near levels 5, 4, 3, 2, 1).
STRENGTH_EXPONENT = 0.4
MIN_WORDS = 5  # fewer words than this cannot show much
CLEAR_WORDS = 40  # a spoken answer this long has room to explain
RAMBLING_WORDS = 300

STOPWORDS = frozenset(
    """a an the of to in on for and or is are was were be been being it its this that these
    those with as by at from into than then so such can could would should will may might
    do does did done has have had having not no but if when which who whom what where why
    how there their they them he she his her we our you your i me my mine also very just
    more most much many each any some all both either neither one use used using about
    like get got really think thing things well yeah okay ok um uh""".split()  # noqa: SIM905
)
FILLERS = re.compile(r"\b(?:um+|uh+|erm+|er|hmm+|you know|i mean|sort of|kind of)\b", re.I)
_WORD = re.compile(r"[A-Za-z0-9]+(?:'[a-z]+)?")
_SENTENCE = re.compile(r"[^.!?;\n]+[.!?;]?")


def _clip01(x: float) -> float:
    return float(min(1.0, max(0.0, x)))


def _content_piece(token: str) -> bool:
    word = token.removeprefix("##")
    return word.isalnum() and word.lower() not in STOPWORDS


@dataclass
class KeyPointMatch:
    coverage: float  # 0..1
    recall: float  # raw mean best-match cosine
    evidence_span: tuple[int, int] | None  # in the scored (neutral) answer text


def key_point_recall(
    kp: TokenEmbeddings, answer: TokenEmbeddings, answer_text: str, question_pieces: set[str]
) -> KeyPointMatch:
    """Soft recall of a key point's content word pieces in the answer."""
    if not kp.tokens or not answer.tokens:
        return KeyPointMatch(0.0, 0.0, None)
    keep = [i for i, t in enumerate(kp.tokens) if _content_piece(t) and t not in question_pieces]
    if not keep:  # the key point only repeats the question: use its content words anyway
        keep = [i for i, t in enumerate(kp.tokens) if _content_piece(t)]
    if not keep:
        keep = list(range(len(kp.tokens)))
    sims = kp.vectors[keep] @ answer.vectors.T  # (kp tokens, answer tokens)
    best = sims.max(1)
    recall = float(best.mean())
    # Evidence: the answer sentence holding most of the best matches.
    where = sims.argmax(1)
    spans = [m.span() for m in _SENTENCE.finditer(answer_text)]
    span = None
    if spans:
        weight = np.zeros(len(spans))
        for tok_idx, sim in zip(where, best, strict=True):
            start = answer.offsets[tok_idx][0]
            for si, (a, b) in enumerate(spans):
                if a <= start < b:
                    weight[si] += sim
                    break
        span = spans[int(weight.argmax())]
    coverage = _clip01((recall - RECALL_FLOOR) / (RECALL_FULL - RECALL_FLOOR))
    return KeyPointMatch(coverage, recall, span)


def _sentence_count(text: str) -> int:
    return max(1, len([s for s in _SENTENCE.findall(text) if s.strip()]))


class OfflineScorer:
    """Embedded-default scorer; CPU only, deterministic, no network."""

    def __init__(self, embedder: MiniLMEmbedder | None = None) -> None:
        self._embedder = embedder
        self.info = ScorerInfo(
            kind="offline", name="minilm-keypoint-coverage", model="all-MiniLM-L6-v2"
        )

    @property
    def embedder(self) -> MiniLMEmbedder:
        if self._embedder is None:
            self._embedder = get_embedder()
        return self._embedder

    async def score(self, items: list[AnswerItem]) -> list[AnswerScore]:
        # CPU-bound: keep it off the event loop so a live conversation is never blocked.
        return await asyncio.to_thread(self.score_sync, items)

    def score_sync(self, items: list[AnswerItem]) -> list[AnswerScore]:
        texts: list[str] = []
        for it in items:
            if it.answered:
                content = [i.text for i in _indicators(it) if i.kind == "content"]
                texts += [it.scoring_text, it.question_text, _rubric_text(it), *content]
        embs = dict(zip(texts, self.embedder.token_embeddings(texts), strict=True)) if texts else {}
        return [self._score_one(it, embs) if it.answered else unanswered(it) for it in items]

    def _score_one(self, it: AnswerItem, embs: dict[str, TokenEmbeddings]) -> AnswerScore:
        answer = embs[it.scoring_text]
        question = embs[it.question_text]
        rubric = embs[_rubric_text(it)]
        question_pieces = set(question.tokens)
        spans = sentences(it.scoring_text)

        relevance_cos = max(
            float(answer.sentence @ question.sentence), float(answer.sentence @ rubric.sentence)
        )
        relevance = _clip01((relevance_cos - RELEVANCE_FLOOR) / (RELEVANCE_FULL - RELEVANCE_FLOOR))

        kps: list[KeyPointCoverage] = []
        by_competency: dict[str, list[float]] = {}
        for ind in _indicators(it):
            if ind.kind == "content":
                match = key_point_recall(embs[ind.text], answer, it.scoring_text, question_pieces)
                strength, span = match.coverage, match.evidence_span
            else:
                found = detect(ind.kind, it.scoring_text, spans)
                strength, span = found.strength, found.sentence
            evidence = None
            if span and strength >= COVERED_AT:
                s, e = it.answer.to_original(*span)
                evidence = it.answer_text[s:e].strip() or None
            kps.append(
                KeyPointCoverage(
                    text=ind.text,
                    covered=strength >= COVERED_AT,
                    similarity=round(strength, 4),
                    evidence=evidence,
                    competency=ind.competency,
                    kind=ind.kind,
                )
            )
            by_competency.setdefault(ind.competency, []).append(strength)

        n_words = len(_WORD.findall(it.scoring_text))
        fillers = len(FILLERS.findall(it.scoring_text))
        filler_score = 1.0 - _clip01(5.0 * fillers / max(n_words, 1))
        length_score = min(1.0, n_words / CLEAR_WORDS)
        if n_words > RAMBLING_WORDS:
            length_score *= max(0.6, RAMBLING_WORDS / n_words)
        clarity = 0.4 * length_score + 0.4 * relevance + 0.2 * filler_score
        # Short is fine when the rubric itself is short ("a stack"); otherwise an answer
        # needs a few words to show anything.
        content_kps = [k.text for k in kps if k.kind == "content"] or [MIN_WORDS * "x "]
        rubric_words = min(len(_WORD.findall(k)) for k in content_kps)
        brevity = min(1.0, n_words / max(1, min(MIN_WORDS, rubric_words)))
        flags = instruction_flags(it)
        off_topic = bool(by_competency) and relevance_cos < OFF_TOPIC_BELOW
        if off_topic:
            flags.append("does_not_address_question: the answer is about something else")
        # Without a rubric the best available signal is relevance to the question.
        strengths_by_comp = {c: float(np.mean(v)) for c, v in by_competency.items()} or {
            c: relevance for c in it.competencies
        }
        gate = brevity * (OFF_TOPIC_GATE if off_topic else 1.0)
        levels = {
            c: round(1 + 4 * (v**STRENGTH_EXPONENT) * gate, 2) for c, v in strengths_by_comp.items()
        }
        comp_scores = {c: round(2.5 * (lv - 1), 2) for c, lv in levels.items()}
        # Weighted by how many indicators each competency has, so a competency probed by
        # one indicator cannot halve an answer that shows everything else.
        weights = {c: len(by_competency.get(c, [])) or 1 for c in comp_scores}
        overall = sum(comp_scores[c] * weights[c] for c in comp_scores) / sum(weights.values())

        scores = DimensionScores(
            technical_accuracy=comp_scores.get("technical_accuracy"),
            communication_clarity=round(10 * clarity, 2),
            problem_solving=comp_scores.get("problem_solving"),
            overall=round(overall, 2),
        )
        strengths = [f"Showed: {k.text}" for k in kps if k.covered]
        improvements = [f"Did not show: {k.text}" for k in kps if not k.covered]
        if n_words < CLEAR_WORDS // 2:
            improvements.append(f"The answer was brief ({n_words} words); explain in more depth.")
        if relevance < 0.3:
            improvements.append("The answer strayed from the question.")
        if fillers and filler_score < 0.7:
            improvements.append("Many filler words; pause instead.")
        covered = sum(k.covered for k in kps)
        feedback = (
            f"Showed {covered} of {len(kps)} rubric indicators."
            if kps
            else "No rubric for this question."
        )
        quotes = list(dict.fromkeys(k.evidence for k in kps if k.evidence))
        return AnswerScore(
            question_id=it.question_id,
            stage=it.stage,
            question_text=it.question_text,
            competencies=it.competencies,
            answer_text=it.answer_text,
            scores=scores,
            competency_levels=levels,
            key_points=kps,
            strengths=strengths,
            improvements=improvements,
            evidence=quotes,
            feedback=feedback,
            flags=flags,
            signals={
                "coverage": round(float(np.mean([k.similarity for k in kps])) if kps else 0, 4),
                "relevance": round(relevance, 4),
                "words": float(n_words),
                "sentences": float(_sentence_count(it.scoring_text)),
                "filler_words": float(fillers),
            },
        )


def _indicators(it: AnswerItem) -> list[RubricIndicator]:
    """The item's rubric; bare key points (ASAG, legacy items) are content indicators."""
    if it.indicators:
        return it.indicators
    competency = it.competencies[0] if it.competencies else "technical_accuracy"
    return [RubricIndicator(competency, "content", k) for k in it.key_points]


def _rubric_text(it: AnswerItem) -> str:
    return "; ".join(it.key_points) if it.key_points else it.question_text
