// What GET /api/interviews/{id}/result holds, read into typed values. An interview's
// evaluation (typed by the generated EvaluationResult) and a call's result (filled,
// declined and unresolved fields) are told apart by the evaluation's required parts.
import type {
  AnswerScore,
  CandidateTurn,
  EvaluationResult,
  HumanOverride,
  InterviewSummary,
  KeyPointCoverage,
  StageTranscriptView,
} from "../generated/results";
import { arr, isObject, num, obj, str, strings, type JsonObject } from "../json";

type Recommendation = HumanOverride["recommendation"];
const RECOMMENDATIONS: readonly string[] = ["hire", "maybe", "no_hire"] satisfies Recommendation[];

function recommendation(value: unknown): Recommendation | null {
  return typeof value === "string" && RECOMMENDATIONS.includes(value) ? (value as Recommendation) : null;
}

type MachineRecommendation = NonNullable<InterviewSummary["recommendation"]>;

function machineRecommendation(value: unknown): MachineRecommendation | null {
  return value === "needs_review" ? "needs_review" : recommendation(value);
}

function numbers(value: unknown): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [key, v] of Object.entries(obj(value))) out[key] = num(v);
  return out;
}

function summary(value: unknown): InterviewSummary {
  const s = obj(value);
  return {
    overall_score: num(s.overall_score),
    competency_scores: numbers(s.competency_scores),
    stage_scores: numbers(s.stage_scores),
    strengths: strings(s.strengths),
    areas_for_improvement: strings(s.areas_for_improvement),
    recommendation: machineRecommendation(s.recommendation),
    leaning: recommendation(s.leaning),
    confidence: num(s.confidence) ?? 0,
    needs_human_review: s.needs_human_review === true || s.recommendation === "needs_review",
    review_reasons: strings(s.review_reasons),
    rationale: str(s.rationale),
    duration_seconds: num(s.duration_seconds) ?? 0,
    questions_asked: num(s.questions_asked) ?? 0,
    questions_answered: num(s.questions_answered) ?? 0,
    questions_not_asked: strings(s.questions_not_asked),
  };
}

function turn(value: JsonObject): CandidateTurn {
  return { kind: str(value.kind), text: str(value.text), stage: str(value.stage), topic: str(value.topic) || null };
}

function stageView(value: JsonObject): StageTranscriptView {
  return { stage: str(value.stage), title: str(value.title), lines: arr(value.lines).filter(isObject) };
}

function keyPoint(value: JsonObject): KeyPointCoverage {
  return {
    text: str(value.text),
    covered: value.covered === true,
    similarity: num(value.similarity) ?? 0,
    evidence: str(value.evidence) || null,
  };
}

function answer(value: JsonObject): AnswerScore {
  const status = value.status === "unanswered" || value.status === "error" || value.status === "skipped" ? value.status : "scored";
  const levels: Record<string, number> = {};
  for (const [key, v] of Object.entries(obj(value.competency_levels))) {
    const n = num(v);
    if (n !== null) levels[key] = n;
  }
  const anchors: Record<string, string> = {};
  for (const [key, v] of Object.entries(obj(value.anchors))) if (typeof v === "string") anchors[key] = v;
  return {
    question_id: str(value.question_id),
    stage: str(value.stage),
    question_text: str(value.question_text),
    answer_text: str(value.answer_text),
    status,
    scores: { overall: num(obj(value.scores).overall) },
    competency_levels: levels,
    anchors,
    key_points: arr(value.key_points).filter(isObject).map(keyPoint),
    evidence: strings(value.evidence),
    flags: strings(value.flags),
    feedback: str(value.feedback),
  };
}

function override(value: unknown): HumanOverride | null {
  if (!isObject(value)) return null;
  const rec = recommendation(value.recommendation);
  return rec ? { recommendation: rec, note: str(value.note), by: str(value.by) } : null;
}

/** An interview's evaluation, or null when the document is not one. */
export function parseEvaluation(value: unknown): EvaluationResult | null {
  if (!isObject(value) || !isObject(value.scorer) || !isObject(value.summary)) return null;
  const scorer = value.scorer;
  const status = value.status === "partial" || value.status === "failed" ? value.status : "completed";
  return {
    interview_id: str(value.interview_id),
    plan_id: str(value.plan_id),
    outcome_label: str(value.outcome_label),
    created_at: str(value.created_at),
    candidate_questions: arr(value.candidate_questions).filter(isObject).map(turn),
    flagged_turns: arr(value.flagged_turns).filter(isObject).map(turn),
    flags: strings(value.flags),
    stages: arr(value.stages).filter(isObject).map(stageView),
    status,
    error: str(value.error) || null,
    scorer: { kind: scorer.kind === "llm" ? "llm" : "offline", name: str(scorer.name) },
    answers: arr(value.answers).filter(isObject).map(answer),
    summary: summary(value.summary),
    override: override(value.override),
  };
}

export interface CallField {
  label: string;
  value: string;
  reason: string;
}

export interface CallResult {
  /** False when the document has none of the known lists (shown as raw JSON). */
  known: boolean;
  filled: CallField[];
  notFilled: CallField[];
  raw: string;
}

function callFields(value: unknown): CallField[] {
  return arr(value)
    .filter(isObject)
    .map((f) => {
      const spoken = f.spoken ?? f.value;
      return {
        label: str(f.label) || str(f.field).replace(/_/g, " "),
        value: typeof spoken === "string" || typeof spoken === "number" || typeof spoken === "boolean" ? String(spoken) : "",
        reason: str(f.reason).replace(/_/g, " "),
      };
    });
}

export function parseCallResult(value: unknown): CallResult {
  const v = obj(value);
  const known = "filled" in v || "declined" in v || "unresolved" in v;
  return {
    known,
    filled: callFields(v.filled),
    notFilled: [...callFields(v.declined), ...callFields(v.unresolved)],
    raw: JSON.stringify(value, null, 2),
  };
}

/** Evidence quotes of one answer: its own quotes and its key points' quotes, once each. */
export function evidenceQuotes(a: AnswerScore): string[] {
  const quotes = [...(a.evidence ?? []), ...(a.key_points ?? []).map((k) => k.evidence ?? "")].filter(Boolean);
  return [...new Set(quotes)];
}
