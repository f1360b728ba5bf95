"""``voicehire migrate`` (apply the database migrations and exit: the deployment's
migrations job; ``voicehire serve`` also applies them on start) and ``voicehire storage
status|drain`` (the object store, TRANSCRIPT_BUCKET, and its upload spool)."""

from __future__ import annotations

import argparse
import asyncio
import sys

from voicehire.logging_setup import configure_logging
from voicehire.settings import load_settings
from voicehire.storage.objects import ObjectStore, ObjectStoreError, object_store

NO_BUCKET = (
    "voicehire storage: no object store is configured; set TRANSCRIPT_BUCKET "
    "(and S3_ENDPOINT_URL, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY for a non-AWS store)"
)


def _store() -> ObjectStore | None:
    store = object_store(load_settings())
    if store is None:
        print(NO_BUCKET, file=sys.stderr)
    return store


def run_status(args: argparse.Namespace, rest: list[str]) -> int:
    store = _store()
    if store is None:
        return 2

    async def check() -> int:
        waiting = store.spooled()
        print(f"store:   {store.describe()}")
        print(f"spool:   {store.config.spool_dir} ({len(waiting)} waiting)")
        try:
            await store.keys("recordings/")
        except ObjectStoreError as exc:
            print(f"voicehire storage: the store cannot be reached: {exc}", file=sys.stderr)
            return 1
        print("reached: yes")
        return 0

    return asyncio.run(check())


def run_drain(args: argparse.Namespace, rest: list[str]) -> int:
    store = _store()
    if store is None:
        return 2

    async def drain() -> int:
        try:
            uploaded = await store.drain()
        except ObjectStoreError as exc:
            print(
                f"voicehire storage: {exc}; {len(store.spooled())} object(s) still wait in "
                f"{store.config.spool_dir}",
                file=sys.stderr,
            )
            return 1
        print(f"uploaded {uploaded} spooled object(s) to {store.describe()}")
        return 0

    return asyncio.run(drain())


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    _register_migrate(subparsers)
    p = subparsers.add_parser(
        "storage",
        help="the object store (TRANSCRIPT_BUCKET): reachability and the upload spool",
        description=(
            "Uploads that failed while the object store was unreachable wait in "
            "STORAGE_SPOOL_DIR; jobs upload them in the background, `drain` does it now."
        ),
    )
    sub = p.add_subparsers(dest="storage_command", metavar="ACTION", required=True)
    status = sub.add_parser("status", help="where objects go, and whether the store answers")
    status.set_defaults(func=run_status)
    drain = sub.add_parser("drain", help="upload every spooled object now")
    drain.set_defaults(func=run_drain)


def _register_migrate(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
