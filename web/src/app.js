// The recruiter dashboard: sign in with the API's admin credential, create candidates and
// interviews, follow them, read the transcript and the evaluation, override the
// recommendation, and start gap-filling calls or voice briefings.
import "./styles.css";
import { esc, fetchJSON, fmtDate, HttpError, label } from "./util.js";

const main = document.getElementById("main");
const TOKEN_KEY = "voicehire.adminToken";
let config = null;
let pollTimer = 0;

// --- API access -----------------------------------------------------------------------
function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

async function api(path, options = {}) {
  const headers = { ...(options.headers || {}) };
  if (token()) headers.Authorization = `Bearer ${token()}`;
  if (options.json !== undefined) {
    headers["Content-Type"] = "application/json";
    options = { ...options, body: JSON.stringify(options.json) };
  }
  try {
    return await fetchJSON(path, { ...options, headers });
  } catch (err) {
    if (err instanceof HttpError && err.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      login("Your session has expired or the admin token is wrong. Please sign in again.");
    }
    throw err;
  }
}

function toast(text) {
  const el = document.getElementById("toast");
  el.textContent = text;
  el.hidden = false;
  clearTimeout(toast.t);
  toast.t = setTimeout(() => (el.hidden = true), 3500);
}

function inviteUrl(room) {
  return `${location.origin}/join/${room}`;
}

async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const ta = document.createElement("textarea");
    ta.value = text;
    document.body.appendChild(ta);
    ta.select();
    document.execCommand("copy");
    ta.remove();
  }
  toast("Invite link copied");
}

// --- sign-in ----------------------------------------------------------------------------
function signedIn(open) {
  document.getElementById("nav").hidden = false;
  document.getElementById("who").textContent = open ? "Local admin (this machine)" : "Signed in";
  document.getElementById("signout").hidden = open;
}

function login(message) {
  clearInterval(pollTimer);
  document.getElementById("nav").hidden = true;
  document.getElementById("signout").hidden = true;
  document.getElementById("who").textContent = "";
  main.innerHTML = `<section class="panel" style="max-width:28rem;margin:3rem auto">
    <h1>Sign in</h1>
    <p class="muted">The hiring dashboard needs the API's admin credential (<code>VH_ADMIN_TOKEN</code>).</p>
    ${message ? `<p class="notice bad" role="alert">${esc(message)}</p>` : ""}
    <form id="login-form">
      <div class="field"><label for="admin-token">Admin token</label>
      <input type="password" id="admin-token" autocomplete="current-password" required /></div>
      <button class="btn" type="submit">Sign in</button>
    </form></section>`;
  document.getElementById("login-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const value = document.getElementById("admin-token").value.trim();
    try {
      await fetchJSON("/api/interviews?limit=1", { headers: { Authorization: `Bearer ${value}` } });
    } catch (err) {
      login(err.status === 401 ? "That admin token is not valid." : err.message);
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, value);
    signedIn(false);
    if (!location.hash || location.hash === "#/login") location.hash = "#/interviews";
    route();
  });
  document.getElementById("admin-token").focus();
}

document.getElementById("signout").addEventListener("click", () => {
  sessionStorage.removeItem(TOKEN_KEY);
  login();
});

// --- routing -----------------------------------------------------------------------------
async function route() {
  clearInterval(pollTimer);
  if (config.adminTokenRequired && !token()) return login();
  const [, view, id] = (location.hash || "#/interviews").split("/");
  for (const a of document.querySelectorAll("#nav a")) a.classList.toggle("active", a.dataset.nav === view);
  try {
    if (view === "new") await newInterview();
    else if (view === "interviews" && id) await detail(id);
    else await list();
  } catch (err) {
    if (!(err instanceof HttpError && err.status === 401))
      main.innerHTML = `<p class="notice bad" role="alert">${esc(err.message)}</p>`;
  }
}
window.addEventListener("hashchange", route);

