// What the candidate's interview screen shows, as state changed by the interviewer's
// messages and the transport's events (pure: unit-tested in test/candidate-session.test.ts).
import type { DataMessage } from "../messages";
import type { Status } from "../transports";

export interface Line {
  ai: boolean;
  who: string;
  text: string;
}

export interface InterviewState {
  status: Status;
  /** The interviewer listens and asked the candidate to answer. */
  turn: boolean;
  stage: { id: string; title: string; index: number; total: number } | null;
  question: string;
  lines: Line[];
  interim: { text: string; ai: boolean } | null;
  hint: string;
  audioInfo: string;
  segments: number | null;
  ended: boolean;
  endedByCandidate: boolean;
  /** "End interview" was pressed: shown at once, before the interviewer's closing line. */
  ending: boolean;
  /** The session was taken over by another tab or window of this browser. */
  elsewhere: boolean;
  /** Epoch milliseconds the session started (for the time-remaining indicator). */
  startedAt: number | null;
  errors: string[];
}

export const STATE_LABEL: Record<string, string> = {
  connecting: "Connecting…",
  joined: "Interviewer joined",
  listening: "Listening",
  thinking: "Thinking…",
  speaking: "Speaking",
  reconnecting: "Reconnecting…",
  ended: "Interview ended",
};

/** End reasons that mean the candidate ended it themselves. */
const BY_CANDIDATE = new Set(["manual_end", "candidate_request"]);

export function initialState(): InterviewState {
  return {
    status: "connecting",
    turn: false,
    stage: null,
    question: "The interviewer will ask the first question shortly.",
    lines: [],
    interim: null,
    hint: "",
    audioInfo: "",
    segments: null,
    ended: false,
    endedByCandidate: false,
    ending: false,
    elsewhere: false,
    startedAt: null,
    errors: [],
  };
}

/** After a server restart the session's messages are replayed from the start: show them afresh. */
export function resetShown(s: InterviewState): void {
  const fresh = initialState();
  s.stage = fresh.stage;
  s.question = fresh.question;
  s.lines = fresh.lines;
  s.interim = fresh.interim;
}

export function finish(s: InterviewState, reason?: string): void {
  if (s.ended) return;
  s.ended = true;
  s.turn = false;
  if (reason && BY_CANDIDATE.has(reason)) s.endedByCandidate = true;
}

export function setStatus(s: InterviewState, status: Status): void {
  s.turn = false;
  s.status = status;
  if (status === "ended") finish(s);
}

export function applyMessage(s: InterviewState, msg: DataMessage): void {
  switch (msg.type) {
    case "transcription":
      s.interim = null;
      s.lines.push({ ai: msg.isAI, who: msg.isAI ? msg.participantName || "Interviewer" : "You", text: msg.message });
      if (msg.isAI && (msg.kind === "question" || msg.message.trim().endsWith("?"))) s.question = msg.message;
      break;
    case "stage":
      s.stage = { id: msg.stage, title: msg.title, index: msg.index, total: msg.total };
      break;
    case "question":
      s.question = msg.question;
      break;
    case "interview_ended":
      finish(s, msg.reason);
      break;
  }
}

export function statusText(s: InterviewState, what = "Interview"): string {
  if (s.elsewhere) return `${what} continued in another tab`;
  if (s.ended) return `${what} ended`;
  if (s.ending) return `Ending the ${what.toLowerCase()}…`;
  if (s.turn) return "Your turn — please answer";
  return STATE_LABEL[s.status] ?? s.status;
}

/** "Stage n of total" and the bar's width; before the first stage message: 0 of the plan's count. */
export function progress(s: InterviewState, planStages: number): { index: number; count: number; percent: number } {
  const index = s.stage ? s.stage.index + 1 : 0;
  const count = s.stage ? s.stage.total : planStages;
  return { index, count, percent: count ? Math.min(100, Math.round((index / count) * 100)) : 0 };
}

/** The stage list's class for stage `i`: stages before the current one are done; all are done at the end. */
export function stageClass(s: InterviewState, stages: readonly { id: string }[], i: number): "" | "done" | "current" {
  const current = s.stage ? stages.findIndex((st) => st.id === s.stage?.id) : -1;
  if (current < 0) return "";
  if (i < current) return "done";
  if (i === current) return s.ended ? "done" : "current";
  return "";
}

/** Seconds left of `maxDuration` at `now` (null before the start or without a limit). */
export function remainingSeconds(s: InterviewState, maxDuration: number | null, now: number): number | null {
  if (s.startedAt === null || !maxDuration) return null;
  return Math.max(0, Math.round(maxDuration - (now - s.startedAt) / 1000));
}

/** "12:05 left" / "0:09 left"; "" when unknown. */
export function remainingText(seconds: number | null): string {
  if (seconds === null) return "";
  const m = Math.floor(seconds / 60);
  const sec = seconds % 60;
  return `${m}:${String(sec).padStart(2, "0")} left`;
}

/** The newest caption: the interviewer's words being spoken, else the last line. */
export function latestCaption(s: InterviewState): { who: string; text: string; ai: boolean } | null {
  if (s.interim?.text) return { who: s.interim.ai ? "Interviewer" : "You", text: s.interim.text, ai: s.interim.ai };
  const last = s.lines[s.lines.length - 1];
  return last ? { who: last.who, text: last.text, ai: last.ai } : null;
}
