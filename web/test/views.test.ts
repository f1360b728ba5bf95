// The dashboard's views put every value on screen as text: hostile strings in every field
// render verbatim and grow no element, attribute or handler.
import { beforeEach, describe, expect, it } from "vitest";
import type { Interview } from "../src/api";
import { parseCallResult, parseEvaluation } from "../src/dashboard/results";
import { stagesOfFull } from "../src/dashboard/transcripts";
import { callResultView, evaluationView, interviewDetails, interviewTable, transcriptView } from "../src/dashboard/views";
import { mount } from "../src/view";

const hostile = (tag: string) =>
  `${tag}<img src=x onerror=alert(1)>"'><svg onload=alert(2)>" aria-label="x" onfocus="alert(3)" autofocus z="<script>alert(4)</script>&lt;b&gt;`;

let root: HTMLElement;
beforeEach(() => {
  document.body.replaceChildren();
  root = document.createElement("main");
  document.body.append(root);
});

/** Elements and attributes that only markup in the data could have made. */
function injected(): string[] {
  const found: string[] = [];
  for (const el of root.querySelectorAll("img, svg, script, iframe, object")) found.push(el.tagName);
  for (const el of root.querySelectorAll("*"))
    for (const a of Array.from(el.attributes))
      if (/^on/i.test(a.name) || a.name === "autofocus" || a.name === "z") found.push(`${el.tagName}@${a.name}`);
  return found;
}

const interview = (over: Partial<Interview> = {}): Interview => ({
  id: "i1",
  candidate_id: "c1",
  job_id: "j1",
  plan: "mock",
  mode: "ai_interview",
  interview_type: "technical",
  room_name: "interview-1",
  status: "completed",
  end_reason: null,
  outcome: "completed",
  outcome_label: hostile("outcome"),
  verdict: null,
  metadata: { candidateName: hostile("name"), interviewRole: hostile("role") },
  dispatch_id: null,
  agent_joined_at: null,
  created_at: "2026-01-02T10:00:00Z",
  started_at: null,
  ended_at: null,
  updated_at: null,
  ...over,
});

