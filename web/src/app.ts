// The recruiter dashboard: sign in with the API's admin credential, create candidates and
// interviews, follow them, read the transcript and the evaluation, override the
// recommendation, and start gap-filling calls or voice briefings.
import "./styles.css";
import "./dashboard/dashboard.css";
import { ApiError, createApi, parseWebConfig, unwrap, type Candidate, type Interview, type Job, type Schemas, type WebConfig } from "./api";
import type { paths } from "./generated/api";
import { badgeClass, label, modeLabel, splitList } from "./format";
import {
  callResultView,
  candidateFields,
  candidateName,
  candidateProfile,
  candidateTable,
  evaluationView,
  interviewDetails,
  interviewTable,
  jobDetails,
  jobTable,
  reportPage,
  transcriptView,
  type SortKey,
} from "./dashboard/views";
import { parseCallResult, parseEvaluation } from "./dashboard/results";
import { showCompare } from "./dashboard/compare";
import { showLive } from "./dashboard/live";
import { quoteLinks, recordingPanel, recordingSource } from "./dashboard/record";
import { biasAuditSection, candidatePersonalData, privacyPage, webhooksPage, type AdminContext } from "./dashboard/admin";
import { InviteMailer } from "./dashboard/invites";
import { briefingResultView, parseBriefingResult } from "./calls/briefing";
import { linkBox } from "./calls/link";
import { competencyLabel, outcomeLabel, parseLabels, setLabels } from "./dashboard/labels";
import { stageOfStageDoc, stagesOfFull, type StageView } from "./dashboard/transcripts";
import { obj, str } from "./json";
import { byId, html, mount, nothing, type TemplateResult } from "./view";

const main = byId("main");
const TOKEN_KEY = "voicehire.adminToken";
let config: WebConfig;

// Each page shown gets a number; polls and late responses of an earlier page see that
// theirs is no longer current and stop, instead of drawing over the page now shown.
let pageNumber = 0;

function newPage(): () => boolean {
  const mine = ++pageNumber;
  return () => mine === pageNumber;
}

/** Run `fn` every `ms` while the page that started it is shown (or until it returns true).
 * A failing refresh is said once (and again after it recovered), not every few seconds. */
function poll(isCurrent: () => boolean, ms: number, fn: () => Promise<boolean>): void {
  let failing = false;
  const timer = window.setInterval(() => {
    if (!isCurrent()) return clearInterval(timer);
    fn().then(
      (done) => {
        failing = false;
        if (done) clearInterval(timer);
      },
      (err: unknown) => {
        if (!failing && isCurrent()) toast(`Could not refresh this page: ${message(err)}`);
        failing = true;
      },
    );
  }, ms);
}

// --- API access -----------------------------------------------------------------------
function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

const api = createApi({
  token,
  onUnauthorized() {
    if (!token()) return;
    sessionStorage.removeItem(TOKEN_KEY);
    login("Your session has expired or the admin token is wrong. Please sign in again.");
  },
});

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function notice(text: string, kind: "bad" | "warn" | "ok" = "bad"): TemplateResult {
  return html`<p class="notice ${kind}" role="alert">${text}</p>`;
}

let toastTimer = 0;
function toast(text: string): void {
  const el = byId("toast");
  el.textContent = text;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = window.setTimeout(() => (el.hidden = true), 3500);
}

function inviteUrl(room: string): string {
  return `${location.origin}/join/${encodeURIComponent(room)}`;
}

async function copy(text: string, input: HTMLInputElement | null): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    toast("Invite link copied");
  } catch {
    // No clipboard access (plain http on another host, or refused): select it for Ctrl+C.
    input?.select();
    toast("Copying was refused by the browser: the link is selected, press Ctrl+C to copy it");
  }
}

function inviteBox(link: string, ariaLabel = "Invite link"): TemplateResult {
  return html`<input type="text" readonly id="invite-link" .value=${link} aria-label=${ariaLabel} />
    <button
      class="btn secondary"
      type="button"
      id="copy-link"
      @click=${(ev: Event) => copy(link, (ev.target as HTMLElement).parentElement?.querySelector("input") ?? null)}
    >
      Copy invite link
    </button>`;
}

// --- sign-in ----------------------------------------------------------------------------
function signedIn(open: boolean): void {
  byId("nav").hidden = false;
  byId("who").textContent = open ? "Local admin (this machine)" : "Signed in";
  byId("signout").hidden = open;
}

function login(problem?: string): void {
  newPage();
  byId("nav").hidden = true;
  byId("signout").hidden = true;
  byId("who").textContent = "";
  const submit = async (ev: SubmitEvent) => {
    ev.preventDefault();
    const value = byId("admin-token", HTMLInputElement).value.trim();
    try {
      // A client of its own: a wrong token here is an answer, not an expired session.
      await unwrap(createApi().GET("/api/interviews", { params: { query: { limit: 1 } }, headers: { Authorization: `Bearer ${value}` } }));
    } catch (err) {
      login(err instanceof ApiError && err.status === 401 ? "That admin token is not valid." : message(err));
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, value);
    signedIn(false);
    if (!location.hash || location.hash === "#/login") location.hash = "#/interviews";
    void route();
  };
  mount(
    main,
    html`<section class="panel signin">
      <h1>Sign in</h1>
      <p class="muted">The hiring dashboard needs the API's admin credential (<code>VH_ADMIN_TOKEN</code>).</p>
      ${problem ? notice(problem) : nothing}
      <form id="login-form" @submit=${submit}>
        <div class="field">
          <label for="admin-token">Admin token</label>
          <input type="password" id="admin-token" autocomplete="current-password" required />
        </div>
        <button class="btn" type="submit">Sign in</button>
      </form>
    </section>`,
  );
  const input = byId("admin-token", HTMLInputElement);
  input.value = "";
  input.focus();
}

