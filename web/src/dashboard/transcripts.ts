// The transcript documents the dashboard shows, read into typed stages: the full
// transcript (`stages`) or, while an interview runs, one document per stage (`stage`).
// Field names come from the generated contracts (FullTranscript, StageDocument,
// StageTranscript, Utterance): a renamed field in Python fails to compile here.
import type { FullTranscript, StageDocument, StageTranscript, Utterance } from "../generated/contracts";
import { arr, isObject, num, obj, str, type JsonObject } from "../json";

/** `value[key]` for a field of contract T (unknown: the document is checked field by field). */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- T names the contract whose field names are allowed
function field<T>(value: JsonObject, key: keyof T & string): unknown {
  return value[key];
}

export interface UtteranceView {
  ai: Utterance["isAI"];
  who: Utterance["participantName"];
  message: Utterance["message"];
}

export interface StageView {
  stage: StageTranscript["stage"];
  title: StageTranscript["title"];
  durationSeconds: StageTranscript["durationSeconds"] | null;
  endReason: string;
  lines: UtteranceView[];
}

function utterance(u: JsonObject): UtteranceView {
  const ai = field<Utterance>(u, "isAI") === true;
  return {
    ai,
    who: str(field<Utterance>(u, "participantName")) || (ai ? "Interviewer" : "Candidate"),
    message: str(field<Utterance>(u, "message")),
  };
}

export function parseStage(value: unknown): StageView | null {
  if (!isObject(value)) return null;
  const stage = str(field<StageTranscript>(value, "stage"));
  return {
    stage,
    title: str(field<StageTranscript>(value, "title")) || stage,
    durationSeconds: num(field<StageTranscript>(value, "durationSeconds")),
    endReason: str(field<StageTranscript>(value, "endReason")),
    lines: arr(field<StageTranscript>(value, "conversation")).filter(isObject).map(utterance),
  };
}

/** Stages of a full transcript document. */
export function stagesOfFull(document: unknown): StageView[] {
  return arr(field<FullTranscript>(obj(document), "stages"))
    .map(parseStage)
    .filter((s): s is StageView => s !== null);
}

/** The stage of a per-stage transcript document. */
export function stageOfStageDoc(document: unknown): StageView | null {
  return parseStage(field<StageDocument>(obj(document), "stage"));
}
