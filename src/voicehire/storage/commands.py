"""``voicehire migrate``: apply the database migrations and exit (the deployment's
migrations job; ``voicehire serve`` also applies them on start)."""

from __future__ import annotations

import argparse
import asyncio
import sys

from voicehire.logging_setup import configure_logging
from voicehire.settings import load_settings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    m = subparsers.add_parser(
        "migrate",
        help="apply the database migrations (DATABASE_URL) and exit",
        description="Bring the database at DATABASE_URL to the newest schema (Alembic "
        "upgrade head). Safe to run again: applied migrations are skipped.",
    )
    m.set_defaults(func=_migrate)


async def _upgrade(url: str) -> str | None:
    from sqlalchemy import text

    from voicehire.storage.db import Database

    db = Database(url)
    try:
        await db.migrate()
        async with db.engine.connect() as conn:
            version = await conn.scalar(text("SELECT version_num FROM alembic_version"))
        print(f"database {db.safe_url} is at revision {version}", file=sys.stderr)
        return str(version) if version else None
    finally:
        await db.dispose()


def _migrate(_args: argparse.Namespace, _rest: list[str]) -> int:
    from voicehire.storage.db import DatabaseError

    settings = load_settings()
    configure_logging(settings.log_level, settings.log_format, settings.log_file)
    try:
        asyncio.run(_upgrade(settings.database_url))
    except DatabaseError as exc:
        print(f"voicehire migrate: {exc}", file=sys.stderr)
        return 1
    return 0
