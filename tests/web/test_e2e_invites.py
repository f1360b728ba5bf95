"""Email invites from the dashboard, at 1280×800 and 390×844, against a real SMTP server
(aiosmtpd) on loopback: "Email invite to <address>" after "Create interview" delivers the
candidate's link; on the interview's page "Resend invite" sends a new message with a later
expiry and "Send reminder" a reminder with the same one; an expired link is shown as
expired and a resend revives it. Without SMTP the dashboard says email is not configured.
Everything is done by keyboard; axe-core finds no serious violation."""

from __future__ import annotations

import asyncio
import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import Page, expect

from tests.web.conftest import LiveServer, _free_port
from tests.web.test_e2e_dashboard import SIZES, axe_serious, no_sideways_scroll, signed_in


class Inbox:
    """What the SMTP server received (aiosmtpd's handler, called in its own thread)."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]

    def wait_for(self, address: str, count: int, timeout: float = 10) -> list[Message]:
        deadline = time.monotonic() + timeout
        while len(self.to(address)) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        found = self.to(address)
        assert len(found) == count, f"{len(found)} messages to {address}, expected {count}"
        return found


def body(msg: Message) -> str:
    payload = msg.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


@pytest.fixture(scope="module")
def inbox() -> Any:
    box = Inbox()
    controller = Controller(box, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield box, controller.port
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def mail_server(inbox: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    _, port = inbox
    server = LiveServer(
        tmp_path_factory.mktemp("web-invites"),
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_starttls=False,
        invite_ttl_hours=72.0,
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def plain_server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    server = LiveServer(tmp_path_factory.mktemp("web-no-smtp"), smtp_host=None)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def tab_to(page: Page, selector: str, limit: int = 80) -> None:
    """Press Tab until `selector` has the focus (the page is used by keyboard alone)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({json.dumps(selector)})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def local_time(page: Page, iso: str) -> str:
    """The time as the dashboard writes it: the browser's locale and time zone."""
    text: str = page.evaluate(
        "(iso) => new Date(iso).toLocaleString(undefined, "
        "{ dateStyle: 'medium', timeStyle: 'short' })",
        iso,
    )
    return text


def invite_of(server: LiveServer, interview_id: str) -> dict[str, Any]:
    state: dict[str, Any] = server.api("GET", f"/api/interviews/{interview_id}")["invite"]
    return state


def expire_link(server: LiveServer, interview_id: str) -> None:
    """Move the emailed link's expiry into the past, straight in the database."""
    from voicehire.api.schemas import INVITE_EXPIRES_KEY
    from voicehire.storage import repositories as repo
    from voicehire.storage.db import Database

    async def go() -> None:
        db = Database(server.settings.database_url)
        try:
            async with db.sessionmaker() as s:
                iv = await repo.get_interview(s, interview_id)
                assert iv is not None
                past = datetime.now(UTC) - timedelta(hours=1)
                iv.room_metadata = {
                    **(iv.room_metadata or {}),
                    INVITE_EXPIRES_KEY: past.isoformat(),
                }
                await s.commit()
        finally:
            await db.dispose()

    # a thread of its own: Playwright's sync API keeps an event loop in this one
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, go()).result(timeout=30)


