// The candidate's interview page: consent, microphone check, then the interview.
import "./styles.css";
import { createApi, unwrap } from "./api";
import { Microphone } from "./audio";
import { parseJoinInfo, type JoinInfo } from "./join-info";
import { applyMessage, initialState, progress, resetShown, setStatus, stageClass, statusText } from "./candidate/session";
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
    mount(main, endedPanel("Interview not found", html`<p class="notice bad">${err instanceof Error ? err.message : String(err)}</p>`));
    return;
  }
  byId("header-role").textContent = join.role ? `${join.role} · ${join.planTitle}` : join.planTitle;
  if (["completed", "cancelled", "error"].includes(join.status)) {
    mount(
      main,
      endedPanel(
        "This interview has ended",
        html`<p>
          Thank you, ${join.candidateName}. This interview link is no longer active (${join.status}). The hiring team will be in touch.
        </p>`,
      ),
    );
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
  consent(join);
}

function consent(join: JoinInfo): void {
  const modeText = ({ briefing: "briefing", gap_filling: "call" } as Record<string, string>)[join.mode] ?? "interview";
  let agreed = false;
  const view = () =>
    html`${steps(0)}
      <section class="panel" aria-labelledby="consent-title">
        <h1 id="consent-title">${join.mode === "briefing" ? `Voice briefing: ${join.candidateName}` : `Welcome, ${join.candidateName}`}</h1>
        <p class="muted">
          ${join.planTitle}${join.role ? html` for the <strong>${join.role}</strong> role` : nothing} · ${join.stages.length}
          stages${join.maxDuration ? ` · up to ${Math.round(join.maxDuration / 60)} minutes` : ""}
        </p>
        <h2>Before you start</h2>
        <ul>
          <li>
            This ${modeText} is run by <strong>${join.interviewerName || "an AI interviewer"}</strong>, an AI voice interviewer. It asks
            questions, listens and follows up.
          </li>
          <li>
            <strong>Recording notice:</strong> everything said in the ${modeText} is transcribed, and the transcript is stored and shared
            with the hiring team.
          </li>
          ${join.recordingNotice ? html`<li><strong>Audio recording:</strong> ${join.recordingNotice}</li>` : nothing}
          <li>Your answers are scored by an automated evaluator; a person at the hiring team reviews the result and makes the decision.</li>
          <li>
            You can answer by speaking (when your microphone is on and the server can transcribe speech) or by typing. You can end the
            ${modeText} at any time.
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
          <span
            >I understand that this ${modeText} is conducted by an AI and is transcribed and recorded, and I agree to continue.</span
          ></label
        >
        <div class="row gap-top"><button class="btn" id="to-mic" ?disabled=${!agreed} @click=${() => micCheck(join)}>Continue</button></div>
      </section>`;
  mount(main, view());
}

function micCheck(join: JoinInfo): void {
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
          <button class="btn big" id="start" @click=${() => interview(join)}>
            ${join.mode === "ai_interview" ? "Start interview" : "Start call"}
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

function interview(join: JoinInfo): void {
  mic.stopMeter();
  const total = join.stages.length;
  const s = initialState();

  const view = () => {
    const { index: idx, count, percent } = progress(s, total);
    return html`${s.errors.map((m) => html`<p class="notice bad" role="alert">${m}</p>`)} ${steps(2)}
      <div id="banner" class="banner reconnecting" role="alert" ?hidden=${s.ended || s.status !== "reconnecting"}>
        Connection lost — reconnecting… Your transcript is safe.
      </div>
      <section class="panel">
        <div class="row spread">
          <div
            class="status"
            id="status"
            data-state=${s.ended ? "ended" : s.status}
            data-turn=${s.turn ? "yes" : "no"}
            role="status"
            aria-live="polite"
          >
            <span class="dot" aria-hidden="true"></span><span id="status-text">${statusText(s)}</span>
          </div>
          <div class="row">
            <label class="check small flush"
              ><input
                type="checkbox"
                id="voice"
                checked
                @change=${(ev: Event) => transport.setVoice((ev.target as HTMLInputElement).checked)}
              />
              <span>Interviewer voice</span></label
            >
            <button class="btn danger" id="end" ?disabled=${s.ended} @click=${endInterview}>End interview</button>
          </div>
        </div>
        <div class="gap-top">
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
          <ol class="stagelist" id="stagelist">
            ${join.stages.map((st, i) => {
              const cls = stageClass(s, join.stages, i);
              return html`<li data-stage=${st.id} class=${cls} aria-current=${cls === "current" ? "step" : nothing}>${st.title}</li>`;
            })}
          </ol>
        </div>
      </section>
      <section class="panel">
        <h2 class="small muted caps">Current question</h2>
        <p class="question" id="question" aria-live="polite">${s.question}</p>
      </section>
      <section class="panel">
        <div class="row spread">
          <h2 class="flush">Live captions</h2>
          <span class="muted small" id="audio-info" data-segments=${s.segments ?? nothing}>${s.audioInfo}</span>
        </div>
        <div class="captions" id="captions" role="log" aria-live="polite" aria-label="Conversation captions">
          ${s.lines.map((l) => html`<div class=${classMap({ line: true, ai: l.ai, me: !l.ai })}><span class="who">${l.who}</span>${l.text}</div>`)}
          ${
            s.interim
              ? html`<div class=${classMap({ line: true, interim: true, ai: s.interim.ai, me: !s.interim.ai })}>${s.interim.text}</div>`
              : nothing
          }
        </div>
        <form class="composer" id="composer" @submit=${submit}>
          <div class="grow">
            <label for="answer" class="small muted">Type your answer</label>
            <textarea
              id="answer"
              rows="2"
              placeholder="Type your answer and press Enter (Shift+Enter for a new line)"
              ?disabled=${s.ended}
              @keydown=${onKey}
            ></textarea>
          </div>
          <button class="btn" type="submit" id="send" ?disabled=${s.ended}>Send</button>
        </form>
        <p class="hint" id="mode-hint">${s.hint}</p>
      </section>
      <section class="panel" id="ended" ?hidden=${!s.ended}>
        <h2>Thank you!</h2>
        <p id="ended-text">
          ${
            s.endedByCandidate
              ? "You ended the interview. Thank you for your time — the hiring team will be in touch."
              : "The interview has ended. The hiring team will review it and be in touch."
          }
        </p>
      </section>`;
  };

  const update = () => {
    mount(main, view());
    const captions = document.getElementById("captions");
    if (captions) captions.scrollTop = captions.scrollHeight;
  };

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
      s.hint = hearing
        ? "Speak when the interviewer is listening, or type your answer."
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
  };

  const transport: Transport =
    join.transport === "livekit" && join.token && join.livekitUrl
      ? new LiveKitTransport({ livekitUrl: join.livekitUrl, token: join.token }, on)
      : new LocalTransport(room, on, mic.active ? mic : null);
  window.__voicehire = transport;

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
  function endInterview(): void {
    if (confirm("End the interview now? You cannot resume it afterwards.")) transport.end();
  }

  update();
  void transport.connect();
  byId("answer").focus();
}

void load();
