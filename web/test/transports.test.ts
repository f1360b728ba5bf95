import { beforeEach, describe, expect, it } from "vitest";
import { VoicePlayer } from "../src/audio";
import type { DataMessage } from "../src/messages";
import { LocalTransport, reconnectDelay, type SocketLike, type Status, type TransportEvents } from "../src/transports";

/** A WebSocket stand-in the test drives: it records what the page sends. */
class FakeSocket implements SocketLike {
  binaryType: BinaryType = "blob";
  readyState = 0;
  onopen: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  readonly sent: unknown[] = [];
  constructor(readonly url: string) {}
  send(data: string | ArrayBufferLike | ArrayBufferView): void {
    this.sent.push(typeof data === "string" ? JSON.parse(data) : data);
  }
  close(): void {
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event("open"));
  }
  receive(frame: object): void {
    this.onmessage?.(new MessageEvent("message", { data: JSON.stringify(frame) }));
  }
  drop(code = 1006, reason = ""): void {
    this.readyState = 3;
    this.onclose?.(new CloseEvent("close", { code, reason }));
  }
}

class SilentPlayer extends VoicePlayer {
  override unlock(): void {} // no AudioContext in the test DOM
}

const transcription = (message: string, isAI = true): DataMessage => ({
  type: "transcription",
  message,
  isAI,
  participantName: "Alex",
  kind: "",
});
const data = (seq: number, message: object) => ({ type: "data", seq, topic: "transcription", message });

