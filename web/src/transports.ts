// Two ways the candidate page reaches the interviewer, with one interface (Transport):
// connect(), answer(text), end(), setVoice(on), close(); events through TransportEvents.
// LocalTransport: the embedded default (a WebSocket to `voicehire serve`).
// LiveKitTransport: a LiveKit room joined with the token from the API.
import { VoicePlayer } from "./audio";
import type { Microphone } from "./audio";
import { parseDataMessage, parseLocalFrame, type ClientFrame, type DataMessage, type LocalFrame } from "./messages";

export type Status = "connecting" | "joined" | "listening" | "thinking" | "speaking" | "reconnecting" | "ended" | (string & {});

export interface AudioProgress {
  segmentsPlayed: number;
  secondsPlayed: number;
}

export interface TransportEvents {
  status(state: Status): void;
  data(message: DataMessage): void;
  started(info: { hearing: boolean; voice: boolean }): void;
  error(error: { code: string; message: string }): void;
  turn?(): void;
  interim?(caption: { text: string; isAI: boolean }): void;
  audio?(progress: AudioProgress): void;
  userState?(state: string): void;
  /** The server restarted: it replays the session from its first message, so forget what is shown. */
  reset?(): void;
  /** Another tab or window took this session over; connect() again takes it back. */
  elsewhere?(): void;
}

export interface Transport {
  connect(): void | Promise<void>;
  answer(text: string): boolean;
  end(): boolean;
  setVoice(on: boolean): void;
  close(): void;
}

/** Close codes after which reconnecting is pointless (the server ended or refused the session). */
export const FINAL_CLOSE_CODES = new Set([4000, 4403, 4404]);
/** The close code the server uses when another tab took the session over. */
export const TAKEN_OVER = 4000;

/** Wait before reconnect attempt number `retry` (0-based): 400 ms doubling, at most 4 s. */
export function reconnectDelay(retry: number): number {
  return Math.min(4000, 400 * 2 ** retry);
}

/** The subset of WebSocket the transport uses (a test passes a fake). */
export interface SocketLike {
  binaryType: BinaryType;
  readonly readyState: number;
  onopen: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  send(data: string | ArrayBufferLike | ArrayBufferView): void;
  close(): void;
}

export interface LocalTransportOptions {
  socket?: (url: string) => SocketLike;
  setTimer?: (fn: () => void, ms: number) => void;
  player?: VoicePlayer;
}

const OPEN = 1;

export class LocalTransport implements Transport {
  lastSeq = 0;
  /** The server epoch lastSeq counts in (null until the first session frame). */
  epoch: string | null = null;
  ended = false;
  started = false;
  hearing = false;
  agentState: Status = "connecting";
  private ws: SocketLike | null = null;
  private closed = false;
  private retry = 0;
  private micWired = false;
  private readonly openSocket: (url: string) => SocketLike;
  private readonly setTimer: (fn: () => void, ms: number) => void;
  readonly player: VoicePlayer;

  constructor(
    private readonly room: string,
    private readonly on: TransportEvents,
    private readonly mic: Microphone | null,
    options: LocalTransportOptions = {},
  ) {
    this.openSocket = options.socket ?? ((url) => new WebSocket(url));
    this.setTimer = options.setTimer ?? ((fn, ms) => void setTimeout(fn, ms));
    this.player = options.player ?? new VoicePlayer((segment) => this.send({ type: "played", segment }));
    this.player.onchange = () => this.on.audio?.(this.player);
  }

