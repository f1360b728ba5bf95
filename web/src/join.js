// The candidate's interview page: consent, microphone check, then the interview.
import "./styles.css";
import { Microphone } from "./audio.js";
import { LiveKitTransport, LocalTransport } from "./transports.js";
import { esc, fetchJSON } from "./util.js";

const main = document.getElementById("main");
const room = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop() || "");
const mic = new Microphone();
let join = null;

const STATE_LABEL = {
  connecting: "Connecting…",
  joined: "Interviewer joined",
  listening: "Listening",
  thinking: "Thinking…",
  speaking: "Speaking",
  reconnecting: "Reconnecting…",
  ended: "Interview ended",
};

function steps(current) {
  const names = ["Consent", "Microphone check", "Interview"];
  return `<ol class="steps" aria-label="Steps">${names
    .map((n, i) => `<li class="${i < current ? "done" : i === current ? "current" : ""}" ${i === current ? 'aria-current="step"' : ""}>${i + 1}. ${n}</li>`)
    .join("")}</ol>`;
}

async function load() {
  try {
    join = await fetchJSON(`/api/web/join/${encodeURIComponent(room)}`);
  } catch (err) {
    main.innerHTML = `<section class="panel"><h1>Interview not found</h1><p class="notice bad">${esc(err.message)}</p></section>`;
    return;
  }
  document.getElementById("header-role").textContent = join.role ? `${join.role} · ${join.planTitle}` : join.planTitle;
  if (["completed", "cancelled", "error"].includes(join.status)) {
    main.innerHTML = `<section class="panel"><h1>This interview has ended</h1>
      <p>Thank you, ${esc(join.candidateName)}. This interview link is no longer active (${esc(join.status)}).
      The hiring team will be in touch.</p></section>`;
    return;
  }
  if (!join.sessionTypes.includes(join.mode)) {
    main.innerHTML = `<section class="panel"><h1>Not available yet</h1>
      <p class="notice warn">This link is for a ${esc(join.mode.replace("_", "-"))} call, which the VoiceHire agent on this server cannot run yet. Please contact the hiring team.</p></section>`;
    return;
  }
  consent();
}

function consent() {
  const modeText = { briefing: "briefing", gap_filling: "call" }[join.mode] || "interview";
  main.innerHTML = `${steps(0)}
  <section class="panel" aria-labelledby="consent-title">
    <h1 id="consent-title">${join.mode === "briefing" ? `Voice briefing: ${esc(join.candidateName)}` : `Welcome, ${esc(join.candidateName)}`}</h1>
    <p class="muted">${esc(join.planTitle)}${join.role ? ` for the <strong>${esc(join.role)}</strong> role` : ""} · ${join.stages.length} stages${join.maxDuration ? ` · up to ${Math.round(join.maxDuration / 60)} minutes` : ""}</p>
    <h2>Before you start</h2>
    <ul>
      <li>This ${modeText} is run by <strong>${esc(join.interviewerName || "an AI interviewer")}</strong>, an AI voice interviewer. It asks questions, listens and follows up.</li>
      <li><strong>Recording notice:</strong> everything said in the ${modeText} is transcribed, and the transcript is stored and shared with the hiring team.</li>
      <li>Your answers are scored by an automated evaluator; a person at the hiring team reviews the result and makes the decision.</li>
      <li>You can answer by speaking (when your microphone is on and the server can transcribe speech) or by typing. You can end the ${modeText} at any time.</li>
    </ul>
    <label class="check"><input type="checkbox" id="agree" /> <span>I understand that this ${modeText} is conducted by an AI and is transcribed and recorded, and I agree to continue.</span></label>
    <div class="row" style="margin-top:1rem"><button class="btn" id="to-mic" disabled>Continue</button></div>
  </section>`;
  const agree = document.getElementById("agree");
  const next = document.getElementById("to-mic");
  agree.addEventListener("change", () => (next.disabled = !agree.checked));
  next.addEventListener("click", micCheck);
}

