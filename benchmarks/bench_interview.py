"""Interview-answer benchmark: does the offline verdict follow answer quality?

    uv run python -m benchmarks.bench_interview [--split test|dev|all] [--fit]

Data: ``benchmarks/data/interview_answers.yaml`` — answer sets written for this project
at quality grades 1–5 for six roles and every built-in question type, split by role
(dev: backend, product, support; test: data, sales, design). Settings (the confidence
curve, the off-topic threshold) are chosen on dev; the figures that matter are test.

Each answer set is run through the real pipeline: a full transcript with the role's
questions (built-in plan + question bank), :func:`voicehire.evaluation.service.evaluate`
with the offline scorer. Interviews of 2–4 of a set's answers (every subset) are added
to measure the verdict and its confidence on shorter interviews.

Printed:
- Spearman between grade and overall score (per answer set and per answer);
- mean overall score per grade;
- verdicts per grade; the rate of "no hire" on grade-5 sets and of "hire" on grade-1
  sets (target 0 for both);
- reliability of the confidence: per confidence bin, the share of interviews whose
  leaning was right (grade 4–5 -> hire, 3 -> maybe, 1–2 -> no hire), and the expected
  calibration error (ECE);
- invariance: the same test answers with candidate names and pronouns swapped across
  three groups; every score must be identical.

``--fit`` fits the confidence curve (logistic on the margin to the nearest threshold)
on the dev split and prints the constants to put in ``evaluation/summary.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import re
import time
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from benchmarks.bench_asag import spearman

DATA = Path(__file__).resolve().parent / "data" / "interview_answers.yaml"
# The candidate's name and every third-person pronoun differ across groups; colleagues
# keep one name (their names are not the candidate's and are not neutralised; the
# effect of changing them too is printed separately).
GROUPS = {
    "A": {"name": "James Miller", "colleague": "Sam", "they": "he", "them": "him", "their": "his"},
    "B": {"name": "Aisha Khan", "colleague": "Sam", "they": "she", "them": "her", "their": "her"},
    "C": {"name": "Wei Chen", "colleague": "Sam", "they": "they", "them": "them", "their": "their"},
}
COLLEAGUES = {"A": "Tom", "B": "Fatima"}
EXPECTED = {5: "hire", 4: "hire", 3: "maybe", 2: "no_hire", 1: "no_hire"}


def fill(text: str, group: dict[str, str]) -> str:
    def sub(m: re.Match[str]) -> str:
        value = group[m.group(1)]
        start = m.start() == 0 or text[: m.start()].rstrip().endswith((".", "!", "?"))
        return value[:1].upper() + value[1:] if start else value

    return re.sub(r"\{(name|colleague|they|them|their)\}", sub, text)


def all_questions() -> dict[str, Any]:
    from voicehire.domain.plan import Question, load_plan
    from voicehire.domain.question_bank import load_bank

    out: dict[str, Question] = {}
    for plan in ("full", "mock"):
        for s in load_plan(plan).stages:
            for q in s.questions:
                out[q.id] = q
    for area in load_bank():
        for bq in area.questions:
            out[bq.id] = Question.model_validate(bq.model_dump(exclude={"skills", "levels"}))
    return out


def transcript(role: dict[str, Any], answers: list[str], group: dict[str, str], iid: str) -> tuple:
    """A full transcript (and its plan) in which the role's questions are asked in order
    and answered with ``answers``."""
    from voicehire.domain.plan import Plan, Stage
    from voicehire.domain.transcript import (
        AskedQuestion,
        SessionInfo,
        StageTranscript,
        Utterance,
        full_document,
    )

    questions = all_questions()
    asked = [questions[qid].model_copy(update={"refer_back_to": None}) for qid in role["questions"]]
    plan = Plan(
        id="bench",
        title="bench",
        stages=[
            Stage(id="questions", title="Questions", questions=asked),
            Stage(id="closing", title="Closing", kind="closing"),
        ],
    )
    name = group["name"]
    start = 1_700_000_000_000
    info = SessionInfo(
        interview_id=iid,
        participant_name=name,
        room_name=f"room-{iid}",
        plan_id="bench",
        role=role["title"],
        interview_type="technical",
        started_at=start,
        ended_at=start + 1_200_000,
        end_reason="completed",
    )
    st = StageTranscript(stage="questions", title="Questions", started_at=start)
    t = start
    for q, answer in zip(asked, answers, strict=True):
        t += 1000
        st.questions.append(AskedQuestion(q.id, q.text, t))
        st.conversation.append(
            Utterance("agent", "agent", "Alex", q.text, t, "questions", q.id, "question")
        )
        t += 5000
        st.conversation.append(
            Utterance("candidate", "cand", name, fill(answer, group), t, "questions", q.id)
        )
    st.ended_at = t
    return full_document(info, [st], {}), plan


async def score_sets(sets: list[dict], roles: dict, group: dict[str, str]) -> list[Any]:
    from voicehire.evaluation.offline import OfflineScorer
    from voicehire.evaluation.service import evaluate
    from voicehire.settings import load_settings

    settings = load_settings(llm_provider="policy")
    scorer = OfflineScorer()
    results = []
    for i, s in enumerate(sets):
        full, plan = transcript(roles[s["role"]], s["answers"], group, f"bench-{i}")
        results.append(await evaluate(full, settings=settings, plan=plan, scorer=scorer))
    return results


def subset_verdicts(sets: list[dict], results: list[Any]) -> list[tuple[int, Any]]:
    """(grade, summary) for every interview made of 2..n of a set's answers."""
    from voicehire.evaluation.summary import summarize

    out = []
    for s, r in zip(sets, results, strict=True):
        n = len(r.answers)
        for k in range(2, n + 1):
            for combo in itertools.combinations(range(n), k):
                answers = [r.answers[j] for j in combo]
                out.append((s["grade"], summarize(answers, {}, scorer_kind="offline")))
    return out


