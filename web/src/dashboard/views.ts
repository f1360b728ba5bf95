// The dashboard's views: pure functions from typed data to lit-html templates (no
// fetching, no state), so tests can render them with any data, hostile strings included.
import type { Candidate, Interview, Job } from "../api";
import { badgeClass, fmtDate, fmtScore, label, modeLabel, scorePercent } from "../format";
import type { AnswerScore, EvaluationResult } from "../generated/results";
import { str } from "../json";
import { css, html, nothing, type TemplateResult } from "../view";
import {
  answerStatusLabel,
  competencyLabel,
  fmtDuration,
  humanize,
  outcomeLabel,
  questionLabel,
  recommendationLabel,
  scorerLabel,
  stageLabel,
} from "./labels";
import { evidenceQuotes, type CallField, type CallResult } from "./results";
import { clock, type StageView } from "./transcripts";

export function candidateName(i: Interview): string {
  return str(i.metadata.candidateName);
}

/** A recommendation as a badge; "needs human review" stands out with its own style and mark. */
export function recBadge(rec: string | null | undefined, id?: string): TemplateResult {
  if (!rec) return html`<span class="muted" id=${id ?? nothing}>—</span>`;
  const review = rec === "needs_review";
  return html`<span class=${review ? "badge review" : badgeClass(rec)} id=${id ?? nothing} data-value=${rec}
    >${review ? "⚑ " : ""}${recommendationLabel(rec)}</span
  >`;
}

export type SortKey = "created" | "candidate" | "role" | "outcome" | "score" | "decision" | "duration";
export interface SortState {
  sort: SortKey;
  order: "asc" | "desc";
}

export interface TableHandlers {
  open: (id: string) => void;
  sortBy?: (key: SortKey) => void;
}

const COLUMNS: [SortKey | null, string][] = [
  ["candidate", "Candidate"],
  ["role", "Role"],
  ["outcome", "Outcome"],
  ["score", "Score"],
  ["decision", "Recommendation"],
  [null, "Human decision"],
  ["duration", "Duration"],
  ["created", "Date"],
];

function header(key: SortKey | null, text: string, state: SortState | undefined, on: TableHandlers): TemplateResult {
  if (!key || !on.sortBy || !state) return html`<th scope="col">${text}</th>`;
  const active = state.sort === key;
  const sortBy = on.sortBy;
  return html`<th scope="col" aria-sort=${active ? (state.order === "asc" ? "ascending" : "descending") : "none"}>
    <button type="button" class="sort" data-sort=${key} @click=${() => sortBy(key)}>
      ${text}<span aria-hidden="true">${active ? (state.order === "asc" ? " ▲" : " ▼") : ""}</span>
    </button>
  </th>`;
}

