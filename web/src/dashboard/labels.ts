// Words for people instead of internal ids (stages, questions, competencies, scorers,
// outcomes, recommendations). The server sends them with GET /api/web/config; an id it
// does not know is made readable here ("self_introduction" → "Self introduction").
import { isObject, obj, str } from "../json";

export interface Labels {
  stages: Record<string, string>;
  questions: Record<string, string>;
  competencies: Record<string, string>;
  scorers: Record<string, string>;
  outcomes: Record<string, string>;
  recommendations: Record<string, string>;
  answerStatuses: Record<string, string>;
}

const RECOMMENDATIONS: Record<string, string> = {
  hire: "Hire",
  maybe: "Maybe",
  no_hire: "No hire",
  needs_review: "Needs human review",
};

function table(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(value))) if (typeof v === "string") out[k] = v;
  return out;
}

export function parseLabels(value: unknown): Labels {
  const v = isObject(value) ? value : {};
  return {
    stages: table(v.stages),
    questions: table(v.questions),
    competencies: table(v.competencies),
    scorers: table(v.scorers),
    outcomes: table(v.outcomes),
    recommendations: { ...RECOMMENDATIONS, ...table(v.recommendations) },
    answerStatuses: table(v.answerStatuses),
  };
}

let current: Labels = parseLabels({});

export function setLabels(labels: Labels): void {
  current = labels;
}

/** An id nobody named, in words: "self_introduction" → "Self introduction". Text that
 * is not an id (a person typed it) is shown as it is. */
export function humanize(id: string): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(id)) return id;
  const words = id.replace(/[_.-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function own(map: Record<string, string>, key: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
}

export const stageLabel = (id: string): string => own(current.stages, id) ?? humanize(id);
export const questionLabel = (id: string): string => own(current.questions, id) ?? humanize(id);
export const competencyLabel = (id: string): string => own(current.competencies, id) ?? humanize(id);
export const scorerLabel = (id: string): string => own(current.scorers, id) ?? humanize(id);
export const outcomeLabel = (id: string): string => own(current.outcomes, id) ?? humanize(id);
export const recommendationLabel = (id: string | null | undefined): string =>
  id ? (own(current.recommendations, id) ?? humanize(id)) : "—";
export const answerStatusLabel = (id: string): string => own(current.answerStatuses, id) ?? humanize(id);

/** A duration in seconds as "12 min" / "45 s", or "—". */
export function fmtDuration(seconds: number | null | undefined): string {
  if (typeof seconds !== "number" || !Number.isFinite(seconds)) return "—";
  if (seconds < 60) return `${Math.round(seconds)} s`;
  return `${Math.round(seconds / 60)} min`;
}

export { str };
