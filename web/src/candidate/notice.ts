// Before consent: what the candidate is told about AI in the interview (GET
// /api/candidate-notice) and their way to ask for an accommodation instead (another
// format, or an interview with a person; POST /api/accommodations/{room}). Asking sends
// the request and says so; the candidate still chooses whether to continue.
import "./notices.css";
import { unwrap, type Api, type Schemas } from "../api";
import { html, nothing, type TemplateResult } from "../view";

export type CandidateNotice = Schemas["CandidateNotice"];

type Kind = Schemas["AccommodationIn"]["kind"];

interface State {
  notice: CandidateNotice | null;
  loadError: string;
  open: boolean;
  kind: Kind | "";
  sending: boolean;
  problem: string;
  sent: { label: string } | null;
}

export interface NoticeBlock {
  view(): TemplateResult;
}

/** The notice block of the consent page; `rerender` draws the page again after a change. */
export function noticeBlock(api: Api, room: string, rerender: () => void): NoticeBlock {
  const s: State = { notice: null, loadError: "", open: false, kind: "", sending: false, problem: "", sent: null };
  unwrap(api.GET("/api/candidate-notice")).then(
    (n) => {
      s.notice = n;
      rerender();
    },
    (err: unknown) => {
      s.loadError = err instanceof Error ? err.message : String(err);
      rerender();
    },
  );

  const toggle = () => {
    s.open = !s.open;
    s.problem = "";
    rerender();
    if (s.open) document.querySelector<HTMLInputElement>("#accommodation-form input[type=radio]")?.focus();
    else document.getElementById("request-accommodation")?.focus();
  };

  const submit = async (ev: SubmitEvent) => {
    ev.preventDefault();
    if (s.sending) return;
    const options = s.notice?.accommodation_options ?? [];
    const kind = options.find((o) => o.value === s.kind)?.value;
    if (!kind) {
      s.problem = "Choose what you would like instead.";
      rerender();
      return;
    }
    const note = (document.getElementById("accommodation-note") as HTMLTextAreaElement | null)?.value.trim() ?? "";
    s.sending = true;
    s.problem = "";
    rerender();
    try {
      await unwrap(
        api.POST("/api/accommodations/{room}", { params: { path: { room } }, body: { kind: kind as Kind, note: note || null } }),
      );
      s.sent = { label: options.find((o) => o.value === kind)?.label ?? kind };
      s.open = false;
    } catch (err) {
      s.problem = `Your request could not be sent: ${err instanceof Error ? err.message : String(err)}. Please try again.`;
    } finally {
      s.sending = false;
      rerender();
      document.getElementById(s.sent ? "accommodation-sent" : "accommodation-problem")?.focus();
    }
  };

  const form = (n: CandidateNotice): TemplateResult =>
    html`<form id="accommodation-form" class="accommodation-form" @submit=${submit} aria-labelledby="accommodation-legend">
      <fieldset>
        <legend id="accommodation-legend">What would you like instead?</legend>
        ${n.accommodation_options.map(
          (o) =>
            html`<label class="check"
              ><input
                type="radio"
                name="accommodation-kind"
                value=${o.value}
                .checked=${s.kind === o.value}
                @change=${() => {
                  s.kind = o.value as Kind;
                }}
              />
              <span>${o.label}</span></label
            >`,
        )}
      </fieldset>
      <div class="field">
        <label for="accommodation-note">Anything the hiring team should know? <span class="muted">(optional)</span></label>
        <textarea id="accommodation-note" rows="2" maxlength="5000"></textarea>
      </div>
      ${s.problem ? html`<p class="notice bad" role="alert" id="accommodation-problem" tabindex="-1">${s.problem}</p>` : nothing}
      <div class="row">
        <button class="btn" type="submit" id="send-accommodation" ?disabled=${s.sending}>${s.sending ? "Sending…" : "Send request"}</button>
        <button class="btn secondary" type="button" id="cancel-accommodation" @click=${toggle}>Cancel</button>
      </div>
    </form>`;

  const view = (): TemplateResult => {
    if (s.loadError)
      return html`<section class="ai-notice" aria-labelledby="ai-notice-title">
        <h2 id="ai-notice-title">How AI is used</h2>
        <p>This interview is conducted and scored by an AI; a person at the hiring team makes the decision.</p>
        <p class="notice warn">
          The full notice could not be loaded (${s.loadError}). Please contact the hiring team if you have questions.
        </p>
      </section>`;
    const n = s.notice;
    if (!n) return html`<p class="muted" id="ai-notice-loading">Loading how AI is used in this interview…</p>`;
    return html`<section class="ai-notice" id="ai-notice" aria-labelledby="ai-notice-title">
      <h2 id="ai-notice-title">How AI is used in this interview</h2>
      <p id="ai-notice-text">${n.ai_notice}</p>
      ${n.notice ? html`<p id="org-notice">${n.notice}</p>` : nothing}
      ${
        s.sent
          ? html`<div class="notice ok" id="accommodation-sent" role="status" tabindex="-1">
              <p class="flush"><strong>Your request was sent to the hiring team:</strong> ${s.sent.label}.</p>
              <p class="flush gap-top-sm">
                They will contact you about it${n.accommodation_contact ? html` (or write to ${n.accommodation_contact})` : nothing}. It
                does not count against you. You can still continue with the AI interview below, or close this page and wait to hear from
                them.
              </p>
            </div>`
          : html`<p>
                Prefer another format, or an interview with a person?
                ${n.accommodation_contact ? html`You can also write to ${n.accommodation_contact}.` : nothing}
              </p>
              ${
                s.open
                  ? form(n)
                  : html`<button type="button" class="btn secondary" id="request-accommodation" aria-expanded="false" @click=${toggle}>
                      Request an accommodation
                    </button>`
              }`
      }
    </section>`;
  };
  return { view };
}