function micCheck() {
  main.innerHTML = `${steps(1)}
  <section class="panel" aria-labelledby="mic-title">
    <h1 id="mic-title">Microphone check</h1>
    <p>Say a few words: the bar should move while you speak. If you prefer, skip this and type your answers.</p>
    <div class="row"><button class="btn secondary" id="mic-test">Test microphone</button><span id="mic-msg" class="muted" role="status"></span></div>
    <div class="field" style="margin-top:1rem">
      <span id="meter-label" class="small muted">Input level</span>
      <div class="meter" role="meter" aria-labelledby="meter-label" aria-valuemin="0" aria-valuemax="100" aria-valuenow="0"><span id="meter-fill"></span></div>
    </div>
    <div class="row" style="margin-top:1.25rem">
      <button class="btn big" id="start">${join.mode === "ai_interview" ? "Start interview" : "Start call"}</button>
      <span class="hint">You can always type your answers, too.</span>
    </div>
  </section>`;
  const msg = document.getElementById("mic-msg");
  let heard = false;
  document.getElementById("mic-test").addEventListener("click", async () => {
    msg.textContent = "Asking for your microphone…";
    try {
      await mic.open();
      msg.textContent = "Microphone on. Say something…";
      mic.meter(document.getElementById("meter-fill"), (l) => {
        if (!heard && l > 0.05) {
          heard = true;
          msg.textContent = "We can hear you.";
        }
      });
    } catch (err) {
      msg.textContent = `No microphone (${err.name || err}). You can type your answers instead.`;
    }
  });
  document.getElementById("start").addEventListener("click", interview);
}

