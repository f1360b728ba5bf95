import { describe, expect, it } from "vitest";
import { VoicePlayer } from "../src/audio";
import { parseBriefingResult } from "../src/calls/briefing";
import { recall, remember, type StorageLike } from "../src/candidate/memory";
import { initialState, latestCaption, remainingSeconds, remainingText, statusText } from "../src/candidate/session";
import { LocalTransport, type SocketLike, type Status } from "../src/transports";

class MapStorage implements StorageLike {
  readonly data = new Map<string, string>();
  getItem(key: string): string | null {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.data.set(key, value);
  }
}

describe("the candidate screen's pieces", () => {
  it("counts the time left down from the session's start", () => {
    const s = initialState();
    expect(remainingSeconds(s, 1800, 0)).toBeNull(); // not started yet: nothing shown
    s.startedAt = 1_000_000;
    expect(remainingText(remainingSeconds(s, 1800, 1_000_000 + 61_000))).toBe("28:59 left");
    expect(remainingText(remainingSeconds(s, 1800, 1_000_000 + 1801_000))).toBe("0:00 left");
    expect(remainingSeconds(s, null, 1_000_000)).toBeNull();
  });

  it("says ending at once, and 'continued in another tab' rather than ended", () => {
    const s = initialState();
    s.ending = true;
    expect(statusText(s, "Interview")).toBe("Ending the interview…");
    s.elsewhere = true;
    expect(statusText(s, "Interview")).toBe("Interview continued in another tab");
    expect(statusText({ ...initialState(), ended: true }, "Call")).toBe("Call ended");
  });

  it("shows the interviewer's words as they are spoken as the latest caption", () => {
    const s = initialState();
    s.lines.push({ ai: false, who: "You", text: "Hi" });
    expect(latestCaption(s)?.text).toBe("Hi");
    s.interim = { text: "Tell me about", ai: true };
    expect(latestCaption(s)).toEqual({ who: "Interviewer", text: "Tell me about", ai: true });
  });

  it("remembers consent per room across a reload, not for other rooms", () => {
    const storage = new MapStorage();
    expect(recall("room-a", storage)).toEqual({ consented: false, micChecked: false, startedAt: null });
    remember("room-a", { consented: true }, storage);
    remember("room-a", { micChecked: true, startedAt: 5 }, storage);
    expect(recall("room-a", storage)).toEqual({ consented: true, micChecked: true, startedAt: 5 });
    expect(recall("room-b", storage).consented).toBe(false);
    storage.setItem("voicehire.join.room-c", "{not json");
    expect(recall("room-c", storage).consented).toBe(false);
  });

  it("reads a briefing result into sections and questions (and refuses a call result)", () => {
    const r = parseBriefingResult({
      mode: "briefing",
      briefing: { who: "Priya", result: "They scored 7.4", strengths: ["Clear"], concerns: [], opening_questions: ["Why us?"] },
      questions: [
        { question: "Kubernetes experience?", answer: "Helm charts" },
        { question: "", answer: "x" },
      ],
    });
    expect(r?.sections.find((s) => s.title === "Strengths")?.items).toEqual(["Clear"]);
    expect(r?.questions).toEqual([{ question: "Kubernetes experience?", answer: "Helm charts" }]);
    expect(parseBriefingResult({ filled: [], declined: [] })).toBeNull();
  });
});

describe("a second tab", () => {
  it("makes the first tab step aside (not end), and connecting again takes over", () => {
    const sockets: SocketLike[] = [];
    const statuses: Status[] = [];
    let elsewhere = 0;
    const errors: string[] = [];
    const transport = new LocalTransport(
      "room-a",
      {
        status: (s) => statuses.push(s),
        data: () => {},
        started: () => {},
        error: (e) => errors.push(e.message),
        elsewhere: () => elsewhere++,
      },
      null,
      {
        socket: () => {
          const s: SocketLike = {
            binaryType: "blob",
            readyState: 1,
            onopen: null,
            onmessage: null,
            onclose: null,
            send: () => {},
            close: () => {},
          };
          sockets.push(s);
          return s;
        },
        setTimer: () => {},
        player: new (class extends VoicePlayer {
          override unlock(): void {}
        })(() => {}),
      },
    );
    transport.connect();
    sockets[0]?.onclose?.(new CloseEvent("close", { code: 4000, reason: "the interview continues in another tab" }));
    expect(elsewhere).toBe(1);
    expect(statuses).not.toContain("ended");
    expect(errors).toEqual([]);
    transport.connect();
    expect(sockets).toHaveLength(2);
  });
});
