// Email invites from the dashboard (POST /api/interviews/{id}/invite): "Email invite to
// <address>" beside the invite link after "Create interview", and on the page of an
// interview not yet started the invite's state (sent, last reminder, until when the link
// works or that it expired) with "Resend invite" (a fresh expiry) and "Send reminder" (the
// same expiry). Each send says what happened, or the API's reason in words. Without SMTP
// (`email` in /api/web/config) or without the candidate's address it says so: the link can
// still be copied. The words are pure functions (vitest); app.ts only wires this in.
import "./invites.css";
import { unwrap, type Api, type Schemas } from "../api";
import { fmtDate } from "../format";
import { html, nothing, type TemplateResult } from "../view";

export type InviteState = Schemas["InviteState"];
export type InviteSent = Schemas["InviteSent"];
export type InviteKind = "invite" | "reminder";

export interface InviteTarget {
  interviewId: string;
  /** The candidate's email address, if the record has one. */
  email: string | null | undefined;
  /** Whether the server can send email (SMTP configured). */
  configured: boolean;
}

export const NOT_CONFIGURED =
  "Email is not configured on this server (SMTP_HOST is not set), so the invite cannot be emailed from here. Copy the invite link and send it to the candidate yourself.";
export const NO_ADDRESS =
  "The candidate has no email address, so the invite cannot be emailed. Add an address to the candidate, or copy the invite link and send it yourself.";

/** Why email cannot be sent for this interview, or null when it can. */
export function unavailable(target: InviteTarget): string | null {
  if (!target.configured) return NOT_CONFIGURED;
  if (!target.email) return NO_ADDRESS;
  return null;
}

/** Whether the link's expiry has passed at `now`. */
export function isExpired(state: InviteState | null, now: Date = new Date()): boolean {
  if (!state) return false;
  const until = Date.parse(state.expires_at);
  return Number.isNaN(until) ? state.expired : until <= now.getTime();
}

/** The state after a send the API confirmed. */
export function afterSend(previous: InviteState | null, sent: InviteSent): InviteState {
  const reminder = sent.kind === "reminder";
  return {
    sent_at: reminder ? (previous?.sent_at ?? null) : sent.sent_at,
    reminded_at: reminder ? sent.sent_at : (previous?.reminded_at ?? null),
    expires_at: sent.expires_at,
    expired: false,
  };
}

/** What happened, in a sentence (times in the browser's local time). */
export function sentMessage(sent: InviteSent, resend: boolean): string {
  const until = fmtDate(sent.expires_at);
  if (sent.kind === "reminder") return `Reminder sent to ${sent.sent_to} at ${fmtDate(sent.sent_at)}. The link still works until ${until}.`;
  if (resend) return `Invite sent again to ${sent.sent_to} at ${fmtDate(sent.sent_at)}. The link now works until ${until}.`;
  return `Invite sent to ${sent.sent_to} at ${fmtDate(sent.sent_at)}. The link works until ${until}.`;
}

/** Why a send failed, from the API's message. */
export function failedMessage(kind: InviteKind, reason: string): string {
  const what = kind === "reminder" ? "The reminder" : "The invite";
  const text = reason.trim().replace(/[.\s]+$/, "");
  return `${what} was not sent: ${text || "the server gave no reason"}.`;
}

type Outcome = { ok: boolean; text: string } | null;

/** One interview's invite sending: its state, the send in flight and the last outcome.
 * `rerender` redraws the page that shows it. */
export class InviteMailer {
  private busy: InviteKind | null = null;
  private outcome: Outcome = null;

  constructor(
    private readonly api: Api,
    private readonly target: InviteTarget,
    public state: InviteState | null,
    private readonly rerender: () => void,
  ) {}

  async send(kind: InviteKind): Promise<void> {
    if (this.busy) return;
    const resend = kind === "invite" && !!this.state?.sent_at;
    this.busy = kind;
    this.outcome = null;
    this.rerender();
    try {
      const sent = await unwrap(
        this.api.POST("/api/interviews/{interview_id}/invite", {
          params: { path: { interview_id: this.target.interviewId } },
          body: { kind },
        }),
      );
      this.state = afterSend(this.state, sent);
      this.outcome = { ok: true, text: sentMessage(sent, resend) };
    } catch (err) {
      this.outcome = { ok: false, text: failedMessage(kind, err instanceof Error ? err.message : String(err)) };
    } finally {
      this.busy = null;
      this.rerender();
      // The buttons may have changed (Email invite → Resend): the result takes focus.
      document.getElementById("invite-result")?.focus();
    }
  }

