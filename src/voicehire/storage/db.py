"""The database: an async SQLAlchemy engine plus Alembic migrations applied on start.

SQLite (a file next to the working directory) is the embedded default; PostgreSQL is
used by setting ``DATABASE_URL=postgresql+asyncpg://...``. Plain ``postgresql://`` and
``sqlite://`` URLs are upgraded to their async drivers.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from voicehire.domain.text import valid_unicode

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _json_dumps(value: Any) -> str:
    return json.dumps(valid_unicode(value))


def _json_loads(text: str) -> Any:
    return valid_unicode(json.loads(text))


class DatabaseFileGone(RuntimeError):
    """The SQLite file was deleted or replaced while the server held it open."""


# How long opening a PostgreSQL connection may take before the request gets a 503: a
# stopped server refuses at once, an unreachable one would otherwise hold the request
# for asyncpg's 60 s default.
CONNECT_TIMEOUT_SECONDS = 2.0


class DatabaseError(RuntimeError):
    """The database URL is unusable or the database cannot be migrated."""


class DatabaseUnavailable(RuntimeError):
    """The database server cannot be reached (stopped, restarting, unreachable); the API
    answers 503 and callers retry."""


def normalize_url(url: str) -> str:
    """Map sync-driver URLs onto the async drivers VoiceHire ships with."""
    for prefix, replacement in (
        ("postgres://", "postgresql+asyncpg://"),
        ("postgresql://", "postgresql+asyncpg://"),
        ("postgresql+psycopg2://", "postgresql+asyncpg://"),
        ("sqlite://", "sqlite+aiosqlite://"),
    ):
        if url.startswith(prefix):
            return replacement + url[len(prefix) :]
    return url


def alembic_config() -> Config:
    """Alembic configuration shipped inside the package (no alembic.ini needed)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    return cfg


class Database:
    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = normalize_url(url)
        try:
            parsed = make_url(self.url)
        except Exception as exc:
            raise DatabaseError(f"DATABASE_URL {url!r} is not a database URL: {exc}") from None
        self.dialect = parsed.get_backend_name()
        if self.dialect not in ("sqlite", "postgresql"):
            raise DatabaseError(
                f"DATABASE_URL uses {self.dialect!r}; VoiceHire supports sqlite and postgresql"
            )
        kwargs: dict[str, Any] = {
            "echo": echo,
            # JSON columns never hold or hand back a lone surrogate (one bad record must
            # not break every list that shows it): U+FFFD instead, both ways.
            "json_serializer": _json_dumps,
            "json_deserializer": _json_loads,
        }
        # The SQLite file this process opened, and its identity (device, inode): writes to
        # a file deleted or replaced underneath would go to an unlinked inode and vanish.
        self.sqlite_path: Path | None = None
        self._sqlite_identity: tuple[int, int] | None = None
        if self.dialect == "sqlite":
            db = parsed.database
            if db and db != ":memory:" and not db.startswith("file:"):
                self.sqlite_path = Path(db).expanduser().absolute()
            if db and db != ":memory:":
                Path(db).expanduser().parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": 30}
            # One connection: SQLite has a single writer anyway, and queueing in the pool
            # is far cheaper than SQLite's sleeping busy handler (which made tail latency
            # of concurrent writes grow to seconds).
            kwargs.update(pool_size=1, max_overflow=0, pool_timeout=60)
        else:
            kwargs.update(pool_size=10, max_overflow=20, pool_pre_ping=True)
            kwargs["connect_args"] = {"timeout": CONNECT_TIMEOUT_SECONDS}
        self.engine: AsyncEngine = create_async_engine(self.url, **kwargs)
        if self.dialect == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        else:
            event.listen(self.engine.sync_engine, "do_connect", self._connect)
        if self.sqlite_path is not None:
            event.listen(self.engine.sync_engine, "connect", self._remember_file)
            event.listen(self.engine.sync_engine, "before_cursor_execute", self._check_file)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)

    def _connect(self, dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
        """Open a DBAPI connection; a refused, reset or timed-out connect (which asyncpg
        raises as ``OSError``/``TimeoutError``, outside SQLAlchemy's error types) becomes
        :class:`DatabaseUnavailable`."""
        try:
            return dialect.connect(*cargs, **cparams)
        except (OSError, TimeoutError) as exc:
            raise DatabaseUnavailable(
                f"the database at {self.safe_url} cannot be reached: {exc or type(exc).__name__}"
            ) from exc

    async def migrate(self) -> None:
        """Apply every Alembic migration not yet applied (``upgrade head``)."""
        cfg = alembic_config()

        def _upgrade(sync_conn: Connection) -> None:
            cfg.attributes["connection"] = sync_conn
            command.upgrade(cfg, "head")

        try:
            async with self.engine.begin() as conn:
                await conn.run_sync(_upgrade)
        except Exception as exc:
            raise DatabaseError(
                f"could not migrate the database at {self.safe_url}: {exc}"
            ) from exc
        logger.info("database ready", extra={"database": self.safe_url})

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self.sessionmaker() as session:
            yield session

    async def ping(self) -> bool:
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            return True
        except Exception as exc:
            logger.warning("database ping failed", extra={"error": str(exc)})
            return False

    def _file_identity(self) -> tuple[int, int] | None:
        assert self.sqlite_path is not None
        try:
            st = self.sqlite_path.stat()
        except FileNotFoundError:
            return None
        return st.st_dev, st.st_ino

    def _remember_file(self, _dbapi_conn: Any, _record: Any) -> None:
        if self._sqlite_identity is None:
            self._sqlite_identity = self._file_identity()

    def _check_file(self, *_args: Any) -> None:
        """Before every statement: is the file we opened still the one at the path?"""
        if self._sqlite_identity is None:
            return
        now = self._file_identity()
        if now != self._sqlite_identity:
            what = "deleted" if now is None else "replaced"
            raise DatabaseFileGone(
                f"the SQLite database file {self.sqlite_path} was {what} while the server "
                "was running; nothing more is written (it would be lost). Restore the file "
                "from a backup or restart the server to start a new database."
            )

    @property
    def safe_url(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    async def dispose(self) -> None:
        await self.engine.dispose()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()