byId("signout").addEventListener("click", () => {
  sessionStorage.removeItem(TOKEN_KEY);
  login();
});

// --- routing -----------------------------------------------------------------------------
async function route(): Promise<void> {
  const isCurrent = newPage();
  if (config.adminTokenRequired && !token()) return login();
  const [path = ""] = (location.hash || "#/interviews").split("?");
  const [, view, id] = path.split("/");
  for (const a of document.querySelectorAll<HTMLAnchorElement>("#nav a")) a.classList.toggle("active", a.dataset.nav === view);
  try {
    const sub = path.split("/")[3];
    if (view === "new") await newInterview(isCurrent);
    else if (view === "interviews" && id && sub === "live") await showLive(api, main, decodeURIComponent(id), isCurrent, token);
    else if (view === "interviews" && id && sub === "report") await reportRoute(decodeURIComponent(id), isCurrent);
    else if (view === "interviews" && id) await detail(decodeURIComponent(id), isCurrent);
    else if (view === "compare") await showCompare(api, main, new URLSearchParams(location.hash.split("?")[1] ?? ""), isCurrent);
    else if (view === "jobs" && id) await jobPage(decodeURIComponent(id), isCurrent);
    else if (view === "jobs") await jobsPage(isCurrent);
    else if (view === "candidates" && id) await candidatePage(decodeURIComponent(id), isCurrent);
    else if (view === "candidates") await candidatesPage(isCurrent);
    else if (view === "webhooks") await webhooksPage(adminContext(isCurrent), main, hashQuery());
    else if (view === "privacy") await privacyPage(adminContext(isCurrent), main, hashQuery());
    else await list(isCurrent);
    if (isCurrent()) focusHeading();
  } catch (err) {
    if (isCurrent() && !(err instanceof ApiError && err.status === 401)) mount(main, notice(message(err)));
  }
}
window.addEventListener("hashchange", () => void route());

function adminContext(isCurrent: () => boolean): AdminContext {
  return { api, toast, token, isCurrent };
}

function hashQuery(): URLSearchParams {
  return new URLSearchParams(location.hash.split("?")[1] ?? "");
}

// --- interview list -----------------------------------------------------------------------
const MODES: readonly ["" | Mode, string][] = [
  ["", "Any type"],
  ["ai_interview", "Interview"],
  ["gap_filling", "Gap-filling call"],
  ["briefing", "Voice briefing"],
];
const OUTCOMES = ["completed", "ended_early", "by_request", "unresponsive", "abandoned", "no_show", "cancelled"] as const;
const DECISIONS: readonly [Decision, string][] = [
  ["hire", "Hire"],
  ["maybe", "Maybe"],
  ["no_hire", "No hire"],
  ["needs_review", "Needs human review"],
];
const SORTS: readonly SortKey[] = ["created", "candidate", "role", "outcome", "score", "decision", "duration"];

type Mode = NonNullable<Schemas["InterviewCreate"]["mode"]>;
type ListQuery = NonNullable<paths["/api/interviews"]["get"]["parameters"]["query"]>;
type Outcome = NonNullable<ListQuery["outcome"]>;
type Decision = NonNullable<ListQuery["recommendation"]>;

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | "" {
  return allowed.find((a) => a === value) ?? "";
}

/** Moves keyboard focus to the new page's heading (a screen reader announces the page). */
function focusHeading(): void {
  const h = main.querySelector("h1");
  if (h && document.activeElement === document.body) {
    h.setAttribute("tabindex", "-1");
    h.focus({ preventScroll: true });
  }
}