  private result(): TemplateResult {
    const o = this.outcome;
    return html`<div id="invite-result" class="invite-result" role="status" tabindex="-1">
      ${this.busy ? html`<p class="muted">Sending…</p>` : nothing}
      ${o ? html`<p class="notice ${o.ok ? "ok" : "bad"}">${o.text}</p>` : nothing}
    </div>`;
  }

  private button(
    kind: InviteKind,
    id: string,
    text: string,
    extra: { secondary?: boolean; disabled?: boolean; describedBy?: string } = {},
  ): TemplateResult {
    return html`<button
      class="btn ${extra.secondary ? "secondary" : ""} wraps"
      type="button"
      id=${id}
      ?disabled=${extra.disabled}
      aria-describedby=${extra.describedBy ?? nothing}
      aria-busy=${this.busy === kind ? "true" : "false"}
      @click=${() => void this.send(kind)}
    >
      ${this.busy === kind ? "Sending…" : text}
    </button>`;
  }

  /** Beside the invite link after "Create interview". */
  createdView(): TemplateResult {
    const why = unavailable(this.target);
    if (why) return html`<p class="notice warn invite-mail" id="invite-mail-off">${why}</p>`;
    return html`<div class="invite-mail">
      <div class="row">${this.button("invite", "email-invite", `Email invite to ${this.target.email ?? ""}`)}</div>
      ${this.result()}
    </div>`;
  }

  /** On the page of an interview not yet started. */
  detailView(now: Date = new Date()): TemplateResult {
    const state = this.state;
    const expired = isExpired(state, now);
    const why = unavailable(this.target);
    return html`<section class="invite-mail" aria-labelledby="invite-heading">
      <h3 id="invite-heading">Email invite</h3>
      <div id="invite-state">
        ${state ? this.stateView(state, expired) : html`<p class="muted" id="invite-none">No invite has been emailed yet.</p>`}
      </div>
      ${
        why
          ? html`<p class="notice warn" id="invite-mail-off">${why}</p>`
          : html`<div class="row">
                ${
                  state
                    ? html`${this.button("invite", "resend-invite", "Resend invite", { secondary: !expired, describedBy: "invite-hint" })}
                      ${this.button("reminder", "send-reminder", "Send reminder", {
                        secondary: true,
                        disabled: expired,
                        describedBy: "invite-hint",
                      })}`
                    : this.button("invite", "email-invite", `Email invite to ${this.target.email ?? ""}`)
                }
              </div>
              ${
                state
                  ? html`<p class="hint" id="invite-hint">
                      ${
                        expired
                          ? "Resend gives the link a fresh expiry; a reminder would keep the expired one."
                          : "Resend gives the link a fresh expiry; a reminder keeps the same one."
                      }
                    </p>`
                  : nothing
              }
              ${this.result()}`
      }
    </section>`;
  }

  private stateView(state: InviteState, expired: boolean): TemplateResult {
    return html`<dl class="kv">
        ${
          this.target.email
            ? html`<dt>Emailed to</dt>
                <dd id="invite-to">${this.target.email}</dd>`
            : nothing
        }
        <dt>Invite sent</dt>
        <dd id="invite-sent-at">${state.sent_at ? fmtDate(state.sent_at) : "—"}</dd>
        ${
          state.reminded_at
            ? html`<dt>Last reminder</dt>
                <dd id="invite-reminded-at">${fmtDate(state.reminded_at)}</dd>`
            : nothing
        }
        <dt>${expired ? "Link expired" : "Link works until"}</dt>
        <dd id="invite-expires-at">
          ${fmtDate(state.expires_at)} ${expired ? html`<span class="badge cancelled">Expired</span>` : nothing}
        </dd>
      </dl>
      ${
        expired
          ? html`<p class="notice warn" id="invite-expired">
              The invite link expired on ${fmtDate(state.expires_at)}: the candidate is told to ask for a new one. Resend the invite to give
              it a fresh expiry.
            </p>`
          : nothing
      }`;
  }
}