// --- interview list -----------------------------------------------------------------------
async function list() {
  const params = new URLSearchParams(location.hash.split("?")[1] || "");
  const status = params.get("status") || "";
  const mode = params.get("mode") || "";
  main.innerHTML = `<div class="row" style="justify-content:space-between;margin-bottom:1rem">
      <div><h1>Interviews</h1><p class="muted" style="margin:0">Every interview, call and briefing, newest first.</p></div>
      <a class="btn" href="#/new">+ New interview</a></div>
    <section class="panel">
      <form class="filters" id="filters" aria-label="Filter interviews">
        <div class="field"><label for="f-status">Status</label><select id="f-status">
          ${["", "scheduled", "in_progress", "completed", "cancelled", "error"].map((s) => `<option value="${s}" ${s === status ? "selected" : ""}>${s ? label(s) : "Any status"}</option>`).join("")}
        </select></div>
        <div class="field"><label for="f-mode">Type</label><select id="f-mode">
          ${[["", "Any type"], ["ai_interview", "Interview"], ["gap_filling", "Gap-filling call"], ["briefing", "Voice briefing"]].map(([v, t]) => `<option value="${v}" ${v === mode ? "selected" : ""}>${t}</option>`).join("")}
        </select></div>
        <span class="muted small" id="count"></span>
      </form>
      <div id="table"><p class="muted">Loading…</p></div>
    </section>`;
  const apply = () => {
    const q = new URLSearchParams();
    const s = document.getElementById("f-status").value;
    const m = document.getElementById("f-mode").value;
    if (s) q.set("status", s);
    if (m) q.set("mode", m);
    location.hash = `#/interviews${q.toString() ? `?${q}` : ""}`;
  };
  document.getElementById("f-status").addEventListener("change", apply);
  document.getElementById("f-mode").addEventListener("change", apply);

  const render = async () => {
    const q = new URLSearchParams({ limit: "100" });
    if (status) q.set("status", status);
    if (mode) q.set("mode", mode);
    const data = await api(`/api/interviews?${q}`);
    document.getElementById("count").textContent = `${data.total} ${data.total === 1 ? "interview" : "interviews"}`;
    const table = document.getElementById("table");
    if (!data.items.length) {
      table.innerHTML = `<div class="empty">No interviews${status || mode ? " match these filters" : " yet"}. <a href="#/new">Create one</a>.</div>`;
      return;
    }
    table.innerHTML = `<table><thead><tr><th>Candidate</th><th>Role</th><th>Type</th><th>Plan</th><th>Status</th><th>Created</th></tr></thead><tbody>
      ${data.items
        .map(
          (i) => `<tr data-id="${esc(i.id)}" tabindex="0" aria-label="Open interview with ${esc(i.metadata.candidateName || "candidate")}">
            <td><strong>${esc(i.metadata.candidateName || "—")}</strong></td>
            <td>${esc(i.metadata.interviewRole || "—")}</td>
            <td>${esc(modeLabel(i.mode))}</td><td>${esc(i.plan)}</td>
            <td><span class="badge ${esc(i.status)}">${esc(label(i.status))}</span></td>
            <td class="muted">${fmtDate(i.created_at)}</td></tr>`,
        )
        .join("")}</tbody></table>`;
    for (const tr of table.querySelectorAll("tbody tr")) {
      const open = () => (location.hash = `#/interviews/${tr.dataset.id}`);
      tr.addEventListener("click", open);
      tr.addEventListener("keydown", (ev) => ev.key === "Enter" && open());
    }
  };
  await render();
  pollTimer = setInterval(() => render().catch(() => {}), 5000);
}

function modeLabel(mode) {
  return { ai_interview: "Interview", gap_filling: "Gap-filling call", briefing: "Voice briefing" }[mode] || mode;
}

