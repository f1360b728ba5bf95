// Messages from the interviewer: the data-channel messages (LiveKit topic "transcription",
// also carried inside the local WebSocket's "data" frames) and the local WebSocket's own
// frames. Parsing checks each message's shape, so the pages only ever see typed messages;
// anything unknown or malformed is dropped (and logged) instead of half-rendered.
import type {
  InterviewEndedMessage as InterviewEndedContract,
  QuestionMessage as QuestionContract,
  StageMessage as StageContract,
  TranscriptionMessage as TranscriptionContract,
} from "./generated/contracts";
import { isObject, num, str, type JsonObject } from "./json";

// The parts of the generated contracts (python -m voicehire.domain.schemas) the pages use.
/** A caption line. */
export type TranscriptionMessage = Pick<TranscriptionContract, "type" | "message" | "isAI" | "participantName" | "kind">;
/** The interview entered a stage. */
export type StageMessage = Pick<StageContract, "type" | "stage" | "title" | "index" | "total">;
/** A planned question was opened. */
export type QuestionMessage = Pick<QuestionContract, "type" | "question">;
/** The session ended, with why. */
export type InterviewEndedMessage = Pick<InterviewEndedContract, "type" | "reason">;
export type DataMessage = TranscriptionMessage | StageMessage | QuestionMessage | InterviewEndedMessage;

/** A data message from its JSON value, or null when it is not one the pages handle. */
export function parseDataMessage(value: unknown): DataMessage | null {
  if (!isObject(value)) return null;
  switch (value.type) {
    case "transcription":
      if (typeof value.message !== "string") return null;
      return {
        type: "transcription",
        message: value.message,
        isAI: value.isAI === true,
        participantName: str(value.participantName),
        kind: str(value.kind),
      };
    case "stage": {
      const index = num(value.index);
      const total = num(value.total);
      if (typeof value.stage !== "string" || index === null || total === null || total < 1) return null;
      return { type: "stage", stage: value.stage, title: str(value.title, value.stage), index, total };
    }
    case "question":
      return typeof value.question === "string" ? { type: "question", question: value.question } : null;
    case "interview_ended":
      return { type: "interview_ended", reason: str(value.reason) };
    default:
      return null;
  }
}

// --- the local WebSocket (voicehire serve's /api/web/live/{room}) -----------------------

export type AgentState = "connecting" | "joined" | "initializing" | "listening" | "thinking" | "speaking" | (string & {});

export type LocalFrame =
  | {
      type: "session";
      ended: boolean;
      started: boolean;
      hearing: boolean;
      voice: boolean;
      agentState: AgentState;
      yourTurn: boolean;
      /** Changes when the server restarts; message numbers then start again (null from older servers). */
      epoch: string | null;
    }
  | { type: "started"; hearing: boolean; voice: boolean }
  // message is null for a data message this page does not know (its number still counts)
  | { type: "data"; seq: number; message: DataMessage | null }
  | { type: "agent_state"; state: AgentState }
  | { type: "turn" }
  | { type: "user_state"; state: string }
  | { type: "audio_start"; segment: number; sampleRate: number }
  | { type: "audio_end"; segment: number }
  | { type: "audio_clear"; segment: number }
  // the interviewer's words as they are spoken (paced with the audio); the whole line follows as a data message
  | { type: "caption"; text: string }
  | { type: "error"; code: string; message: string };

/** A text frame from the local WebSocket, or null when it is not valid JSON or not known. */
export function parseLocalFrame(text: string): LocalFrame | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(value)) return null;
  return localFrame(value);
}

function localFrame(v: JsonObject): LocalFrame | null {
  switch (v.type) {
    case "session":
      return {
        type: "session",
        ended: v.ended === true,
        started: v.started === true,
        hearing: v.hearing === true,
        voice: v.voice === true,
        agentState: str(v.agentState, "connecting"),
        yourTurn: v.yourTurn === true,
        epoch: typeof v.epoch === "string" && v.epoch ? v.epoch : null,
      };
    case "started":
      return { type: "started", hearing: v.hearing === true, voice: v.voice === true };
    case "data": {
      const seq = num(v.seq);
      return seq !== null ? { type: "data", seq, message: parseDataMessage(v.message) } : null;
    }
    case "agent_state":
      return typeof v.state === "string" ? { type: "agent_state", state: v.state } : null;
    case "turn":
      return { type: "turn" };
    case "user_state":
      return { type: "user_state", state: str(v.state) };
    case "audio_start": {
      const segment = num(v.segment);
      const sampleRate = num(v.sampleRate);
      return segment !== null && sampleRate !== null && sampleRate > 0 ? { type: "audio_start", segment, sampleRate } : null;
    }
    case "audio_end":
    case "audio_clear": {
      const segment = num(v.segment);
      return segment !== null ? { type: v.type, segment } : null;
    }
    case "caption":
      return typeof v.text === "string" ? { type: "caption", text: v.text } : null;
    case "error":
      return { type: "error", code: str(v.code, "error"), message: str(v.message, "Something went wrong.") };
    default:
      return null;
  }
}

/** What the page sends on the local WebSocket. */
export type ClientFrame =
  | { type: "hello"; lastSeq: number; epoch?: string }
  | { type: "start" }
  | { type: "answer"; text: string }
  | { type: "played"; segment: number }
  | { type: "control"; data: { type: "end_interview" } };
