// The pure parts of the comparison, the live view and the record: which interviews may be
// compared, how a live session's frames become what the recruiter sees, and which
// transcript line (and moment) an evidence quote belongs to.
import { describe, expect, it } from "vitest";
import type { Interview } from "../src/api";
import { parseIds, refusal } from "../src/dashboard/compare";
import { applyLocalFrame, newLiveState } from "../src/dashboard/live";
import { lineOf } from "../src/dashboard/record";
import { clock, stagesOfFull, type StageView } from "../src/dashboard/transcripts";

const iv = (id: string, job: string | null): Interview => ({ id, job_id: job }) as Interview;

describe("comparison", () => {
  it("takes well-formed, unique ids only", () => {
    expect(parseIds("a,b,,a, c ,<x>")).toEqual(["a", "b", "c"]);
    expect(parseIds(null)).toEqual([]);
  });
  it("refuses fewer than two, other jobs, and no job", () => {
    const title = (id: string | null) => (id === "j1" ? "Data Engineer" : id === "j2" ? "Support Lead" : "no job");
    expect(refusal([iv("a", "j1")], title)).toMatch(/at least two/);
    expect(refusal([iv("a", "j1"), iv("b", "j2")], title)).toMatch(/different jobs \(Data Engineer, Support Lead\)/);
    expect(refusal([iv("a", null), iv("b", null)], title)).toMatch(/no job/);
    expect(refusal([iv("a", "j1"), iv("b", "j1")], title)).toBeNull();
  });
});

describe("live view", () => {
  it("follows the session's frames: stage, state, captions, the end", () => {
    const s = newLiveState();
    const frame = (v: unknown) => applyLocalFrame(s, JSON.stringify(v));
    frame({
      type: "session",
      started: true,
      ended: false,
      agentState: "speaking",
      stage: { type: "stage", stage: "intro", title: "Self-introduction", index: 1, total: 4, timestamp: 1 },
    });
    expect(s.stage?.title).toBe("Self-introduction");
    expect(s.agentState).toBe("speaking");
    frame({ type: "caption", text: "Tell me " });
    frame({ type: "caption", text: "about you." });
    expect(s.speaking).toBe("Tell me about you.");
    frame({ type: "data", seq: 1, message: { type: "transcription", message: "Tell me about you.", isAI: true, participantName: "Alex" } });
    expect(s.speaking).toBe("");
    frame({ type: "data", seq: 2, message: { type: "transcription", message: "I build pipelines.", isAI: false, participantName: "Ada" } });
    expect(s.captions.map((c) => [c.who, c.ai])).toEqual([
      ["Alex", true],
      ["Ada", false],
    ]);
    frame({ type: "agent_state", state: "listening" });
    expect(s.agentState).toBe("listening");
    frame({ type: "data", seq: 3, message: { type: "interview_ended", reason: "manual_end" } });
    expect(s.endedReason).toBe("manual_end");
    frame("not json at all");
    frame({ type: "audio_start", segment: 1, sampleRate: 24000 }); // audio is not the recruiter's
    expect(s.captions).toHaveLength(2);
  });
});

describe("record", () => {
  const doc = {
    sessionInfo: { startedAt: 1_000_000 },
    stages: [
      {
        stage: "intro",
        title: "Intro",
        conversation: [
          { isAI: true, participantName: "Alex", message: "Tell me about Spark.", timestamp: 1_001_000, offsetMs: 1_500 },
          { isAI: false, participantName: "Ada", message: "I build data pipelines with Spark, daily.", timestamp: 1_065_000 },
        ],
      },
    ],
  };
  const stages: StageView[] = stagesOfFull(doc);
  it("times lines from the recording, else from the session's start", () => {
    expect(stages[0]?.lines.map((l) => l.at)).toEqual([1_500, 65_000]);
    expect(clock(65_000)).toBe("01:05");
    expect(clock(3_725_000)).toBe("1:02:05");
  });
  it("finds the candidate's line that holds a quote, ignoring case and punctuation", () => {
    expect(lineOf(stages, "data pipelines with SPARK")).toEqual({ index: 1, at: 65_000 });
    expect(lineOf(stages, "Spark")).toEqual({ index: 1, at: 65_000 }); // the candidate's first
    expect(lineOf(stages, "never said")).toBeNull();
    expect(lineOf(stages, "  ")).toBeNull();
  });
});
