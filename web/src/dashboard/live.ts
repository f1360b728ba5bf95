// The live view of a running interview (#/interviews/{id}/live): both sides' captions as
// they happen, the current stage, the interviewer's state, and "End interview".
// A session `voicehire serve` runs itself is read as server-sent events (fetched with
// the admin token, like every dashboard call); a LiveKit interview is joined as a hidden,
// subscribe-only observer with the token GET /api/interviews/{id}/live mints, reading the
// same data messages the candidate's page reads.
import "./live.css";
import { ApiError, errorMessage, unwrap, type Api, type Interview } from "../api";
import { isObject } from "../json";
import { parseDataMessage, parseLocalFrame, type DataMessage, type StageMessage } from "../messages";
import { html, mount, nothing, type TemplateResult } from "../view";
import { outcomeLabel, stageLabel } from "./labels";
import { candidateName } from "./views";

export interface Caption {
  ai: boolean;
  who: string;
  text: string;
}

export interface LiveState {
  connected: boolean;
  captions: Caption[];
  /** The interviewer's words as they are spoken (before the whole line arrives). */
  speaking: string;
  stage: Pick<StageMessage, "stage" | "title" | "index" | "total"> | null;
  agentState: string;
  endedReason: string | null;
  problem: string;
  ending: "idle" | "confirm" | "sending";
}

export function newLiveState(): LiveState {
  return { connected: false, captions: [], speaking: "", stage: null, agentState: "", endedReason: null, problem: "", ending: "idle" };
}

/** One data message (the same for both transports) applied to the state. */
export function applyMessage(s: LiveState, m: DataMessage): void {
  if (m.type === "transcription") {
    s.captions.push({ ai: m.isAI, who: m.participantName || (m.isAI ? "Interviewer" : "Candidate"), text: m.message });
    if (m.isAI) s.speaking = "";
  } else if (m.type === "stage") {
    s.stage = { stage: m.stage, title: m.title, index: m.index, total: m.total };
  } else if (m.type === "interview_ended") {
    s.endedReason = m.reason;
    s.speaking = "";
    s.ending = "idle";
  }
}

const AGENT_STATES: Record<string, string> = {
  initializing: "Getting ready",
  listening: "Listening",
  thinking: "Thinking",
  speaking: "Speaking",
  idle: "Idle",
};

export function agentStateLabel(state: string): string {
  return AGENT_STATES[state] ?? (state ? stageLabel(state) : "Waiting for the interview to start");
}

/** Why it ended, in words (manual_end is "End interview", from this page or the candidate's). */
function endedText(reason: string): string {
  if (reason === "manual_end") return "The interview was ended with “End interview”.";
  return `The interview has ended (${outcomeLabel(reason)}).`;
}

export interface LiveHandlers {
  end: () => void;
  confirm: () => void;
  keep: () => void;
}