def reliability(rows: list[tuple[int, Any]]) -> tuple[list[str], float]:
    bins = [(0.0, 0.5), (0.5, 0.7), (0.7, 0.85), (0.85, 1.01)]
    lines = []
    ece = 0.0
    total = len(rows)
    for lo, hi in bins:
        inside = [(g, s) for g, s in rows if lo <= s.confidence < hi]
        if not inside:
            lines.append(f"  confidence {lo:.2f}–{min(hi, 1):.2f}: no interviews")
            continue
        acc = float(np.mean([s.leaning == EXPECTED[g] for g, s in inside]))
        conf = float(np.mean([s.confidence for _, s in inside]))
        ece += len(inside) / total * abs(acc - conf)
        lines.append(
            f"  confidence {lo:.2f}–{min(hi, 1):.2f}: {len(inside):4d} interviews, "
            f"mean confidence {conf:.2f}, leaning right {acc:.2f}"
        )
    return lines, ece


def fit_confidence(rows: list[tuple[int, Any]]) -> tuple[float, float]:
    """Logistic fit of 'leaning right' on the margin to the nearest threshold."""
    from voicehire.evaluation.summary import HIRE_AT, MAYBE_AT

    x = []
    y = []
    for g, s in rows:
        o = s.overall_score
        margin = min(abs(o - HIRE_AT), abs(o - MAYBE_AT))
        if MAYBE_AT < o < HIRE_AT:
            margin = min(margin, 1.0)
        x.append(margin)
        y.append(1.0 if s.leaning == EXPECTED[g] else 0.0)
    xa, ya = np.array(x), np.array(y)
    a, b = 0.0, 1.0
    for _ in range(2000):  # plain gradient descent on the log loss (2 parameters)
        p = 1 / (1 + np.exp(-(a + b * xa)))
        a -= 0.5 * float(np.mean(p - ya))
        b -= 0.5 * float(np.mean((p - ya) * xa))
    return a, b


