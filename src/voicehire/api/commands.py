"""``voicehire token`` (a join token by hand) and how ``voicehire serve`` decides its admin
credential (the command itself is assembled in :mod:`voicehire.server`)."""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import secrets
import sys
from pathlib import Path

from pydantic import SecretStr

from voicehire.settings import Settings, SettingsError, load_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    t = subparsers.add_parser(
        "token",
        help="print a LiveKit join token for ROOM and IDENTITY (for testing with any client)",
        description="Print a participant token signed with LIVEKIT_API_KEY/SECRET, scoped to "
        "ROOM. With --dispatch, joining the (not yet existing) room dispatches the agent.",
    )
    t.add_argument("room", metavar="ROOM")
    t.add_argument("identity", metavar="IDENTITY")
    t.add_argument("--ttl", type=int, default=3600, help="lifetime in seconds (default 3600)")
    t.add_argument("--name", help="display name (default: IDENTITY)")
    t.add_argument(
        "--dispatch",
        action="store_true",
        help="dispatch the agent (AGENT_NAME) when this token creates the room",
    )
    t.add_argument("--metadata", help="job metadata JSON for --dispatch (seed format)")
    t.add_argument("--video", action="store_true", help="allow camera/screen too (default audio)")
    t.set_defaults(func=_token)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def prepare_serve_settings(settings: Settings, host: str) -> tuple[Settings, str]:
    """Decide the admin credential for this run; returns settings and a note to print."""
    if settings.vh_admin_token:
        return settings, "admin: Authorization: Bearer $VH_ADMIN_TOKEN"
    if _is_loopback(host):
        return settings, (
            "admin: VH_ADMIN_TOKEN is not set, so management endpoints accept requests "
            "from this machine only (set VH_ADMIN_TOKEN before exposing the API)"
        )
    token = secrets.token_urlsafe(24)
    path = write_secret_file(settings.vh_admin_token_file, token)
    note = (
        f"admin: VH_ADMIN_TOKEN is not set and the API listens on {host}; generated an admin "
        f"token for this run and wrote it to {path} (readable by you only). Sign in with "
        f'it, or set VH_ADMIN_TOKEN (e.g. export VH_ADMIN_TOKEN="$(cat {path})") to keep '
        "one across restarts."
    )
    return settings.model_copy(update={"vh_admin_token": SecretStr(token)}), note


def write_secret_file(path: Path, secret: str) -> Path:
    """Write ``secret`` to ``path`` readable and writable by this user only (0600), never
    through a symlink; the directory is created (0700) when missing."""
    path = path.expanduser().absolute()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o600)
    try:
        os.fchmod(fd, 0o600)  # an existing file keeps its mode on open: tighten it
        os.write(fd, f"{secret}\n".encode())
    finally:
        os.close(fd)
    return path


def _token(args: argparse.Namespace, _rest: list[str]) -> int:
    from voicehire.domain.config import SessionConfig
    from voicehire.livekit_gateway import make_join_token

    settings = load_settings()
    if not (settings.livekit_api_key and settings.livekit_api_secret):
        raise SettingsError(
            "voicehire token needs LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET"
        )
    if not 10 <= args.ttl <= 86400:
        print("voicehire token: --ttl must be between 10 and 86400 seconds", file=sys.stderr)
        return 2
    metadata = None
    if args.dispatch:
        if args.metadata:
            try:
                metadata = json.loads(args.metadata)
            except ValueError as exc:
                print(f"voicehire token: --metadata is not JSON: {exc}", file=sys.stderr)
                return 2
            if not isinstance(metadata, dict):
                print("voicehire token: --metadata must be a JSON object", file=sys.stderr)
                return 2
        else:
            metadata = SessionConfig(candidate_name=args.name or args.identity).to_metadata()
    token = make_join_token(
        settings.livekit_api_key,
        settings.livekit_api_secret.get_secret_value(),
        room=args.room,
        identity=args.identity,
        name=args.name,
        ttl_seconds=args.ttl,
        dispatch_agent=settings.agent_name if args.dispatch else None,
        dispatch_metadata=metadata,
        audio_only=not args.video,
    )
    print(token)
    if settings.livekit_url:
        print(
            f"connect to {settings.livekit_url} as {args.identity!r} in room {args.room!r}"
            + (f" (dispatches {settings.agent_name})" if args.dispatch else ""),
            file=sys.stderr,
        )
    return 0
