"""Email invites, reminders and link expiry, sent to a real SMTP server (aiosmtpd) on
loopback."""

from __future__ import annotations

import asyncio
import socket
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller

from tests.api.support import ADMIN, api_client, make_settings


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


async def _interview(client, **candidate):
    body = {"name": "Ada Lovelace", "email": "ada@example.com", **candidate}
    cand = (await client.post("/api/candidates", json=body, headers=ADMIN)).json()
    res = await client.post("/api/interviews", json={"candidate_id": cand["id"]}, headers=ADMIN)
    return res.json()["interview"]


async def test_invite_reminder_expiry_and_resend(tmp_path, smtp):
    inbox, port = smtp
    settings = make_settings(
        tmp_path,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_starttls=False,
        invite_ttl_hours=0.5 / 3600,  # half a second
    )
    async with api_client(settings) as client:
        assert (await client.get("/api/web/config")).json()["email"] is True
        iv = await _interview(client)
        assert iv["invite"] is None
        url = f"/api/interviews/{iv['id']}/invite"
        sent = (await client.post(url, headers=ADMIN)).json()
        assert sent["sent_to"] == "ada@example.com" and sent["kind"] == "invite"
        state = (await client.get(f"/api/interviews/{iv['id']}", headers=ADMIN)).json()["invite"]
        assert state == {
            "sent_at": sent["sent_at"],
            "reminded_at": None,
            "expires_at": sent["expires_at"],
            "expired": False,
        }
        [mail] = inbox.messages
        assert mail["To"] == "ada@example.com" and mail["Subject"].startswith("Invitation")
        body = mail.get_payload(decode=True).decode()
        assert f"/join/{iv['room_name']}" in body and "Hello Ada Lovelace" in body
        join = f"/api/web/join/{iv['room_name']}"
        assert (await client.get(join)).status_code == 200

        await asyncio.sleep(0.8)
        expired = await client.get(join)
        assert expired.status_code == 410 and "send it again" in expired.json()["message"]
        # a reminder keeps the (expired) date; a resend gives the link a fresh one
        reminder = (await client.post(url, json={"kind": "reminder"}, headers=ADMIN)).json()
        assert reminder["expires_at"] == sent["expires_at"]
        assert inbox.messages[-1]["Subject"].startswith("Reminder")
        state = (await client.get(f"/api/interviews/{iv['id']}", headers=ADMIN)).json()["invite"]
        assert state["expired"] is True and state["sent_at"] == sent["sent_at"]
        assert state["reminded_at"] == reminder["sent_at"]
        assert (await client.get(join)).status_code == 410
        again = (await client.post(url, json={"kind": "invite"}, headers=ADMIN)).json()
        assert again["expires_at"] > sent["expires_at"]
        assert (await client.get(join)).status_code == 200
        state = (await client.get(f"/api/interviews/{iv['id']}", headers=ADMIN)).json()["invite"]
        assert state["sent_at"] == again["sent_at"] > sent["sent_at"]
        assert state["expires_at"] == again["expires_at"] and state["expired"] is False
        assert len(inbox.messages) == 3


async def test_invites_need_smtp_an_email_and_a_reachable_server(tmp_path, client):
    assert (await client.get("/api/web/config")).json()["email"] is False
    iv = await _interview(client)
    res = await client.post(f"/api/interviews/{iv['id']}/invite", headers=ADMIN)
    assert res.status_code == 503 and "SMTP_HOST" in res.json()["message"]
    settings = make_settings(tmp_path, smtp_host="127.0.0.1", smtp_port=_free_port())
    async with api_client(settings) as other:
        no_mail = await _interview(other, email=None)
        res = await other.post(f"/api/interviews/{no_mail['id']}/invite", headers=ADMIN)
        assert res.status_code == 422 and "no email address" in res.json()["message"]
        iv = await _interview(other)
        res = await other.post(f"/api/interviews/{iv['id']}/invite", headers=ADMIN)
        assert res.status_code == 502 and "could not be sent" in res.json()["message"]
