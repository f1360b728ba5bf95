// The dashboard's words and decisions: ids become labels, "needs human review" stands out,
// the headline follows the human decision, the override picker starts empty, and the
// job and candidate pages show every value as text.
import { beforeEach, describe, expect, it } from "vitest";
import type { Candidate, Interview, Job } from "../src/api";
import { humanize, parseLabels, setLabels, stageLabel } from "../src/dashboard/labels";
import { parseEvaluation } from "../src/dashboard/results";
import { candidateFields, evaluationView, interviewTable, jobDetails } from "../src/dashboard/views";
import { mount } from "../src/view";

const hostile = (tag: string) => `${tag}<img src=x onerror=alert(1)>"'><svg onload=alert(2)>`;

let root: HTMLElement;
beforeEach(() => {
  document.body.replaceChildren();
  root = document.createElement("main");
  document.body.append(root);
  setLabels(
    parseLabels({
      stages: { self_introduction: "Self-introduction" },
      questions: { "intro.about_you": "Tell me about yourself." },
      competencies: { technical_accuracy: "Technical accuracy" },
      scorers: { "minilm-keypoint-coverage": "Offline rubric scorer" },
    }),
  );
});

const interview = (over: Partial<Interview> = {}): Interview => ({
  id: "i1",
  candidate_id: "c1",
  job_id: "j1",
  plan: "full",
  mode: "ai_interview",
  interview_type: "technical",
  room_name: "r",
  status: "completed",
  end_reason: "candidate_request",
  outcome: "by_request",
  outcome_label: "Ended at the candidate's request",
  verdict: null,
  duration_seconds: 600,
  metadata: { candidateName: "Ada", interviewRole: "Data Engineer" },
  dispatch_id: null,
  agent_joined_at: null,
  created_at: "2026-01-02T10:00:00Z",
  started_at: null,
  ended_at: null,
  updated_at: null,
  ...over,
});

const evaluation = (override: unknown = null) =>
  parseEvaluation({
    interview_id: "i1",
    scorer: { kind: "offline", name: "minilm-keypoint-coverage" },
    answers: [
      {
        question_id: "intro.about_you",
        stage: "self_introduction",
        question_text: "",
        status: "scored",
        scores: { overall: 6 },
        competency_levels: { technical_accuracy: 3 },
      },
    ],
    summary: {
      overall_score: 6,
      recommendation: "needs_review",
      leaning: "hire",
      needs_human_review: true,
      competency_scores: { technical_accuracy: 6 },
      questions_not_asked: ["intro.about_you"],
    },
    override,
  });

describe("labels", () => {
  it("names known ids and makes unknown ids readable, leaving typed text alone", () => {
    expect(stageLabel("self_introduction")).toBe("Self-introduction");
    expect(stageLabel("past_experience")).toBe("Past experience");
    expect(humanize("notice_period")).toBe("Notice period");
    expect(humanize("salary, per year")).toBe("salary, per year");
  });
});

describe("the list", () => {
  it("shows outcome, score, a distinct needs-review badge, the human decision and duration", () => {
    const verdict = {
      overall_score: 6.25,
      recommendation: "needs_review",
      needs_human_review: true,
      confidence: 0.5,
      override: "hire",
      decision: "hire",
      flags: [],
    };
    mount(root, interviewTable([interview({ verdict })], { open: () => {}, sortBy: () => {} }, { sort: "score", order: "desc" }));
    const cells = Array.from(root.querySelectorAll("tbody td")).map((td) => td.textContent.trim());
    expect(cells).toContain("Ended at the candidate's request");
    expect(cells).toContain("6.3");
    expect(cells).toContain("10 min");
    const review = root.querySelector('[data-col="recommendation"] .badge');
    expect(review?.className).toBe("badge review");
    expect(review?.textContent).toContain("Needs human review");
    expect(root.querySelector('[data-col="override"] .badge')?.textContent).toContain("Hire");
    expect(root.querySelector('th[aria-sort="descending"]')?.textContent).toContain("Score");
  });
});

describe("the evaluation", () => {
  it("speaks in labels, starts the override picker empty, and heads with the machine's view", () => {
    const r = evaluation();
    if (!r) throw new Error("not an evaluation");
    mount(root, evaluationView(r, { saveOverride: () => {} }));
    const text = root.textContent;
    for (const id of ["self_introduction", "intro.about_you", "minilm-keypoint-coverage", "technical_accuracy"])
      expect(text).not.toContain(id);
    expect(text).toContain("Self-introduction");
    expect(text).toContain("Tell me about yourself.");
    expect(text).toContain("Offline rubric scorer");
    expect(root.querySelector("#recommendation")?.textContent).toContain("Needs human review");
    const picker = root.querySelector<HTMLSelectElement>("#ov-rec");
    expect(picker?.value).toBe("");
    expect(picker?.required).toBe(true);
  });

  it("heads with the human decision once there is one", () => {
    const r = evaluation({ recommendation: "no_hire", note: "copied answers", by: "Kim" });
    if (!r) throw new Error("not an evaluation");
    mount(root, evaluationView(r, {}));
    expect(root.querySelector("#recommendation")?.getAttribute("data-value")).toBe("no_hire");
    expect(root.querySelector(".headline")?.textContent).toContain("No hire");
    expect(root.querySelector("#machine-recommendation")?.textContent).toContain("Needs human review");
  });
});

describe("jobs and candidates", () => {
  it("shows a job's description, questions and a remove button per question as text", () => {
    const job: Job = {
      id: "j1",
      title: hostile("title"),
      level: hostile("level"),
      description: hostile("description"),
      required_skills: [hostile("skill")],
      plan: "full",
      language: "en",
      interview_type: "technical",
      custom_questions: [{ id: "custom.a", text: hostile("question"), competencies: ["technical_accuracy"] }],
      generated_questions: [{ id: "gen.a", text: hostile("generated") }],
      location: hostile("location"),
      remote_policy: null,
      salary_range: null,
      team: null,
      process: null,
      created_at: null,
    };
    const removed: number[] = [];
    mount(root, jobDetails(job, "Full interview", { removeQuestion: (i) => removed.push(i), generate: () => {} }));
    expect(root.querySelectorAll("img, svg")).toHaveLength(0);
    for (const t of ["level", "description", "skill", "question", "generated", "location"]) expect(root.textContent).toContain(hostile(t));
    expect(root.textContent).toContain("Technical accuracy");
    root.querySelector<HTMLButtonElement>("#custom-questions button")?.click();
    expect(removed).toEqual([0]);
  });

  it("marks each field filled or missing", () => {
    const c: Candidate = {
      id: "c1",
      name: "Ada",
      email: null,
      phone: null,
      profile: {},
      extracted_data: { notice_period: "2 weeks", [hostile("key")]: hostile("value") },
      missing_required: ["notice_period", "salary_expectation"],
      notes: null,
      resume_summary: null,
      created_at: null,
      updated_at: null,
    };
    mount(root, candidateFields(c));
    expect(root.querySelectorAll("img, svg")).toHaveLength(0);
    const rows: Record<string, string> = {};
    for (const tr of root.querySelectorAll("tbody tr"))
      rows[tr.getAttribute("data-field") ?? ""] = tr.textContent.replace(/\s+/g, " ").trim();
    expect(rows.notice_period).toContain("2 weeks");
    expect(rows.notice_period).toContain("Filled");
    expect(rows.salary_expectation).toContain("Missing");
    expect(rows[hostile("key")]).toContain(hostile("value"));
  });
});