  connect(): void {
    this.player.unlock();
    this.on.status(this.lastSeq ? "reconnecting" : "connecting");
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    const ws = this.openSocket(`${proto}//${location.host}/api/web/live/${encodeURIComponent(this.room)}`);
    ws.binaryType = "arraybuffer";
    this.ws = ws;
    ws.onopen = () => {
      this.retry = 0;
      const hello: ClientFrame = { type: "hello", lastSeq: this.lastSeq, ...(this.epoch ? { epoch: this.epoch } : {}) };
      ws.send(JSON.stringify(hello));
    };
    ws.onmessage = (ev: MessageEvent) => {
      const data: unknown = ev.data;
      if (data instanceof ArrayBuffer) {
        this.player.chunk(data);
        return;
      }
      if (typeof data !== "string") return;
      const frame = parseLocalFrame(data);
      if (frame) this.handle(frame);
      else console.warn("VoiceHire: ignored an unknown message from the server", data.slice(0, 200));
    };
    ws.onclose = (ev: CloseEvent) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.closed || this.ended) return;
      if (ev.code === TAKEN_OVER) {
        // Another tab of this interview connected: this one steps aside (it may take over again).
        this.on.elsewhere?.();
        return;
      }
      if (FINAL_CLOSE_CODES.has(ev.code)) {
        this.on.error({ code: "closed", message: ev.reason || "The connection was closed." });
        this.on.status("ended");
        return;
      }
      this.on.status("reconnecting");
      this.setTimer(() => {
        if (!this.closed) this.connect();
      }, reconnectDelay(this.retry++));
    };
    if (this.mic && !this.micWired) {
      this.micWired = true;
      const silence = new Int16Array(320);
      this.mic.onframe = (pcm) => {
        const socket = this.ws;
        if (!this.hearing || !socket || socket.readyState !== OPEN) return;
        // Half duplex: the interviewer only hears the microphone while it listens.
        const open = this.agentState === "listening" && !this.player.playing;
        socket.send(open ? pcm : silence);
      };
    }
  }

  /** One frame from the server (public for tests and for people debugging in the console). */
  handle(m: LocalFrame): void {
    switch (m.type) {
      case "session":
        if (m.epoch !== null && this.epoch !== null && m.epoch !== this.epoch) {
          // Numbers of an earlier server run: everything is replayed from 1.
          this.lastSeq = 0;
          this.on.reset?.();
        }
        if (m.epoch !== null) this.epoch = m.epoch;
        if (m.ended) {
          this.ended = true;
          this.on.status("ended");
        } else if (!m.started) {
          this.send({ type: "start" });
        } else {
          this.markStarted(m);
          this.setState(m.agentState);
          if (m.yourTurn) this.on.turn?.();
        }
        break;
      case "started":
        this.markStarted(m);
        break;
      case "data":
        // After a reconnect the server replays from lastSeq; never show a message twice.
        if (m.seq <= this.lastSeq) return;
        this.lastSeq = m.seq;
        if (!m.message) return;
        this.on.data(m.message);
        if (m.message.type === "interview_ended") {
          this.ended = true;
          this.on.status("ended");
        }
        break;
      case "agent_state":
        this.setState(m.state);
        break;
      case "turn":
        if (this.agentState === "listening") this.on.turn?.();
        break;
      case "user_state":
        this.on.userState?.(m.state);
        break;
      case "audio_start":
        this.player.start(m.segment, m.sampleRate);
        break;
      case "audio_end":
        this.player.end(m.segment);
        break;
      case "audio_clear":
        this.player.clear(m.segment);
        break;
      case "caption":
        if (!this.ended) this.on.interim?.({ text: m.text, isAI: true });
        break;
      case "error":
        this.on.error(m);
        if (m.code === "ended" || m.code === "mode_not_supported") this.ended = true;
        break;
    }
  }

  private markStarted(m: { hearing: boolean; voice: boolean }): void {
    this.started = true;
    this.hearing = m.hearing && this.mic !== null && this.mic.active;
    this.on.started({ hearing: this.hearing, voice: m.voice });
  }

  private setState(state: string): void {
    if (this.ended) return;
    this.agentState = state === "initializing" ? "joined" : state;
    this.on.status(this.agentState);
  }

  private send(frame: ClientFrame): boolean {
    if (this.ws && this.ws.readyState === OPEN) {
      this.ws.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  answer(text: string): boolean {
    return this.send({ type: "answer", text });
  }

  end(): boolean {
    return this.send({ type: "control", data: { type: "end_interview" } });
  }

  setVoice(on: boolean): void {
    this.player.muted = !on;
    if (!on) this.player.clear(this.player.current?.segment);
  }

  close(): void {
    this.closed = true;
    this.ws?.close();
  }
}

export interface LiveKitJoin {
  livekitUrl: string;
  token: string;
}

export class LiveKitTransport implements Transport {
  private room: import("livekit-client").Room | null = null;
  private ended = false;
  private readonly audioEls: HTMLMediaElement[] = [];
  private readonly progress: AudioProgress = { segmentsPlayed: 0, secondsPlayed: 0 };

  constructor(
    private readonly join: LiveKitJoin,
    private readonly on: TransportEvents,
  ) {}

  async connect(): Promise<void> {
    const { Room, RoomEvent, Track } = await import("livekit-client");
    this.on.status("connecting");
    const room = new Room({ adaptiveStream: true, dynacast: true });
    this.room = room;
    const decoder = new TextDecoder();
    room.on(RoomEvent.DataReceived, (payload, _participant, _kind, topic) => {
      if (topic && topic !== "transcription") return;
      let value: unknown;
      try {
        value = JSON.parse(decoder.decode(payload));
      } catch {
        return; // not JSON: not ours
      }
      const msg = parseDataMessage(value);
      if (!msg) return;
      this.on.data(msg);
      if (msg.type === "interview_ended") {
        this.ended = true;
        this.on.status("ended");
      }
    });
    room.registerTextStreamHandler("lk.transcription", (reader, info) => {
      const isAI = info.identity !== room.localParticipant.identity;
      void (async () => {
        for await (const chunk of reader) this.on.interim?.({ text: chunk, isAI });
      })();
    });
    const agentState = (p: import("livekit-client").Participant) => {
      const state = p.attributes["lk.agent.state"];
      if (state && !this.ended) this.on.status(state === "initializing" ? "joined" : state);
    };
    room.on(RoomEvent.ParticipantAttributesChanged, (_changed, p) => agentState(p));
    room.on(RoomEvent.ParticipantConnected, (p) => {
      if (!this.ended) this.on.status("joined");
      agentState(p);
    });
    room.on(RoomEvent.TrackSubscribed, (track) => {
      if (track.kind === Track.Kind.Audio) {
        const el = track.attach();
        el.onended = () => {
          this.progress.segmentsPlayed++;
          this.on.audio?.(this.progress);
        };
        document.body.appendChild(el);
        this.audioEls.push(el);
      }
    });
    room.on(RoomEvent.Reconnecting, () => this.on.status("reconnecting"));
    room.on(RoomEvent.Reconnected, () => this.on.status("joined"));
    room.on(RoomEvent.Disconnected, () => {
      if (!this.ended) this.on.status("ended");
    });
    try {
      await room.connect(this.join.livekitUrl, this.join.token);
    } catch (err) {
      this.on.error({ code: "livekit", message: `Could not join the interview room: ${err instanceof Error ? err.message : String(err)}` });
      this.on.status("ended");
      return;
    }
    this.on.status("joined");
    for (const p of room.remoteParticipants.values()) agentState(p);
    let micOn: boolean;
    try {
      await room.localParticipant.setMicrophoneEnabled(true);
      micOn = true;
    } catch {
      micOn = false; // no microphone or refused: the candidate types
    }
    this.on.started({ hearing: micOn, voice: true });
  }

  answer(text: string): boolean {
    if (!this.room) return false;
    void this.room.localParticipant.sendText(text, { topic: "lk.chat" });
    return true;
  }

  end(): boolean {
    if (!this.room) return false;
    const payload = new TextEncoder().encode(JSON.stringify({ type: "end_interview" }));
    void this.room.localParticipant.publishData(payload, { reliable: true, topic: "control" });
    return true;
  }

  setVoice(on: boolean): void {
    for (const el of this.audioEls) el.muted = !on;
  }

  close(): void {
    void this.room?.disconnect();
    this.audioEls.forEach((el) => el.remove());
  }
}
