// The dashboard's views: pure functions from typed data to lit-html templates (no
// fetching, no state), so tests can render them with any data, hostile strings included.
import type { Candidate, Interview } from "../api";
import { badgeClass, fmtDate, fmtScore, label, modeLabel, scorePercent } from "../format";
import type { AnswerScore, EvaluationResult } from "../generated/results";
import { str } from "../json";
import { css, html, nothing, type TemplateResult } from "../view";
import { evidenceQuotes, type CallField, type CallResult } from "./results";
import type { StageView } from "./transcripts";

export function candidateName(i: Interview): string {
  return str(i.metadata.candidateName);
}

export function interviewTable(items: Interview[], open: (id: string) => void): TemplateResult {
  return html`<table>
    <thead>
      <tr>
        <th>Candidate</th>
        <th>Role</th>
        <th>Type</th>
        <th>Plan</th>
        <th>Status</th>
        <th>Created</th>
      </tr>
    </thead>
    <tbody>
      ${items.map(
        (i) =>
          html`<tr
            data-id=${i.id}
            tabindex="0"
            aria-label=${`Open interview with ${candidateName(i) || "candidate"}`}
            @click=${() => open(i.id)}
            @keydown=${(ev: KeyboardEvent) => ev.key === "Enter" && open(i.id)}
          >
            <td><strong>${candidateName(i) || "—"}</strong></td>
            <td>${str(i.metadata.interviewRole) || "—"}</td>
            <td>${modeLabel(i.mode)}</td>
            <td>${i.plan}</td>
            <td><span class=${badgeClass(i.status)}>${label(i.status)}</span></td>
            <td class="muted">${fmtDate(i.created_at)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function interviewDetails(interview: Interview, candidate: Candidate | null): TemplateResult {
  return html`<dl class="kv">
    <dt>Created</dt>
    <dd>${fmtDate(interview.created_at)}</dd>
    <dt>Started</dt>
    <dd>${fmtDate(interview.started_at)}</dd>
    <dt>Ended</dt>
    <dd>${fmtDate(interview.ended_at)}${interview.end_reason ? ` (${label(interview.end_reason)})` : ""}</dd>
    <dt>Candidate email</dt>
    <dd>${candidate?.email || "—"}</dd>
    <dt>Missing fields</dt>
    <dd>${candidate?.missing_required.length ? candidate.missing_required.join(", ") : "none"}</dd>
  </dl>`;
}

export function transcriptView(stages: StageView[]): TemplateResult {
  if (!stages.length)
    return html`<h2>Transcript by stage</h2>
      <p class="muted">No transcript yet — it appears here when the interview ends.</p>`;
  return html`<h2>Transcript by stage</h2>
    ${stages.map(
      (s, i) =>
        html`<div class="stage">
          <h3>
            ${i + 1}. ${s.title}
            <span class="muted small"
              >${s.durationSeconds !== null ? `${Math.round(s.durationSeconds)} s` : ""}${s.endReason ? ` · ${label(s.endReason)}` : ""}</span
            >
          </h3>
          ${s.lines.map(
            (u) => html`<div class="turn ${u.ai ? "ai" : "me"}"><span class="who">${u.who}</span><span>${u.message}</span></div>`,
          )}
        </div>`,
    )}`;
}

function answerView(a: AnswerScore): TemplateResult {
  return html`<div class="answer">
    <div class="row spread">
      <strong>${a.question_text}</strong
      ><span class="badge">${a.status === "scored" ? `${fmtScore(a.scores?.overall)} / 10` : label(a.status)}</span>
    </div>
    ${
      a.answer_text
        ? html`<p class="small answer-text"><span class="muted">Answer:</span> ${a.answer_text}</p>`
        : html`<p class="small muted">No answer.</p>`
    }
    ${evidenceQuotes(a).map((q) => html`<blockquote>“${q}”</blockquote>`)}
    ${
      a.key_points?.length
        ? html`<ul class="kp">
            ${a.key_points.map(
              (k) =>
                html`<li class=${k.covered ? "covered" : ""}>
                  ${k.text}${k.covered ? nothing : html` <span class="muted">(not covered)</span>`}
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
  openReport: () => void;
  saveOverride: (ev: SubmitEvent) => void;
}

export function evaluationView(r: EvaluationResult, on: ReportHandlers): TemplateResult {
  const s = r.summary ?? {};
  const comp = Object.entries(s.competency_scores ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const rec = s.recommendation;
  const chartLabel = `Scores per competency: ${comp.map(([k, v]) => `${label(k)} ${fmtScore(v)}`).join(", ")}`;
  return html`<div class="row spread">
      <h2 class="flush">Evaluation</h2>
      <button class="btn secondary small" id="open-report" @click=${on.openReport}>Open full report</button>
    </div>
    ${r.status !== "completed" ? html`<p class="notice warn">Evaluation ${r.status}${r.error ? `: ${r.error}` : ""}</p>` : nothing}
    <div class="grid2 gap-top">
      <div>
        <p class="muted small flush">Overall score</p>
        <p class="score-big" id="overall">${fmtScore(s.overall_score)}<span class="muted out-of"> / 10</span></p>
        <p>
          Recommendation: <span class=${badgeClass(rec)} id="recommendation">${rec ? label(rec) : "none"}</span>
          <span class="muted small">confidence ${Math.round((s.confidence ?? 0) * 100)}%</span>
        </p>
        <p class="small">${s.rationale ?? ""}</p>
        <p class="muted small">
          ${s.questions_answered ?? 0} of ${s.questions_asked ?? 0} questions answered · scored by ${r.scorer.name || r.scorer.kind}
        </p>
      </div>
      <div>
        <h3 class="flush">Scores per competency</h3>
        <div class="chart" role="img" aria-label=${chartLabel}>
          ${
            comp.length
              ? comp.map(
                  ([k, v]) =>
                    html`<div class="bar">
                      <span>${label(k)}</span><span class="track"><span class="fill" ${css({ width: `${scorePercent(v)}%` })}></span></span
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
    <h3>Answers and evidence</h3>
    ${(r.answers ?? []).map(answerView)}
    <h3>Human override</h3>
    <div id="override-view">
      ${
        r.override
          ? html`<p class="notice ok" id="override-current">
              Overridden to <strong>${label(r.override.recommendation)}</strong>${r.override.by ? ` by ${r.override.by}` : ""}:
              ${r.override.note} <span class="muted small">(the machine recommendation above is kept)</span>
            </p>`
          : html`<p class="muted small">No override. The machine's recommendation stands until a person overrides it.</p>`
      }
    </div>
    <form id="override-form" class="row bottom" @submit=${on.saveOverride}>
      <div class="field flush">
        <label for="ov-rec">Your recommendation</label
        ><select id="ov-rec">
          <option value="hire">Hire</option>
          <option value="maybe">Maybe</option>
          <option value="no_hire">No hire</option>
        </select>
      </div>
      <div class="field flush wide">
        <label for="ov-note">Reason</label
        ><input type="text" id="ov-note" required placeholder="Why you disagree (or agree) with the evaluation" />
      </div>
      <div class="field flush"><label for="ov-by">Your name</label><input type="text" id="ov-by" /></div>
      <button class="btn" type="submit">Save override</button>
    </form>`;
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
