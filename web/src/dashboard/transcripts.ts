// The transcript documents the dashboard shows, read into typed stages: the full
// transcript (`stages`) or, while an interview runs, one document per stage (`stage`).
import { arr, isObject, num, obj, str } from "../json";

export interface Utterance {
  ai: boolean;
  who: string;
  message: string;
}

export interface StageView {
  stage: string;
  title: string;
  durationSeconds: number | null;
  endReason: string;
  lines: Utterance[];
}

export function parseStage(value: unknown): StageView | null {
  if (!isObject(value)) return null;
  const stage = str(value.stage);
  return {
    stage,
    title: str(value.title) || stage,
    durationSeconds: num(value.durationSeconds),
    endReason: str(value.endReason),
    lines: arr(value.conversation)
      .filter(isObject)
      .map((u) => {
        const ai = u.isAI === true;
        return { ai, who: str(u.participantName) || (ai ? "Interviewer" : "Candidate"), message: str(u.message) };
      }),
  };
}

/** Stages of a full transcript document. */
export function stagesOfFull(document: unknown): StageView[] {
  return arr(obj(document).stages)
    .map(parseStage)
    .filter((s): s is StageView => s !== null);
}

/** The stage of a per-stage transcript document. */
export function stageOfStageDoc(document: unknown): StageView | null {
  return parseStage(obj(document).stage);
}