// --- new interview ------------------------------------------------------------------------
async function newInterview() {
  const [cands, jobs] = await Promise.all([api("/api/candidates?limit=200"), api("/api/jobs?limit=200")]);
  main.innerHTML = `<h1>New interview</h1><p class="muted">Create the candidate and the job if they are new, pick a plan, and send the candidate the invite link.</p>
  <form id="new-form" class="grid2" style="margin-top:1rem">
    <section class="panel">
      <h2>Candidate</h2>
      <div class="field"><label for="cand-select">Candidate</label><select id="cand-select">
        <option value="">+ New candidate</option>
        ${cands.items.map((c) => `<option value="${esc(c.id)}">${esc(c.name)}${c.email ? ` (${esc(c.email)})` : ""}</option>`).join("")}
      </select></div>
      <div id="cand-new">
        <div class="field"><label for="cand-name">Full name</label><input type="text" id="cand-name" autocomplete="off" /></div>
        <div class="field"><label for="cand-email">Email <span class="muted">(optional)</span></label><input type="email" id="cand-email" autocomplete="off" /></div>
        <div class="field"><label for="cand-missing">Missing profile fields <span class="muted">(optional, comma-separated)</span></label><input type="text" id="cand-missing" placeholder="e.g. notice_period, salary_expectation" /><p class="hint">A gap-filling call asks the candidate for these.</p></div>
      </div>
    </section>
    <section class="panel">
      <h2>Job and plan</h2>
      <div class="field"><label for="job-select">Job</label><select id="job-select">
        <option value="">+ New job</option>
        ${jobs.items.map((j) => `<option value="${esc(j.id)}">${esc(j.title)}${j.level ? ` · ${esc(j.level)}` : ""}</option>`).join("")}
      </select></div>
      <div id="job-new">
        <div class="field"><label for="job-title">Job title</label><input type="text" id="job-title" placeholder="e.g. Backend Engineer" autocomplete="off" /></div>
        <div class="field"><label for="job-level">Level <span class="muted">(optional)</span></label><input type="text" id="job-level" placeholder="e.g. Senior" autocomplete="off" /></div>
        <div class="field"><label for="job-skills">Required skills <span class="muted">(optional, comma-separated)</span></label><input type="text" id="job-skills" placeholder="Python, SQL, system design" /></div>
      </div>
      <div class="field"><label for="plan">Interview plan</label><select id="plan">
        ${config.plans.map((p) => `<option value="${esc(p.id)}">${esc(p.title)} (${p.stages} stages)</option>`).join("")}
      </select></div>
      <div class="field"><label for="mode">Type</label><select id="mode">
        <option value="ai_interview">Interview</option>
        <option value="gap_filling">Gap-filling call</option>
        <option value="briefing">Voice briefing</option>
      </select><p class="hint" id="mode-hint"></p></div>
      <button class="btn big" type="submit" id="create">Create interview</button>
    </section>
  </form>
  <div id="created"></div>`;
  const candSel = document.getElementById("cand-select");
  const jobSel = document.getElementById("job-select");
  const sync = () => {
    document.getElementById("cand-new").hidden = !!candSel.value;
    document.getElementById("job-new").hidden = !!jobSel.value;
    const mode = document.getElementById("mode").value;
    document.getElementById("mode-hint").textContent = config.sessionTypes.includes(mode)
      ? ""
      : "The agent on this server cannot run this type of session yet (only interviews).";
  };
  candSel.addEventListener("change", sync);
  jobSel.addEventListener("change", sync);
  document.getElementById("mode").addEventListener("change", sync);
  sync();
  const split = (v) => v.split(",").map((s) => s.trim()).filter(Boolean);

  document.getElementById("new-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const btn = document.getElementById("create");
    btn.disabled = true;
    const out = document.getElementById("created");
    try {
      let candidateId = candSel.value;
      if (!candidateId) {
        const name = document.getElementById("cand-name").value.trim();
        if (!name) throw new Error("Enter the candidate's name.");
        const email = document.getElementById("cand-email").value.trim();
        const c = await api("/api/candidates", {
          method: "POST",
          json: { name, email: email || null, missing_required: split(document.getElementById("cand-missing").value) },
        });
        candidateId = c.id;
      }
      let jobId = jobSel.value;
      if (!jobId) {
        const title = document.getElementById("job-title").value.trim();
        if (!title) throw new Error("Enter the job title (or pick an existing job).");
        const j = await api("/api/jobs", {
          method: "POST",
          json: {
            title,
            level: document.getElementById("job-level").value.trim() || null,
            required_skills: split(document.getElementById("job-skills").value),
            plan: document.getElementById("plan").value,
          },
        });
        jobId = j.id;
      }
      const created = await api("/api/interviews", {
        method: "POST",
        json: { candidate_id: candidateId, job_id: jobId, plan: document.getElementById("plan").value, mode: document.getElementById("mode").value },
      });
      const link = inviteUrl(created.interview.room_name);
      out.innerHTML = `<section class="panel" aria-live="polite"><h2>Interview created</h2>
        <p>Send this invite link to the candidate:</p>
        <div class="invite"><input type="text" readonly id="invite-link" value="${esc(link)}" aria-label="Invite link" />
        <button class="btn secondary" type="button" id="copy-link">Copy invite link</button>
        <a class="btn secondary" href="${esc(link)}" target="_blank" rel="noopener">Open</a></div>
        <p style="margin-top:1rem"><a href="#/interviews/${esc(created.interview.id)}">View the interview →</a></p></section>`;
      document.getElementById("copy-link").addEventListener("click", () => copy(link));
      toast("Interview created");
    } catch (err) {
      out.innerHTML = `<p class="notice bad" role="alert">${esc(err.message)}</p>`;
    } finally {
      btn.disabled = false;
    }
  });
}