function interview() {
  mic.stopMeter();
  const total = join.stages.length;
  main.innerHTML = `${steps(2)}
  <div id="banner" class="banner reconnecting" role="alert" hidden>Connection lost — reconnecting… Your transcript is safe.</div>
  <section class="panel">
    <div class="row" style="justify-content:space-between">
      <div class="status" id="status" data-state="connecting" role="status" aria-live="polite"><span class="dot" aria-hidden="true"></span><span id="status-text">Connecting…</span></div>
      <div class="row">
        <label class="check small" style="margin:0"><input type="checkbox" id="voice" checked /> <span>Interviewer voice</span></label>
        <button class="btn danger" id="end">End interview</button>
      </div>
    </div>
    <div style="margin-top:1rem">
      <div class="row" style="justify-content:space-between"><strong id="stage-title">Getting ready</strong><span class="muted small" id="stage-count">Stage 0 of ${total}</span></div>
      <div class="progress" role="progressbar" aria-label="Interview progress" aria-valuemin="0" aria-valuemax="${total}" aria-valuenow="0" id="progress"><span id="progress-fill" style="width:0%"></span></div>
      <ol class="stagelist" id="stagelist">${join.stages.map((s) => `<li data-stage="${esc(s.id)}">${esc(s.title)}</li>`).join("")}</ol>
    </div>
  </section>
  <section class="panel">
    <h2 class="small muted" style="text-transform:uppercase;letter-spacing:.04em">Current question</h2>
    <p class="question" id="question" aria-live="polite">The interviewer will ask the first question shortly.</p>
  </section>
  <section class="panel">
    <div class="row" style="justify-content:space-between"><h2 style="margin:0">Live captions</h2><span class="muted small" id="audio-info"></span></div>
    <div class="captions" id="captions" role="log" aria-live="polite" aria-label="Conversation captions"></div>
    <form class="composer" id="composer">
      <div style="flex:1"><label for="answer" class="small muted">Type your answer</label>
      <textarea id="answer" rows="2" placeholder="Type your answer and press Enter (Shift+Enter for a new line)"></textarea></div>
      <button class="btn" type="submit" id="send">Send</button>
    </form>
    <p class="hint" id="mode-hint"></p>
  </section>
  <section class="panel" id="ended" hidden>
    <h2>Thank you!</h2>
    <p id="ended-text">The interview has ended. The hiring team will review it and be in touch.</p>
  </section>`;

  const statusEl = document.getElementById("status");
  const statusText = document.getElementById("status-text");
  const banner = document.getElementById("banner");
  const captions = document.getElementById("captions");
  const answerBox = document.getElementById("answer");
  const composer = document.getElementById("composer");
  let interimEl = null;
  let ended = false;

  const on = {
    status(state) {
      statusEl.dataset.turn = "no";
      statusEl.dataset.state = state;
      statusText.textContent = STATE_LABEL[state] || state;
      banner.hidden = state !== "reconnecting";
      if (state === "ended") finish();
    },
    turn() {
      statusEl.dataset.turn = "yes";
      statusText.textContent = "Your turn — please answer";
    },
    data(msg) {
      if (msg.type === "transcription") addLine(msg);
      else if (msg.type === "stage") setStage(msg);
      else if (msg.type === "question") document.getElementById("question").textContent = msg.question;
      else if (msg.type === "interview_ended") finish(msg.reason);
    },
    interim({ text, isAI }) {
      if (!interimEl) {
        interimEl = document.createElement("div");
        interimEl.className = `line interim ${isAI ? "ai" : "me"}`;
        captions.appendChild(interimEl);
      }
      interimEl.textContent = (interimEl.textContent || "") + text;
      captions.scrollTop = captions.scrollHeight;
    },
    started({ hearing, voice }) {
      document.getElementById("mode-hint").textContent = hearing
        ? "Speak when the interviewer is listening, or type your answer."
        : "Type your answers in the box above" + (mic.active ? " (this server cannot transcribe speech)." : ".");
      if (!voice) document.getElementById("audio-info").textContent = "Captions only (no voice on this server)";
    },
    audio(player) {
      document.getElementById("audio-info").textContent =
        `Interviewer voice: ${player.segmentsPlayed} ${player.segmentsPlayed === 1 ? "reply" : "replies"} played (${player.secondsPlayed.toFixed(1)} s)`;
      document.getElementById("audio-info").dataset.segments = String(player.segmentsPlayed);
    },
    error(m) {
      const p = document.createElement("p");
      p.className = "notice bad";
      p.setAttribute("role", "alert");
      p.textContent = m.message;
      main.prepend(p);
    },
  };

  function addLine(msg) {
    if (interimEl) {
      interimEl.remove();
      interimEl = null;
    }
    const el = document.createElement("div");
    el.className = `line ${msg.isAI ? "ai" : "me"}`;
    el.innerHTML = `<span class="who">${esc(msg.isAI ? msg.participantName || "Interviewer" : "You")}</span>${esc(msg.message)}`;
    captions.appendChild(el);
    captions.scrollTop = captions.scrollHeight;
    if (msg.isAI && (msg.kind === "question" || msg.message.trim().endsWith("?")))
      document.getElementById("question").textContent = msg.message;
  }

  function setStage(msg) {
    const idx = msg.index + 1;
    document.getElementById("stage-title").textContent = msg.title;
    document.getElementById("stage-count").textContent = `Stage ${idx} of ${msg.total}`;
    const bar = document.getElementById("progress");
    bar.setAttribute("aria-valuenow", String(idx));
    bar.setAttribute("aria-valuemax", String(msg.total));
    document.getElementById("progress-fill").style.width = `${Math.round((idx / msg.total) * 100)}%`;
    let seen = false;
    for (const li of document.querySelectorAll("#stagelist li")) {
      const current = li.dataset.stage === msg.stage;
      li.className = current ? "current" : seen ? "" : "done";
      if (current) {
        li.setAttribute("aria-current", "step");
        seen = true;
      } else li.removeAttribute("aria-current");
    }
    if (!seen) document.querySelectorAll("#stagelist li").forEach((li) => (li.className = ""));
  }

  function finish(reason) {
    if (ended) return;
    ended = true;
    statusEl.dataset.state = "ended";
    statusText.textContent = STATE_LABEL.ended;
    banner.hidden = true;
    answerBox.disabled = true;
    document.getElementById("send").disabled = true;
    document.getElementById("end").disabled = true;
    document.getElementById("ended").hidden = false;
    if (reason === "manual_end" || reason === "candidate_request")
      document.getElementById("ended-text").textContent = "You ended the interview. Thank you for your time — the hiring team will be in touch.";
    for (const li of document.querySelectorAll("#stagelist li")) if (li.className === "current") li.className = "done";
    mic.close();
  }

  const transport =
    join.transport === "livekit" && join.token ? new LiveKitTransport(join, on, mic) : new LocalTransport(room, on, mic.active ? mic : null);
  window.__voicehire = transport; // for people debugging in the console

  composer.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = answerBox.value.trim();
    if (!text || ended) return;
    if (transport.answer(text)) answerBox.value = "";
    else on.error({ message: "Not connected right now — your answer is kept in the box; send it again when reconnected." });
  });
  answerBox.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && !ev.shiftKey) {
      ev.preventDefault();
      composer.requestSubmit();
    }
  });
  document.getElementById("voice").addEventListener("change", (ev) => transport.setVoice(ev.target.checked));
  document.getElementById("end").addEventListener("click", () => {
    if (confirm("End the interview now? You cannot resume it afterwards.")) transport.end();
  });
  transport.connect();
  answerBox.focus();
}

load();
