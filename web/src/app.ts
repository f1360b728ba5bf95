// The recruiter dashboard: sign in with the API's admin credential, create candidates and
// interviews, follow them, read the transcript and the evaluation, override the
// recommendation, and start gap-filling calls or voice briefings.
import "./styles.css";
import { ApiError, createApi, parseWebConfig, unwrap, type Candidate, type Interview, type Schemas, type WebConfig } from "./api";
import type { paths } from "./generated/api";
import { badgeClass, label, modeLabel, splitList } from "./format";
import { callResultView, candidateName, evaluationView, interviewDetails, interviewTable, transcriptView } from "./dashboard/views";
import { parseCallResult, parseEvaluation } from "./dashboard/results";
import { briefingResultView, parseBriefingResult } from "./calls/briefing";
import { linkBox } from "./calls/link";
import { stageOfStageDoc, stagesOfFull, type StageView } from "./dashboard/transcripts";
import { str } from "./json";
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
    if (view === "new") await newInterview(isCurrent);
    else if (view === "interviews" && id) await detail(decodeURIComponent(id), isCurrent);
    else await list(isCurrent);
  } catch (err) {
    if (isCurrent() && !(err instanceof ApiError && err.status === 401)) mount(main, notice(message(err)));
  }
}
window.addEventListener("hashchange", () => void route());

// --- interview list -----------------------------------------------------------------------
const STATUSES: readonly ("" | Status)[] = ["", "scheduled", "in_progress", "completed", "cancelled", "error"];
const MODES: readonly ["" | Mode, string][] = [
  ["", "Any type"],
  ["ai_interview", "Interview"],
  ["gap_filling", "Gap-filling call"],
  ["briefing", "Voice briefing"],
];

type Mode = NonNullable<Schemas["InterviewCreate"]["mode"]>;
type Status = NonNullable<NonNullable<paths["/api/interviews"]["get"]["parameters"]["query"]>["status"]>;

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | "" {
  return allowed.find((a) => a === value) ?? "";
}