export function liveView(interview: Interview, s: LiveState, on: LiveHandlers): TemplateResult {
  const name = candidateName(interview) || "Candidate";
  const stage = s.stage;
  return html`<p><a href=${`#/interviews/${encodeURIComponent(interview.id)}`}>← Back to the interview</a></p>
    <div class="row spread top">
      <div>
        <h1>Live: ${name}</h1>
        <p class="muted flush">${s.connected ? "Watching — the candidate does not see you." : "Connecting…"}</p>
      </div>
      <div class="live-end">
        ${
          s.endedReason !== null
            ? nothing
            : s.ending === "confirm"
              ? html`<div class="row" role="group" aria-label="Confirm ending the interview">
                  <span>End it now for the candidate too?</span>
                  <button class="btn danger" id="end-confirm" @click=${on.confirm}>Yes, end the interview</button>
                  <button class="btn secondary" id="end-keep" @click=${on.keep}>Keep it running</button>
                </div>`
              : html`<button class="btn danger" id="end-live" ?disabled=${s.ending === "sending"} @click=${on.end}>
                  ${s.ending === "sending" ? "Ending…" : "End interview"}
                </button>`
        }
      </div>
    </div>
    ${s.problem ? html`<p class="notice bad" role="alert" id="live-problem">${s.problem}</p>` : nothing}
    ${s.endedReason !== null ? html`<p class="notice ok" role="status" id="live-ended">${endedText(s.endedReason)}</p>` : nothing}
    <section class="panel live-status" aria-label="Interview status">
      <dl class="kv">
        <dt>Stage</dt>
        <dd id="live-stage">
          ${
            stage
              ? `${stage.index >= 0 ? `${stage.index + 1} of ${stage.total}: ` : ""}${stage.title && stage.title !== stage.stage ? stage.title : stageLabel(stage.stage)}`
              : "—"
          }
        </dd>
        <dt>Interviewer</dt>
        <dd><span class="badge live-state" id="live-agent-state" data-state=${s.agentState}>${agentStateLabel(s.agentState)}</span></dd>
      </dl>
    </section>
    <section class="panel transcript" aria-labelledby="captions-heading">
      <h2 id="captions-heading">Captions</h2>
      <div id="live-captions" role="log" aria-live="polite" aria-label="Captions of both sides" tabindex="0">
        ${
          s.captions.length || s.speaking
            ? nothing
            : html`<p class="muted" id="no-captions">Nothing said yet: captions appear here as the interview goes on.</p>`
        }
        ${s.captions.map((c) => html`<div class="turn ${c.ai ? "ai" : "me"}"><span class="who">${c.who}</span><span>${c.text}</span></div>`)}
      </div>
      ${
        s.speaking
          ? html`<div class="turn ai speaking" id="live-speaking" aria-hidden="true">
              <span class="who">Interviewer (speaking)</span><span>${s.speaking}</span>
            </div>`
          : nothing
      }
    </section>`;
}

/** Server-sent events read from a fetch body (EventSource cannot send the admin token). */
async function readEvents(
  url: string,
  token: string | null,
  signal: AbortSignal,
  onData: (text: string) => void,
  stopped: () => boolean,
): Promise<void> {
  const headers: Record<string, string> = { Accept: "text/event-stream" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(url, { headers, signal });
  if (!res.ok || !res.body) {
    const body: unknown = await res.json().catch(() => null);
    throw new ApiError(res.status, errorMessage(res.status, res.statusText, body), body);
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    // another page is shown (checked at every chunk, keep-alives included): let go
    if (stopped()) return void reader.cancel();
    buffer += value;
    let cut: number;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const event = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const data = event
        .split("\n")
        .filter((l) => l.startsWith("data:"))
        .map((l) => l.slice(5).trimStart())
        .join("\n");
      if (data) onData(data);
    }
  }
}

/** One frame of the local session's stream applied to the state. */
export function applyLocalFrame(s: LiveState, text: string): void {
  const frame = parseLocalFrame(text);
  if (!frame) return;
  switch (frame.type) {
    case "session": {
      s.agentState = frame.agentState;
      const raw: unknown = JSON.parse(text);
      const stage = isObject(raw) ? parseDataMessage(raw.stage) : null;
      if (stage?.type === "stage") applyMessage(s, stage);
      break;
    }
    case "data":
      if (frame.message) applyMessage(s, frame.message);
      break;
    case "agent_state":
      s.agentState = frame.state;
      break;
    case "caption":
      if (s.endedReason === null) s.speaking += frame.text;
      break;
    default:
      break;
  }
}

async function watchLiveKit(url: string, token: string, s: LiveState, draw: () => void, stopped: () => boolean): Promise<() => void> {
  const { Room, RoomEvent } = await import("livekit-client");
  const room = new Room();
  const decoder = new TextDecoder();
  room.on(RoomEvent.DataReceived, (payload, _participant, _kind, topic) => {
    if (topic && topic !== "transcription") return;
    let value: unknown;
    try {
      value = JSON.parse(decoder.decode(payload));
    } catch {
      return;
    }
    const m = parseDataMessage(value);
    if (!m) return;
    applyMessage(s, m);
    // joined mid-stage (a room keeps no history): a caption's stage names the stage
    const stage = isObject(value) && typeof value.stage === "string" ? value.stage : "";
    if (m.type === "transcription" && stage && s.stage?.stage !== stage) {
      s.stage = { stage, title: stageLabel(stage), index: -1, total: 0 };
    }
    draw();
  });
  room.registerTextStreamHandler("lk.transcription", (reader, info) => {
    void (async () => {
      for await (const chunk of reader) {
        // the interviewer's words as they are spoken; the whole line follows as data
        if (info.identity && s.endedReason === null && isAgentIdentity(room, info.identity)) {
          s.speaking += chunk;
          draw();
        }
      }
    })();
  });
  const agentState = (p: import("livekit-client").Participant) => {
    const state = p.attributes["lk.agent.state"];
    if (state) {
      s.agentState = state;
      draw();
    }
  };
  room.on(RoomEvent.ParticipantAttributesChanged, (_changed, p) => agentState(p));
  room.on(RoomEvent.ParticipantConnected, (p) => agentState(p));
  room.on(RoomEvent.Disconnected, () => {
    s.connected = false;
    if (s.endedReason === null && !stopped()) s.problem = "The interview room has closed.";
    draw();
  });
  await room.connect(url, token, { autoSubscribe: false });
  if (stopped()) {
    void room.disconnect();
    return () => undefined;
  }
  s.connected = true;
  for (const p of room.remoteParticipants.values()) agentState(p);
  draw();
  return () => void room.disconnect();
}

function isAgentIdentity(room: import("livekit-client").Room, identity: string): boolean {
  const p = room.remoteParticipants.get(identity);
  return p ? p.isAgent || "lk.agent.state" in p.attributes : false;
}

/** The page: where to watch (GET …/live), then the stream or the room, until it ends. */
export async function showLive(
  api: Api,
  main: HTMLElement,
  id: string,
  isCurrent: () => boolean,
  token: () => string | null,
): Promise<void> {
  const path = { interview_id: id };
  const [interview, access] = await Promise.all([
    unwrap(api.GET("/api/interviews/{interview_id}", { params: { path } })),
    unwrap(api.GET("/api/interviews/{interview_id}/live", { params: { path } })),
  ]);
  if (!isCurrent()) return;
  const s = newLiveState();
  let stop: () => void = () => undefined;
  const draw = () => {
    if (!isCurrent()) return stop();
    mount(main, liveView(interview, s, handlers));
    const log = document.getElementById("live-captions");
    if (log) log.scrollTop = log.scrollHeight;
  };
  const handlers: LiveHandlers = {
    end: () => {
      s.ending = "confirm";
      draw();
      document.getElementById("end-confirm")?.focus();
    },
    keep: () => {
      s.ending = "idle";
      draw();
      document.getElementById("end-live")?.focus();
    },
    confirm: () => {
      s.ending = "sending";
      draw();
      unwrap(api.POST("/api/interviews/{interview_id}/end", { params: { path } })).then(
        () => draw(),
        (err: unknown) => {
          s.ending = "idle";
          s.problem = `The interview could not be ended: ${err instanceof Error ? err.message : String(err)}`;
          draw();
        },
      );
    },
  };
  // leaving the page lets go of the stream or the room at once
  const leave = () => {
    if (isCurrent()) return;
    window.removeEventListener("hashchange", leave);
    stop();
  };
  window.addEventListener("hashchange", leave);
  if (!access.running) s.endedReason = interview.end_reason ?? interview.status;
  draw();
  if (access.transport === "local" && access.events_url) {
    const abort = new AbortController();
    stop = () => abort.abort();
    s.connected = true;
    draw();
    readEvents(
      access.events_url,
      token(),
      abort.signal,
      (text) => {
        applyLocalFrame(s, text);
        draw();
      },
      () => !isCurrent(),
    ).then(
      () => {
        s.connected = false;
        draw();
      },
      (err: unknown) => {
        if (abort.signal.aborted) return;
        s.connected = false;
        s.problem = `The live view stopped: ${err instanceof Error ? err.message : String(err)}`;
        draw();
      },
    );
  } else if (access.transport === "livekit" && access.livekit_url && access.observer_token) {
    try {
      stop = await watchLiveKit(access.livekit_url, access.observer_token, s, draw, () => !isCurrent());
    } catch (err) {
      s.problem = `Could not join the interview room: ${err instanceof Error ? err.message : String(err)}`;
      draw();
    }
  } else if (access.running) {
    s.problem = "The interview has not started yet: this page shows it once the candidate joins. Reload then.";
    draw();
  }
}
