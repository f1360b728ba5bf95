"""Email invites and reminders through SMTP (``SMTP_*`` settings; stdlib ``smtplib`` in
a worker thread)."""

from __future__ import annotations

import asyncio
import smtplib
from datetime import datetime
from email.message import EmailMessage

from voicehire.settings import Settings


class MailError(RuntimeError):
    """The SMTP server could not be reached or refused the message; the text says why."""


def invite_message(
    settings: Settings,
    *,
    to: str,
    candidate_name: str,
    role: str,
    link: str,
    expires_at: datetime,
    reminder: bool,
) -> EmailMessage:
    msg = EmailMessage()
    what = f"your {role} interview" if role else "your interview"
    msg["Subject"] = f"Reminder: {what}" if reminder else f"Invitation: {what}"
    msg["From"] = settings.smtp_from
    msg["To"] = to
    until = expires_at.strftime("%d %B %Y, %H:%M UTC")
    lead = (
        f"This is a reminder that {what} is waiting for you."
        if reminder
        else f"You are invited to {what}, an AI voice interview you can take when it suits you."
    )
    msg.set_content(
        f"Hello {candidate_name},\n\n{lead}\n\nOpen this link to start:\n{link}\n\n"
        f"The link works until {until}. You can answer by speaking or by typing; the "
        "interview is transcribed and reviewed by a person at the hiring team.\n"
    )
    return msg


def _send(settings: Settings, msg: EmailMessage) -> None:
    assert settings.smtp_host
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=20) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password or "")
        smtp.send_message(msg)


async def send(settings: Settings, msg: EmailMessage) -> None:
    try:
        await asyncio.to_thread(_send, settings, msg)
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(
            f"the email could not be sent through {settings.smtp_host}:{settings.smtp_port}: {exc}"
        ) from None