// --- one interview -------------------------------------------------------------------------
async function detail(id) {
  const interview = await api(`/api/interviews/${encodeURIComponent(id)}`);
  const candidate = interview.candidate_id ? await api(`/api/candidates/${interview.candidate_id}`).catch(() => null) : null;
  const meta = interview.metadata || {};
  const terminal = ["completed", "cancelled", "error"].includes(interview.status);
  main.innerHTML = `<p><a href="#/interviews">← All interviews</a></p>
  <div class="row" style="justify-content:space-between;align-items:flex-start">
    <div><h1>${esc(meta.candidateName || candidate?.name || "Candidate")}</h1>
    <p class="muted" style="margin:0">${esc(meta.interviewRole || "")} · ${esc(modeLabel(interview.mode))} · plan ${esc(interview.plan)}</p></div>
    <span class="badge ${esc(interview.status)}" id="status-badge" style="font-size:.95rem">${esc(label(interview.status))}</span>
  </div>
  <div class="grid2" style="margin-top:1.25rem">
    <section class="panel">
      <h2>Details</h2>
      <dl class="kv">
        <dt>Created</dt><dd>${fmtDate(interview.created_at)}</dd>
        <dt>Started</dt><dd>${fmtDate(interview.started_at)}</dd>
        <dt>Ended</dt><dd>${fmtDate(interview.ended_at)}${interview.end_reason ? ` (${esc(label(interview.end_reason))})` : ""}</dd>
        <dt>Candidate email</dt><dd>${esc(candidate?.email || "—")}</dd>
        <dt>Missing fields</dt><dd>${candidate?.missing_required?.length ? esc(candidate.missing_required.join(", ")) : "none"}</dd>
      </dl>
      ${terminal ? "" : `<h3>Invite link</h3><div class="invite"><input type="text" readonly id="invite-link" value="${esc(inviteUrl(interview.room_name))}" aria-label="Invite link" /><button class="btn secondary" id="copy-link">Copy invite link</button></div>
      <p style="margin-top:.75rem"><button class="btn danger small" id="cancel">Cancel interview</button></p>`}
    </section>
    <section class="panel">
      <h2>Voice agent</h2>
      <p class="muted small">Call the candidate to collect missing profile data, or get a spoken briefing before you interview them.</p>
      <div class="row"><button class="btn secondary" id="call-candidate" ${candidate ? "" : "disabled"}>Call Candidate</button>
      <button class="btn secondary" id="voice-briefing">Voice Briefing</button></div>
      <div id="voice-out" style="margin-top:.75rem" aria-live="polite"></div>
    </section>
  </div>
  <section class="panel" id="report"><h2>Evaluation</h2><p class="muted">Loading…</p></section>
  <section class="panel transcript" id="transcript"><h2>Transcript by stage</h2><p class="muted">Loading…</p></section>`;

  if (!terminal) {
    document.getElementById("copy-link").addEventListener("click", () => copy(inviteUrl(interview.room_name)));
    document.getElementById("cancel").addEventListener("click", async () => {
      if (!confirm("Cancel this interview? The invite link stops working.")) return;
      await api(`/api/interviews/${id}/cancel`, { method: "POST", json: { reason: "cancelled_by_recruiter" } });
      toast("Interview cancelled");
      route();
    });
  }
  document.getElementById("call-candidate").addEventListener("click", () => voiceSession("gap_filling", interview, candidate));
  document.getElementById("voice-briefing").addEventListener("click", () => voiceSession("briefing", interview, candidate));

  let lastStatus = interview.status;
  let haveReport = false;
  const refresh = async () => {
    const current = await api(`/api/interviews/${encodeURIComponent(id)}`);
    if (current.status !== lastStatus) {
      lastStatus = current.status;
      const badge = document.getElementById("status-badge");
      badge.className = `badge ${current.status}`;
      badge.textContent = label(current.status);
    }
    await renderTranscript(id);
    if (!haveReport) haveReport = await renderReport(id, current);
    if (haveReport && ["completed", "cancelled", "error"].includes(current.status)) clearInterval(pollTimer);
  };
  await refresh();
  pollTimer = setInterval(() => refresh().catch(() => {}), 2000);
}

