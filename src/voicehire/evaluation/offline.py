"""The offline scorer: rubric key-point coverage measured with sentence embeddings.

For each rubric key point, every content word piece of the key point is matched to its
most similar word piece in the answer (cosine of MiniLM's contextual token vectors, as
in BERTScore recall). The key point's coverage is the mean of those matches, rescaled
so that unrelated text scores 0 and a full paraphrase scores 1. Words that already
occur in the question are left out of the key point ("question demoting", Sultan et al.
2016): repeating the question earns nothing.

Scores (0–10):
- technical_accuracy and problem_solving: key-point coverage (the offline scorer cannot
  tell the two apart; the LLM judge can);
- communication_clarity: answer length, relevance to the question, and filler words;
- overall: coverage, scaled down for answers too short to show anything. Relevance is
  not added: an answer that covers the rubric is relevant by construction, and an
  on-topic answer that misses the rubric should not earn content points (on the ASAG
  benchmark adding 0.2 x relevance lowered Pearson r from 0.635 to 0.581).

No text is treated as an instruction: the answer is only ever embedded and compared.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass

import numpy as np

from voicehire.evaluation.answers import AnswerItem
from voicehire.evaluation.embedding import MiniLMEmbedder, TokenEmbeddings, get_embedder
from voicehire.evaluation.models import AnswerScore, DimensionScores, KeyPointCoverage, ScorerInfo
from voicehire.evaluation.scorer import instruction_flags, unanswered

# Similarity anchors of the token-recall scale: unrelated text lands near FLOOR, an
# answer that restates the key point in other words near FULL.
RECALL_FLOOR = 0.20
RECALL_FULL = 0.70
# Sentence cosine anchors for relevance (answer vs question and rubric).
RELEVANCE_FLOOR = 0.10
RELEVANCE_FULL = 0.60
COVERED_AT = 0.5  # a key point counts as covered at half its scale
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
                texts += [it.scoring_text, it.question_text, _rubric_text(it), *it.key_points]
        embs = dict(zip(texts, self.embedder.token_embeddings(texts), strict=True)) if texts else {}
        return [self._score_one(it, embs) if it.answered else unanswered(it) for it in items]

    def _score_one(self, it: AnswerItem, embs: dict[str, TokenEmbeddings]) -> AnswerScore:
        answer = embs[it.scoring_text]
        question = embs[it.question_text]
        rubric = embs[_rubric_text(it)]
        question_pieces = set(question.tokens)

        relevance_cos = max(
            float(answer.sentence @ question.sentence), float(answer.sentence @ rubric.sentence)
        )
        relevance = _clip01((relevance_cos - RELEVANCE_FLOOR) / (RELEVANCE_FULL - RELEVANCE_FLOOR))

        kps: list[KeyPointCoverage] = []
        coverages: list[float] = []
        for kp_text in it.key_points:
            match = key_point_recall(embs[kp_text], answer, it.scoring_text, question_pieces)
            evidence = None
            if match.evidence_span and match.coverage >= COVERED_AT:
                s, e = it.answer.to_original(*match.evidence_span)
                evidence = it.answer_text[s:e].strip() or None
            kps.append(
                KeyPointCoverage(
                    text=kp_text,
                    covered=match.coverage >= COVERED_AT,
                    similarity=round(match.coverage, 4),
                    evidence=evidence,
                )
            )
            coverages.append(match.coverage)
        # Without a rubric the best available signal is relevance to the question.
        content = float(np.mean(coverages)) if coverages else relevance

        n_words = len(_WORD.findall(it.scoring_text))
        fillers = len(FILLERS.findall(it.scoring_text))
        filler_score = 1.0 - _clip01(5.0 * fillers / max(n_words, 1))
        length_score = min(1.0, n_words / CLEAR_WORDS)
        if n_words > RAMBLING_WORDS:
            length_score *= max(0.6, RAMBLING_WORDS / n_words)
        clarity = 0.4 * length_score + 0.4 * relevance + 0.2 * filler_score
        # Short is fine when the rubric itself is short ("a stack"); otherwise an answer
        # needs a few words to show anything.
        rubric_words = min((len(_WORD.findall(k)) for k in it.key_points), default=MIN_WORDS)
        brevity = min(1.0, n_words / max(1, min(MIN_WORDS, rubric_words)))
        overall = content * brevity

        scores = DimensionScores(
            technical_accuracy=round(10 * content, 2),
            communication_clarity=round(10 * clarity, 2),
            problem_solving=round(10 * content, 2),
            overall=round(10 * overall, 2),
        )
        strengths = [f"Covered: {k.text}" for k in kps if k.covered]
        improvements = [f"Did not cover: {k.text}" for k in kps if not k.covered]
        if n_words < CLEAR_WORDS // 2:
            improvements.append(f"The answer was brief ({n_words} words); explain in more depth.")
        if relevance < 0.3:
            improvements.append("The answer strayed from the question.")
        if fillers and filler_score < 0.7:
            improvements.append("Many filler words; pause instead.")
        covered = sum(k.covered for k in kps)
        feedback = (
            f"Covered {covered} of {len(kps)} key points."
            if kps
            else "No rubric for this question."
        )
        evidence = list(dict.fromkeys(k.evidence for k in kps if k.evidence))
        return AnswerScore(
            question_id=it.question_id,
            stage=it.stage,
            question_text=it.question_text,
            competencies=it.competencies,
            answer_text=it.answer_text,
            scores=scores,
            key_points=kps,
            strengths=strengths,
            improvements=improvements,
            evidence=evidence,
            feedback=feedback,
            flags=instruction_flags(it),
            signals={
                "coverage": round(content, 4),
                "relevance": round(relevance, 4),
                "words": float(n_words),
                "sentences": float(_sentence_count(it.scoring_text)),
                "filler_words": float(fillers),
            },
        )


def _rubric_text(it: AnswerItem) -> str:
    return "; ".join(it.key_points) if it.key_points else it.question_text
