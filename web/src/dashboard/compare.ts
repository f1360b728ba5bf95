// Side by side: two or more evaluated interviews of one job, one column per candidate
// (overall score, the machine's recommendation and the human decision, the review flag,
// competency and question scores by their labels, flags and duration). Pure views and
// the rules of what may be compared; app.ts fetches and routes.
import "./compare.css";
import { unwrap, type Api, type Interview, type Job } from "../api";
import { fmtScore } from "../format";
import type { EvaluationResult } from "../generated/results";
import { html, mount, nothing, type TemplateResult } from "../view";
import { parseEvaluation } from "./results";
import { competencyLabel, fmtDuration, outcomeLabel, questionLabel } from "./labels";
import { candidateName, recBadge } from "./views";

export interface Compared {
  interview: Interview;
  evaluation: EvaluationResult;
}

/** Ids from `#/compare?ids=a,b`: unique, well-formed, at most 8. */
export function parseIds(value: string | null): string[] {
  const ids = (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => /^[A-Za-z0-9_-]{1,64}$/.test(s));
  return [...new Set(ids)].slice(0, 8);
}

/** Why these interviews cannot be compared, or null when they can. */
export function refusal(interviews: Interview[], jobTitle: (id: string | null) => string): string | null {
  if (interviews.length < 2) return "Choose at least two evaluated interviews to compare.";
  const jobs = [...new Set(interviews.map((i) => i.job_id ?? ""))];
  if (jobs.length > 1) {
    const named = jobs.map((j) => jobTitle(j || null)).join(", ");
    return `These interviews are for different jobs (${named}). Candidates are compared only within one job: open the list filtered by one job and choose from it.`;
  }
  if (!jobs[0]) return "These interviews belong to no job. Candidates are compared only within one job.";
  return null;
}

/** Keys of every column's record, once each, in first-seen order. */
function unionKeys(records: Record<string, unknown>[]): string[] {
  const keys = new Set<string>();
  for (const r of records) for (const k of Object.keys(r)) keys.add(k);
  return [...keys];
}

function questionScores(e: EvaluationResult): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of e.answers ?? []) {
    out[a.question_id] = a.status === "scored" || !a.status ? fmtScore(a.scores?.overall) : "not answered";
  }
  return out;
}

export interface PickerHandlers {
  compare: (ids: string[]) => void;
}

/** The evaluated interviews of one job, each with a checkbox, and a Compare button. */
export function comparePicker(job: Job | null, items: Interview[], chosen: string[], on: PickerHandlers): TemplateResult {
  const evaluated = items.filter((i) => i.verdict);
  if (!evaluated.length)
    return html`<p class="muted" id="compare-none">No evaluated interview for this job yet: there is nothing to compare.</p>`;
  const submit = (ev: SubmitEvent) => {
    ev.preventDefault();
    const form = ev.currentTarget as HTMLFormElement;
    const ids = [...form.querySelectorAll<HTMLInputElement>("input[name=compare]:checked")].map((c) => c.value);
    on.compare(ids);
  };
  return html`<form id="compare-form" @submit=${submit} aria-describedby="compare-help">
    <fieldset class="compare-pick">
      <legend>Candidates for ${job?.title ?? "this job"}</legend>
      <p class="muted small flush" id="compare-help">Choose two or more evaluated interviews.</p>
      ${evaluated.map(
        (i) =>
          html`<label class="check">
            <input type="checkbox" name="compare" value=${i.id} ?checked=${chosen.includes(i.id)} />
            <span>${candidateName(i) || "Candidate"}</span>
            <span class="muted small">${fmtScore(i.verdict?.overall_score)} / 10</span>
          </label>`,
      )}
    </fieldset>
    <button class="btn" type="submit" id="compare-go">Compare</button>
  </form>`;
}

/** One column per candidate (as given; the page puts the best score first); rows name
 * what is compared. Scrolls inside its own box. */