async function voiceSession(mode, interview, candidate) {
  const out = document.getElementById("voice-out");
  const what = mode === "gap_filling" ? "Gap-filling calls" : "Voice briefings";
  if (!config.sessionTypes.includes(mode)) {
    out.innerHTML = `<p class="notice warn" role="alert">${what} are not available yet: the VoiceHire agent on this server cannot run ${mode === "gap_filling" ? "gap-filling" : "briefing"} sessions. Nothing was started.</p>`;
    return;
  }
  try {
    let room;
    if (config.livekit) {
      const body = mode === "gap_filling" ? { mode, candidate_id: candidate.id } : { mode, room_name: interview.room_name, user_name: "Interviewer" };
      room = (await api("/api/voice/token", { method: "POST", json: body })).room_name;
    } else {
      const created = await api("/api/interviews", {
        method: "POST",
        json: { candidate_id: candidate.id, job_id: interview.job_id, mode },
      });
      room = created.interview.room_name;
    }
    const link = inviteUrl(room);
    if (mode === "gap_filling") {
      out.innerHTML = `<p class="notice ok">Call ready. Send the candidate this link: <input type="text" readonly value="${esc(link)}" aria-label="Call link" /></p>`;
    } else {
      out.innerHTML = `<p class="notice ok">Briefing ready — <a href="${esc(link)}" target="_blank" rel="noopener">open the briefing</a>.</p>`;
      window.open(link, "_blank", "noopener");
    }
  } catch (err) {
    out.innerHTML = `<p class="notice bad" role="alert">${esc(err.message)}</p>`;
  }
}

async function renderTranscript(id) {
  const el = document.getElementById("transcript");
  const index = await api(`/api/interviews/${id}/transcripts`);
  const full = index.filter((t) => t.kind === "full").pop();
  const stageDocs = index.filter((t) => t.kind === "stage");
  let stages = [];
  if (full) {
    const doc = (await api(`/api/interviews/${id}/transcripts/${full.id}`)).document;
    stages = doc.stages || [];
  } else if (stageDocs.length) {
    for (const t of stageDocs) stages.push((await api(`/api/interviews/${id}/transcripts/${t.id}`)).document.stage);
  }
  const key = JSON.stringify(stages.map((s) => [s.stage, (s.conversation || []).length]));
  if (el.dataset.key === key) return;
  el.dataset.key = key;
  if (!stages.length) {
    el.innerHTML = `<h2>Transcript by stage</h2><p class="muted">No transcript yet — it appears here when the interview ends.</p>`;
    return;
  }
  el.innerHTML = `<h2>Transcript by stage</h2>${stages
    .map(
      (s, i) => `<div class="stage"><h3>${i + 1}. ${esc(s.title || s.stage)} <span class="muted small">${s.durationSeconds != null ? `${Math.round(s.durationSeconds)} s` : ""}${s.endReason ? ` · ${esc(label(s.endReason))}` : ""}</span></h3>
      ${(s.conversation || [])
        .map((u) => `<div class="turn ${u.isAI ? "ai" : "me"}"><span class="who">${esc(u.isAI ? u.participantName || "Interviewer" : u.participantName || "Candidate")}</span><span>${esc(u.message)}</span></div>`)
        .join("")}</div>`,
    )
    .join("")}`;
}

