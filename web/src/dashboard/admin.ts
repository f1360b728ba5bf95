// The dashboard's compliance screens: a job's bias audit, the outgoing webhooks (endpoints,
// the delivery log, replay), and a candidate's personal data (export, deletion with its
// log, accommodation requests). app.ts wires them into its routes and pages; everything
// shown here comes from the API and is rendered by lit-html as text.
import "./admin.css";
import { errorMessage, unwrap, type Api, type Candidate, type Schemas } from "../api";
import { fmtDate } from "../format";
import type { paths } from "../generated/api";
import { css, html, mount, nothing, type TemplateResult } from "../view";

export type BiasAudit = Schemas["BiasAuditOut"];
export type AuditGroup = Schemas["GroupOut"];
export type Delivery = Schemas["DeliveryOut"];
export type Endpoint = Schemas["EndpointOut"];
export type Deletion = Schemas["DeletionOut"];
export type Accommodation = Schemas["AccommodationOut"];
type Category = NonNullable<NonNullable<paths["/api/jobs/{job_id}/bias-audit"]["get"]["parameters"]["query"]>["category"]>;
type DeliveryStatus = NonNullable<NonNullable<paths["/api/webhooks/deliveries"]["get"]["parameters"]["query"]>["status"]>;
type EventType = NonNullable<Schemas["EndpointCreate"]["events"]>[number];

/** What the screens need from the dashboard around them. */
export interface AdminContext {
  api: Api;
  toast: (text: string) => void;
  /** The admin token to send with a file download (null: none needed). */
  token: () => string | null;
  isCurrent: () => boolean;
}

/** Saves what the server sends (CSV, JSON) as a file, with the admin token; `name` is the
 * file's name, else the server's, else `fallback`. */
export async function saveFile(ctx: AdminContext, path: string, fallback: string, name?: string): Promise<void> {
  const headers: Record<string, string> = {};
  const t = ctx.token();
  if (t) headers.Authorization = `Bearer ${t}`;
  const res = await fetch(path, { headers });
  if (!res.ok) {
    const body: unknown = await res.json().catch(() => null);
    throw new Error(errorMessage(res.status, res.statusText, body));
  }
  const given = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1];
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = name ?? given ?? fallback;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function problem(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function alert(text: string, kind: "bad" | "warn" | "ok" = "bad"): TemplateResult {
  return html`<p class="notice ${kind}" role="alert">${text}</p>`;
}

function pct(rate: number | null | undefined): string {
  return typeof rate === "number" && Number.isFinite(rate) ? `${(rate * 100).toFixed(rate * 100 < 10 ? 1 : 0)}%` : "—";
}

function ratio(value: number | null | undefined): string {
  return typeof value === "number" && Number.isFinite(value) ? value.toFixed(2) : "—";
}

/** A name as a file-name part: letters and digits, dashes between words. */
export function filePart(text: string): string {
  return (
    text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40) || "candidate"
  );
}

// --- bias audit (a section of the job's page) ---------------------------------------------

const CATEGORY_FALLBACK: [Category, string][] = [
  ["sex", "Sex"],
  ["race_ethnicity", "Race/ethnicity"],
  ["age_band", "Age"],
];

/** The audit's chart: one bar per group (selection rate), its value and flags in words. */
export function auditChart(audit: BiasAudit): TemplateResult {
  const best = Math.max(0, ...audit.groups.filter((g) => g.group !== "not_disclosed").map((g) => g.selection_rate ?? 0));
  const threshold = best * 0.8 * 100;
  return html`<figure class="audit-chart" id="bias-chart">
    <figcaption class="small muted">
      Selection rate per group (share of decided candidates chosen to hire). The dashed line marks four-fifths of the highest rate.
    </figcaption>
    <ul class="audit-bars">
      ${audit.groups.map((g) => {
        const width = Math.max(0, Math.min(100, (g.selection_rate ?? 0) * 100));
        return html`<li class="audit-bar" data-group=${g.group}>
          <span class="audit-label">${g.label}</span>
          <span class="track" aria-hidden="true"
            ><span class=${g.below_four_fifths ? "fill below" : "fill"} ${css({ width: `${width}%` })}></span>${
              best > 0 ? html`<span class="threshold" ${css({ left: `${threshold}%` })}></span>` : nothing
            }</span
          >
          <span class="audit-value"
            >${pct(g.selection_rate)} <span class="muted small">(${g.selected} of ${g.decided})</span>${
              g.below_four_fifths ? html` <strong class="flag-below">⚠ below four-fifths</strong>` : nothing
            }${g.small_group ? html` <span class="flag-small">· small group</span>` : nothing}</span
          >
        </li>`;
      })}
    </ul>
  </figure>`;
}

