// The candidate's interview page: consent, microphone check, then the interview. The
// same page runs a gap-filling call (a call screen of its own) and, for the recruiter,
// a voice briefing (/brief/{room}: no candidate consent, a briefing screen).
import "./styles.css";
import "./candidate/candidate.css";
import { createApi, unwrap } from "./api";
import { Microphone } from "./audio";
import { questionsTable } from "./calls/briefing";
import { parseJoinInfo, type JoinInfo } from "./join-info";
import { recall, remember } from "./candidate/memory";
import { noticeBlock } from "./candidate/notice";
import { selfIdBlock } from "./candidate/self-id";
import {
  applyMessage,
  initialState,
  latestCaption,
  progress,
  remainingSeconds,
  remainingText,
  resetShown,
  setStatus,
  stageClass,
  statusText,
  type InterviewState,
} from "./candidate/session";
import { LiveKitTransport, LocalTransport, type Transport, type TransportEvents } from "./transports";
import { byId, classMap, css, html, mount, nothing, type TemplateResult } from "./view";

declare global {
  interface Window {
    __voicehire?: Transport; // for people debugging in the console
  }
}

const main = byId("main");
const room = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop() ?? "");
const mic = new Microphone();
const api = createApi();

/** What kind of session the page runs: the words on its screens depend on it. */
type Kind = "interview" | "call" | "briefing";

function kindOf(join: JoinInfo): Kind {
  if (join.mode === "briefing") return "briefing";
  return join.mode === "ai_interview" ? "interview" : "call";
}

const NOUN: Record<Kind, string> = { interview: "Interview", call: "Call", briefing: "Briefing" };

function steps(current: number): TemplateResult {
  const names = ["Consent", "Microphone check", "Interview"];
  return html`<ol class="steps" aria-label="Steps">
    ${names.map(
      (n, i) =>
        html`<li class=${i < current ? "done" : i === current ? "current" : ""} aria-current=${i === current ? "step" : nothing}>
          ${i + 1}. ${n}
        </li>`,
    )}
  </ol>`;
}

function endedPanel(title: string, body: TemplateResult): TemplateResult {
  return html`<section class="panel">
    <h1>${title}</h1>
    ${body}
  </section>`;
}

async function load(): Promise<void> {
  let join: JoinInfo;
  try {
    join = parseJoinInfo(await unwrap(api.GET("/api/web/join/{room}", { params: { path: { room } } })));
  } catch (err) {
    mount(main, endedPanel("Link not found", html`<p class="notice bad">${err instanceof Error ? err.message : String(err)}</p>`));
    return;
  }
  const kind = kindOf(join);
  const noun = NOUN[kind].toLowerCase();
  if (kind === "briefing") {
    document.title = `Voice briefing: ${join.candidateName} — VoiceHire`;
    document.body.classList.add("recruiter");
    byId("header-role").textContent = `Voice briefing · ${join.candidateName}`;
  } else {
    if (kind === "call") document.title = "Your call — VoiceHire";
    byId("header-role").textContent = join.role ? `${join.role} · ${join.planTitle}` : join.planTitle;
  }
  if (["completed", "cancelled", "error"].includes(join.status)) {
    // A finished interview still offers the optional self-identification question (once).
    const selfId = kind === "interview" && join.status === "completed" ? selfIdBlock(api, room, () => draw()) : null;
    const draw = () =>
      mount(
        main,
        html`${endedPanel(
          `This ${noun} has ended`,
          kind === "briefing"
            ? html`<p>
                This briefing link is no longer active (${join.status}). Its questions and answers are on the interview's page in the
                dashboard.
              </p>`
            : join.status === "cancelled" && join.message
              ? html`<p>${join.message}</p>`
              : html`<p>
                  Thank you, ${join.candidateName}. This ${noun} link is no longer active (${join.status}). The hiring team will be in
                  touch.
                </p>`,
        )}${selfId ? selfId.view() : nothing}`,
      );
    draw();
    return;
  }
  if (!join.sessionTypes.includes(join.mode)) {
    mount(
      main,
      endedPanel(
        "Not available yet",
        html`<p class="notice warn">
          This link is for a ${join.mode.replace("_", "-")} call, which the VoiceHire agent on this server cannot run yet. Please contact
          the hiring team.
        </p>`,
      ),
    );
    return;
  }
  const memory = recall(room);
  if (kind === "briefing") {
    if (memory.consented) live(join, kind);
    else briefingStart(join);
    return;
  }
  // A reload within the session goes back to where the candidate was, without asking again.
  if (memory.consented && memory.micChecked) live(join, kind);
  else if (memory.consented) micCheck(join, kind);
  else consent(join, kind);
}