/** Saves what the server sends (CSV, PDF) as a file, with the admin token. */
async function download(path: string, fallbackName: string): Promise<void> {
  const headers: Record<string, string> = {};
  const t = token();
  if (t) headers.Authorization = `Bearer ${t}`;
  const res = await fetch(path, { headers });
  if (!res.ok) {
    const body: unknown = await res.json().catch(() => null);
    const problem = obj(body);
    throw new Error(str(problem.message) || `${res.status} ${res.statusText}`);
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function list(isCurrent: () => boolean): Promise<void> {
  const params = new URLSearchParams(location.hash.split("?")[1] ?? "");
  const q = (params.get("q") ?? "").slice(0, 200);
  const mode = oneOf<Mode>(
    params.get("mode"),
    MODES.map(([m]) => m).filter((m): m is Mode => m !== ""),
  );
  const outcome = oneOf<Outcome>(params.get("outcome"), OUTCOMES);
  const recommendation = oneOf<Decision>(
    params.get("recommendation"),
    DECISIONS.map(([d]) => d),
  );
  const jobId = /^[A-Za-z0-9_-]{1,64}$/.test(params.get("job") ?? "") ? (params.get("job") ?? "") : "";
  const sort = oneOf<SortKey>(params.get("sort"), SORTS) || "created";
  const order = params.get("order") === "asc" ? "asc" : "desc";
  const jobs = await unwrap(api.GET("/api/jobs", { params: { query: { limit: 200 } } }));
  if (!isCurrent()) return;

  const go = (over: Record<string, string> = {}) => {
    const next = new URLSearchParams();
    const value = (id: string) => byId(id, HTMLInputElement).value.trim();
    const pick = (id: string) => byId(id, HTMLSelectElement).value;
    const fields: Record<string, string> = {
      q: value("f-search"),
      job: pick("f-job"),
      outcome: pick("f-outcome"),
      recommendation: pick("f-rec"),
      mode: pick("f-mode"),
      sort,
      order,
      ...over,
    };
    for (const [k, v] of Object.entries(fields)) if (v && !(k === "sort" && v === "created" && fields.order === "desc")) next.set(k, v);
    if (next.get("order") === "desc" && !next.has("sort")) next.delete("order");
    location.hash = `#/interviews${next.toString() ? `?${next.toString()}` : ""}`;
  };
  const sortBy = (key: SortKey) =>
    go({ sort: key, order: key === sort ? (order === "asc" ? "desc" : "asc") : key === "candidate" || key === "role" ? "asc" : "desc" });
  const query = (): ListQuery => ({
    ...(q ? { q } : {}),
    ...(mode ? { mode } : {}),
    ...(outcome ? { outcome } : {}),
    ...(recommendation ? { recommendation } : {}),
    ...(jobId ? { job_id: jobId } : {}),
    sort,
    order,
  });
  const exportCsv = async () => {
    const search = new URLSearchParams(Object.entries(query()).map(([k, v]) => [k, String(v)]));
    try {
      await download(`/api/interviews/export.csv?${search.toString()}`, "interviews.csv");
      toast("CSV downloaded");
    } catch (err) {
      toast(`The export failed: ${message(err)}`);
    }
  };
  const filtered = Boolean(q || mode || outcome || recommendation || jobId);

  let count = "";
  let table: TemplateResult = html`<p class="muted">Loading…</p>`;
  const view = () =>
    html`<div class="row spread gap-bottom">
        <div>
          <h1>Interviews</h1>
          <p class="muted flush">Decide from here: what happened, the score, the recommendation and your decision.</p>
        </div>
        <div class="row">
          ${jobId ? html`<a class="btn secondary" id="compare-job" href=${`#/compare?job=${encodeURIComponent(jobId)}`}>Compare candidates</a>` : nothing}
          <button type="button" class="btn secondary" id="export-csv" @click=${() => void exportCsv()}>Export CSV</button>
          <a class="btn" href="#/new">+ New interview</a>
        </div>
      </div>
      <section class="panel">
        <form
          class="filters"
          id="filters"
          role="search"
          aria-label="Search and filter interviews"
          @submit=${(ev: SubmitEvent) => {
            ev.preventDefault();
            go();
          }}
        >
          <div class="field grow">
            <label for="f-search">Search</label
            ><input type="search" id="f-search" .value=${q} placeholder="Candidate, role or outcome" autocomplete="off" />
          </div>
          <div class="field">
            <label for="f-job">Job</label
            ><select id="f-job" @change=${() => go()}>
              <option value="">Any job</option>
              ${jobs.items.map((j) => html`<option value=${j.id} ?selected=${j.id === jobId}>${j.title}${j.level ? ` · ${j.level}` : ""}</option>`)}
            </select>
          </div>
          <div class="field">
            <label for="f-outcome">Outcome</label
            ><select id="f-outcome" @change=${() => go()}>
              <option value="">Any outcome</option>
              ${OUTCOMES.map((o) => html`<option value=${o} ?selected=${o === outcome}>${outcomeLabel(o)}</option>`)}
            </select>
          </div>
          <div class="field">
            <label for="f-rec">Recommendation</label
            ><select id="f-rec" @change=${() => go()}>
              <option value="">Any recommendation</option>
              ${DECISIONS.map(([d, t]) => html`<option value=${d} ?selected=${d === recommendation}>${t}</option>`)}
            </select>
          </div>
          <div class="field">
            <label for="f-mode">Type</label
            ><select id="f-mode" @change=${() => go()}>
              ${MODES.map(([v, t]) => html`<option value=${v} ?selected=${v === mode}>${t}</option>`)}
            </select>
          </div>
          <button class="btn secondary" type="submit" id="apply-search">Search</button>
          <span class="muted small" id="count" role="status">${count}</span>
        </form>
        <div id="table">${table}</div>
      </section>`;
  mount(main, view());

  const render = async () => {
    const data = await unwrap(api.GET("/api/interviews", { params: { query: { limit: 200, ...query() } } }));
    if (!isCurrent()) return true;
    count = `${data.total} ${data.total === 1 ? "interview" : "interviews"}`;
    table = data.items.length
      ? interviewTable(data.items, { open: (id) => (location.hash = `#/interviews/${encodeURIComponent(id)}`), sortBy }, { sort, order })
      : html`<div class="empty">No interviews${filtered ? " match this search" : " yet"}. <a href="#/new">Create one</a>.</div>`;
    mount(main, view());
    return false;
  };
  await render();
  poll(isCurrent, 5000, render);
}

// --- report page ----------------------------------------------------------------------------
async function reportRoute(id: string, isCurrent: () => boolean): Promise<void> {
  const path = { interview_id: id };
  const [interview, result, stages] = await Promise.all([
    unwrap(api.GET("/api/interviews/{interview_id}", { params: { path } })),
    unwrap(api.GET("/api/interviews/{interview_id}/result", { params: { path } })),
    loadStages(id),
  ]);
  if (!isCurrent()) return;
  const evaluation = parseEvaluation(result.result);
  if (!evaluation) {
    mount(main, notice("This session has no evaluation report (a call's result is on its page)."));
    return;
  }
  // The stored transcript, or else the stages the evaluation keeps with it.
  const shown: StageView[] = stages.length
    ? stages
    : (evaluation.stages ?? []).map((st) => ({
        stage: st.stage,
        title: st.title,
        durationSeconds: null,
        endReason: "",
        lines: (st.lines ?? []).map((l) => {
          const ai = l.isAI === true;
          return { ai, who: ai ? "Interviewer" : "Candidate", message: str(l.message) };
        }),
      }));
  const recording = await recordingSource(api, id, token());
  if (!isCurrent()) return;
  mount(
    main,
    reportPage(evaluation, interview, shown, {
      downloadPdf: () => void downloadPdf(id),
      quote: quoteLinks(shown),
      recording: recordingPanel(recording),
    }),
  );
}

async function downloadPdf(id: string): Promise<void> {
  try {
    await download(`/api/interviews/${encodeURIComponent(id)}/report.pdf`, `interview_${id}.pdf`);
    toast("PDF downloaded");
  } catch (err) {
    toast(`The PDF could not be made: ${message(err)}`);
  }
}

// --- jobs -------------------------------------------------------------------------------------
async function jobsPage(isCurrent: () => boolean): Promise<void> {
  const jobs = await unwrap(api.GET("/api/jobs", { params: { query: { limit: 200 } } }));
  if (!isCurrent()) return;
  let busy = false;
  let problem: TemplateResult | typeof nothing = nothing;
  const value = (id: string) => byId(id, HTMLInputElement).value.trim();
  const submit = async (ev: SubmitEvent) => {
    ev.preventDefault();
    if (busy) return;
    const title = value("job-title");
    const level = value("job-level");
    const existing = jobs.items.find(
      (j) => j.title.toLowerCase() === title.toLowerCase() && (j.level ?? "").toLowerCase() === level.toLowerCase(),
    );
    if (existing) {
      problem = notice(`"${existing.title}" already exists; it opens instead of a copy.`, "warn");
      location.hash = `#/jobs/${encodeURIComponent(existing.id)}`;
      return;
    }
    busy = true;
    draw();
    try {
      const job = await unwrap(
        api.POST("/api/jobs", {
          body: {
            title,
            level: level || null,
            description: byId("job-description-input", HTMLTextAreaElement).value.trim() || null,
            required_skills: splitList(value("job-skills")),
            plan: byId("job-plan", HTMLSelectElement).value,
          },
        }),
      );
      toast("Job created");
      location.hash = `#/jobs/${encodeURIComponent(job.id)}`;
    } catch (err) {
      problem = notice(message(err));
      busy = false;
      draw();
    }
  };
  const draw = () =>
    mount(
      main,
      html`<h1>Jobs</h1>
        <p class="muted">
          Each job's description, level and skills choose the technical questions; add your own questions on the job's page.
        </p>
        <section class="panel">${jobs.items.length ? jobTable(jobs.items) : html`<p class="muted">No jobs yet.</p>`}</section>
        <section class="panel">
          <h2>New job</h2>
          ${problem}
          <form id="job-form" @submit=${submit}>
            <div class="grid2">
              <div class="field"><label for="job-title">Title</label><input type="text" id="job-title" required autocomplete="off" /></div>
              <div class="field">
                <label for="job-level">Level <span class="muted">(optional)</span></label
                ><input type="text" id="job-level" autocomplete="off" />
              </div>
            </div>
            <div class="field">
              <label for="job-skills">Required skills <span class="muted">(comma-separated)</span></label
              ><input type="text" id="job-skills" autocomplete="off" />
            </div>
            <div class="field">
              <label for="job-description-input">Description</label><textarea id="job-description-input" rows="4"></textarea>
            </div>
            <div class="field">
              <label for="job-plan">Interview plan</label
              ><select id="job-plan">
                ${config.plans.map((p) => html`<option value=${p.id} ?selected=${p.id === "full"}>${p.title} (${p.stages} stages)</option>`)}
              </select>
            </div>
            <button class="btn" type="submit" id="create-job" ?disabled=${busy}>Create job</button>
          </form>
        </section>`,
    );
  draw();
}

const COMPETENCIES = ["technical_accuracy", "problem_solving", "communication", "collaboration", "ownership", "impact", "customer_focus"];

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40) || "question"
  );
}

