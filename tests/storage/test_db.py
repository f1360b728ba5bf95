"""Persistence: migrations and repositories on SQLite, and on PostgreSQL when
``TEST_DATABASE_URL`` is set (``.ci/run`` sets it). Every test runs on each backend."""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from voicehire.storage import repositories as repo
from voicehire.storage.db import Database, DatabaseError, alembic_config, normalize_url
from voicehire.storage.models import Base

PG_URL = os.environ.get("TEST_DATABASE_URL")


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgres",
            marks=[
                pytest.mark.postgres,
                pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL not set"),
            ],
        ),
    ]
)
async def db(request, tmp_path):
    if request.param == "sqlite":
        database = Database(f"sqlite+aiosqlite:///{tmp_path / 'test.db'}")
    else:
        database = Database(PG_URL)
        async with database.engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    await database.migrate()
    yield database
    await database.dispose()


async def test_migrations_create_schema_matching_models_and_rerun_cleanly(db):
    await db.migrate()  # second run: nothing to do, no error
    async with db.engine.connect() as conn:
        version = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar()

        def diff(sync_conn):
            return compare_metadata(MigrationContext.configure(sync_conn), Base.metadata)

        differences = await conn.run_sync(diff)
    # one head, and the database is at it
    assert [version] == ScriptDirectory.from_config(alembic_config()).get_heads()
    assert differences == []


async def test_candidate_json_fields_round_trip_and_merge(db):
    async with db.session() as s:
        c = await repo.create_candidate(
            s,
            name="Zoë Ñúñez",
            extracted_data={"years": 7, "nested": {"a": [1, 2]}},
            missing_required=["salary", "visa"],
        )
        await s.commit()
        cid = c.id
    async with db.session() as s:
        c = await repo.get_candidate(s, cid)
        await repo.merge_candidate_fields(s, c, {"salary": "95k"})
        await s.commit()
    async with db.session() as s:
        c = await repo.get_candidate(s, cid)
        assert c.name == "Zoë Ñúñez"
        assert c.extracted_data == {"years": 7, "nested": {"a": [1, 2]}, "salary": "95k"}
        assert c.missing_required == ["visa"]


async def test_interview_lifecycle_and_filters(db):
    async with db.session() as s:
        c = await repo.create_candidate(s, name="A")
        j = await repo.create_job(s, title="Dev", required_skills=["Go"])
        i1 = await repo.create_interview(
            s, candidate_id=c.id, job_id=j.id, room_name="room-1", room_metadata={"x": 1}
        )
        await repo.create_interview(s, candidate_id=c.id, room_name="room-2", mode="gap_filling")
        await s.commit()
        iid = i1.id

    async with db.session() as s:
        i = await repo.get_interview_by_room(s, "room-1")
        assert i.id == iid and i.status == "scheduled" and i.room_metadata == {"x": 1}
        assert await repo.set_status(s, i, "in_progress") is True
        assert await repo.set_status(s, i, "in_progress") is False
        assert await repo.set_status(s, i, "completed", "completed") is True
        with pytest.raises(repo.InvalidTransition, match="has ended"):
            await repo.set_status(s, i, "in_progress")
        await s.commit()

    async with db.session() as s:
        i = await repo.get_interview(s, iid)
        started = i.started_at if i.started_at.tzinfo else i.started_at.replace(tzinfo=UTC)
        assert abs((datetime.now(UTC) - started).total_seconds()) < 3600
        assert i.ended_at is not None and i.end_reason == "completed"
        done, n_done = await repo.list_interviews(s, status="completed")
        assert n_done == 1 and done[0].id == iid
        _, n_gap = await repo.list_interviews(s, mode="gap_filling")
        assert n_gap == 1
        active, n_active = await repo.list_interviews(s, active_only=True)
        assert n_active == 1 and active[0].room_name == "room-2"
        page, total = await repo.list_interviews(s, candidate_id=i.candidate_id, limit=1)
        assert total == 2 and len(page) == 1


async def test_room_names_are_unique(db):
    async with db.session() as s:
        await repo.create_interview(s, room_name="same")
        await s.commit()
    async with db.session() as s:
        with pytest.raises(IntegrityError):
            await repo.create_interview(s, room_name="same")


async def test_transcripts_replace_by_name_and_results_upsert(db):
    async with db.session() as s:
        i = await repo.create_interview(s, room_name="r")
        await repo.add_transcript(s, i.id, kind="stage", name="a.json", document={"v": 1})
        await repo.add_transcript(s, i.id, kind="stage", name="a.json", document={"v": 2})
        await repo.add_transcript(s, i.id, kind="full", name="b.json", document={"v": 3})
        await repo.put_result(s, i.id, {"score": 1})
        await repo.put_result(s, i.id, {"score": 2})
        await s.commit()
        iid = i.id
    async with db.session() as s:
        docs = await repo.list_transcripts(s, iid)
        assert sorted((t.name, t.document["v"]) for t in docs) == [("a.json", 2), ("b.json", 3)]
        assert (await repo.get_result(s, iid)).result == {"score": 2}


async def test_m2m_client_secret_is_stored_hashed(db):
    hashed = await asyncio.to_thread(repo.hash_secret, "s3cret")
    async with db.session() as s:
        await repo.create_m2m_client(s, "c1", hashed)
        await s.commit()
    async with db.session() as s:
        stored = await repo.get_m2m_client(s, "c1")
        assert "s3cret" not in stored.secret_hash
        assert repo.verify_secret("s3cret", stored.secret_hash)
        assert not repo.verify_secret("s3cret!", stored.secret_hash)


async def test_ping(db):
    assert await db.ping() is True


def test_urls_are_normalised_to_async_drivers_and_bad_ones_explained():
    assert normalize_url("postgresql://u@h/db") == "postgresql+asyncpg://u@h/db"
    assert normalize_url("postgres://u@h/db") == "postgresql+asyncpg://u@h/db"
    assert normalize_url("sqlite:///x.db") == "sqlite+aiosqlite:///x.db"
    with pytest.raises(DatabaseError, match="sqlite and postgresql"):
        Database("mysql+aiomysql://u@h/db")
    with pytest.raises(DatabaseError, match="not a database URL"):
        Database("not a url")


async def test_unreachable_database_fails_migration_with_clear_error(tmp_path):
    database = Database("postgresql+asyncpg://u:p@127.0.0.1:9/none")
    with pytest.raises(DatabaseError, match="could not migrate the database"):
        await database.migrate()
    await database.dispose()