function briefingStart(join: JoinInfo): void {
  mount(
    main,
    html`<section class="panel" aria-labelledby="brief-title">
      <h1 id="brief-title">Voice briefing: ${join.candidateName}</h1>
      <p>
        ${join.interviewerName || "The VoiceHire assistant"} gives you a short spoken briefing about
        ${join.candidateName}${join.role ? html` for the <strong>${join.role}</strong> role` : nothing}, from their profile and their
        finished interviews (scores, evidence and your team's decisions), then answers your questions.
      </p>
      <p class="muted">
        Type your questions, for example “Kubernetes experience?” or “How did the interview go?”. Say “that's all” to finish.
      </p>
      <div class="row gap-top">
        <button
          class="btn big"
          id="start"
          @click=${() => {
            remember(room, { consented: true, micChecked: true });
            live(join, "briefing");
          }}
        >
          Start briefing
        </button>
      </div>
    </section>`,
  );
  byId("start").focus();
}

function consent(join: JoinInfo, kind: Kind): void {
  const noun = NOUN[kind].toLowerCase();
  let agreed = false;
  let shown = true; // the notice loads in the background: it never redraws a later step
  const aiNotice =
    kind === "interview"
      ? noticeBlock(api, room, () => {
          if (shown) mount(main, view());
        })
      : null;
  const view = () =>
    html`${steps(0)}
      <section class="panel" aria-labelledby="consent-title">
        <h1 id="consent-title">Welcome, ${join.candidateName}</h1>
        <p class="muted">
          ${
            kind === "call"
              ? html`A short call to complete your application${join.role ? html` for the <strong>${join.role}</strong> role` : nothing}`
              : html`${join.planTitle}${join.role ? html` for the <strong>${join.role}</strong> role` : nothing} · ${join.stages.length}
                stages`
          }${join.maxDuration ? ` · up to ${Math.round(join.maxDuration / 60)} minutes` : ""}
        </p>
        ${aiNotice ? aiNotice.view() : nothing}
        <h2>Before you start</h2>
        <ul>
          <li>
            This ${noun} is run by <strong>${join.interviewerName || "an AI interviewer"}</strong>, an AI voice
            ${kind === "call" ? "assistant. It asks a few questions about details missing from your profile." : "interviewer. It asks questions, listens and follows up."}
          </li>
          <li>
            <strong>Recording notice:</strong> everything said in the ${noun} is transcribed, and the transcript is stored and shared with
            the hiring team.
          </li>
          ${join.recordingNotice ? html`<li><strong>Audio recording:</strong> ${join.recordingNotice}</li>` : nothing}
          ${
            kind === "interview"
              ? html`<li>
                  Your answers are scored by an automated evaluator; a person at the hiring team reviews the result and makes the decision.
                </li>`
              : html`<li>Your answers are saved to your candidate profile. You can decline any question.</li>`
          }
          <li>
            You can answer by speaking (when your microphone is on and the server can transcribe speech) or by typing. You can end the
            ${noun} at any time.
          </li>
        </ul>
        <label class="check"
          ><input
            type="checkbox"
            id="agree"
            @change=${(ev: Event) => {
              agreed = (ev.target as HTMLInputElement).checked;
              mount(main, view());
            }}
          />
          <span>I understand that this ${noun} is conducted by an AI and is transcribed and recorded, and I agree to continue.</span></label
        >
        <div class="row gap-top">
          <button
            class="btn"
            id="to-mic"
            ?disabled=${!agreed}
            @click=${() => {
              shown = false;
              remember(room, { consented: true });
              micCheck(join, kind);
            }}
          >
            Continue
          </button>
        </div>
      </section>`;
  mount(main, view());
}