async function jobPage(id: string, isCurrent: () => boolean): Promise<void> {
  let job: Job = await unwrap(api.GET("/api/jobs/{job_id}", { params: { path: { job_id: id } } }));
  const interviews = await unwrap(
    api.GET("/api/interviews", { params: { query: { job_id: id, limit: 200, sort: "score", order: "desc" } } }),
  );
  if (!isCurrent()) return;
  let busy = false;
  let problem: TemplateResult | typeof nothing = nothing;
  const save = async (questions: Job["custom_questions"]) => {
    busy = true;
    draw();
    try {
      job = await unwrap(
        api.PUT("/api/jobs/{job_id}/questions", {
          params: { path: { job_id: id } },
          // The stored questions are in the plan's question format already.
          body: { custom_questions: questions as Schemas["Question"][] },
        }),
      );
      problem = nothing;
      return true;
    } catch (err) {
      problem = notice(message(err));
      return false;
    } finally {
      busy = false;
      if (isCurrent()) draw();
    }
  };
  const plain = (q: Job["custom_questions"][number]) => {
    const copy: Record<string, unknown> = { ...q };
    delete copy.source;
    return copy as Job["custom_questions"][number];
  };
  const addQuestion = async (ev: SubmitEvent) => {
    ev.preventDefault();
    if (busy) return;
    const text = byId("q-text", HTMLTextAreaElement).value.trim();
    const competency = byId("q-competency", HTMLSelectElement).value;
    const indicators = byId("q-indicators", HTMLTextAreaElement)
      .value.split("\n")
      .map((l) => l.trim())
      .filter((l) => l.length >= 3);
    if (!indicators.length) {
      problem = notice("Write at least one thing a good answer shows (one per line, 3 characters or more).");
      return draw();
    }
    const taken = new Set(job.custom_questions.map((q) => str(q.id)));
    let qid = `custom.${slug(text)}`;
    for (let n = 2; taken.has(qid); n++) qid = `custom.${slug(text)}-${n}`;
    const question = { id: qid, text, rubric: [{ competency, indicators: indicators.map((t) => ({ kind: "content", text: t })) }] };
    if (await save([...job.custom_questions.map(plain), question])) {
      toast("Question added");
      const form = document.getElementById("question-form");
      if (form instanceof HTMLFormElement) form.reset();
    }
  };
  const removeQuestion = async (index: number) => {
    if (await save(job.custom_questions.filter((_, i) => i !== index).map(plain))) toast("Question removed");
  };
  const generate = async () => {
    busy = true;
    draw();
    try {
      job = await unwrap(api.POST("/api/jobs/{job_id}/questions/generate", { params: { path: { job_id: id } } }));
      problem = nothing;
      toast("Questions generated");
    } catch (err) {
      problem = notice(message(err), "warn");
    } finally {
      busy = false;
      if (isCurrent()) draw();
    }
  };
  const planTitle = () => config.plans.find((p) => p.id === job.plan)?.title ?? job.plan;
  const draw = () =>
    mount(
      main,
      html`<p><a href="#/jobs">← All jobs</a></p>
        <h1>${job.title}${job.level ? html` <span class="muted">· ${job.level}</span>` : nothing}</h1>
        <div id="job-problem" aria-live="polite">${problem}</div>
        <div class="grid2">
          <section class="panel">
            <h2>The job</h2>
            ${jobDetails(job, planTitle(), { removeQuestion: (i) => void removeQuestion(i), generate: () => void generate() })}
          </section>
          <section class="panel">
            <h2>Add a custom question</h2>
            <form id="question-form" @submit=${addQuestion}>
              <div class="field"><label for="q-text">Question</label><textarea id="q-text" rows="2" required minlength="3"></textarea></div>
              <div class="field">
                <label for="q-competency">Competency it probes</label
                ><select id="q-competency">
                  ${COMPETENCIES.map((c) => html`<option value=${c}>${competencyLabel(c)}</option>`)}
                </select>
              </div>
              <div class="field">
                <label for="q-indicators">What a good answer shows <span class="muted">(one per line)</span></label
                ><textarea id="q-indicators" rows="3" required></textarea>
              </div>
              <button class="btn" type="submit" id="add-question" ?disabled=${busy}>Add question</button>
            </form>
          </section>
        </div>
        <section class="panel">
          <div class="row spread">
            <h2 class="flush">Candidates for this job</h2>
            <div class="row">
              <a class="btn secondary small" href=${`#/compare?job=${encodeURIComponent(id)}`} id="compare-job">Compare candidates</a>
              <a class="btn secondary small" href=${`#/interviews?job=${encodeURIComponent(id)}`}>Open in the list</a>
            </div>
          </div>
          ${
            interviews.items.length
              ? interviewTable(interviews.items, (iid) => (location.hash = `#/interviews/${encodeURIComponent(iid)}`))
              : html`<p class="muted">No interviews for this job yet.</p>`
          }
        </section>
        <section class="panel" id="bias-audit" aria-labelledby="bias-title"></section>`,
    );
  draw();
  await biasAuditSection(adminContext(isCurrent), id, byId("bias-audit"));
}

// --- candidates -------------------------------------------------------------------------------
async function candidatesPage(isCurrent: () => boolean): Promise<void> {
  const cands = await unwrap(api.GET("/api/candidates", { params: { query: { limit: 200 } } }));
  if (!isCurrent()) return;
  mount(
    main,
    html`<div class="row spread gap-bottom">
        <h1>Candidates</h1>
        <a class="btn" href="#/new">+ New interview</a>
      </div>
      <section class="panel">${cands.items.length ? candidateTable(cands.items) : html`<p class="muted">No candidates yet.</p>`}</section>`,
  );
}

async function candidatePage(id: string, isCurrent: () => boolean): Promise<void> {
  const [candidate, sessions] = await Promise.all([
    unwrap(api.GET("/api/candidates/{candidate_id}", { params: { path: { candidate_id: id } } })),
    unwrap(api.GET("/api/interviews", { params: { query: { candidate_id: id, limit: 200 } } })),
  ]);
  if (!isCurrent()) return;
  const interviews = sessions.items.filter((i) => i.mode === "ai_interview");
  const calls = sessions.items.filter((i) => i.mode !== "ai_interview");
  const open = (iid: string) => (location.hash = `#/interviews/${encodeURIComponent(iid)}`);
  mount(
    main,
    html`<p><a href="#/candidates">← All candidates</a></p>
      <h1>${candidate.name}</h1>
      <div class="grid2">
        <section class="panel">
          <h2>Profile</h2>
          ${candidateProfile(candidate)}
        </section>
        <section class="panel">
          <h2>Fields and gap-filling</h2>
          <p class="muted small">What the candidate's record holds, and what a gap-filling call still has to ask.</p>
          ${candidateFields(candidate)}
        </section>
      </div>
      <section class="panel">
        <h2>Interviews</h2>
        ${interviews.length ? interviewTable(interviews, open) : html`<p class="muted">No interviews yet.</p>`}
      </section>
      <section class="panel">
        <h2>Calls and briefings</h2>
        ${calls.length ? interviewTable(calls, open) : html`<p class="muted">No calls or briefings yet.</p>`}
      </section>
      <section class="panel" id="personal-data" aria-labelledby="personal-title"></section>`,
  );
  await candidatePersonalData(adminContext(isCurrent), candidate, sessions.items.length, byId("personal-data"));
}

// --- new interview ------------------------------------------------------------------------
async function newInterview(isCurrent: () => boolean): Promise<void> {
  const [cands, jobs] = await Promise.all([
    unwrap(api.GET("/api/candidates", { params: { query: { limit: 200 } } })),
    unwrap(api.GET("/api/jobs", { params: { query: { limit: 200 } } })),
  ]);
  if (!isCurrent()) return;
  let candidateId = "";
  let jobId = "";
  let mode: Mode = "ai_interview";
  let busy = false;
  let created: () => TemplateResult | typeof nothing = () => nothing;
  const value = (id: string) => byId(id, HTMLInputElement).value.trim();

  const submit = async (ev: SubmitEvent) => {
    ev.preventDefault();
    busy = true;
    mount(main, view());
    try {
      // A candidate or job made here is picked from then on: a retry after a failure, or
      // the next interview, reuses it instead of creating a copy. So is an existing
      // candidate with the same email, and an existing job with the same title and level.
      let cid = candidateId;
      if (!cid) {
        const name = value("cand-name");
        if (!name) throw new Error("Enter the candidate's name.");
        const email = value("cand-email");
        const same = email ? cands.items.find((c) => (c.email ?? "").toLowerCase() === email.toLowerCase()) : undefined;
        const c =
          same ??
          (await unwrap(
            api.POST("/api/candidates", { body: { name, email: email || null, missing_required: splitList(value("cand-missing")) } }),
          ));
        if (!same) cands.items.unshift(c);
        cid = candidateId = c.id;
      }
      let jid = jobId;
      const plan = byId("plan", HTMLSelectElement).value;
      if (!jid) {
        const title = value("job-title");
        if (!title) throw new Error("Enter the job title (or pick an existing job).");
        const level = value("job-level");
        const same = jobs.items.find(
          (j) => j.title.toLowerCase() === title.toLowerCase() && (j.level ?? "").toLowerCase() === level.toLowerCase(),
        );
        const j =
          same ??
          (await unwrap(
            api.POST("/api/jobs", {
              body: { title, level: level || null, required_skills: splitList(value("job-skills")), plan },
            }),
          ));
        if (!same) jobs.items.unshift(j);
        jid = jobId = j.id;
      }
      const made = await unwrap(api.POST("/api/interviews", { body: { candidate_id: cid, job_id: jid, plan, mode } }));
      const form = document.getElementById("new-form");
      if (form instanceof HTMLFormElement) form.reset();
      candidateId = "";
      jobId = "";

      const link = inviteUrl(made.interview.room_name);
      const email = cands.items.find((c) => c.id === cid)?.email ?? null;
      const target = { interviewId: made.interview.id, email, configured: config.email };
      const mailer = new InviteMailer(api, target, made.interview.invite ?? null, () => isCurrent() && mount(main, view()));
      created = () =>
        html`<section class="panel" aria-live="polite">
          <h2>Interview created</h2>
          <p>Send this invite link to the candidate:</p>
          <div class="invite">
            ${inviteBox(link)}
            <a class="btn secondary" href=${link} target="_blank" rel="noopener">Open</a>
          </div>
          ${mailer.createdView()}
          <p class="gap-top"><a href=${`#/interviews/${encodeURIComponent(made.interview.id)}`}>View the interview →</a></p>
        </section>`;
      toast("Interview created");
    } catch (err) {
      const problem = notice(message(err));
      created = () => problem;
    } finally {
      busy = false;
      if (isCurrent()) mount(main, view());
      const box = document.getElementById("created");
      if (box) {
        // The result (the invite link, or what went wrong) comes into view and takes focus.
        box.scrollIntoView({ block: "start" });
        box.querySelector<HTMLElement>("#invite-link, [role=alert]")?.focus();
      }
    }
  };

  const view = () =>
    html`<h1>New interview</h1>
      <p class="muted">Create the candidate and the job if they are new, pick a plan, and send the candidate the invite link.</p>
      <form id="new-form" class="grid2 gap-top" @submit=${submit}>
        <section class="panel">
          <h2>Candidate</h2>
          <div class="field">
            <label for="cand-select">Candidate</label
            ><select
              id="cand-select"
              @change=${(ev: Event) => {
                candidateId = (ev.target as HTMLSelectElement).value;
                mount(main, view());
              }}
            >
              <option value="">+ New candidate</option>
              ${cands.items.map(
                (c) => html`<option value=${c.id} ?selected=${c.id === candidateId}>${c.name}${c.email ? ` (${c.email})` : ""}</option>`,
              )}
            </select>
          </div>
          <div id="cand-new" ?hidden=${!!candidateId}>
            <div class="field"><label for="cand-name">Full name</label><input type="text" id="cand-name" autocomplete="off" /></div>
            <div class="field">
              <label for="cand-email">Email <span class="muted">(optional)</span></label
              ><input type="email" id="cand-email" autocomplete="off" />
            </div>
            <div class="field">
              <label for="cand-missing">Missing profile fields <span class="muted">(optional, comma-separated)</span></label
              ><input type="text" id="cand-missing" placeholder="e.g. notice_period, salary_expectation" />
              <p class="hint">A gap-filling call asks the candidate for these.</p>
            </div>
          </div>
        </section>
        <section class="panel">
          <h2>Job and plan</h2>
          <div class="field">
            <label for="job-select">Job</label
            ><select
              id="job-select"
              @change=${(ev: Event) => {
                jobId = (ev.target as HTMLSelectElement).value;
                mount(main, view());
              }}
            >
              <option value="">+ New job</option>
              ${jobs.items.map((j) => html`<option value=${j.id} ?selected=${j.id === jobId}>${j.title}${j.level ? ` · ${j.level}` : ""}</option>`)}
            </select>
          </div>
          <div id="job-new" ?hidden=${!!jobId}>
            <div class="field">
              <label for="job-title">Job title</label
              ><input type="text" id="job-title" placeholder="e.g. Backend Engineer" autocomplete="off" />
            </div>
            <div class="field">
              <label for="job-level">Level <span class="muted">(optional)</span></label
              ><input type="text" id="job-level" placeholder="e.g. Senior" autocomplete="off" />
            </div>
            <div class="field">
              <label for="job-skills">Required skills <span class="muted">(optional, comma-separated)</span></label
              ><input type="text" id="job-skills" placeholder="Python, SQL, system design" />
            </div>
          </div>
          <div class="field">
            <label for="plan">Interview plan</label
            ><select id="plan">
              ${config.plans.map((p) => html`<option value=${p.id}>${p.title} (${p.stages} stages)</option>`)}
            </select>
          </div>
          <div class="field">
            <label for="mode">Type</label
            ><select
              id="mode"
              @change=${(ev: Event) => {
                mode = (ev.target as HTMLSelectElement).value as Mode;
                mount(main, view());
              }}
            >
              <option value="ai_interview">Interview</option>
              <option value="gap_filling">Gap-filling call</option>
              <option value="briefing">Voice briefing</option>
            </select>
            <p class="hint" id="mode-hint">
              ${config.sessionTypes.includes(mode) ? "" : "The agent on this server cannot run this type of session yet (only interviews)."}
            </p>
          </div>
          <button class="btn big" type="submit" id="create" ?disabled=${busy}>Create interview</button>
        </section>
      </form>
      <div id="created">${created()}</div>`;
  mount(main, view());
}

// --- one interview -------------------------------------------------------------------------
const TERMINAL = ["completed", "cancelled", "error"];

async function detail(id: string, isCurrent: () => boolean): Promise<void> {
  const interview = await unwrap(api.GET("/api/interviews/{interview_id}", { params: { path: { interview_id: id } } }));
  const candidate: Candidate | null = interview.candidate_id
    ? await unwrap(api.GET("/api/candidates/{candidate_id}", { params: { path: { candidate_id: interview.candidate_id } } })).catch(
        () => null,
      )
    : null;
  const terminal = TERMINAL.includes(interview.status);
  let status = interview.status;
  const target = { interviewId: id, email: candidate?.email ?? null, configured: config.email };
  const invites = new InviteMailer(api, target, interview.invite ?? null, () => update());
  let voiceOut: TemplateResult | typeof nothing = nothing;
  let report: TemplateResult = html`<h2>Evaluation</h2>
    <p class="muted">Loading…</p>`;
  let transcript: TemplateResult = html`<h2>Transcript by stage</h2>
    <p class="muted">Loading…</p>`;

  const cancel = async () => {
    if (!confirm("Cancel this interview? The invite link stops working.")) return;
    await unwrap(
      api.POST("/api/interviews/{interview_id}/cancel", {
        params: { path: { interview_id: id } },
        body: { reason: "cancelled_by_recruiter" },
      }),
    );
    toast("Interview cancelled");
    void route();
  };
  const startVoice = async (mode: "gap_filling" | "briefing") => {
    voiceOut = await voiceSession(mode, interview, candidate);
    update();
  };

  const view = () =>
    html`<p><a href="#/interviews">← All interviews</a></p>
      <div class="row spread top">
        <div>
          <h1>${candidateName(interview) || candidate?.name || "Candidate"}</h1>
          <p class="muted flush">
            ${str(interview.metadata.interviewRole)} · ${modeLabel(interview.mode)} ·
            ${config.plans.find((p) => p.id === interview.plan)?.title ?? interview.plan}
          </p>
        </div>
        <span class="${badgeClass(status)} large" id="status-badge">${label(status)}</span>
      </div>
      <div class="grid2 gap-top-lg">
        <section class="panel">
          <h2>Details</h2>
          ${interviewDetails(interview, candidate)}
          ${
            terminal
              ? nothing
              : html`<h3>Invite link</h3>
                  <div class="invite">${inviteBox(inviteUrl(interview.room_name))}</div>
                  ${status === "scheduled" ? invites.detailView() : nothing}
                  <p class="gap-top-sm row">
                    <a class="btn small" id="watch-live" href=${`#/interviews/${encodeURIComponent(id)}/live`}>Watch live</a>
                    <button class="btn danger small" id="cancel" @click=${cancel}>Cancel interview</button>
                  </p>`
          }
        </section>
        <section class="panel">
          <h2>Voice agent</h2>
          <p class="muted small">Call the candidate to collect missing profile data, or get a spoken briefing before you interview them.</p>
          <div class="row">
            <button
              class="btn secondary"
              id="call-candidate"
              ?disabled=${!candidate || !candidate.missing_required.length}
              aria-describedby="call-why"
              @click=${() => startVoice("gap_filling")}
            >
              Call Candidate
            </button>
            <button class="btn secondary" id="voice-briefing" @click=${() => startVoice("briefing")}>Voice Briefing</button>
          </div>
          <p class="hint" id="call-why">${callHint(candidate)}</p>
          <div id="voice-out" class="gap-top-sm" aria-live="polite">${voiceOut}</div>
        </section>
      </div>
      <section class="panel" id="report">${report}</section>
      <section class="panel transcript" id="transcript">${transcript}</section>`;
  const update = () => {
    if (isCurrent()) mount(main, view());
  };
  update();

  let haveReport = false;
  let transcriptKey = "";
  const refresh = async () => {
    const current = await unwrap(api.GET("/api/interviews/{interview_id}", { params: { path: { interview_id: id } } }));
    status = current.status;
    const stages = await loadStages(id);
    const key = JSON.stringify(stages.map((s) => [s.stage, s.lines.length]));
    if (key !== transcriptKey) {
      transcriptKey = key;
      transcript = transcriptView(stages);
    }
    if (!haveReport) {
      const loaded = await loadReport(id, current, (view) => {
        report = view;
        update();
      });
      haveReport = loaded.done;
      report = loaded.view;
    }
    update();
    return haveReport && TERMINAL.includes(current.status);
  };
  if (!(await refresh())) poll(isCurrent, 2000, refresh);
}

/** Why "Call Candidate" can or cannot be used: the fields a call would ask for. */
function callHint(candidate: Candidate | null): string {
  if (!candidate) return "This interview has no candidate record to call.";
  const missing = candidate.missing_required;
  if (!missing.length) return "Nothing is missing from this candidate's profile: there is nothing to call about.";
  return `A call asks for: ${missing.map((f) => f.replace(/_/g, " ")).join(", ")}.`;
}

async function voiceSession(mode: "gap_filling" | "briefing", interview: Interview, candidate: Candidate | null): Promise<TemplateResult> {
  const what = mode === "gap_filling" ? "Gap-filling calls" : "Voice briefings";
  if (!config.sessionTypes.includes(mode)) {
    return notice(
      `${what} are not available yet: the VoiceHire agent on this server cannot run ${mode === "gap_filling" ? "gap-filling" : "briefing"} sessions. Nothing was started.`,
      "warn",
    );
  }
  try {
    let room: string;
    if (config.livekit) {
      const body =
        mode === "gap_filling"
          ? { mode, candidate_id: candidate?.id ?? null }
          : { mode, room_name: interview.room_name, user_name: "Interviewer" };
      room = (await unwrap(api.POST("/api/voice/token", { body }))).room_name;
    } else {
      if (!candidate) throw new Error("This interview has no candidate record to call.");
      const created = await unwrap(api.POST("/api/interviews", { body: { candidate_id: candidate.id, job_id: interview.job_id, mode } }));
      room = created.interview.room_name;
    }
    if (mode === "gap_filling") {
      const link = inviteUrl(room);
      return html`<div class="notice ok">
        <p class="flush">Call ready. Send the candidate this link:</p>
        <div class="gap-top-sm">${linkBox(link, "Call link", "call-link", toast)}</div>
      </div>`;
    }
    const link = `${location.origin}/brief/${encodeURIComponent(room)}`;
    window.open(link, "_blank", "noopener");
    return html`<p class="notice ok">
      Briefing ready — <a href=${link} target="_blank" rel="noopener" id="briefing-link">open the briefing</a>.
    </p>`;
  } catch (err) {
    return notice(message(err));
  }
}

async function loadStages(id: string): Promise<StageView[]> {
  const path = { interview_id: id };
  const index = await unwrap(api.GET("/api/interviews/{interview_id}/transcripts", { params: { path } }));
  const full = index.filter((t) => t.kind === "full").pop();
  const doc = (transcriptId: string) =>
    unwrap(
      api.GET("/api/interviews/{interview_id}/transcripts/{transcript_id}", { params: { path: { ...path, transcript_id: transcriptId } } }),
    );
  if (full) return stagesOfFull((await doc(full.id)).document);
  const stages: StageView[] = [];
  for (const t of index.filter((e) => e.kind === "stage")) {
    const stage = stageOfStageDoc((await doc(t.id)).document);
    if (stage) stages.push(stage);
  }
  return stages;
}

/** The evaluation (or call result) panel; done is false while there is none yet. */
async function loadReport(
  id: string,
  interview: Interview,
  update: (view: TemplateResult) => void,
): Promise<{ done: boolean; view: TemplateResult }> {
  let result: unknown;
  try {
    result = (await unwrap(api.GET("/api/interviews/{interview_id}/result", { params: { path: { interview_id: id } } }))).result;
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 404)) throw err;
    const text =
      interview.status === "completed"
        ? "Evaluating the interview…"
        : interview.status === "in_progress"
          ? "The interview is in progress. The evaluation appears here when it ends."
          : "No evaluation yet.";
    return {
      done: false,
      view: html`<h2>Evaluation</h2>
        <p class="muted">${text}</p>`,
    };
  }
  const evaluation = parseEvaluation(result);
  const briefing = evaluation ? null : parseBriefingResult(result);
  if (briefing) return { done: true, view: briefingResultView(briefing) };
  if (!evaluation) return { done: true, view: callResultView(parseCallResult(result)) };
  const saveOverride = async (ev: SubmitEvent) => {
    ev.preventDefault();
    const rec = oneOf(byId("ov-rec", HTMLSelectElement).value, ["hire", "maybe", "no_hire"] as const);
    if (!rec) return toast("Choose your decision first.");
    try {
      await unwrap(
        api.POST("/api/web/interviews/{interview_id}/override", {
          params: { path: { interview_id: id } },
          body: { recommendation: rec, note: byId("ov-note", HTMLInputElement).value, by: byId("ov-by", HTMLInputElement).value },
        }),
      );
      toast("Override saved");
      update((await loadReport(id, interview, update)).view);
    } catch (err) {
      toast(message(err));
    }
  };
  return {
    done: true,
    view: evaluationView(evaluation, {
      reportHref: `#/interviews/${encodeURIComponent(id)}/report`,
      downloadPdf: () => void downloadPdf(id),
      saveOverride: (ev) => void saveOverride(ev),
    }),
  };
}

// --- start ---------------------------------------------------------------------------------
async function boot(): Promise<void> {
  try {
    const raw: unknown = await unwrap(api.GET("/api/web/config"));
    config = parseWebConfig(raw);
    setLabels(parseLabels(obj(raw).labels));
  } catch (err) {
    mount(main, notice(`The API is not reachable: ${message(err)}`));
    return;
  }
  if (config.adminTokenRequired && !token()) return login();
  signedIn(!config.adminTokenRequired);
  void route();
}

void boot();