/** The audit as a table (the chart's text alternative, with every count). */
export function auditTable(audit: BiasAudit): TemplateResult {
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label="Bias audit table (scrolls sideways)">
    <table class="audit" id="bias-table">
      <caption class="sr-only">
        Selection rates and impact ratios by group
      </caption>
      <thead>
        <tr>
          <th scope="col">Group</th>
          <th scope="col">Decided</th>
          <th scope="col">Selected</th>
          <th scope="col">Pending</th>
          <th scope="col">Selection rate</th>
          <th scope="col">Impact ratio</th>
          <th scope="col">Four-fifths rule</th>
        </tr>
      </thead>
      <tbody>
        ${audit.groups.map(
          (g) =>
            html`<tr data-group=${g.group} class=${g.below_four_fifths ? "below" : ""}>
              <th scope="row">${g.label}${g.small_group ? html` <span class="badge small-group">Small group</span>` : nothing}</th>
              <td class="num">${g.decided}</td>
              <td class="num">${g.selected}</td>
              <td class="num">${g.pending}</td>
              <td class="num">${pct(g.selection_rate)}</td>
              <td class="num">${g.group === "not_disclosed" ? "not compared" : ratio(g.impact_ratio)}</td>
              <td data-col="four-fifths">
                ${
                  g.below_four_fifths
                    ? html`<strong class="flag-below">⚠ Below four-fifths</strong>`
                    : g.impact_ratio === null
                      ? html`<span class="muted">—</span>`
                      : "At or above"
                }
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

export async function biasAuditSection(ctx: AdminContext, jobId: string, container: HTMLElement): Promise<void> {
  let categories = CATEGORY_FALLBACK;
  try {
    const question = await unwrap(ctx.api.GET("/api/self-identification"));
    const known = question.categories.filter((c): c is typeof c & { category: Category } =>
      CATEGORY_FALLBACK.some(([k]) => k === c.category),
    );
    if (known.length) categories = known.map((c) => [c.category, c.label]);
  } catch {
    // the fixed list above is the API's own
  }
  let category: Category = categories[0]?.[0] ?? "sex";
  let audit: BiasAudit | null = null;
  let error: TemplateResult | typeof nothing = nothing;

  const load = async () => {
    try {
      audit = await unwrap(ctx.api.GET("/api/jobs/{job_id}/bias-audit", { params: { path: { job_id: jobId }, query: { category } } }));
      error = nothing;
    } catch (err) {
      audit = null;
      error = alert(`The bias audit could not be loaded: ${problem(err)}`);
    }
    draw();
  };
  const downloadCsv = async () => {
    try {
      await saveFile(
        ctx,
        `/api/jobs/${encodeURIComponent(jobId)}/bias-audit.csv?category=${encodeURIComponent(category)}`,
        `bias-audit-${jobId}-${category}.csv`,
      );
      ctx.toast("Bias audit CSV downloaded");
    } catch (err) {
      ctx.toast(`The CSV could not be downloaded: ${problem(err)}`);
    }
  };
  const body = (a: BiasAudit): TemplateResult => {
    const decided = a.groups.reduce((n, g) => n + g.decided, 0);
    const below = a.groups.filter((g) => g.below_four_fifths);
    if (!decided)
      return html`<p class="muted" id="bias-empty">
        No candidate for this job has a decision yet, so there are no selection rates to compare.
        ${a.groups.some((g) => g.pending) ? "Some are waiting for a human review." : ""}
      </p>`;
    return html`<p id="bias-summary" role="status">
        ${
          below.length
            ? html`<strong>⚠ ${below.map((g) => g.label).join(", ")} ${below.length === 1 ? "is" : "are"} below four-fifths</strong> of the
                highest selection rate: look closer.`
            : "No group is below four-fifths of the highest selection rate."
        }
        ${a.groups.some((g) => g.small_group && g.decided > 0) ? " Groups marked “small group” have fewer than 5 decided candidates: their rates say little." : ""}
      </p>
      ${auditChart(a)}
      <h3>Table</h3>
      ${auditTable(a)}`;
  };
  const draw = () => {
    if (!ctx.isCurrent()) return;
    mount(
      container,
      html`<div class="row spread">
          <h2 class="flush" id="bias-title">Bias audit</h2>
          <button type="button" class="btn secondary small" id="bias-csv" @click=${() => void downloadCsv()}>Download CSV</button>
        </div>
        <p class="notice warn" id="bias-notice">${audit?.notice ?? "Summary for monitoring only, not legal advice."}</p>
        <p class="muted small">
          From candidates' optional, self-reported answers (never shown to the interviewer or the scorer) and this job's decisions: the
          human decision where there is one, else the recommendation.
        </p>
        <div class="field">
          <label for="bias-category">Self-reported field</label>
          <select
            id="bias-category"
            @change=${(ev: Event) => {
              const value = (ev.target as HTMLSelectElement).value;
              category = categories.find(([c]) => c === value)?.[0] ?? category;
              void load();
            }}
          >
            ${categories.map(([c, label]) => html`<option value=${c} ?selected=${c === category}>${label}</option>`)}
          </select>
        </div>
        ${error}
        <div id="bias-body" aria-live="polite">${audit ? body(audit) : html`<p class="muted">Loading…</p>`}</div>`,
    );
  };
  draw();
  await load();
}

// --- webhooks ------------------------------------------------------------------------------

const STATUSES: DeliveryStatus[] = ["pending", "delivered", "failed"];
const EVENT_TYPES: EventType[] = ["interview.completed", "interview.evaluated", "interview.overridden", "candidate.updated"];
const STATUS_LABEL: Record<string, string> = { pending: "Pending", delivered: "Delivered", failed: "Failed" };
const STATUS_MARK: Record<string, string> = { pending: "…", delivered: "✓", failed: "✗" };

export function deliveryStatus(status: string): TemplateResult {
  return html`<span class="badge delivery-${STATUSES.includes(status as DeliveryStatus) ? status : "other"}" data-status=${status}
    ><span aria-hidden="true">${STATUS_MARK[status] ?? ""} </span>${STATUS_LABEL[status] ?? status}</span
  >`;
}

export function deliveryTable(items: Delivery[], replay: (d: Delivery) => void, busy: ReadonlySet<string>): TemplateResult {
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label="Webhook deliveries (scrolls sideways)">
    <table class="interviews deliveries" id="deliveries">
      <thead>
        <tr>
          <th scope="col">Event</th>
          <th scope="col">Endpoint</th>
          <th scope="col">Status</th>
          <th scope="col">Attempts</th>
          <th scope="col">Last response</th>
          <th scope="col">Time</th>
          <th scope="col"><span class="sr-only">Actions</span></th>
        </tr>
      </thead>
      <tbody>
        ${items.map(
          (d) =>
            html`<tr data-id=${d.id} data-status=${d.status}>
              <td data-label="Event">
                <strong>${d.event_type}</strong>
                ${d.replay_of ? html`<span class="muted small">replay</span>` : nothing}
              </td>
              <td data-label="Endpoint" class="url">${d.url}</td>
              <td data-label="Status">${deliveryStatus(d.status)}</td>
              <td class="num" data-label="Attempts">${d.attempts} of ${d.max_attempts}</td>
              <td data-label="Last response">
                ${d.last_status_code ?? html`<span class="muted">—</span>`}
                ${d.last_error ? html`<span class="muted small last-error">${d.last_error}</span>` : nothing}
              </td>
              <td class="muted" data-label="Time">
                ${fmtDate(d.delivered_at ?? d.created_at)}${d.status === "pending" && d.next_attempt_at ? html`<br /><span class="small">next try ${fmtDate(d.next_attempt_at)}</span>` : nothing}
              </td>
              <td data-label="Actions">
                <button
                  type="button"
                  class="btn secondary small replay"
                  aria-label=${`Replay ${d.event_type} to ${d.url} (${STATUS_LABEL[d.status] ?? d.status}, ${fmtDate(d.created_at)})`}
                  ?disabled=${busy.has(d.id)}
                  @click=${() => replay(d)}
                >
                  Replay
                </button>
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

export function endpointList(all: Endpoint[], remove: (e: Endpoint) => void): TemplateResult {
  const items = all.filter((e) => e.active); // a removed endpoint only lives on in the log
  if (!items.length) return html`<p class="muted" id="no-endpoints">No endpoints yet: add one below, or set WEBHOOK_URLS.</p>`;
  return html`<ul class="endpoints" id="endpoints">
    ${items.map(
      (e) =>
        html`<li data-id=${e.id}>
          <div class="grow">
            <strong class="url">${e.url}</strong>
            <div class="muted small">
              ${e.events.length ? e.events.join(", ") : "Every event"} ·
              ${e.source === "settings" ? "from WEBHOOK_URLS (change it there)" : `added ${fmtDate(e.created_at)}`}${e.description && e.source !== "settings" ? html` · ${e.description}` : nothing}
            </div>
          </div>
          ${
            e.source === "api"
              ? html`<button type="button" class="btn danger small" aria-label=${`Remove endpoint ${e.url}`} @click=${() => remove(e)}>
                  Remove
                </button>`
              : nothing
          }
        </li>`,
    )}
  </ul>`;
}

export async function webhooksPage(ctx: AdminContext, main: HTMLElement, query: URLSearchParams): Promise<void> {
  const status = STATUSES.find((s) => s === query.get("status")) ?? "";
  let endpoints = await unwrap(ctx.api.GET("/api/webhooks/endpoints"));
  let deliveries = await unwrap(
    ctx.api.GET("/api/webhooks/deliveries", { params: { query: { limit: 100, ...(status ? { status } : {}) } } }),
  );
  if (!ctx.isCurrent()) return;
  let outcome: TemplateResult | typeof nothing = nothing;
  let created: TemplateResult | typeof nothing = nothing;
  let formProblem: TemplateResult | typeof nothing = nothing;
  const busy = new Set<string>();
  const watching = new Set<string>();

  const refresh = async () => {
    deliveries = await unwrap(
      ctx.api.GET("/api/webhooks/deliveries", { params: { query: { limit: 100, ...(status ? { status } : {}) } } }),
    );
    draw();
  };
  const follow = async (id: string) => {
    // The replay is sent in the background: follow it until it is delivered or failed.
    watching.add(id);
    for (let i = 0; i < 60 && ctx.isCurrent(); i++) {
      await new Promise((r) => setTimeout(r, 1000));
      try {
        const d = await unwrap(ctx.api.GET("/api/webhooks/deliveries/{delivery_id}", { params: { path: { delivery_id: id } } }));
        if (d.status !== "pending") {
          outcome = replayOutcome(d);
          watching.delete(id);
          await refresh();
          return;
        }
      } catch {
        // try again on the next round
      }
    }
    watching.delete(id);
  };
  const replayOutcome = (d: Delivery): TemplateResult =>
    html`<p class="notice ${d.status === "delivered" ? "ok" : d.status === "failed" ? "bad" : ""}" role="status" id="replay-outcome">
      Replay of ${d.event_type} to ${d.url}:
      ${STATUS_LABEL[d.status] ?? d.status}${d.last_status_code ? ` (HTTP ${d.last_status_code})` : ""} after ${d.attempts}
      ${d.attempts === 1 ? "attempt" : "attempts"}.
    </p>`;
  const replay = async (d: Delivery) => {
    busy.add(d.id);
    draw();
    try {
      const made = await unwrap(ctx.api.POST("/api/webhooks/deliveries/{delivery_id}/replay", { params: { path: { delivery_id: d.id } } }));
      outcome = replayOutcome(made);
      ctx.toast("Replay queued");
      await refresh();
      void follow(made.id);
    } catch (err) {
      outcome = alert(`The replay failed: ${problem(err)}`);
    } finally {
      busy.delete(d.id);
      draw();
    }
  };
  const remove = async (e: Endpoint) => {
    if (!confirm(`Stop sending webhooks to ${e.url}? Its delivery log stays; pending deliveries to it fail.`)) return;
    try {
      const { response, error } = await ctx.api.DELETE("/api/webhooks/endpoints/{endpoint_id}", {
        params: { path: { endpoint_id: e.id } },
      });
      if (!response.ok) throw new Error(errorMessage(response.status, response.statusText, error)); // 204: no body
      endpoints = await unwrap(ctx.api.GET("/api/webhooks/endpoints"));
      ctx.toast("Endpoint removed");
      draw();
    } catch (err) {
      ctx.toast(`The endpoint could not be removed: ${problem(err)}`);
    }
  };
  const add = async (ev: SubmitEvent) => {
    ev.preventDefault();
    const form = ev.target as HTMLFormElement;
    const data = new FormData(form);
    const text = (id: string) => (form.querySelector<HTMLInputElement>(`#${id}`)?.value ?? "").trim();
    const url = text("endpoint-url");
    const description = text("endpoint-description");
    const events = EVENT_TYPES.filter((t) => data.getAll("events").includes(t));
    try {
      const made = await unwrap(ctx.api.POST("/api/webhooks/endpoints", { body: { url, events, description: description || null } }));
      endpoints = await unwrap(ctx.api.GET("/api/webhooks/endpoints"));
      form.reset();
      formProblem = nothing;
      created = html`<div class="notice ok" role="status" id="endpoint-created">
        <p class="flush">Endpoint added: ${made.url}. Its signing secret is shown only now: store it in the receiver.</p>
        <label for="endpoint-secret" class="gap-top-sm">Signing secret</label>
        <input type="text" readonly id="endpoint-secret" .value=${made.secret} />
      </div>`;
      ctx.toast("Endpoint added");
    } catch (err) {
      formProblem = alert(problem(err));
    }
    draw();
  };

  const draw = () => {
    if (!ctx.isCurrent()) return;
    mount(
      main,
      html`<h1>Webhooks</h1>
        <p class="muted">
          Signed events sent to your systems (an ATS, for example): where they go, whether they arrived, and a replay for any delivery.
        </p>
        <section class="panel" aria-labelledby="deliveries-title">
          <div class="row spread gap-bottom">
            <h2 class="flush" id="deliveries-title">Deliveries</h2>
            <div class="row">
              <div class="field flush">
                <label for="wh-status">Status</label>
                <select
                  id="wh-status"
                  @change=${(ev: Event) => {
                    const v = (ev.target as HTMLSelectElement).value;
                    location.hash = v ? `#/webhooks?status=${encodeURIComponent(v)}` : "#/webhooks";
                  }}
                >
                  <option value="">Any status</option>
                  ${STATUSES.map((s) => html`<option value=${s} ?selected=${s === status}>${STATUS_LABEL[s]}</option>`)}
                </select>
              </div>
              <button type="button" class="btn secondary" id="wh-refresh" @click=${() => void refresh()}>Refresh</button>
            </div>
          </div>
          <div id="replay-out" aria-live="polite">${outcome}</div>
          <p class="muted small" id="wh-count" role="status">
            ${deliveries.total}
            ${deliveries.total === 1 ? "delivery" : "deliveries"}${status ? ` ${STATUS_LABEL[status]?.toLowerCase() ?? status}` : ""}${watching.size ? " · following a replay…" : ""}
          </p>
          ${
            deliveries.items.length
              ? deliveryTable(deliveries.items, (d) => void replay(d), busy)
              : html`<div class="empty">No deliveries${status ? " with this status" : " yet"}.</div>`
          }
        </section>
        <section class="panel" aria-labelledby="endpoints-title">
          <h2 id="endpoints-title">Endpoints</h2>
          ${endpointList(endpoints, (e) => void remove(e))}
          <h3>Add an endpoint</h3>
          ${formProblem} ${created}
          <form id="endpoint-form" @submit=${add}>
            <div class="field">
              <label for="endpoint-url">URL</label>
              <input type="text" id="endpoint-url" name="url" required inputmode="url" placeholder="https://ats.example.com/hooks" />
            </div>
            <fieldset class="field events">
              <legend>Events <span class="muted">(none ticked: every event)</span></legend>
              ${EVENT_TYPES.map(
                (t) => html`<label class="check"><input type="checkbox" name="events" value=${t} /> <span>${t}</span></label>`,
              )}
            </fieldset>
            <div class="field">
              <label for="endpoint-description">Description <span class="muted">(optional)</span></label>
              <input type="text" id="endpoint-description" name="description" maxlength="500" />
            </div>
            <button class="btn" type="submit" id="add-endpoint">Add endpoint</button>
          </form>
        </section>`,
    );
  };
  draw();
}

// --- personal data ---------------------------------------------------------------------------

const COUNT_LABELS: Record<string, string> = {
  candidates: "candidate records",
  interviews: "interviews and calls",
  transcripts: "transcripts (database)",
  results: "evaluations and call results",
  accommodation_requests: "accommodation requests",
  transcripts_objects: "transcript files (object storage)",
  reports_objects: "report files (object storage)",
  recordings_objects: "recordings (object storage)",
  transcripts_files: "transcript files (local disk)",
  reports_files: "report files (local disk)",
  recordings_files: "recordings (local disk)",
};

export function countsText(counts: Record<string, number>): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${COUNT_LABELS[k] ?? k.replace(/_/g, " ")}: ${n}`);
  return parts.length ? parts.join(", ") : "nothing";
}

const DELETION_KINDS: Record<string, string> = {
  candidate_request: "A candidate's data, on request",
  retention: "Retention purge",
};

export function deletionTable(items: Deletion[], highlight = ""): TemplateResult {
  if (!items.length) return html`<p class="muted" id="no-deletions">Nothing has been deleted yet.</p>`;
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label="Deletion log (scrolls sideways)">
    <table class="interviews" id="deletions">
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">What</th>
          <th scope="col">Deleted</th>
        </tr>
      </thead>
      <tbody>
        ${items.map(
          (d) =>
            html`<tr data-id=${d.id} class=${d.id === highlight ? "highlight" : ""} aria-current=${d.id === highlight ? "true" : nothing}>
              <td data-label="When">${fmtDate(d.created_at)}</td>
              <td data-label="What">${DELETION_KINDS[d.kind] ?? d.kind}</td>
              <td data-label="Deleted">${countsText(d.counts)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

export function accommodationTable(items: Accommodation[], withCandidate = true): TemplateResult {
  if (!items.length) return html`<p class="muted" id="no-accommodations">No accommodation requests.</p>`;
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label="Accommodation requests (scrolls sideways)">
    <table class="interviews" id="accommodations">
      <thead>
        <tr>
          ${withCandidate ? html`<th scope="col">Candidate</th>` : nothing}
          <th scope="col">Asked for</th>
          <th scope="col">Note</th>
          <th scope="col">Interview</th>
          <th scope="col">When</th>
        </tr>
      </thead>
      <tbody>
        ${items.map(
          (a) =>
            html`<tr data-id=${a.id}>
              ${
                withCandidate
                  ? html`<td data-label="Candidate">
                      ${
                        a.candidate_id
                          ? html`<a href=${`#/candidates/${encodeURIComponent(a.candidate_id)}`}>${a.candidate_name || "Candidate"}</a>`
                          : html`<span class="muted">—</span>`
                      }
                    </td>`
                  : nothing
              }
              <td data-label="Asked for">${a.kind_label}</td>
              <td data-label="Note" class="pre-wrap">${a.note || html`<span class="muted">—</span>`}</td>
              <td data-label="Interview">
                <a
                  href=${`#/interviews/${encodeURIComponent(a.interview_id)}`}
                  aria-label=${`Open interview${a.candidate_name ? ` with ${a.candidate_name}` : ""}`}
                  >Open interview</a
                >
              </td>
              <td class="muted" data-label="When">${fmtDate(a.created_at)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

/** #/privacy: the accommodation requests to act on, and the deletion log. */
export async function privacyPage(ctx: AdminContext, main: HTMLElement, query: URLSearchParams): Promise<void> {
  const [requests, deletions] = await Promise.all([unwrap(ctx.api.GET("/api/accommodations")), unwrap(ctx.api.GET("/api/deletions"))]);
  if (!ctx.isCurrent()) return;
  const deleted = query.get("deleted") ?? "";
  mount(
    main,
    html`<h1>Personal data</h1>
      <p class="muted">
        Requests from candidates for another format or a person instead of the AI interviewer, and the log of what was deleted. A
        candidate's export and deletion are on their page.
      </p>
      ${deleted && deletions.some((d) => d.id === deleted) ? alert("The candidate and all their data were deleted.", "ok") : nothing}
      <section class="panel" aria-labelledby="acc-title">
        <h2 id="acc-title">Accommodation requests</h2>
        ${accommodationTable(requests)}
      </section>
      <section class="panel" aria-labelledby="del-title">
        <h2 id="del-title">Deletion log</h2>
        <p class="muted small">What was deleted and when. The log never keeps whose data it was.</p>
        ${deletionTable(deletions, deleted)}
      </section>`,
  );
}

/** The candidate page's "Personal data" section: export, delete (with a confirmation
 * dialog naming the candidate and what goes), and their accommodation requests. */
export async function candidatePersonalData(
  ctx: AdminContext,
  candidate: Candidate,
  sessions: number,
  container: HTMLElement,
): Promise<void> {
  let requests: Accommodation[] = [];
  let problemView: TemplateResult | typeof nothing = nothing;
  let deleting = false;
  try {
    requests = await unwrap(ctx.api.GET("/api/accommodations", { params: { query: { candidate_id: candidate.id } } }));
  } catch (err) {
    problemView = alert(`The accommodation requests could not be loaded: ${problem(err)}`);
  }
  const dialog = () => container.querySelector<HTMLDialogElement>("#delete-dialog");
  const openDialog = () => {
    dialog()?.showModal();
    // the safe choice has the focus: Enter or Escape keeps the data
    container.querySelector<HTMLButtonElement>("#cancel-delete")?.focus();
  };
  const exportData = async () => {
    const day = new Date().toISOString().slice(0, 10);
    try {
      await saveFile(
        ctx,
        `/api/candidates/${encodeURIComponent(candidate.id)}/export`,
        `candidate-${candidate.id}.json`,
        `voicehire-export-${filePart(candidate.name)}-${day}.json`,
      );
      ctx.toast("Export downloaded");
    } catch (err) {
      ctx.toast(`The export failed: ${problem(err)}`);
    }
  };
  const remove = async () => {
    deleting = true;
    draw();
    try {
      const record = await unwrap(ctx.api.DELETE("/api/candidates/{candidate_id}", { params: { path: { candidate_id: candidate.id } } }));
      dialog()?.close();
      ctx.toast("Candidate deleted");
      location.hash = `#/privacy?deleted=${encodeURIComponent(record.id)}`;
    } catch (err) {
      deleting = false;
      problemView = alert(`Nothing was deleted: ${problem(err)}`);
      dialog()?.close();
      draw();
    }
  };
  const draw = () => {
    if (!ctx.isCurrent()) return;
    mount(
      container,
      html`<h2 id="personal-title">Personal data</h2>
        <p class="muted small">The candidate's right to a copy of their data, and to have it deleted.</p>
        ${problemView}
        <div class="row">
          <button type="button" class="btn secondary" id="export-data" @click=${() => void exportData()}>Export data (JSON)</button>
          <button type="button" class="btn danger" id="delete-candidate" @click=${openDialog}>Delete candidate…</button>
        </div>
        <h3>Accommodation requests</h3>
        ${accommodationTable(requests, false)}
        <dialog id="delete-dialog" aria-labelledby="delete-title" aria-describedby="delete-what">
          <h2 id="delete-title">Delete ${candidate.name}?</h2>
          <div id="delete-what">
            <p>This permanently deletes everything stored about <strong>${candidate.name}</strong>, in every store:</p>
            <ul>
              <li>their profile and the fields collected about them;</li>
              <li>
                their ${sessions} ${sessions === 1 ? "interview or call" : "interviews and calls"}, with transcripts, evaluations, reports
                and audio recordings — in the database, on the server's disk and in object storage;
              </li>
              <li>their self-identification answers and accommodation requests.</li>
            </ul>
            <p>
              It cannot be undone. The deletion log keeps only the date and how many items were deleted — no name or other personal data.
            </p>
          </div>
          <div class="row gap-top">
            <button type="button" class="btn danger" id="confirm-delete" ?disabled=${deleting} @click=${() => void remove()}>
              ${deleting ? "Deleting…" : `Delete ${candidate.name} permanently`}
            </button>
            <button type="button" class="btn secondary" id="cancel-delete" @click=${() => dialog()?.close()}>Cancel</button>
          </div>
        </dialog>`,
    );
  };
  draw();
}
