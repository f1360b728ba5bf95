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
  /** Milliseconds from the start of the recording (or of the session), when known. */
  at?: number | null;
}

export interface StageView {
  stage: StageTranscript["stage"];
  title: StageTranscript["title"];
  durationSeconds: StageTranscript["durationSeconds"] | null;
  endReason: string;
  lines: UtteranceView[];
}

function utterance(u: JsonObject, startedAt: number | null): UtteranceView {
  const ai = field<Utterance>(u, "isAI") === true;
  const offset = num(field<Utterance>(u, "offsetMs"));
  const timestamp = num(field<Utterance>(u, "timestamp"));
  return {
    ai,
    who: str(field<Utterance>(u, "participantName")) || (ai ? "Interviewer" : "Candidate"),
    message: str(field<Utterance>(u, "message")),
    // transcripts written before offsets were recorded: time from the session's start
    at: offset ?? (timestamp !== null && startedAt !== null ? Math.max(0, timestamp - startedAt) : null),
  };
}

/** "mm:ss" (or "h:mm:ss") of milliseconds from the start. */
export function clock(ms: number): string {
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = String(total % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${String(m).padStart(2, "0")}:${sec}`;
}

export function parseStage(value: unknown, startedAt: number | null = null): StageView | null {
  if (!isObject(value)) return null;
  const stage = str(field<StageTranscript>(value, "stage"));
  return {
    stage,
    title: str(field<StageTranscript>(value, "title")) || stage,
    durationSeconds: num(field<StageTranscript>(value, "durationSeconds")),
    endReason: str(field<StageTranscript>(value, "endReason")),
    lines: arr(field<StageTranscript>(value, "conversation"))
      .filter(isObject)
      .map((u) => utterance(u, startedAt)),
  };
}

/** Stages of a full transcript document. */
export function stagesOfFull(document: unknown): StageView[] {
  const startedAt = num(obj(field<FullTranscript>(obj(document), "sessionInfo")).startedAt);
  return arr(field<FullTranscript>(obj(document), "stages"))
    .map((st) => parseStage(st, startedAt))
    .filter((s): s is StageView => s !== null);
}

/** The stage of a per-stage transcript document. */
export function stageOfStageDoc(document: unknown): StageView | null {
  return parseStage(field<StageDocument>(obj(document), "stage"), num(obj(field<StageDocument>(obj(document), "sessionInfo")).startedAt));
}