export function comparisonTable(columns: Compared[]): TemplateResult {
  const competencies = unionKeys(columns.map((c) => c.evaluation.summary?.competency_scores ?? {}));
  const questions = unionKeys(columns.map((c) => questionScores(c.evaluation)));
  const qScores = columns.map((c) => questionScores(c.evaluation));
  const row = (label: string, cells: (c: Compared, i: number) => unknown, id?: string) =>
    html`<tr data-row=${id ?? nothing}>
      <th scope="row">${label}</th>
      ${columns.map((c, i) => html`<td>${cells(c, i)}</td>`)}
    </tr>`;
  const section = (title: string) =>
    html`<tr class="section">
      <th scope="rowgroup" colspan=${columns.length + 1}>${title}</th>
    </tr>`;
  return html`<div class="table-scroll compare-scroll" tabindex="0" role="region" aria-label="Comparison (scrolls sideways)">
    <table class="compare" id="comparison">
      <caption class="sr-only">
        Candidates side by side
      </caption>
      <thead>
        <tr>
          <td></td>
          ${columns.map(
            (c) =>
              html`<th scope="col" data-id=${c.interview.id}>
                <a href=${`#/interviews/${encodeURIComponent(c.interview.id)}`}>${candidateName(c.interview) || "Candidate"}</a>
              </th>`,
          )}
        </tr>
      </thead>
      <tbody>
        ${row("Overall score", (c) => html`<strong class="num">${fmtScore(c.evaluation.summary?.overall_score)}</strong> / 10`, "overall")}
        ${row("Machine recommendation", (c) => recBadge(c.evaluation.summary?.recommendation), "recommendation")}
        ${row("Human decision", (c) => (c.evaluation.override ? recBadge(c.evaluation.override.recommendation) : html`<span class="muted">none yet</span>`), "decision")}
        ${row("Needs human review", (c) => (c.evaluation.summary?.needs_human_review ? html`<span class="badge review">⚑ Yes</span>` : "No"), "review")}
        ${row("Outcome", (c) => c.interview.outcome_label || (c.interview.outcome ? outcomeLabel(c.interview.outcome) : "—"), "outcome")}
        ${row("Duration", (c) => fmtDuration(c.interview.duration_seconds ?? c.evaluation.summary?.duration_seconds), "duration")}
        ${row(
          "Flags",
          (c) => {
            const flags = [...(c.evaluation.flags ?? []), ...(c.evaluation.answers ?? []).flatMap((a) => a.flags ?? [])];
            return flags.length
              ? html`<ul class="flush-list">
                  ${[...new Set(flags)].map((f) => html`<li>${f}</li>`)}
                </ul>`
              : html`<span class="muted">none</span>`;
          },
          "flags",
        )}
        ${competencies.length ? section("Competencies (0–10)") : nothing}
        ${competencies.map((k) => row(competencyLabel(k), (c) => fmtScore(c.evaluation.summary?.competency_scores?.[k])))}
        ${questions.length ? section("Questions (0–10)") : nothing}
        ${questions.map((q) => row(questionLabel(q), (_c, i) => qScores[i]?.[q] ?? "not asked"))}
      </tbody>
    </table>
  </div>`;
}

export function comparePage(job: Job | null, picker: TemplateResult, body: TemplateResult | typeof nothing): TemplateResult {
  return html`<p>
      ${job ? html`<a href=${`#/interviews?job=${encodeURIComponent(job.id)}`}>← Interviews for ${job.title}</a>` : html`<a href="#/interviews">← All interviews</a>`}
    </p>
    <h1>Compare candidates${job ? html`: ${job.title}` : nothing}</h1>
    <section class="panel">${picker}</section>
    <section class="panel" id="compare-result" aria-live="polite">${body}</section>`;
}

export function jobTitleOf(jobs: Job[]): (id: string | null) => string {
  return (id) => (id ? (jobs.find((j) => j.id === id)?.title ?? "an unknown job") : "no job");
}

/** The page `#/compare?job=J&ids=a,b`: the picker for the job and, with ids, the table
 * (or why those interviews cannot be compared). */
export async function showCompare(api: Api, main: HTMLElement, query: URLSearchParams, isCurrent: () => boolean): Promise<void> {
  const ids = parseIds(query.get("ids"));
  const jobs = (await unwrap(api.GET("/api/jobs", { params: { query: { limit: 200 } } }))).items;
  const chosen = await Promise.all(
    ids.map((id) => unwrap(api.GET("/api/interviews/{interview_id}", { params: { path: { interview_id: id } } }))),
  );
  const askedJob = /^[A-Za-z0-9_-]{1,64}$/.test(query.get("job") ?? "") ? (query.get("job") ?? "") : "";
  const jobId = askedJob || chosen[0]?.job_id || "";
  const job = jobs.find((j) => j.id === jobId) ?? null;
  const items = jobId
    ? (await unwrap(api.GET("/api/interviews", { params: { query: { job_id: jobId, mode: "ai_interview", limit: 200 } } }))).items
    : [];
  if (!isCurrent()) return;
  const go = (next: string[]) => {
    const q = new URLSearchParams();
    if (jobId) q.set("job", jobId);
    if (next.length) q.set("ids", next.join(","));
    location.hash = `#/compare?${q.toString()}`;
  };
  const picker = jobId
    ? comparePicker(job, items, ids, { compare: go })
    : html`<p class="muted">Choose a job in the <a href="#/interviews">interview list</a> first, then compare its candidates.</p>`;
  let body: TemplateResult | typeof nothing = nothing;
  if (ids.length) {
    const problem =
      refusal(chosen, jobTitleOf(jobs)) ?? (chosen.some((i) => i.job_id !== jobId) ? "These interviews are not all for this job." : null);
    if (problem) {
      body = html`<p class="notice bad" id="compare-refused" role="alert">${problem}</p>`;
    } else {
      const results = await Promise.all(
        chosen.map((i) =>
          unwrap(api.GET("/api/interviews/{interview_id}/result", { params: { path: { interview_id: i.id } } })).then(
            (r) => parseEvaluation(r.result),
            () => null,
          ),
        ),
      );
      if (!isCurrent()) return;
      const columns: Compared[] = [];
      const missing: string[] = [];
      chosen.forEach((interview, n) => {
        const evaluation = results[n];
        if (evaluation) columns.push({ interview, evaluation });
        else missing.push(candidateName(interview) || interview.id);
      });
      body = missing.length
        ? html`<p class="notice bad" id="compare-refused" role="alert">
            Not evaluated yet, so not comparable: ${missing.join(", ")}. Choose evaluated interviews only.
          </p>`
        : comparisonTable(
            columns.sort((a, b) => (b.evaluation.summary?.overall_score ?? -1) - (a.evaluation.summary?.overall_score ?? -1)),
          );
    }
  }
  mount(main, comparePage(job, picker, body));
}