describe("LocalTransport", () => {
  let sockets: FakeSocket[];
  let timers: { fn: () => void; ms: number }[];
  let statuses: Status[];
  let messages: DataMessage[];
  let errors: string[];
  let turns: number;
  let transport: LocalTransport;

  beforeEach(() => {
    sockets = [];
    timers = [];
    statuses = [];
    messages = [];
    errors = [];
    turns = 0;
    const on: TransportEvents = {
      status: (s) => statuses.push(s),
      data: (m) => messages.push(m),
      started: () => {},
      error: (e) => errors.push(e.message),
      turn: () => turns++,
    };
    transport = new LocalTransport("interview-abc", on, null, {
      socket: (url) => {
        const s = new FakeSocket(url);
        sockets.push(s);
        return s;
      },
      setTimer: (fn, ms) => timers.push({ fn, ms }),
      player: new SilentPlayer(() => {}),
    });
  });

  const socket = (): FakeSocket => {
    const s = sockets.at(-1);
    if (!s) throw new Error("no socket opened");
    return s;
  };

  it("says hello with the last message number and starts a session that has not started", () => {
    transport.connect();
    expect(socket().url).toMatch(/\/api\/web\/live\/interview-abc$/);
    socket().open();
    expect(socket().sent).toEqual([{ type: "hello", lastSeq: 0 }]);
    socket().receive({ type: "session", started: false, ended: false });
    expect(socket().sent.at(-1)).toEqual({ type: "start" });
  });

  it("reconnects after a drop and shows what was missed exactly once", () => {
    transport.connect();
    socket().open();
    socket().receive(data(1, { type: "transcription", message: "Hello", isAI: true, participantName: "Alex" }));
    socket().receive(data(2, { type: "question", question: "Please introduce yourself?" }));
    socket().drop();
    expect(statuses.at(-1)).toBe("reconnecting");
    expect(timers).toHaveLength(1);
    timers[0]?.fn();
    expect(sockets).toHaveLength(2);
    socket().open();
    expect(socket().sent[0]).toEqual({ type: "hello", lastSeq: 2 });
    // The server replays from its log; a message already shown is not shown again.
    socket().receive(data(2, { type: "question", question: "Please introduce yourself?" }));
    socket().receive(data(3, { type: "transcription", message: "Thanks", isAI: true, participantName: "Alex" }));
    expect(messages).toEqual([
      transcription("Hello"),
      { type: "question", question: "Please introduce yourself?" },
      transcription("Thanks"),
    ]);
  });

  it("starts counting again when the server restarted (a new epoch), and says so", () => {
    let resets = 0;
    const t = new LocalTransport(
      "interview-abc",
      { status: () => {}, data: (m) => messages.push(m), started: () => {}, error: () => {}, reset: () => resets++ },
      null,
      {
        socket: (url) => {
          const s = new FakeSocket(url);
          sockets.push(s);
          return s;
        },
        setTimer: (fn, ms) => timers.push({ fn, ms }),
        player: new SilentPlayer(() => {}),
      },
    );
    t.connect();
    socket().open();
    socket().receive({ type: "session", started: true, epoch: "run-1", agentState: "listening" });
    socket().receive(data(1, { type: "question", question: "First?" }));
    socket().receive(data(2, { type: "question", question: "Second?" }));
    socket().drop();
    timers[0]?.fn();
    socket().open();
    expect(socket().sent[0]).toEqual({ type: "hello", lastSeq: 2, epoch: "run-1" });
    // Same server: numbers continue.
    socket().receive({ type: "session", started: true, epoch: "run-1", agentState: "listening" });
    expect(resets).toBe(0);
    socket().drop();
    timers[1]?.fn();
    socket().open();
    // The server restarted: its numbering starts again and it replays from message 1.
    socket().receive({ type: "session", started: true, epoch: "run-2", agentState: "listening" });
    expect(resets).toBe(1);
    socket().receive(data(1, { type: "question", question: "First again?" }));
    expect(messages.at(-1)).toEqual({ type: "question", question: "First again?" });
    expect(t.lastSeq).toBe(1);
  });

  it("waits longer after each failed attempt, up to 4 s, and starts over once connected", () => {
    expect([0, 1, 2, 3, 4, 8].map(reconnectDelay)).toEqual([400, 800, 1600, 3200, 4000, 4000]);
    transport.connect();
    socket().drop();
    timers.at(-1)?.fn();
    socket().drop();
    timers.at(-1)?.fn();
    socket().drop();
    expect(timers.map((t) => t.ms)).toEqual([400, 800, 1600]);
    timers.at(-1)?.fn();
    socket().open();
    socket().drop();
    expect(timers.at(-1)?.ms).toBe(400);
  });

  it("does not reconnect when the server refused or ended the session", () => {
    transport.connect();
    socket().open();
    socket().drop(4404, "this interview link is not valid");
    expect(timers).toHaveLength(0);
    expect(errors).toEqual(["this interview link is not valid"]);
    expect(statuses.at(-1)).toBe("ended");
  });

  it("ends on interview_ended and does not reconnect afterwards", () => {
    transport.connect();
    socket().open();
    socket().receive(data(1, { type: "interview_ended", reason: "completed" }));
    expect(statuses.at(-1)).toBe("ended");
    socket().drop();
    expect(timers).toHaveLength(0);
  });

  it("counts an unknown data message so it is not replayed, but passes nothing on", () => {
    transport.connect();
    socket().open();
    socket().receive(data(1, { type: "from_the_future" }));
    expect(transport.lastSeq).toBe(1);
    expect(messages).toEqual([]);
  });

  it("tells the candidate it is their turn only while the interviewer listens", () => {
    transport.connect();
    socket().open();
    socket().receive({ type: "agent_state", state: "thinking" });
    socket().receive({ type: "turn" });
    expect(turns).toBe(0);
    socket().receive({ type: "agent_state", state: "listening" });
    socket().receive({ type: "turn" });
    expect(turns).toBe(1);
    expect(statuses.at(-1)).toBe("listening");
  });

  it("sends answers and the end request only while connected", () => {
    transport.connect();
    expect(transport.answer("too early")).toBe(false);
    socket().open();
    expect(transport.answer("I build ledgers")).toBe(true);
    expect(transport.end()).toBe(true);
    expect(socket().sent.slice(1)).toEqual([
      { type: "answer", text: "I build ledgers" },
      { type: "control", data: { type: "end_interview" } },
    ]);
    socket().drop();
    expect(transport.answer("while away")).toBe(false);
  });

  it("does not reconnect after the page closed it", () => {
    transport.connect();
    socket().open();
    transport.close();
    socket().drop();
    expect(timers).toHaveLength(0);
  });
});