function micCheck(join: JoinInfo, kind: Kind): void {
  let message = "";
  let heard = false;
  const view = () =>
    html`${steps(1)}
      <section class="panel" aria-labelledby="mic-title">
        <h1 id="mic-title">Microphone check</h1>
        <p>Say a few words: the bar should move while you speak. If you prefer, skip this and type your answers.</p>
        <div class="row">
          <button class="btn secondary" id="mic-test" @click=${testMic}>Test microphone</button
          ><span id="mic-msg" class="muted" role="status">${message}</span>
        </div>
        <div class="field gap-top">
          <span id="meter-label" class="small muted">Input level</span>
          <div class="meter" id="meter" role="meter" aria-labelledby="meter-label" aria-valuemin="0" aria-valuemax="100" aria-valuenow="0">
            <span id="meter-fill"></span>
          </div>
        </div>
        <div class="row gap-top-lg">
          <button
            class="btn big"
            id="start"
            @click=${() => {
              remember(room, { micChecked: true });
              live(join, kind);
            }}
          >
            ${kind === "interview" ? "Start interview" : "Start call"}
          </button>
          <span class="hint">You can always type your answers, too.</span>
        </div>
      </section>`;
  const say = (text: string) => {
    message = text;
    mount(main, view());
  };
  async function testMic(): Promise<void> {
    say("Asking for your microphone…");
    try {
      await mic.open();
      say("Microphone on. Say something…");
      const fill = byId("meter-fill");
      const meter = byId("meter");
      mic.meter((level) => {
        const pct = Math.round(level * 100);
        fill.style.width = `${pct}%`; // CSSOM, allowed by the CSP (style attributes are not)
        meter.setAttribute("aria-valuenow", String(pct));
        if (!heard && level > 0.05) {
          heard = true;
          say("We can hear you.");
        }
      });
    } catch (err) {
      say(`No microphone (${err instanceof Error ? err.name : String(err)}). You can type your answers instead.`);
    }
  }
  mount(main, view());
}

/** Question-and-answer pairs of a briefing, from its captions (the recruiter's line, then the reply). */
function briefingPairs(s: InterviewState): { question: string; answer: string }[] {
  const rows: { question: string; answer: string }[] = [];
  s.lines.forEach((l, i) => {
    if (l.ai) return;
    const reply = s.lines.slice(i + 1).find((x) => x.ai);
    rows.push({ question: l.text, answer: reply?.text ?? "(no answer)" });
  });
  return rows;
}