@pytest.mark.parametrize("size", list(SIZES))
def test_email_invite_resend_and_reminder_from_the_dashboard(
    mail_server: LiveServer,
    inbox: Any,
    playwright_driver: Any,
    tmp_path: Path,
    shots: Any,
    size: str,
) -> None:
    box, _ = inbox
    email = f"ines-{size}@example.com"
    ctx, page = signed_in(playwright_driver, tmp_path, size)
    try:
        page.goto(f"{mail_server.url}/app#/new")
        page.get_by_label("Full name").fill(f"Ines Invited {size}")
        page.get_by_label(re.compile("^Email")).fill(email)
        page.get_by_label("Job title").fill("Site Reliability Engineer")
        page.get_by_role("button", name="Create interview").click()
        link_box = page.locator("#invite-link")
        expect(link_box).to_be_focused()
        link = link_box.input_value()
        room = link.rsplit("/join/", 1)[1]

        # beside the link: Email invite to <address>, reached and pressed by keyboard
        button = page.get_by_role("button", name=f"Email invite to {email}")
        expect(button).to_be_visible()
        assert box.to(email) == []
        tab_to(page, "#email-invite")
        page.keyboard.press("Enter")
        result = page.locator("#invite-result")
        expect(result).to_contain_text(f"Invite sent to {email}")
        [mail] = box.wait_for(email, 1)
        assert mail["Subject"].startswith("Invitation")
        assert link in body(mail) and f"/join/{room}" in body(mail)
        iid = mail_server.api("GET", "/api/interviews?limit=200")["items"][0]["id"]
        first = invite_of(mail_server, iid)
        assert first["expired"] is False and first["reminded_at"] is None
        expect(result).to_contain_text(
            f"The link works until {local_time(page, first['expires_at'])}"
        )
        expect(result).to_be_focused()
        no_sideways_scroll(page)
        shots(page, f"invite-emailed-{size}")
        assert axe_serious(page) == []

        # the interview's page: the invite's state, Resend (fresh expiry), Reminder (same)
        page.get_by_role("link", name="View the interview →").click()
        state = page.locator("#invite-state")
        expect(state).to_contain_text(email)
        expect(page.locator("#invite-sent-at")).to_have_text(local_time(page, first["sent_at"]))
        expect(page.locator("#invite-expires-at")).to_contain_text(
            local_time(page, first["expires_at"])
        )
        expect(state).to_contain_text("Link works until")
        assert axe_serious(page) == []
        time.sleep(1.1)  # the resend's expiry is measurably later
        page.locator("#copy-link").focus()
        tab_to(page, "#resend-invite")
        page.keyboard.press("Enter")
        expect(page.locator("#invite-result")).to_contain_text(f"Invite sent again to {email}")
        box.wait_for(email, 2)
        again = invite_of(mail_server, iid)
        assert again["expires_at"] > first["expires_at"]
        assert again["sent_at"] > first["sent_at"]
        assert box.to(email)[1]["Subject"].startswith("Invitation")
        assert f"/join/{room}" in body(box.to(email)[1])
        expect(page.locator("#invite-result")).to_contain_text(
            f"now works until {local_time(page, again['expires_at'])}"
        )
        expect(page.locator("#invite-sent-at")).to_have_text(local_time(page, again["sent_at"]))

        tab_to(page, "#send-reminder")
        page.keyboard.press("Space")
        expect(page.locator("#invite-result")).to_contain_text(f"Reminder sent to {email}")
        reminder = box.wait_for(email, 3)[2]
        assert reminder["Subject"].startswith("Reminder")
        assert f"/join/{room}" in body(reminder)
        after = invite_of(mail_server, iid)
        assert after["expires_at"] == again["expires_at"] and after["reminded_at"]
        expect(page.locator("#invite-result")).to_contain_text(
            f"still works until {local_time(page, again['expires_at'])}"
        )
        expect(page.locator("#invite-reminded-at")).to_have_text(
            local_time(page, after["reminded_at"])
        )
        no_sideways_scroll(page)
        shots(page, f"invite-resent-reminded-{size}")
        assert axe_serious(page) == []
    finally:
        ctx.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_an_expired_link_is_shown_expired_and_a_resend_revives_it(
    mail_server: LiveServer,
    inbox: Any,
    playwright_driver: Any,
    tmp_path: Path,
    shots: Any,
    size: str,
) -> None:
    box, _ = inbox
    email = f"otto-{size}@example.com"
    api = mail_server.api
    cand = api("POST", "/api/candidates", json={"name": f"Otto Overdue {size}", "email": email})
    iv = api("POST", "/api/interviews", json={"candidate_id": cand["id"]})["interview"]
    api("POST", f"/api/interviews/{iv['id']}/invite", json={"kind": "invite"})
    box.wait_for(email, 1)
    expire_link(mail_server, iv["id"])
    join = f"{mail_server.url}/api/web/join/{iv['room_name']}"
    assert httpx.get(join).status_code == 410

    ctx, page = signed_in(playwright_driver, tmp_path, size)
    try:
        page.goto(f"{mail_server.url}/app#/interviews/{iv['id']}")
        expired = page.locator("#invite-expired")
        expect(expired).to_be_visible()
        expect(expired).to_contain_text("Resend the invite")
        expect(page.locator("#invite-state")).to_contain_text("Link expired")
        expect(page.locator("#invite-expires-at")).to_contain_text("Expired")
        expect(page.locator("#send-reminder")).to_be_disabled()
        no_sideways_scroll(page)
        shots(page, f"invite-expired-{size}")
        assert axe_serious(page) == []

        tab_to(page, "#resend-invite")
        page.keyboard.press("Enter")
        expect(page.locator("#invite-result")).to_contain_text(f"Invite sent again to {email}")
        expect(expired).to_have_count(0)
        expect(page.locator("#invite-state")).to_contain_text("Link works until")
        expect(page.locator("#send-reminder")).to_be_enabled()
        box.wait_for(email, 2)
        assert invite_of(mail_server, iv["id"])["expired"] is False
        assert httpx.get(join).status_code == 200
        shots(page, f"invite-revived-{size}")
    finally:
        ctx.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_without_smtp_the_dashboard_says_email_is_not_configured(
    plain_server: LiveServer, playwright_driver: Any, tmp_path: Path, shots: Any, size: str
) -> None:
    ctx, page = signed_in(playwright_driver, tmp_path, size)
    try:
        page.goto(f"{plain_server.url}/app#/new")
        page.get_by_label("Full name").fill(f"Nora Nomail {size}")
        page.get_by_label(re.compile("^Email")).fill(f"nora-{size}@example.com")
        page.get_by_label("Job title").fill("Support Lead")
        page.get_by_role("button", name="Create interview").click()
        expect(page.locator("#invite-link")).to_be_visible()
        off = page.locator("#invite-mail-off")
        expect(off).to_contain_text("Email is not configured on this server")
        expect(off).to_contain_text("Copy the invite link")
        expect(page.get_by_role("button", name=re.compile("^Email invite"))).to_have_count(0)
        expect(page.get_by_role("button", name="Copy invite link")).to_be_visible()
        no_sideways_scroll(page)
        shots(page, f"invite-no-smtp-{size}")
        assert axe_serious(page) == []
        page.get_by_role("link", name="View the interview →").click()
        expect(page.locator("#invite-none")).to_be_visible()
        expect(page.locator("#invite-mail-off")).to_contain_text("not configured")
        expect(page.locator("#resend-invite")).to_have_count(0)
        assert axe_serious(page) == []
    finally:
        ctx.close()


