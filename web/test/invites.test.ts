// The words of email invites on the dashboard: when email cannot be sent, what a send did,
// why it failed, and the invite's state after a send (a reminder keeps the expiry).
import { describe, expect, it } from "vitest";
import {
  afterSend,
  failedMessage,
  isExpired,
  NO_ADDRESS,
  NOT_CONFIGURED,
  sentMessage,
  unavailable,
  type InviteSent,
  type InviteState,
} from "../src/dashboard/invites";
import { fmtDate } from "../src/format";

const sent = (kind: string, at: string, until: string): InviteSent => ({
  interview_id: "iv1",
  kind,
  sent_to: "ada@example.com",
  join_url: "http://127.0.0.1/join/room",
  sent_at: at,
  expires_at: until,
});

describe("email invites", () => {
  it("says plainly when email cannot be sent", () => {
    expect(unavailable({ interviewId: "i", email: "a@b.c", configured: false })).toBe(NOT_CONFIGURED);
    expect(NOT_CONFIGURED).toMatch(/not configured.*copy the invite link/i);
    expect(unavailable({ interviewId: "i", email: null, configured: true })).toBe(NO_ADDRESS);
    expect(unavailable({ interviewId: "i", email: "a@b.c", configured: true })).toBeNull();
  });

  it("says to whom it was sent and until when the link works, in local time", () => {
    const first = sent("invite", "2026-11-29T06:00:00+00:00", "2026-12-02T06:00:00+00:00");
    const until = fmtDate(first.expires_at);
    expect(sentMessage(first, false)).toBe(`Invite sent to ada@example.com at ${fmtDate(first.sent_at)}. The link works until ${until}.`);
    expect(sentMessage(first, true)).toMatch(/^Invite sent again to ada@example\.com .* now works until/);
    expect(sentMessage(sent("reminder", first.sent_at, first.expires_at), false)).toMatch(
      /^Reminder sent to ada@example\.com .* still works until/,
    );
  });

  it("gives the API's reason when a send fails", () => {
    expect(failedMessage("invite", "the email could not be sent through 127.0.0.1:25: refused.")).toBe(
      "The invite was not sent: the email could not be sent through 127.0.0.1:25: refused.",
    );
    expect(failedMessage("reminder", "  ")).toBe("The reminder was not sent: the server gave no reason.");
  });

  it("keeps the expiry on a reminder and starts a fresh one on a resend", () => {
    const first = afterSend(null, sent("invite", "2026-11-29T06:00:00Z", "2026-12-02T06:00:00Z"));
    expect(first).toEqual({ sent_at: "2026-11-29T06:00:00Z", reminded_at: null, expires_at: "2026-12-02T06:00:00Z", expired: false });
    const reminded = afterSend(first, sent("reminder", "2026-11-30T06:00:00Z", "2026-12-02T06:00:00Z"));
    expect(reminded.sent_at).toBe(first.sent_at);
    expect(reminded.reminded_at).toBe("2026-11-30T06:00:00Z");
    const again = afterSend(reminded, sent("invite", "2026-12-03T06:00:00Z", "2026-12-06T06:00:00Z"));
    expect(again).toMatchObject({
      sent_at: "2026-12-03T06:00:00Z",
      reminded_at: "2026-11-30T06:00:00Z",
      expires_at: "2026-12-06T06:00:00Z",
    });
  });

  it("knows an expired link by the clock", () => {
    const state: InviteState = { sent_at: null, reminded_at: null, expires_at: "2026-12-02T06:00:00Z", expired: false };
    expect(isExpired(state, new Date("2026-12-02T05:59:00Z"))).toBe(false);
    expect(isExpired(state, new Date("2026-12-02T06:00:00Z"))).toBe(true);
    expect(isExpired(null)).toBe(false);
  });
});