export function interviewTable(items: Interview[], on: TableHandlers | ((id: string) => void), state?: SortState): TemplateResult {
  const handlers: TableHandlers = typeof on === "function" ? { open: on } : on;
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label="Interviews (scrolls sideways)">
    <table class="interviews">
      <thead>
        <tr>
          ${COLUMNS.map(([k, t]) => header(k, t, state, handlers))}
        </tr>
      </thead>
      <tbody>
        ${items.map((i) => {
          const v = i.verdict;
          const name = candidateName(i) || "candidate";
          return html`<tr data-id=${i.id}>
            <td data-label="Candidate">
              <a
                href=${`#/interviews/${encodeURIComponent(i.id)}`}
                aria-label=${`Open interview with ${name}`}
                @click=${(ev: Event) => {
                  ev.preventDefault();
                  handlers.open(i.id);
                }}
                ><strong>${candidateName(i) || "—"}</strong></a
              >
              ${i.mode !== "ai_interview" ? html`<span class="muted small">${modeLabel(i.mode)}</span>` : nothing}
            </td>
            <td data-label="Role">${str(i.metadata.interviewRole) || "—"}</td>
            <td data-label="Outcome">
              ${
                i.outcome
                  ? html`<span class="badge outcome" data-outcome=${i.outcome}>${i.outcome_label || outcomeLabel(i.outcome)}</span>`
                  : html`<span class=${badgeClass(i.status)}>${label(i.status)}</span>`
              }
            </td>
            <td class="num" data-col="score" data-label="Score">${v ? fmtScore(v.overall_score) : "—"}</td>
            <td data-col="recommendation" data-label="Recommendation">${recBadge(v?.recommendation)}</td>
            <td data-col="override" data-label="Human decision">
              ${v?.override ? recBadge(v.override) : html`<span class="muted">—</span>`}
            </td>
            <td class="num" data-label="Duration">${fmtDuration(i.duration_seconds)}</td>
            <td class="muted" data-label="Date">${fmtDate(i.created_at)}</td>
          </tr>`;
        })}
      </tbody>
    </table>
  </div>`;
}

export function interviewDetails(interview: Interview, candidate: Candidate | null): TemplateResult {
  return html`<dl class="kv">
    <dt>Created</dt>
    <dd>${fmtDate(interview.created_at)}</dd>
    <dt>Started</dt>
    <dd>${fmtDate(interview.started_at)}</dd>
    <dt>Ended</dt>
    <dd>${fmtDate(interview.ended_at)}${interview.end_reason ? ` (${humanize(interview.end_reason)})` : ""}</dd>
    <dt>Outcome</dt>
    <dd id="outcome">${interview.outcome_label ?? "—"}</dd>
    <dt>Duration</dt>
    <dd>${fmtDuration(interview.duration_seconds)}</dd>
    <dt>Candidate</dt>
    <dd>
      ${
        candidate
          ? html`<a href=${`#/candidates/${encodeURIComponent(candidate.id)}`}>${candidate.name}</a
              >${candidate.email ? ` · ${candidate.email}` : ""}`
          : "—"
      }
    </dd>
    <dt>Job</dt>
    <dd>
      ${interview.job_id ? html`<a href=${`#/jobs/${encodeURIComponent(interview.job_id)}`}>${str(interview.metadata.interviewRole) || "Job"}</a>` : "—"}
    </dd>
    <dt>Missing fields</dt>
    <dd>${candidate?.missing_required.length ? candidate.missing_required.map(humanize).join(", ") : "none"}</dd>
  </dl>`;
}

export function transcriptView(stages: StageView[]): TemplateResult {
  let n = 0;
  if (!stages.length)
    return html`<h2>Transcript by stage</h2>
      <p class="muted">No transcript yet — it appears here when the interview ends.</p>`;
  return html`<h2>Transcript by stage</h2>
    ${stages.map(
      (s, i) =>
        html`<div class="stage">
          <h3>
            ${i + 1}. ${s.title && s.title !== s.stage ? s.title : stageLabel(s.stage)}
            <span class="muted small"
              >${s.durationSeconds !== null ? `${Math.round(s.durationSeconds)} s` : ""}${s.endReason ? ` · ${humanize(s.endReason)}` : ""}</span
            >
          </h3>
          ${s.lines.map(
            (u) =>
              html`<div
                class="turn ${u.ai ? "ai" : "me"}${typeof u.at === "number" ? " timed" : ""}"
                data-line=${n++}
                data-at=${u.at ?? nothing}
                tabindex="-1"
              >
                ${typeof u.at === "number" ? html`<span class="at muted small">${clock(u.at)}</span>` : nothing}<span class="who"
                  >${u.who}</span
                ><span>${u.message}</span>
              </div>`,
          )}
        </div>`,
    )}`;
}

/** How an evidence quote is shown (record.ts makes it a link to its moment). */
export type QuoteView = (quote: string) => TemplateResult;
const plainQuote: QuoteView = (q) => html`<blockquote>“${q}”</blockquote>`;

function answerView(a: AnswerScore, quote: QuoteView = plainQuote): TemplateResult {
  const levels = Object.entries(a.competency_levels ?? {});
  return html`<div class="answer">
    <div class="row spread">
      <strong>${a.question_text || questionLabel(a.question_id)}</strong
      ><span class="badge">${a.status === "scored" ? `${fmtScore(a.scores?.overall)} / 10` : answerStatusLabel(a.status ?? "")}</span>
    </div>
    <p class="muted small flush">${stageLabel(a.stage)}</p>
    ${
      a.answer_text
        ? html`<p class="small answer-text"><span class="muted">Answer:</span> ${a.answer_text}</p>`
        : html`<p class="small muted">No answer.</p>`
    }
    ${evidenceQuotes(a).map(quote)}
    ${
      levels.length
        ? html`<ul class="levels small">
            ${levels.map(
              ([c, level]) =>
                html`<li>
                  ${competencyLabel(c)}: level
                  ${typeof level === "number" ? level.toFixed(1) : "—"}/5${a.anchors?.[c] ? ` — ${a.anchors[c]}` : ""}
                </li>`,
            )}
          </ul>`
        : nothing
    }
    ${
      a.key_points?.length
        ? html`<ul class="kp">
            ${a.key_points.map(
              (k) =>
                html`<li class=${k.covered ? "covered" : ""}>
                  ${k.text}${k.covered ? nothing : html` <span class="muted">(not shown)</span>`}
                </li>`,
            )}
          </ul>`
        : nothing
    }
    ${a.flags?.length ? html`<p class="notice warn small">${a.flags.map((f, i) => html`${i ? html`<br />` : nothing}${f}`)}</p>` : nothing}
    ${a.feedback ? html`<p class="small muted">${a.feedback}</p>` : nothing}
  </div>`;
}

export interface ReportHandlers {
  /** Where the full report lives (a page of the dashboard). */
  reportHref?: string;
  openReport?: () => void;
  downloadPdf?: () => void;
  saveOverride?: (ev: SubmitEvent) => void;
  /** Evidence quotes as links to their moment, and the recording beside the transcript. */
  quote?: QuoteView;
  recording?: TemplateResult;
}

/** The headline: the human decision when there is one, the machine's otherwise. */
function headline(r: EvaluationResult): TemplateResult {
  const s = r.summary ?? {};
  const machine = s.recommendation;
  if (r.override) {
    return html`<p class="headline">
        Decision: ${recBadge(r.override.recommendation, "recommendation")} <span class="muted small">(human decision)</span>
      </p>
      <p class="small muted" id="machine-recommendation">Machine recommendation: ${recommendationLabel(machine)}</p>`;
  }
  return html`<p class="headline">
      Recommendation: ${recBadge(machine, "recommendation")}
      <span class="muted small">confidence ${Math.round((s.confidence ?? 0) * 100)}%</span>
    </p>
    ${
      machine === "needs_review" && s.leaning
        ? html`<p class="small muted">The scores lean to ${recommendationLabel(s.leaning)}; a person should decide.</p>`
        : nothing
    }`;
}

export function evaluationSummary(r: EvaluationResult, quote?: QuoteView): TemplateResult {
  const s = r.summary ?? {};
  const comp = Object.entries(s.competency_scores ?? {}).sort(([a], [b]) => competencyLabel(a).localeCompare(competencyLabel(b)));
  const chartLabel = `Scores per competency: ${comp.map(([k, v]) => `${competencyLabel(k)} ${fmtScore(v)}`).join(", ")}`;
  return html`${r.status !== "completed" ? html`<p class="notice warn">Evaluation ${r.status}${r.error ? `: ${r.error}` : ""}</p>` : nothing}
    <div class="grid2 gap-top">
      <div>
        <p class="muted small flush">Overall score</p>
        <p class="score-big" id="overall">${fmtScore(s.overall_score)}<span class="muted out-of"> / 10</span></p>
        ${headline(r)} ${r.outcome_label ? html`<p class="small">Outcome: <strong>${r.outcome_label}</strong></p>` : nothing}
        <p class="small">${s.rationale ?? ""}</p>
        ${
          s.review_reasons?.length
            ? html`<ul class="small">
                ${s.review_reasons.map((x) => html`<li>${x}</li>`)}
              </ul>`
            : nothing
        }
        <p class="muted small">
          ${s.questions_answered ?? 0} of ${s.questions_asked ?? 0} questions answered · scored by
          <span id="scorer">${scorerLabel(r.scorer.name || r.scorer.kind)}</span>
        </p>
        ${
          s.questions_not_asked?.length
            ? html`<p class="muted small">Not asked (not scored): ${s.questions_not_asked.map(questionLabel).join("; ")}</p>`
            : nothing
        }
      </div>
      <div>
        <h3 class="flush">Scores per competency</h3>
        <div class="chart" role="img" aria-label=${chartLabel}>
          ${
            comp.length
              ? comp.map(
                  ([k, v]) =>
                    html`<div class="bar">
                      <span>${competencyLabel(k)}</span
                      ><span class="track"><span class="fill" ${css({ width: `${scorePercent(v)}%` })}></span></span
                      ><span class="val">${fmtScore(v)}</span>
                    </div>`,
                )
              : html`<p class="muted">No competency scores.</p>`
          }
        </div>
      </div>
    </div>
    <div class="grid2 gap-top">
      <div>
        <h3>Strengths</h3>
        <ul>
          ${s.strengths?.length ? s.strengths.map((x) => html`<li>${x}</li>`) : html`<li class="muted">—</li>`}
        </ul>
      </div>
      <div>
        <h3>Areas for improvement</h3>
        <ul>
          ${s.areas_for_improvement?.length ? s.areas_for_improvement.map((x) => html`<li>${x}</li>`) : html`<li class="muted">—</li>`}
        </ul>
      </div>
    </div>
    ${
      r.candidate_questions?.length
        ? html`<h3>The candidate asked</h3>
            <ul>
              ${r.candidate_questions.map((q) => html`<li>${q.text}${q.topic ? html` <span class="muted">(${humanize(q.topic)})</span>` : nothing}</li>`)}
            </ul>`
        : nothing
    }
    ${
      r.flagged_turns?.length
        ? html`<h3>Flagged</h3>
            <ul>
              ${r.flagged_turns.map((q) => html`<li>${humanize(q.kind)}: ${q.text}</li>`)}
            </ul>`
        : nothing
    }
    <h3>Answers and evidence</h3>
    ${(r.answers ?? []).map((a) => answerView(a, quote))}`;
}

function overrideView(r: EvaluationResult): TemplateResult {
  return r.override
    ? html`<p class="notice ok" id="override-current">
        Human decision: <strong>${recommendationLabel(r.override.recommendation)}</strong>${r.override.by ? ` by ${r.override.by}` : ""}:
        ${r.override.note} <span class="small">(the machine's recommendation is kept for the record)</span>
      </p>`
    : html`<p class="muted small">No human decision yet. The machine's recommendation stands until a person decides.</p>`;
}

export function evaluationView(r: EvaluationResult, on: ReportHandlers): TemplateResult {
  return html`<div class="row spread">
      <h2 class="flush">Evaluation</h2>
      <div class="row">
        ${
          on.reportHref
            ? html`<a class="btn secondary small" id="open-report" href=${on.reportHref}>Open full report</a>`
            : on.openReport
              ? html`<button class="btn secondary small" id="open-report" @click=${on.openReport}>Open full report</button>`
              : nothing
        }
        ${on.downloadPdf ? html`<button class="btn secondary small" id="download-pdf" @click=${on.downloadPdf}>Download PDF</button>` : nothing}
      </div>
    </div>
    ${evaluationSummary(r)}
    <h3 id="override-heading">Human decision</h3>
    <div id="override-view">${overrideView(r)}</div>
    ${
      on.saveOverride
        ? html`<form id="override-form" class="row bottom" aria-labelledby="override-heading" @submit=${on.saveOverride}>
            <div class="field flush">
              <label for="ov-rec">Your decision</label
              ><select id="ov-rec" required>
                <option value="" selected>Choose…</option>
                <option value="hire">Hire</option>
                <option value="maybe">Maybe</option>
                <option value="no_hire">No hire</option>
              </select>
            </div>
            <div class="field flush wide">
              <label for="ov-note">Reason</label
              ><input type="text" id="ov-note" required placeholder="Why you agree or disagree with the evaluation" />
            </div>
            <div class="field flush"><label for="ov-by">Your name</label><input type="text" id="ov-by" autocomplete="name" /></div>
            <button class="btn" type="submit">Save decision</button>
          </form>`
        : nothing
    }`;
}

/** The full report page: the evaluation, the human decision and the transcript. */
export function reportPage(r: EvaluationResult, interview: Interview, stages: StageView[], on: ReportHandlers): TemplateResult {
  return html`<p class="no-print"><a href=${`#/interviews/${encodeURIComponent(interview.id)}`}>← Back to the interview</a></p>
    <div class="row spread top">
      <div>
        <h1>Interview report: ${candidateName(interview) || r.participant_name || "Candidate"}</h1>
        <p class="muted flush">
          ${str(interview.metadata.interviewRole)} · ${fmtDate(interview.created_at)} · ${fmtDuration(interview.duration_seconds)}
        </p>
      </div>
      <div class="row no-print">
        ${on.downloadPdf ? html`<button class="btn" id="download-pdf" @click=${on.downloadPdf}>Download PDF</button>` : nothing}
        <button class="btn secondary" id="print" @click=${() => window.print()}>Print</button>
      </div>
    </div>
    <section class="panel" id="report">
      ${evaluationSummary(r, on.quote)}
      <h3>Human decision</h3>
      ${overrideView(r)}
    </section>
    ${
      on.recording
        ? html`<div class="record-layout">
            <section class="panel transcript" id="transcript">${transcriptView(stages)}</section>
            ${on.recording}
          </div>`
        : html`<section class="panel transcript" id="transcript">${transcriptView(stages)}</section>`
    }`;
}

function callFieldList(items: CallField[]): TemplateResult {
  if (!items.length) return html`<p class="muted">none</p>`;
  return html`<ul>
    ${items.map(
      (f) =>
        html`<li>
          <strong>${f.label}</strong>${f.value ? `: ${f.value}` : ""}${f.reason ? html` <span class="muted">(${f.reason})</span>` : nothing}
        </li>`,
    )}
  </ul>`;
}

export function callResultView(r: CallResult): TemplateResult {
  return html`<h2>Call result</h2>
    ${
      r.known
        ? html`<div class="grid2">
            <div>
              <h3>Filled</h3>
              ${callFieldList(r.filled)}
            </div>
            <div>
              <h3>Declined or unresolved</h3>
              ${callFieldList(r.notFilled)}
            </div>
          </div>`
        : html`<pre class="small pre-wrap">${r.raw}</pre>`
    }`;
}

// --- jobs ------------------------------------------------------------------------------------

type JobQuestion = Job["custom_questions"][number];

function questionText(q: JobQuestion): string {
  return str(q.text);
}

export function jobTable(jobs: Job[]): TemplateResult {
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label="Jobs (scrolls sideways)">
    <table>
      <thead>
        <tr>
          <th scope="col">Title</th>
          <th scope="col">Level</th>
          <th scope="col">Skills</th>
          <th scope="col">Plan</th>
          <th scope="col">Questions</th>
        </tr>
      </thead>
      <tbody>
        ${jobs.map(
          (j) =>
            html`<tr data-id=${j.id}>
              <td>
                <a href=${`#/jobs/${encodeURIComponent(j.id)}`}><strong>${j.title}</strong></a>
              </td>
              <td>${j.level ?? "—"}</td>
              <td>${j.required_skills.join(", ") || "—"}</td>
              <td>${j.plan}</td>
              <td class="num">${j.custom_questions.length + j.generated_questions.length}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

export interface JobHandlers {
  removeQuestion: (index: number) => void;
  generate: () => void;
}

export function jobDetails(job: Job, planTitle: string, on: JobHandlers): TemplateResult {
  return html`<dl class="kv">
      <dt>Level</dt>
      <dd>${job.level ?? "—"}</dd>
      <dt>Required skills</dt>
      <dd>${job.required_skills.join(", ") || "—"}</dd>
      <dt>Interview plan</dt>
      <dd>${planTitle}</dd>
      <dt>Interview type</dt>
      <dd>${humanize(job.interview_type)}</dd>
      <dt>Location</dt>
      <dd>${job.location ?? "—"}${job.remote_policy ? ` · ${job.remote_policy}` : ""}</dd>
      <dt>Team</dt>
      <dd>${job.team ?? "—"}</dd>
      <dt>Created</dt>
      <dd>${fmtDate(job.created_at)}</dd>
    </dl>
    <h3>Description</h3>
    <p class="pre-wrap" id="job-description">${job.description || html`<span class="muted">No description.</span>`}</p>
    <h3>Custom questions</h3>
    ${
      job.custom_questions.length
        ? html`<ol id="custom-questions">
            ${job.custom_questions.map(
              (q, i) =>
                html`<li>
                  <span>${questionText(q)}</span>
                  <span class="muted small"
                    >${Array.isArray(q.competencies) ? q.competencies.map((c) => competencyLabel(String(c))).join(", ") : ""}</span
                  >
                  <button
                    type="button"
                    class="btn danger small"
                    aria-label=${`Remove question ${i + 1}: ${questionText(q)}`}
                    @click=${() => on.removeQuestion(i)}
                  >
                    Remove
                  </button>
                </li>`,
            )}
          </ol>`
        : html`<p class="muted" id="custom-questions-empty">No custom questions yet.</p>`
    }
    <h3>Generated questions</h3>
    ${
      job.generated_questions.length
        ? html`<ol id="generated-questions">
            ${job.generated_questions.map((q) => html`<li>${questionText(q)}</li>`)}
          </ol>`
        : html`<p class="muted">None yet. With an LLM configured, questions can be generated from the description.</p>`
    }
    <button type="button" class="btn secondary small" id="generate" @click=${on.generate}>Generate questions from the description</button>`;
}

// --- candidates ------------------------------------------------------------------------------

export function candidateTable(items: Candidate[]): TemplateResult {
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label="Candidates (scrolls sideways)">
    <table>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Email</th>
          <th scope="col">Missing fields</th>
          <th scope="col">Added</th>
        </tr>
      </thead>
      <tbody>
        ${items.map(
          (c) =>
            html`<tr data-id=${c.id}>
              <td>
                <a href=${`#/candidates/${encodeURIComponent(c.id)}`}><strong>${c.name}</strong></a>
              </td>
              <td>${c.email ?? "—"}</td>
              <td>${c.missing_required.length ? c.missing_required.map(humanize).join(", ") : "none"}</td>
              <td class="muted">${fmtDate(c.created_at)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function fieldValue(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** Every field the candidate record knows or lacks: filled (and by whom) or still missing. */
export function candidateFields(c: Candidate): TemplateResult {
  const filled = Object.entries(c.extracted_data);
  const missing = c.missing_required.filter((f) => !(f in c.extracted_data));
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label="Candidate fields (scrolls sideways)">
    <table id="candidate-fields">
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Value</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        ${filled.map(
          ([k, v]) =>
            html`<tr data-field=${k}>
              <td>${humanize(k)}</td>
              <td>${fieldValue(v)}</td>
              <td><span class="badge completed">Filled</span></td>
            </tr>`,
        )}
        ${missing.map(
          (k) =>
            html`<tr data-field=${k}>
              <td>${humanize(k)}</td>
              <td class="muted">—</td>
              <td><span class="badge review">Missing: a gap-filling call asks for it</span></td>
            </tr>`,
        )}
        ${
          filled.length || missing.length
            ? nothing
            : html`<tr>
                <td colspan="3" class="muted">No fields recorded.</td>
              </tr>`
        }
      </tbody>
    </table>
  </div>`;
}

export function candidateProfile(c: Candidate): TemplateResult {
  const profile = Object.entries(c.profile);
  return html`<dl class="kv">
    <dt>Email</dt>
    <dd>${c.email ?? "—"}</dd>
    <dt>Phone</dt>
    <dd>${c.phone ?? "—"}</dd>
    <dt>Added</dt>
    <dd>${fmtDate(c.created_at)}</dd>
    ${profile.map(
      ([k, v]) =>
        html`<dt>${humanize(k)}</dt>
          <dd>${fieldValue(v)}</dd>`,
    )}
    <dt>Resume summary</dt>
    <dd class="pre-wrap">${c.resume_summary ?? "—"}</dd>
    <dt>Notes</dt>
    <dd class="pre-wrap">${c.notes ?? "—"}</dd>
  </dl>`;
}