async function list(isCurrent: () => boolean): Promise<void> {
  const params = new URLSearchParams(location.hash.split("?")[1] ?? "");
  const status = oneOf<Status>(
    params.get("status"),
    STATUSES.filter((s): s is Status => s !== ""),
  );
  const mode = oneOf<Mode>(
    params.get("mode"),
    MODES.map(([m]) => m).filter((m): m is Mode => m !== ""),
  );
  const apply = () => {
    const q = new URLSearchParams();
    const s = byId("f-status", HTMLSelectElement).value;
    const m = byId("f-mode", HTMLSelectElement).value;
    if (s) q.set("status", s);
    if (m) q.set("mode", m);
    location.hash = `#/interviews${q.toString() ? `?${q.toString()}` : ""}`;
  };
  let count = "";
  let table: TemplateResult = html`<p class="muted">Loading…</p>`;
  const view = () =>
    html`<div class="row spread gap-bottom">
        <div>
          <h1>Interviews</h1>
          <p class="muted flush">Every interview, call and briefing, newest first.</p>
        </div>
        <a class="btn" href="#/new">+ New interview</a>
      </div>
      <section class="panel">
        <form class="filters" id="filters" aria-label="Filter interviews">
          <div class="field">
            <label for="f-status">Status</label
            ><select id="f-status" @change=${apply}>
              ${STATUSES.map((s) => html`<option value=${s} ?selected=${s === status}>${s ? label(s) : "Any status"}</option>`)}
            </select>
          </div>
          <div class="field">
            <label for="f-mode">Type</label
            ><select id="f-mode" @change=${apply}>
              ${MODES.map(([v, t]) => html`<option value=${v} ?selected=${v === mode}>${t}</option>`)}
            </select>
          </div>
          <span class="muted small" id="count">${count}</span>
        </form>
        <div id="table">${table}</div>
      </section>`;
  mount(main, view());

  const render = async () => {
    const data = await unwrap(
      api.GET("/api/interviews", { params: { query: { limit: 100, ...(status ? { status } : {}), ...(mode ? { mode } : {}) } } }),
    );
    if (!isCurrent()) return true;
    count = `${data.total} ${data.total === 1 ? "interview" : "interviews"}`;
    table = data.items.length
      ? interviewTable(data.items, (id) => (location.hash = `#/interviews/${encodeURIComponent(id)}`))
      : html`<div class="empty">No interviews${status || mode ? " match these filters" : " yet"}. <a href="#/new">Create one</a>.</div>`;
    mount(main, view());
    return false;
  };
  await render();
  poll(isCurrent, 5000, render);
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
  let created: TemplateResult | typeof nothing = nothing;
  const value = (id: string) => byId(id, HTMLInputElement).value.trim();

  const submit = async (ev: SubmitEvent) => {
    ev.preventDefault();
    busy = true;
    mount(main, view());
    try {
      let cid = candidateId;
      if (!cid) {
        const name = value("cand-name");
        if (!name) throw new Error("Enter the candidate's name.");
        const email = value("cand-email");
        const c = await unwrap(
          api.POST("/api/candidates", { body: { name, email: email || null, missing_required: splitList(value("cand-missing")) } }),
        );
        cid = c.id;
      }
      let jid = jobId;
      const plan = byId("plan", HTMLSelectElement).value;
      if (!jid) {
        const title = value("job-title");
        if (!title) throw new Error("Enter the job title (or pick an existing job).");
        const j = await unwrap(
          api.POST("/api/jobs", {
            body: { title, level: value("job-level") || null, required_skills: splitList(value("job-skills")), plan },
          }),
        );
        jid = j.id;
      }
      const made = await unwrap(api.POST("/api/interviews", { body: { candidate_id: cid, job_id: jid, plan, mode } }));
      const link = inviteUrl(made.interview.room_name);
      created = html`<section class="panel" aria-live="polite">
        <h2>Interview created</h2>
        <p>Send this invite link to the candidate:</p>
        <div class="invite">
          ${inviteBox(link)}
          <a class="btn secondary" href=${link} target="_blank" rel="noopener">Open</a>
        </div>
        <p class="gap-top"><a href=${`#/interviews/${encodeURIComponent(made.interview.id)}`}>View the interview →</a></p>
      </section>`;
      toast("Interview created");
    } catch (err) {
      created = notice(message(err));
    } finally {
      busy = false;
      if (isCurrent()) mount(main, view());
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
              ${cands.items.map((c) => html`<option value=${c.id}>${c.name}${c.email ? ` (${c.email})` : ""}</option>`)}
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
              ${jobs.items.map((j) => html`<option value=${j.id}>${j.title}${j.level ? ` · ${j.level}` : ""}</option>`)}
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
      <div id="created">${created}</div>`;
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
          <p class="muted flush">${str(interview.metadata.interviewRole)} · ${modeLabel(interview.mode)} · plan ${interview.plan}</p>
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
                  <p class="gap-top-sm"><button class="btn danger small" id="cancel" @click=${cancel}>Cancel interview</button></p>`
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
  const openReport = async () => {
    const { data } = await api.GET("/api/web/interviews/{interview_id}/report.html", {
      params: { path: { interview_id: id } },
      parseAs: "text",
    });
    if (typeof data !== "string") return toast("The report could not be loaded.");
    const url = URL.createObjectURL(new Blob([data], { type: "text/html" }));
    window.open(url, "_blank", "noopener");
  };
  const saveOverride = async (ev: SubmitEvent) => {
    ev.preventDefault();
    const rec = byId("ov-rec", HTMLSelectElement).value as "hire" | "maybe" | "no_hire";
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
    view: evaluationView(evaluation, { openReport: () => void openReport(), saveOverride: (ev) => void saveOverride(ev) }),
  };
}

// --- start ---------------------------------------------------------------------------------
async function boot(): Promise<void> {
  try {
    config = parseWebConfig(await unwrap(api.GET("/api/web/config")));
  } catch (err) {
    mount(main, notice(`The API is not reachable: ${message(err)}`));
    return;
  }
  if (config.adminTokenRequired && !token()) return login();
  signedIn(!config.adminTokenRequired);
  void route();
}

void boot();
