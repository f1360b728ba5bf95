import { describe, expect, it } from "vitest";
import { applyMessage, initialState, progress, resetShown, setStatus, stageClass, statusText } from "../src/candidate/session";

const STAGES = [{ id: "greeting" }, { id: "intro" }, { id: "experience" }, { id: "closing" }];

describe("the candidate's interview screen", () => {
  it("follows the stages: earlier ones done, the current one marked, the bar filled", () => {
    const s = initialState();
    expect(progress(s, 4)).toEqual({ index: 0, count: 4, percent: 0 });
    expect(STAGES.map((_, i) => stageClass(s, STAGES, i))).toEqual(["", "", "", ""]);
    applyMessage(s, { type: "stage", stage: "intro", title: "Self-introduction", index: 1, total: 4 });
    expect(progress(s, 4)).toEqual({ index: 2, count: 4, percent: 50 });
    expect(STAGES.map((_, i) => stageClass(s, STAGES, i))).toEqual(["done", "current", "", ""]);
    applyMessage(s, { type: "interview_ended", reason: "completed" });
    expect(STAGES.map((_, i) => stageClass(s, STAGES, i))).toEqual(["done", "done", "", ""]);
  });

  it("shows the interviewer's latest question, from a question message or a spoken question", () => {
    const s = initialState();
    applyMessage(s, { type: "transcription", message: "Hello, I'm Alex.", isAI: true, participantName: "Alex", kind: "" });
    expect(s.question).toMatch(/first question shortly/);
    applyMessage(s, { type: "transcription", message: "What did you build? ", isAI: true, participantName: "Alex", kind: "" });
    expect(s.question).toBe("What did you build? ");
    applyMessage(s, { type: "transcription", message: "Why not?", isAI: false, participantName: "Ada", kind: "" });
    expect(s.question).toBe("What did you build? "); // the candidate's words are not the question
    applyMessage(s, { type: "question", question: "Tell me about a project." });
    expect(s.question).toBe("Tell me about a project.");
    expect(s.lines.map((l) => l.who)).toEqual(["Alex", "Alex", "You"]);
  });

  it("replaces the live caption with the final line", () => {
    const s = initialState();
    s.interim = { text: "What did", ai: true };
    applyMessage(s, { type: "transcription", message: "What did you do?", isAI: true, participantName: "", kind: "question" });
    expect(s.interim).toBeNull();
    expect(s.lines).toEqual([{ ai: true, who: "Interviewer", text: "What did you do?" }]);
  });

  it("says whose turn it is, and that the interview ended however it ended", () => {
    const s = initialState();
    setStatus(s, "listening");
    s.turn = true;
    expect(statusText(s)).toBe("Your turn — please answer");
    setStatus(s, "thinking");
    expect(statusText(s)).toBe("Thinking…");
    setStatus(s, "ended");
    expect(s.ended).toBe(true);
    expect(statusText(s)).toBe("Interview ended");
    expect(s.endedByCandidate).toBe(false);
  });

  it("thanks the candidate for ending it when they did", () => {
    const s = initialState();
    applyMessage(s, { type: "interview_ended", reason: "candidate_request" });
    expect(s.endedByCandidate).toBe(true);
    applyMessage(s, { type: "interview_ended", reason: "completed" }); // a replay changes nothing
    expect(s.endedByCandidate).toBe(true);
  });

  it("forgets the shown conversation when the server replays it from the start", () => {
    const s = initialState();
    applyMessage(s, { type: "stage", stage: "intro", title: "Intro", index: 1, total: 4 });
    applyMessage(s, { type: "transcription", message: "Who are you?", isAI: true, participantName: "Alex", kind: "" });
    resetShown(s);
    expect(s.lines).toEqual([]);
    expect(s.stage).toBeNull();
    expect(s.question).toMatch(/first question shortly/);
  });
});