def report(title: str, sets: list[dict], results: list[Any]) -> None:
    grades = np.array([s["grade"] for s in sets], dtype=float)
    overall = np.array([r.summary.overall_score or 0.0 for r in results])
    per_answer_g = []
    per_answer_s = []
    for s, r in zip(sets, results, strict=True):
        for a in r.answers:
            per_answer_g.append(s["grade"])
            per_answer_s.append(a.scores.overall or 0.0)
    print(f"\n{title}: {len(sets)} answer sets, {len(per_answer_s)} answers")
    print(
        f"  Spearman grade vs overall: per set {spearman(overall, grades):.3f}, "
        f"per answer {spearman(np.array(per_answer_s), np.array(per_answer_g, float)):.3f}"
    )
    for g in (5, 4, 3, 2, 1):
        picked = [(s, r) for s, r in zip(sets, results, strict=True) if s["grade"] == g]
        scores = [r.summary.overall_score or 0.0 for _, r in picked]
        verdicts = [r.summary.recommendation or "none" for _, r in picked]
        leanings = [r.summary.leaning or "none" for _, r in picked]
        print(
            f"  grade {g}: overall {np.mean(scores):4.1f} ({min(scores):.1f}–{max(scores):.1f}); "
            f"verdicts {', '.join(verdicts)}; leaning {', '.join(leanings)}"
        )
    top = [r for s, r in zip(sets, results, strict=True) if s["grade"] == 5]
    bottom = [r for s, r in zip(sets, results, strict=True) if s["grade"] == 1]
    print(
        f"  'no hire' on grade-5 sets: {sum(r.summary.recommendation == 'no_hire' for r in top)}"
        f"/{len(top)} (target 0); 'hire' on grade-1 sets: "
        f"{sum(r.summary.recommendation == 'hire' for r in bottom)}/{len(bottom)} (target 0)"
    )
    rows = subset_verdicts(sets, results)
    nh5 = sum(1 for g, s in rows if g == 5 and s.recommendation == "no_hire")
    h1 = sum(1 for g, s in rows if g == 1 and s.recommendation == "hire")
    n5 = sum(1 for g, _ in rows if g == 5)
    n1 = sum(1 for g, _ in rows if g == 1)
    review = sum(1 for _, s in rows if s.recommendation == "needs_review")
    print(
        f"  shorter interviews (2–4 answers, {len(rows)}): 'no hire' on grade 5 {nh5}/{n5}, "
        f"'hire' on grade 1 {h1}/{n1}, needs review {review}/{len(rows)}"
    )
    lines, ece = reliability(rows)
    print("  reliability of confidence (leaning right, by confidence bin):")
    print("\n".join(lines))
    print(f"  expected calibration error: {ece:.3f}")


def invariance(
    sets: list[dict], roles: dict, base: list[Any], groups: dict[str, dict[str, str]]
) -> tuple[int, int, float]:
    diffs = compared = 0
    worst = 0.0
    dims = ("technical_accuracy", "communication_clarity", "problem_solving", "overall")
    for group in groups.values():
        other = asyncio.run(score_sets(sets, roles, group))
        for r0, r1 in zip(base, other, strict=True):
            for a, b in zip(r0.answers, r1.answers, strict=True):
                for dim in dims:
                    va, vb = getattr(a.scores, dim), getattr(b.scores, dim)
                    compared += 1
                    if va != vb:
                        diffs += 1
                        worst = max(worst, abs((va or 0) - (vb or 0)))
            compared += 1
            if r0.summary.recommendation != r1.summary.recommendation:
                diffs += 1
    return diffs, compared, worst


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=["dev", "test", "all"], default="all")
    parser.add_argument("--fit", action="store_true", help="fit the confidence curve on dev")
    args = parser.parse_args(argv)
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    roles = data["roles"]
    started = time.perf_counter()
    by_split: dict[str, list[dict]] = {"dev": [], "test": []}
    for s in data["sets"]:
        by_split[roles[s["role"]]["split"]].append(s)
    splits = ["dev", "test"] if args.split == "all" else [args.split]
    results = {}
    for split in splits:
        results[split] = asyncio.run(score_sets(by_split[split], roles, GROUPS["C"]))
        report(
            f"{split} split (roles: {', '.join(sorted({s['role'] for s in by_split[split]}))})",
            by_split[split],
            results[split],
        )
    if args.fit and "dev" in results:
        a, b = fit_confidence(subset_verdicts(by_split["dev"], results["dev"]))
        print(f"\nconfidence curve fitted on dev: CONF_A={a:.3f}, CONF_B={b:.3f}")

    # Invariance: the test answers with names and pronouns swapped across groups.
    check = by_split["test"] if "test" in splits else by_split["dev"]
    base = results.get("test") or results["dev"]
    diffs, compared, worst = invariance(check, roles, base, {g: GROUPS[g] for g in ("A", "B")})
    print(
        f"\ninvariance (candidate names and pronouns swapped across 3 groups, {len(check)} "
        f"sets): {diffs} of {compared} scores/verdicts differ (target 0), largest "
        f"difference {worst:.2f}"
    )
    colleague_groups = {g: GROUPS[g] | {"colleague": COLLEAGUES[g]} for g in ("A", "B")}
    d2, c2, w2 = invariance(check, roles, base, colleague_groups)
    print(
        f"  with colleagues' names changed too (not neutralised): {d2} of {c2} differ, "
        f"largest difference {w2:.2f}"
    )
    print(f"time: {time.perf_counter() - started:.1f}s")
    return 0 if diffs == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