def test_no_address_and_a_refused_send_are_said_in_words(
    mail_server: LiveServer, playwright_driver: Any, tmp_path: Path, shots: Any
) -> None:
    ctx, page = signed_in(playwright_driver, tmp_path, "desktop")
    try:
        # a candidate without an address: nothing to email, the link can be copied
        page.goto(f"{mail_server.url}/app#/new")
        page.get_by_label("Full name").fill("Paul Nopost")
        page.get_by_label("Job title").fill("Support Lead")
        page.get_by_role("button", name="Create interview").click()
        expect(page.locator("#invite-mail-off")).to_contain_text("has no email address")
        expect(page.get_by_role("button", name=re.compile("^Email invite"))).to_have_count(0)

        # the SMTP server refusing: the API's reason, in a sentence
        def refuse(route: Any) -> None:
            route.fulfill(
                status=502,
                content_type="application/json",
                body=json.dumps(
                    {
                        "error": "smtp_error",
                        "message": "the email could not be sent through 127.0.0.1:25: "
                        "(550, 'mailbox unavailable')",
                    }
                ),
            )

        page.route(re.compile(r"/api/interviews/[^/]+/invite$"), refuse)
        page.get_by_label("Full name").fill("Rita Refused")
        page.get_by_label(re.compile("^Email")).fill("rita@example.com")
        page.get_by_label("Job title").fill("Support Lead")
        page.get_by_role("button", name="Create interview").click()
        page.get_by_role("button", name="Email invite to rita@example.com").click()
        result = page.locator("#invite-result")
        expect(result).to_contain_text(
            "The invite was not sent: the email could not be sent through 127.0.0.1:25"
        )
        expect(result).to_contain_text("mailbox unavailable")
        shots(page, "invite-refused")
        assert axe_serious(page) == []
    finally:
        ctx.close()