function live(join: JoinInfo, kind: Kind): void {
  mic.stopMeter();
  const noun = NOUN[kind];
  const lower = noun.toLowerCase();
  const total = join.stages.length;
  const s = initialState();
  s.startedAt = recall(room).startedAt;
  // After an interview: the optional self-identification question, below the end message.
  const selfId = kind === "interview" ? selfIdBlock(api, room, () => update()) : null;

  const top = (): TemplateResult | typeof nothing => {
    if (s.elsewhere)
      return html`<section class="panel notice-panel" id="elsewhere" aria-labelledby="elsewhere-title">
        <h1 id="elsewhere-title" tabindex="-1">This ${lower} continued in another tab</h1>
        <p>You opened this ${lower} in another tab or window; it goes on there. Close this tab, or continue here instead.</p>
        <button class="btn" id="take-over" @click=${takeOver}>Continue here</button>
      </section>`;
    if (s.ended)
      return html`<section class="panel notice-panel" id="ended" aria-labelledby="ended-title">
          <h1 id="ended-title" tabindex="-1">${kind === "briefing" ? "Briefing finished" : "Thank you!"}</h1>
          <p id="ended-text">${endedText()}</p>
          ${kind === "briefing" ? questionsTable(briefingPairs(s)) : nothing}
        </section>
        ${selfId ? selfId.view() : nothing}`;
    if (s.ending) return html`<p class="notice" id="ending" role="status">Ending the ${lower}… the interviewer is saying goodbye.</p>`;
    return nothing;
  };

  const endedText = (): string => {
    if (kind === "briefing") return "The briefing has ended. Its questions and answers are also on the interview's page in the dashboard.";
    if (s.endedByCandidate) return `You ended the ${lower}. Thank you for your time — the hiring team will be in touch.`;
    return kind === "call"
      ? "The call has ended. Thank you — your answers are saved to your profile."
      : "The interview has ended. The hiring team will review it and be in touch.";
  };

  const header = (): TemplateResult => {
    if (kind !== "interview")
      return html`<div class="live-title">
        <strong id="stage-title"
          >${kind === "briefing" ? `Briefing about ${join.candidateName}` : `Call with ${join.interviewerName || "the hiring assistant"}`}</strong
        >
        <span class="muted small"
          >${kind === "briefing" ? "Ask anything about the candidate." : "A few quick questions about your profile."}</span
        >
      </div>`;
    const { index: idx, count, percent } = progress(s, total);
    return html`<div class="live-title">
      <div class="row spread">
        <strong id="stage-title">${s.stage ? s.stage.title : "Getting ready"}</strong
        ><span class="muted small" id="stage-count">Stage ${idx} of ${count}</span>
      </div>
      <div
        class="progress"
        role="progressbar"
        aria-label="Interview progress"
        aria-valuemin="0"
        aria-valuemax=${count}
        aria-valuenow=${idx}
        id="progress"
      >
        <span id="progress-fill" ${css({ width: `${percent}%` })}></span>
      </div>
      <ol class="stagelist" id="stagelist" aria-label="Stages">
        ${join.stages.map((st, i) => {
          const cls = stageClass(s, join.stages, i);
          return html`<li data-stage=${st.id} class=${cls} aria-current=${cls === "current" ? "step" : nothing}>${st.title}</li>`;
        })}
      </ol>
    </div>`;
  };

  const view = () => {
    const left = remainingSeconds(s, join.maxDuration, Date.now());
    const latest = latestCaption(s);
    const closed = s.ended || s.ending || s.elsewhere;
    return html`<div class=${classMap({ live: true, ended: s.ended || s.elsewhere })} id="live" data-kind=${kind}>
      ${top()} ${s.errors.slice(0, 2).map((m) => html`<p class="notice bad" role="alert">${m}</p>`)}
      <div id="banner" class="banner reconnecting" role="alert" ?hidden=${s.ended || s.elsewhere || s.status !== "reconnecting"}>
        Connection lost — reconnecting… Your transcript is safe.
      </div>
      <section class="panel live-bar" aria-label="${noun} controls">
        <div
          class="status"
          id="status"
          data-state=${s.ended ? "ended" : s.status}
          data-turn=${s.turn ? "yes" : "no"}
          role="status"
          aria-live="polite"
        >
          <span class="dot" aria-hidden="true"></span><span id="status-text">${statusText(s, noun)}</span>
        </div>
        <span class="timer" id="time-left" role="timer" aria-label="Time remaining" ?hidden=${left === null || s.ended}
          >${remainingText(left)}</span
        >
        <span class="spacer"></span>
        <label class="check small flush"
          ><input
            type="checkbox"
            id="voice"
            checked
            @change=${(ev: Event) => transport.setVoice((ev.target as HTMLInputElement).checked)}
          />
          <span>Interviewer voice</span></label
        >
        <button class="btn danger" id="end" ?disabled=${closed} @click=${endSession}>
          ${s.ending && !s.ended ? "Ending…" : `End ${lower}`}
        </button>
      </section>
      ${header()}
      <section class="panel live-question" aria-labelledby="question-label">
        <h2 class="small muted caps flush" id="question-label">${kind === "briefing" ? "Last answer" : "Current question"}</h2>
        <p class="question" id="question" tabindex="0">
          ${kind === "briefing" ? (latest?.ai ? latest.text : "The briefing starts shortly.") : s.question}
        </p>
      </section>
      <section class="panel live-captions" aria-labelledby="captions-title">
        <div class="row spread">
          <h2 class="flush small" id="captions-title">Live captions</h2>
          <span class="muted small" id="audio-info" data-segments=${s.segments ?? nothing}>${s.audioInfo}</span>
        </div>
        <div class="captions" id="captions" role="log" aria-live="polite" aria-label="Conversation captions" tabindex="0">
          ${s.lines.map((l) => html`<div class=${classMap({ line: true, ai: l.ai, me: !l.ai })}><span class="who">${l.who}</span>${l.text}</div>`)}
          ${
            s.interim
              ? html`<div class=${classMap({ "line-live": true, ai: s.interim.ai, me: !s.interim.ai })} id="interim" aria-hidden="true">
                  <span class="who">${s.interim.ai ? "Interviewer (speaking)" : "You (speaking)"}</span>${s.interim.text}
                </div>`
              : nothing
          }
        </div>
      </section>
      <form class="panel composer" id="composer" @submit=${submit}>
        <div class="grow">
          <label for="answer" class="small muted">${kind === "briefing" ? "Type your question" : "Type your answer"}</label>
          <textarea
            id="answer"
            rows="2"
            aria-describedby="mode-hint"
            placeholder=${kind === "briefing" ? "Ask about the candidate and press Enter" : "Type your answer and press Enter (Shift+Enter for a new line)"}
            ?disabled=${closed}
            @keydown=${onKey}
          ></textarea>
          <p class="hint flush" id="mode-hint">${s.hint}</p>
        </div>
        <button class="btn" type="submit" id="send" ?disabled=${closed}>Send</button>
      </form>
    </div>`;
  };

  let wasTop = false;
  const update = () => {
    mount(main, view());
    const captions = document.getElementById("captions");
    if (captions) captions.scrollTop = captions.scrollHeight;
    const heading = document.getElementById("ended-title") ?? document.getElementById("elsewhere-title");
    if (heading && !wasTop) {
      // the end message is at the top, in view, and where keyboard and screen reader users are
      window.scrollTo(0, 0);
      heading.focus();
    }
    wasTop = heading !== null;
  };

  const ticker = window.setInterval(() => {
    if (s.ended) return clearInterval(ticker);
    if (s.startedAt !== null) update();
  }, 1000);

  const on: TransportEvents = {
    status(state) {
      setStatus(s, state);
      if (s.ended) mic.close();
      update();
    },
    reset() {
      resetShown(s);
      update();
    },
    turn() {
      s.turn = true;
      update();
    },
    data(msg) {
      applyMessage(s, msg);
      if (s.ended) mic.close();
      update();
    },
    interim({ text, isAI }) {
      s.interim = { text: (s.interim?.text ?? "") + text, ai: isAI };
      update();
    },
    started({ hearing, voice }) {
      if (s.startedAt === null) s.startedAt = remember(room, { startedAt: Date.now() }).startedAt;
      s.hint = hearing
        ? "Speak when the interviewer is listening, or type your answer."
        : kind === "briefing"
          ? "Type your questions in the box above."
          : "Type your answers in the box above" + (mic.active ? " (this server cannot transcribe speech)." : ".");
      if (!voice) s.audioInfo = "Captions only (no voice on this server)";
      update();
    },
    audio(player) {
      s.audioInfo = `Interviewer voice: ${player.segmentsPlayed} ${player.segmentsPlayed === 1 ? "reply" : "replies"} played (${player.secondsPlayed.toFixed(1)} s)`;
      s.segments = player.segmentsPlayed;
      update();
    },
    error(m) {
      s.errors.unshift(m.message);
      update();
    },
    elsewhere() {
      s.elsewhere = true;
      s.turn = false;
      update();
    },
  };

  const transport: Transport =
    join.transport === "livekit" && join.token && join.livekitUrl
      ? new LiveKitTransport({ livekitUrl: join.livekitUrl, token: join.token }, on)
      : new LocalTransport(room, on, mic.active ? mic : null);
  window.__voicehire = transport;

  function takeOver(): void {
    s.elsewhere = false;
    update();
    void transport.connect();
  }
  function submit(ev: SubmitEvent): void {
    ev.preventDefault();
    const box = byId("answer", HTMLTextAreaElement);
    const text = box.value.trim();
    if (!text || s.ended) return;
    if (transport.answer(text)) box.value = "";
    else
      on.error({ code: "offline", message: "Not connected right now — your answer is kept in the box; send it again when reconnected." });
  }
  function onKey(ev: KeyboardEvent): void {
    if (ev.key === "Enter" && !ev.shiftKey) {
      ev.preventDefault();
      byId("composer", HTMLFormElement).requestSubmit();
    }
  }
  function endSession(): void {
    if (!confirm(`End the ${lower} now? You cannot resume it afterwards.`)) return;
    if (!transport.end()) {
      on.error({ code: "offline", message: `Not connected right now — press End ${lower} again when reconnected.` });
      return;
    }
    s.ending = true; // shown at once; the interviewer's goodbye and the end follow
    s.turn = false;
    update();
  }

  update();
  void transport.connect();
  byId("answer").focus();
}

void load();
