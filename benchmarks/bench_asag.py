"""ASAG benchmark: the offline scorer on the Mohler et al. (2011) short-answer data set.

    uv run python -m benchmarks.bench_asag --data /path/to/mohler.jsonl

The data set is for evaluation only and is never copied into this repository; pass its
path. Each student answer is scored by the shipped offline scorer with the question as
the question and the instructor's reference answer as the single rubric key point. The
scorer's 0–10 ``overall`` score is halved onto the data set's 0–5 scale.

Held-out protocol: the 12 assignments/exams are split once, before looking at results,
into a dev half (assignments 1–6) and a test half (7–12). Everything that is chosen —
which signal to ship as the score (the scorer's overall, key-point coverage alone,
relevance alone, plain cosine) and the linear calibration a·s + b onto the 0–5 scale —
is chosen or fitted on dev only. The figures reported as the result are on test only:

- Pearson r and Spearman rho against the gold ``score_avg``;
- RMSE raw (the 0–10 score / 2, no fitting) and after the dev-fitted calibration;
- the same for every candidate signal (so the choice can be checked), and dev figures
  for reference;
- time taken.

History, honestly: the scorer's design (question-demoted token recall) was chosen in an
earlier session while looking at all 2,273 answers, so even the test half is not
untouched by that choice; since then no constant was chosen on assignments 7–12. The
indicator strength exponent (0.4) was chosen on the interview-answer benchmark, not here.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np


def pearson(x: np.ndarray, y: np.ndarray) -> float:
    return float(np.corrcoef(x, y)[0, 1])


def _ranks(x: np.ndarray) -> np.ndarray:
    order = np.argsort(x, kind="mergesort")
    ranks = np.empty(len(x), dtype=float)
    sorted_x = x[order]
    i = 0
    while i < len(x):
        j = i
        while j + 1 < len(x) and sorted_x[j + 1] == sorted_x[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2.0
        i = j + 1
    return ranks


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    return pearson(_ranks(x), _ranks(y))


def rmse(pred: np.ndarray, y: np.ndarray) -> float:
    return float(np.sqrt(np.mean((pred - y) ** 2)))


def fit_linear(s: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    a, b = np.polyfit(s, y, 1)
    return float(a), float(b)


def loao_calibrated(s: np.ndarray, y: np.ndarray, folds: np.ndarray) -> np.ndarray:
    """Predictions from a linear map fitted on the other assignments only."""
    pred = np.empty_like(y)
    for f in np.unique(folds):
        test = folds == f
        a, b = fit_linear(s[~test], y[~test])
        pred[test] = np.clip(a * s[test] + b, 0.0, 5.0)
    return pred


DEV_ASSIGNMENTS = {"1", "2", "3", "4", "5", "6"}


def held_out_line(name: str, s: np.ndarray, y: np.ndarray, dev: np.ndarray) -> str:
    """Test-half figures with the calibration fitted on the dev half."""
    a, b = fit_linear(s[dev], y[dev])
    test = ~dev
    calibrated = rmse(np.clip(a * s[test] + b, 0, 5), y[test])
    return (
        f"{name:34s} {pearson(s[test], y[test]):6.3f} {spearman(s[test], y[test]):8.3f} "
        f"{rmse(np.clip(s[test], 0, 5), y[test]):6.3f} {calibrated:9.3f}   "
        f"(dev r {pearson(s[dev], y[dev]):.3f})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", required=True, type=Path, help="path to mohler.jsonl")
    parser.add_argument("--limit", type=int, default=0, help="score only the first N rows")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"ASAG data file not found: {args.data} (pass --data PATH to mohler.jsonl)")
        return 2

    from voicehire.evaluation.answers import AnswerItem, neutralize
    from voicehire.evaluation.embedding import get_embedder
    from voicehire.evaluation.offline import OfflineScorer

    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line]
    if args.limit:
        rows = rows[: args.limit]
    y = np.array([float(r["score_avg"]) for r in rows])
    folds = np.array([r["qid"].split(".")[0] for r in rows])

    started = time.perf_counter()
    embedder = get_embedder()
    load_s = time.perf_counter() - started
    items = [
        AnswerItem(
            question_id=r["qid"],
            stage="asag",
            question_text=r["question"],
            key_points=[r["reference"]],
            competencies=["technical_accuracy"],
            answer=neutralize(r["answer"]),
        )
        for r in rows
    ]
    scores = OfflineScorer(embedder).score_sync(items)
    elapsed = time.perf_counter() - started

    overall = np.array([(s.scores.overall or 0.0) / 2 for s in scores])
    coverage = np.array([s.signals.get("coverage", 0.0) * 5 for s in scores])
    relevance = np.array([s.signals.get("relevance", 0.0) * 5 for s in scores])
    cosine = np.array(
        [5 * float(embedder.encode(r["answer"]) @ embedder.encode(r["reference"])) for r in rows]
    )

    dev = np.array([f in DEV_ASSIGNMENTS for f in folds])
    print(
        f"ASAG (Mohler 2011): {len(rows)} answers, {len(set(folds))} assignments, {args.data}; "
        f"dev = assignments 1–6 ({dev.sum()} answers), test = 7–12 ({(~dev).sum()} answers)"
    )
    signals = {
        "offline scorer overall (shipped)": overall,
        "  key-point coverage alone": coverage,
        "  relevance alone": relevance,
        "plain MiniLM cosine (baseline)": cosine,
    }
    chosen = max(signals, key=lambda k: pearson(signals[k][dev], y[dev]))
    print(f"signal chosen on dev (highest dev r): {chosen.strip()}")
    print(
        f"{'TEST half (0–5 scale)':34s} {'r':>6s} {'spearman':>8s} {'raw':>6s} "
        f"{'dev-calib':>9s}   (RMSE columns; calibration fitted on dev)"
    )
    for name, s in signals.items():
        print(held_out_line(name, s, y, dev))
    test = ~dev
    print(
        f"constant (dev mean) RMSE on test {rmse(np.full(test.sum(), y[dev].mean()), y[test]):.3f}"
    )
    print(
        "reference points (all data, not held out): MiniLM cosine r=0.494, Mohler 2011 "
        "r≈0.52/RMSE 0.98, Sultan 2016 r=0.592/RMSE 0.887, human agreement r=0.597"
    )
    s = signals[chosen]
    a, b = fit_linear(s[dev], y[dev])
    r = pearson(s[test], y[test])
    cv = rmse(np.clip(a * s[test] + b, 0, 5), y[test])
    target = "MET" if r >= 0.55 and cv <= 0.93 else "NOT met"
    print(
        f"held-out target r >= 0.55 and RMSE <= 0.93 on test: {target} (r={r:.3f}, RMSE={cv:.3f})"
    )
    loao = rmse(loao_calibrated(overall, y, folds), y)
    print(f"(for comparison, the earlier all-data LOAO figure: RMSE {loao:.3f})")
    print(
        f"time: {elapsed:.1f}s total ({load_s:.1f}s model load, "
        f"{1000 * (elapsed - load_s) / max(len(rows), 1):.1f} ms/answer)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
