import { describe, expect, it } from "vitest";
import { parseDataMessage, parseLocalFrame } from "../src/messages";

describe("parseDataMessage", () => {
  it("reads the four messages the pages handle", () => {
    expect(parseDataMessage({ type: "transcription", message: "Hi", isAI: true, participantName: "Alex", timestamp: 1 })).toEqual({
      type: "transcription",
      message: "Hi",
      isAI: true,
      participantName: "Alex",
      kind: "",
    });
    expect(parseDataMessage({ type: "stage", stage: "intro", title: "Intro", index: 1, total: 4 })).toEqual({
      type: "stage",
      stage: "intro",
      title: "Intro",
      index: 1,
      total: 4,
    });
    expect(parseDataMessage({ type: "question", question: "Why?" })).toEqual({ type: "question", question: "Why?" });
    expect(parseDataMessage({ type: "interview_ended", reason: "completed" })).toEqual({ type: "interview_ended", reason: "completed" });
  });

  it("drops malformed and unknown messages instead of passing them on", () => {
    expect(parseDataMessage({ type: "transcription", message: 42 })).toBeNull();
    expect(parseDataMessage({ type: "stage", stage: "intro", index: "1", total: 4 })).toBeNull();
    expect(parseDataMessage({ type: "stage", stage: "intro", index: 0, total: 0 })).toBeNull();
    expect(parseDataMessage({ type: "question" })).toBeNull();
    expect(parseDataMessage({ type: "something_new" })).toBeNull();
    expect(parseDataMessage(["transcription"])).toBeNull();
    expect(parseDataMessage(null)).toBeNull();
  });

  it("treats only a literal true as the interviewer speaking", () => {
    const msg = parseDataMessage({ type: "transcription", message: "x", isAI: "false" });
    expect(msg).toMatchObject({ isAI: false });
  });
});

describe("parseLocalFrame", () => {
  it("keeps the number of a data message the page does not know", () => {
    expect(parseLocalFrame(JSON.stringify({ type: "data", seq: 7, message: { type: "future" } }))).toEqual({
      type: "data",
      seq: 7,
      message: null,
    });
  });

  it("reads the session state after hello", () => {
    const frame = parseLocalFrame(JSON.stringify({ type: "session", started: true, agentState: "listening", yourTurn: true }));
    expect(frame).toEqual({
      type: "session",
      ended: false,
      started: true,
      hearing: false,
      voice: false,
      agentState: "listening",
      yourTurn: true,
      epoch: null,
    });
  });

  it("refuses what is not JSON, not an object or not a known frame", () => {
    expect(parseLocalFrame("not json")).toBeNull();
    expect(parseLocalFrame("[1,2]")).toBeNull();
    expect(parseLocalFrame(JSON.stringify({ type: "audio_start", segment: 1 }))).toBeNull();
    expect(parseLocalFrame(JSON.stringify({ type: "data", message: { type: "question", question: "?" } }))).toBeNull();
    expect(parseLocalFrame(JSON.stringify({ type: "launch_missiles" }))).toBeNull();
  });

  it("gives an error frame a message a person can read", () => {
    expect(parseLocalFrame(JSON.stringify({ type: "error" }))).toEqual({ type: "error", code: "error", message: "Something went wrong." });
  });
});