function fmtScore(v) {
  return v == null ? "—" : Number(v).toFixed(1);
}

async function renderReport(id, interview) {
  const el = document.getElementById("report");
  let row;
  try {
    row = await api(`/api/interviews/${id}/result`);
  } catch (err) {
    if (err.status !== 404) throw err;
    el.innerHTML = `<h2>Evaluation</h2><p class="muted">${
      interview.status === "completed" ? "Evaluating the interview…" : interview.status === "in_progress" ? "The interview is in progress. The evaluation appears here when it ends." : "No evaluation yet."
    }</p>`;
    return false;
  }
  const r = row.result;
  if (!r.scorer || !r.summary) return renderCallResult(el, r);
  const s = r.summary || {};
  const comp = Object.entries(s.competency_scores || {}).sort(([a], [b]) => a.localeCompare(b));
  const rec = s.recommendation;
  el.innerHTML = `<div class="row" style="justify-content:space-between"><h2 style="margin:0">Evaluation</h2>
    <button class="btn secondary small" id="open-report">Open full report</button></div>
  ${r.status !== "completed" ? `<p class="notice warn">Evaluation ${esc(r.status)}${r.error ? `: ${esc(r.error)}` : ""}</p>` : ""}
  <div class="grid2" style="margin-top:1rem">
    <div>
      <p class="muted small" style="margin:0">Overall score</p>
      <p class="score-big" id="overall">${fmtScore(s.overall_score)}<span class="muted" style="font-size:1rem"> / 10</span></p>
      <p>Recommendation: <span class="badge ${esc(rec || "")}" id="recommendation">${rec ? esc(label(rec)) : "none"}</span>
        <span class="muted small">confidence ${Math.round((s.confidence || 0) * 100)}%</span></p>
      <p class="small">${esc(s.rationale || "")}</p>
      <p class="muted small">${s.questions_answered ?? 0} of ${s.questions_asked ?? 0} questions answered · scored by ${esc(r.scorer?.name || r.scorer?.kind || "")}</p>
    </div>
    <div>
      <h3 style="margin-top:0">Scores per competency</h3>
      <div class="chart" role="img" aria-label="Scores per competency: ${comp.map(([k, v]) => `${label(k)} ${fmtScore(v)}`).join(", ")}">
        ${comp.length ? comp.map(([k, v]) => `<div class="bar"><span>${esc(label(k))}</span><span class="track"><span class="fill" style="width:${v == null ? 0 : v * 10}%"></span></span><span class="val">${fmtScore(v)}</span></div>`).join("") : `<p class="muted">No competency scores.</p>`}
      </div>
    </div>
  </div>
  <div class="grid2" style="margin-top:1rem">
    <div><h3>Strengths</h3><ul>${(s.strengths || []).map((x) => `<li>${esc(x)}</li>`).join("") || "<li class='muted'>—</li>"}</ul></div>
    <div><h3>Areas for improvement</h3><ul>${(s.areas_for_improvement || []).map((x) => `<li>${esc(x)}</li>`).join("") || "<li class='muted'>—</li>"}</ul></div>
  </div>
  <h3>Answers and evidence</h3>
  ${(r.answers || [])
    .map(
      (a) => `<div class="answer"><div class="row" style="justify-content:space-between"><strong>${esc(a.question_text)}</strong><span class="badge">${a.status === "scored" ? `${fmtScore(a.scores?.overall)} / 10` : esc(label(a.status))}</span></div>
      ${a.answer_text ? `<p class="small answer-text"><span class="muted">Answer:</span> ${esc(a.answer_text)}</p>` : `<p class="small muted">No answer.</p>`}
      ${[...new Set([...(a.evidence || []), ...(a.key_points || []).map((k) => k.evidence).filter(Boolean)])].map((q) => `<blockquote>“${esc(q)}”</blockquote>`).join("")}
      ${a.key_points?.length ? `<ul class="kp">${a.key_points.map((k) => `<li class="${k.covered ? "covered" : ""}">${esc(k.text)}${k.covered ? "" : " <span class='muted'>(not covered)</span>"}</li>`).join("")}</ul>` : ""}
      ${a.flags?.length ? `<p class="notice warn small">${a.flags.map(esc).join("<br>")}</p>` : ""}
      ${a.feedback ? `<p class="small muted">${esc(a.feedback)}</p>` : ""}</div>`,
    )
    .join("")}
  <h3>Human override</h3>
  <div id="override-view">${
    r.override
      ? `<p class="notice ok" id="override-current">Overridden to <strong>${esc(label(r.override.recommendation))}</strong>${r.override.by ? ` by ${esc(r.override.by)}` : ""}: ${esc(r.override.note)} <span class="muted small">(the machine recommendation above is kept)</span></p>`
      : `<p class="muted small">No override. The machine's recommendation stands until a person overrides it.</p>`
  }</div>
  <form id="override-form" class="row" style="align-items:flex-end">
    <div class="field" style="margin:0"><label for="ov-rec">Your recommendation</label><select id="ov-rec">
      <option value="hire">Hire</option><option value="maybe">Maybe</option><option value="no_hire">No hire</option></select></div>
    <div class="field" style="margin:0;flex:1;min-width:14rem"><label for="ov-note">Reason</label><input type="text" id="ov-note" required placeholder="Why you disagree (or agree) with the evaluation" /></div>
    <div class="field" style="margin:0"><label for="ov-by">Your name</label><input type="text" id="ov-by" /></div>
    <button class="btn" type="submit">Save override</button>
  </form>`;
  document.getElementById("open-report").addEventListener("click", async () => {
    const headers = token() ? { Authorization: `Bearer ${token()}` } : {};
    const res = await fetch(`/api/web/interviews/${id}/report.html`, { headers });
    const html = await res.text();
    const url = URL.createObjectURL(new Blob([html], { type: "text/html" }));
    window.open(url, "_blank", "noopener");
  });
  document.getElementById("override-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      await api(`/api/web/interviews/${id}/override`, {
        method: "POST",
        json: { recommendation: document.getElementById("ov-rec").value, note: document.getElementById("ov-note").value, by: document.getElementById("ov-by").value },
      });
      toast("Override saved");
      await renderReport(id, interview);
    } catch (err) {
      toast(err.message);
    }
  });
  return true;
}

function renderCallResult(el, r) {
  const list = (items) =>
    (items || []).length
      ? `<ul>${items.map((f) => `<li><strong>${esc(f.label || label(f.field))}</strong>${f.spoken || f.value != null ? `: ${esc(f.spoken || f.value)}` : ""}${f.reason ? ` <span class="muted">(${esc(label(f.reason))})</span>` : ""}</li>`).join("")}</ul>`
      : `<p class="muted">none</p>`;
  const known = r.filled || r.declined || r.unresolved;
  el.innerHTML = `<h2>Call result</h2>${
    known
      ? `<div class="grid2"><div><h3>Filled</h3>${list(r.filled)}</div><div><h3>Declined or unresolved</h3>${list([...(r.declined || []), ...(r.unresolved || [])])}</div></div>`
      : `<pre class="small" style="white-space:pre-wrap">${esc(JSON.stringify(r, null, 2))}</pre>`
  }`;
  return true;
}

// --- start ---------------------------------------------------------------------------------
async function boot() {
  try {
    config = await fetchJSON("/api/web/config");
  } catch (err) {
    main.innerHTML = `<p class="notice bad">The API is not reachable: ${esc(err.message)}</p>`;
    return;
  }
  if (config.adminTokenRequired && !token()) return login();
  signedIn(!config.adminTokenRequired);
  route();
}

boot();
