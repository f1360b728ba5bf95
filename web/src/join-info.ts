// The candidate page's view of its interview (GET /api/web/join/{room}).
import { arr, isObject, num, str } from "./json";

export interface JoinInfo {
  interviewId: string;
  room: string;
  status: string;
  mode: string;
  candidateName: string;
  role: string;
  planTitle: string;
  interviewerName: string;
  stages: { id: string; title: string }[];
  maxDuration: number | null;
  transport: "livekit" | "local";
  sessionTypes: string[];
  token: string | null;
  livekitUrl: string | null;
  recordingNotice: string | null; // set when the interview's audio is recorded
  message: string | null; // why a finished link no longer works (e.g. it expired unused)
}

export function parseJoinInfo(value: unknown): JoinInfo {
  const v = isObject(value) ? value : {};
  return {
    interviewId: str(v.interviewId),
    room: str(v.room),
    status: str(v.status),
    mode: str(v.mode, "ai_interview"),
    candidateName: str(v.candidateName, "Candidate"),
    role: str(v.role),
    planTitle: str(v.planTitle),
    interviewerName: str(v.interviewerName),
    stages: arr(v.stages)
      .filter(isObject)
      .map((s) => ({ id: str(s.id), title: str(s.title, str(s.id)) })),
    maxDuration: num(v.maxDuration),
    transport: v.transport === "livekit" ? "livekit" : "local",
    sessionTypes: arr(v.sessionTypes).filter((s): s is string => typeof s === "string"),
    token: typeof v.token === "string" && v.token ? v.token : null,
    livekitUrl: typeof v.livekitUrl === "string" && v.livekitUrl ? v.livekitUrl : null,
    recordingNotice: typeof v.recordingNotice === "string" && v.recordingNotice ? v.recordingNotice : null,
    message: typeof v.message === "string" && v.message ? v.message : null,
  };
}