describe("views", () => {
  it("shows names and job titles in the list as text, also in the row's label", () => {
    mount(
      root,
      interviewTable([interview({ status: 'completed" onclick="x' })], () => {}),
    );
    expect(injected()).toEqual([]);
    const link = root.querySelector("tbody tr a");
    expect(link?.getAttribute("aria-label")).toBe(`Open interview with ${hostile("name")}`);
    expect(root.textContent).toContain(hostile("name"));
    expect(root.textContent).toContain(hostile("role"));
    expect(root.querySelector("tbody .badge")?.className).toBe("badge outcome");
    mount(
      root,
      interviewTable([interview({ outcome: null, status: 'completed" onclick="x' })], () => {}),
    );
    expect(root.querySelector("tbody .badge")?.className).toBe("badge");
  });

  it("shows every part of an evaluation as text, and the chart label as one attribute", () => {
    const doc = {
      interview_id: "i1",
      status: "failed",
      error: hostile("error"),
      scorer: { kind: "offline", name: hostile("scorer") },
      answers: [
        {
          question_text: hostile("question"),
          answer_text: hostile("answer"),
          status: "scored",
          scores: { overall: 7 },
          key_points: [{ text: hostile("kp"), covered: false, similarity: 0, evidence: hostile("kpev") }],
          evidence: [hostile("evidence")],
          flags: [hostile("flag1"), hostile("flag2")],
          feedback: hostile("feedback"),
        },
      ],
      summary: {
        overall_score: 7,
        competency_scores: { [hostile("comp")]: 5, other: "9" },
        strengths: [hostile("strength")],
        areas_for_improvement: [hostile("improve")],
        recommendation: "maybe",
        rationale: hostile("rationale"),
      },
      override: { recommendation: "hire", note: hostile("note"), by: hostile("by") },
    };
    const evaluation = parseEvaluation(doc);
    expect(evaluation).not.toBeNull();
    if (!evaluation) return;
    mount(root, evaluationView(evaluation, { openReport: () => {}, saveOverride: () => {} }));
    expect(injected()).toEqual([]);
    const text = root.textContent;
    for (const tag of [
      "error",
      "scorer",
      "question",
      "answer",
      "kp",
      "kpev",
      "evidence",
      "flag1",
      "flag2",
      "feedback",
      "comp",
      "strength",
      "improve",
      "rationale",
      "note",
      "by",
    ])
      expect(text, tag).toContain(hostile(tag));
    const chart = root.querySelector(".chart");
    expect(chart?.getAttribute("aria-label")).toBe(`Scores per competency: ${hostile("comp")} 5.0, Other —`);
    expect(root.querySelectorAll(".chart .bar")).toHaveLength(2);
  });

  it("shows transcript lines, speakers and stage titles as text", () => {
    const stages = stagesOfFull({
      stages: [
        {
          stage: "intro",
          title: hostile("title"),
          endReason: hostile("reason"),
          conversation: [
            { isAI: true, participantName: hostile("ai"), message: hostile("line1") },
            { isAI: false, participantName: hostile("cand"), message: hostile("line2") },
            { isAI: false, message: 42 },
          ],
        },
        "not a stage",
      ],
    });
    mount(root, transcriptView(stages));
    expect(injected()).toEqual([]);
    for (const tag of ["title", "ai", "line1", "cand", "line2"]) expect(root.textContent).toContain(hostile(tag));
    expect(root.querySelectorAll(".turn")).toHaveLength(3);
  });

  it("shows a call's fields as text, and an unknown result as its JSON text", () => {
    mount(
      root,
      callResultView(
        parseCallResult({
          filled: [{ label: hostile("label"), spoken: hostile("value") }],
          declined: [{ field: "salary", reason: hostile("why") }],
        }),
      ),
    );
    expect(injected()).toEqual([]);
    for (const tag of ["label", "value"]) expect(root.textContent).toContain(hostile(tag));
    mount(root, callResultView(parseCallResult({ something: hostile("raw") })));
    expect(injected()).toEqual([]);
    expect(root.querySelector("pre")?.textContent).toContain(JSON.stringify(hostile("raw")).slice(1, 20));
  });

  it("shows candidate details as text", () => {
    mount(
      root,
      interviewDetails(interview({ end_reason: hostile("end") }), {
        id: "c1",
        name: "x",
        email: hostile("mail"),
        phone: null,
        profile: {},
        extracted_data: {},
        missing_required: [hostile("field")],
        notes: null,
        resume_summary: null,
        created_at: null,
        updated_at: null,
      }),
    );
    expect(injected()).toEqual([]);
    expect(root.textContent).toContain(hostile("mail"));
    expect(root.textContent).toContain(hostile("field"));
  });
});

describe("parseEvaluation", () => {
  it("tells an evaluation from a call result", () => {
    expect(parseEvaluation({ filled: [] })).toBeNull();
    expect(parseEvaluation({ scorer: {}, summary: {} })).not.toBeNull();
  });

  it("reads wrong types as missing instead of failing", () => {
    const r = parseEvaluation({
      scorer: { kind: "llm", name: 5 },
      summary: { overall_score: "9", competency_scores: ["a"], strengths: "great", recommendation: "definitely" },
      answers: "none",
      override: { recommendation: "maybe", note: ["x"] },
    });
    expect(r?.summary?.overall_score).toBeNull();
    expect(r?.summary?.competency_scores).toEqual({});
    expect(r?.summary?.strengths).toEqual([]);
    expect(r?.summary?.recommendation).toBeNull();
    expect(r?.answers).toEqual([]);
    expect(r?.override).toEqual({ recommendation: "maybe", note: "", by: "" });
    expect(r?.scorer).toEqual({ kind: "llm", name: "" });
  });
});
