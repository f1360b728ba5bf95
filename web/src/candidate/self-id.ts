// After the interview: the optional, voluntary self-identification question (GET
// /api/self-identification, PUT /api/self-identification/{room}). Every question can be
// left unanswered or answered "prefer not to say"; skipping it all is one click. The
// answers are kept apart from the interview: the interviewer and the scoring never see them.
import "./notices.css";
import { errorMessage, unwrap, type Api, type Schemas } from "../api";
import { html, nothing, type TemplateResult } from "../view";

export type SelfIdQuestion = Schemas["SelfIdQuestion"];
type Answers = Schemas["SelfIdAnswers"]["answers"];

type Done = "saved" | "skipped";
const key = (room: string) => `voicehire.selfid.${room}`;

function recallDone(room: string): Done | null {
  try {
    const v = sessionStorage.getItem(key(room));
    return v === "saved" || v === "skipped" ? v : null;
  } catch {
    return null;
  }
}

function rememberDone(room: string, done: Done): void {
  try {
    sessionStorage.setItem(key(room), done);
  } catch {
    // storage disabled: the form may be offered again after a reload, nothing else
  }
}

export interface SelfIdBlock {
  view(): TemplateResult;
}

/** The form's block for the end of an interview; `rerender` draws the page again. */
export function selfIdBlock(api: Api, room: string, rerender: () => void): SelfIdBlock {
  let question: SelfIdQuestion | null = null;
  let loadFailed = false;
  let done: Done | null = recallDone(room);
  let sending = false;
  let problem = "";
  let started = false;

  const start = () => {
    if (started || done) return;
    started = true;
    unwrap(api.GET("/api/self-identification")).then(
      (q) => {
        question = q;
        rerender();
      },
      () => {
        loadFailed = true; // optional: nothing to show, nothing lost
        rerender();
      },
    );
  };

  const finish = (how: Done) => {
    done = how;
    rememberDone(room, how);
    rerender();
    document.getElementById("selfid-done")?.focus();
  };

  const submit = async (ev: SubmitEvent) => {
    ev.preventDefault();
    if (sending || !question) return;
    const answers: Answers = {};
    for (const c of question.categories) {
      const value = (document.getElementById(`selfid-${c.category}`) as HTMLSelectElement | null)?.value ?? "";
      if (value && c.options.some((o) => o.value === value)) answers[c.category] = value;
    }
    if (!Object.keys(answers).length) return finish("skipped");
    sending = true;
    problem = "";
    rerender();
    try {
      const { response, error } = await api.PUT("/api/self-identification/{room}", { params: { path: { room } }, body: { answers } });
      if (!response.ok) throw new Error(errorMessage(response.status, response.statusText, error)); // 204: no body
      sending = false;
      finish("saved");
    } catch (err) {
      sending = false;
      problem = `Your answers could not be saved: ${err instanceof Error ? err.message : String(err)}. You can try again or skip.`;
      rerender();
    }
  };

  const view = (): TemplateResult => {
    if (done)
      return html`<p class="notice ok selfid-done" id="selfid-done" role="status" tabindex="-1">
        ${
          done === "saved"
            ? "Thank you. Your answers are saved apart from your interview; the interviewer and the scoring never see them."
            : "Skipped. Nothing about you was saved from this optional question."
        }
      </p>`;
    start();
    if (loadFailed) return html``;
    if (!question) return html`<p class="muted small">Loading an optional question…</p>`;
    const q = question;
    return html`<section class="panel selfid" id="selfid" aria-labelledby="selfid-title">
      <h2 id="selfid-title">Optional: help us check that hiring is fair</h2>
      <p id="selfid-notice">${q.notice}</p>
      <p class="small muted">
        This is voluntary: leaving it empty or skipping it changes nothing for your application. It is not seen by the interviewer and is
        not used in scoring.
      </p>
      <form id="selfid-form" @submit=${submit}>
        <div class="selfid-fields">
          ${q.categories.map(
            (c) =>
              html`<div class="field">
                <label for=${`selfid-${c.category}`}>${c.label}</label>
                <select id=${`selfid-${c.category}`} name=${c.category}>
                  <option value="">Not answered</option>
                  ${c.options.map((o) => html`<option value=${o.value}>${o.label}</option>`)}
                </select>
              </div>`,
          )}
        </div>
        ${problem ? html`<p class="notice bad" role="alert">${problem}</p>` : nothing}
        <div class="row">
          <button class="btn" type="submit" id="selfid-save" ?disabled=${sending}>${sending ? "Saving…" : "Submit answers"}</button>
          <button class="btn secondary" type="button" id="selfid-skip" @click=${() => finish("skipped")}>Skip this question</button>
        </div>
      </form>
    </section>`;
  };
  return { view };
}
