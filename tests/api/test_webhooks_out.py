"""Signed webhooks out, delivered to a real HTTP receiver on loopback that checks every
signature with the README's verification snippet: the four events, retries while the
receiver is down (across an API restart), the delivery log, replay, API-managed endpoints."""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from tests.api.support import ADMIN, api_client, m2m_headers, make_settings
from voicehire.api.webhooks_out import retry_delay
from voicehire.settings import SettingsError, load_settings
from voicehire.storage.db import Database

PG_URL = os.environ.get("TEST_DATABASE_URL")

README = Path(__file__).resolve().parents[2] / "README.md"
SECRET = "whsec_test_0123456789abcdef"
FAST = {
    "webhook_retry_base": 0.05,
    "webhook_retry_max": 0.2,
    "webhook_poll_interval": 0.05,
    "webhook_timeout": 2.0,
}


def _readme_verifier():
    """The verification function exactly as the README documents it."""
    text = README.read_text()
    section = text[text.index("## Webhooks out") :]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code, "the README's webhook section has no Python verification snippet"
    namespace: dict[str, Any] = {}
    exec(code.group(1), namespace)
    return namespace["verify_voicehire_signature"]


verify = _readme_verifier()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Receiver:
    """An ATS-like receiver: accepts only requests whose signature verifies; can be told to
    answer 500 for a while."""

    def __init__(self, secret: str, port: int | None = None) -> None:
        self.secret = secret
        self.port = port or _free_port()
        self.events: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.rejected = 0
        self.fail_with: int | None = None
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        if not verify(self.secret, request.headers, body):
            self.rejected += 1
            return web.Response(status=401, text="bad signature")
        if self.fail_with:
            return web.Response(status=self.fail_with, text="receiver trouble")
        self.events.append(json.loads(body))
        self.headers.append(dict(request.headers))
        return web.Response(status=204)

    async def start(self) -> Receiver:
        app = web.Application()
        app.router.add_post("/hooks", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def types(self) -> list[str]:
        return [e["type"] for e in self.events]


async def until(predicate, what: str, seconds: float = 15.0):
    """Poll ``predicate`` (an HTTP-visible state) until it holds."""
    try:
        async with asyncio.timeout(seconds):
            while True:
                if value := await predicate():
                    return value
                await asyncio.sleep(0.05)
    except TimeoutError:
        raise AssertionError(f"timed out waiting for {what}") from None


async def _deliveries(client, **params) -> dict[str, Any]:
    res = await client.get("/api/webhooks/deliveries", params=params, headers=ADMIN)
    assert res.status_code == 200, res.text
    return res.json()


async def _create_interview(client, **candidate) -> tuple[dict, dict]:
    c = await client.post("/api/candidates", json={"name": "Ada", **candidate}, headers=ADMIN)
    cand = c.json()
    res = await client.post("/api/interviews", json={"candidate_id": cand["id"]}, headers=ADMIN)
    return cand, res.json()["interview"]


def _evaluation(iid: str) -> dict[str, Any]:
    return {
        "interview_id": iid,
        "scorer": {"kind": "offline", "name": "test"},
        "created_at": "2026-11-28T10:00:00Z",
        "summary": {"overall_score": 7.5, "recommendation": "hire", "confidence": 0.8},
    }


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
async def database_url(request, tmp_path):
    """The outbox on SQLite, and on an emptied PostgreSQL when TEST_DATABASE_URL is set."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'voicehire.db'}"
    from sqlalchemy import text

    database = Database(PG_URL or "")
    async with database.engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await database.dispose()
    return PG_URL


@pytest.fixture
async def receiver():
    r = await Receiver(SECRET).start()
    yield r
    await r.stop()


async def test_the_four_events_arrive_signed_with_their_data(tmp_path, receiver):
    settings = make_settings(tmp_path, webhook_urls=receiver.url, webhook_secret=SECRET, **FAST)
    async with api_client(settings) as client:
        agent = await m2m_headers(client)
        cand, iv = await _create_interview(client, missing_required=["salary"])
        iid = iv["id"]
        for status in ("in_progress", "completed"):
            res = await client.post(
                f"/api/agent/interviews/{iid}/status",
                json={"status": status, "end_reason": "finished"},
                headers=agent,
            )
            assert res.status_code == 200, res.text
        res = await client.put(
            f"/api/agent/interviews/{iid}/result",
            json={"result": _evaluation(iid)},
            headers=agent,
        )
        assert res.status_code == 200, res.text
        res = await client.post(
            f"/api/web/interviews/{iid}/override",
            json={"recommendation": "no_hire", "note": "References did not check out"},
            headers=ADMIN,
        )
        assert res.status_code == 200, res.text
        res = await client.patch(
            f"/api/agent/candidates/{cand['id']}/fields",
            json={"fields": {"salary": "90k"}},
            headers=agent,
        )
        assert res.status_code == 200, res.text

        async def four():
            return len(receiver.events) >= 4

        await until(four, "four webhook events")
        await asyncio.sleep(0.2)  # nothing else (no duplicates) follows

    assert receiver.rejected == 0
    assert receiver.types() == [
        "interview.completed",
        "interview.evaluated",
        "interview.overridden",
        "candidate.updated",
    ]
    completed, evaluated, overridden, updated = receiver.events
    assert completed["data"]["interview"]["id"] == iid
    assert completed["data"]["interview"]["status"] == "completed"
    assert evaluated["data"]["evaluation"]["summary"]["overall_score"] == 7.5
    assert overridden["data"]["override"]["recommendation"] == "no_hire"
    assert overridden["data"]["machineRecommendation"] == "hire"
    assert updated["data"]["candidate"]["extracted_data"] == {
        "expected_salary": "90k"
    }  # the field spec's name
    assert updated["data"]["updatedFields"] == ["expected_salary"]
    first = {k.lower(): v for k, v in receiver.headers[0].items()}
    assert first["x-voicehire-event"] == "interview.completed"
    assert first["x-voicehire-event-id"] == completed["id"]
    assert first["x-voicehire-delivery"].startswith("dlv_")
    # the same status reported again is no new event
    assert len({e["id"] for e in receiver.events}) == 4


async def test_a_wrong_key_is_refused_by_the_documented_check_and_retried(tmp_path, receiver):
    settings = make_settings(
        tmp_path,
        webhook_urls=receiver.url,
        webhook_secret="not-the-receivers-key-000",
        webhook_max_attempts=3,
        **FAST,
    )
    async with api_client(settings) as client:
        agent = await m2m_headers(client)
        cand, _ = await _create_interview(client)
        await client.patch(
            f"/api/agent/candidates/{cand['id']}/fields",
            json={"fields": {"current_company": "Acme"}},
            headers=agent,
        )

        async def failed():
            return (await _deliveries(client, status="failed"))["items"]

        (row,) = await until(failed, "the delivery to fail for good")
    assert receiver.events == [] and receiver.rejected == 3
    assert row["attempts"] == 3 and row["last_status_code"] == 401


async def test_a_receiver_down_for_a_while_gets_everything_after_retries_and_a_restart(
    tmp_path, database_url
):
    port = _free_port()
    receiver = Receiver(SECRET, port)  # not listening yet: connections are refused
    settings = make_settings(
        tmp_path,
        database_url=database_url,
        webhook_urls=receiver.url,
        webhook_secret=SECRET,
        webhook_max_attempts=50,
        **FAST,
    )
    emitted: list[str] = []
    async with api_client(settings) as client:
        agent = await m2m_headers(client)
        for n in range(5):
            cand, _ = await _create_interview(client)
            res = await client.patch(
                f"/api/agent/candidates/{cand['id']}/fields",
                json={"fields": {"years_of_experience": n}},
                headers=agent,
            )
            assert res.status_code == 200
            emitted.append(cand["id"])

        async def all_retried():
            items = (await _deliveries(client))["items"]
            return len(items) == 5 and all(i["attempts"] >= 2 for i in items)

        await until(all_retried, "every delivery to have failed twice")
        log = (await _deliveries(client))["items"]
        assert {i["status"] for i in log} == {"pending"}
        assert all("ConnectError" in (i["last_error"] or "") for i in log)
    # The API stops with everything still pending; the outbox keeps it. The receiver
    # comes back, and a new API process (same database) delivers all of it.
    await receiver.start()
    try:
        async with api_client(settings) as client:

            async def delivered():
                page = await _deliveries(client, status="delivered")
                return page["total"] == 5 and page

            page = await until(delivered, "all five deliveries")
            detail = (
                await client.get(
                    f"/api/webhooks/deliveries/{page['items'][0]['id']}", headers=ADMIN
                )
            ).json()
    finally:
        await receiver.stop()
    assert receiver.rejected == 0
    assert sorted(e["data"]["candidate"]["id"] for e in receiver.events) == sorted(emitted)
    assert len(receiver.events) == 5  # each exactly once
    attempts = detail["attempt_log"]
    assert len(attempts) == detail["attempts"] >= 3
    assert attempts[0]["error"] and attempts[0]["statusCode"] is None
    assert attempts[-1]["statusCode"] == 204 and attempts[-1]["error"] is None
    assert json.loads(detail["body"])["type"] == "candidate.updated"


async def test_failed_delivery_is_replayed_once_the_receiver_works(
    tmp_path, receiver, database_url
):
    receiver.fail_with = 500
    settings = make_settings(
        tmp_path,
        database_url=database_url,
        webhook_urls=receiver.url,
        webhook_secret=SECRET,
        webhook_max_attempts=2,
        **FAST,
    )
    async with api_client(settings) as client:
        agent = await m2m_headers(client)
        cand, _ = await _create_interview(client)
        await client.patch(
            f"/api/agent/candidates/{cand['id']}/fields",
            json={"fields": {"current_title": "Engineer"}},
            headers=agent,
        )

        async def failed():
            return (await _deliveries(client, status="failed"))["items"]

        (dead,) = await until(failed, "a failed delivery")
        assert dead["attempts"] == 2 and dead["last_status_code"] == 500
        assert "HTTP 500" in dead["last_error"]

        receiver.fail_with = None
        res = await client.post(f"/api/webhooks/deliveries/{dead['id']}/replay", headers=ADMIN)
        assert res.status_code == 202, res.text
        replay = res.json()
        assert replay["replay_of"] == dead["id"] and replay["event_id"] == dead["event_id"]

        async def replayed():
            row = (
                await client.get(f"/api/webhooks/deliveries/{replay['id']}", headers=ADMIN)
            ).json()
            return row["status"] == "delivered"

        await until(replayed, "the replay to be delivered")
        missing = await client.post("/api/webhooks/deliveries/dlv_nope/replay", headers=ADMIN)
        assert missing.status_code == 404
        unauth = await client.get("/api/webhooks/deliveries")
        assert unauth.status_code == 401
    assert [e["id"] for e in receiver.events] == [dead["event_id"]]


async def test_api_managed_endpoints_sign_with_their_own_key_and_filter_events(tmp_path):
    own = await Receiver("placeholder").start()
    try:
        async with api_client(make_settings(tmp_path, **FAST)) as client:
            res = await client.post(
                "/api/webhooks/endpoints",
                json={"url": own.url, "events": ["candidate.updated"]},
                headers=ADMIN,
            )
            assert res.status_code == 201, res.text
            endpoint = res.json()
            own.secret = endpoint["secret"]
            assert endpoint["secret"].startswith("whsec_") and endpoint["source"] == "api"
            listed = (await client.get("/api/webhooks/endpoints", headers=ADMIN)).json()
            assert [e["id"] for e in listed] == [endpoint["id"]]
            assert "secret" not in listed[0]
            bad = await client.post(
                "/api/webhooks/endpoints", json={"url": "ftp://example.test/x"}, headers=ADMIN
            )
            assert bad.status_code == 422

            agent = await m2m_headers(client)
            cand, iv = await _create_interview(client)
            await client.post(
                f"/api/agent/interviews/{iv['id']}/status",
                json={"status": "completed"},
                headers=agent,
            )  # interview.completed: this endpoint did not ask for it
            await client.patch(
                f"/api/agent/candidates/{cand['id']}/fields",
                json={"fields": {"notice_period": "2 weeks"}},
                headers=agent,
            )

            async def one():
                return len(own.events) == 1

            await until(one, "the candidate.updated event")
            deleted = await client.delete(
                f"/api/webhooks/endpoints/{endpoint['id']}", headers=ADMIN
            )
            assert deleted.status_code == 204
            await client.patch(
                f"/api/agent/candidates/{cand['id']}/fields",
                json={"fields": {"notice_period": "3 weeks"}},
                headers=agent,
            )
            await asyncio.sleep(0.3)
            assert (await _deliveries(client))["total"] == 1
    finally:
        await own.stop()
    assert own.types() == ["candidate.updated"] and own.rejected == 0


def test_backoff_doubles_up_to_the_cap():
    assert [retry_delay(n, 5, 60) for n in range(1, 7)] == [5, 10, 20, 40, 60, 60]


def test_webhook_urls_need_a_signing_key():
    with pytest.raises(SettingsError, match="WEBHOOK_SECRET"):
        load_settings(webhook_urls="https://ats.example.test/hooks", webhook_secret=None)
    with pytest.raises(SettingsError, match="http"):
        load_settings(webhook_urls="ats.example.test", webhook_secret="k" * 20)


async def test_two_api_processes_on_one_outbox_send_each_event_once(tmp_path, database_url):
    """Both dispatchers race for the same due rows; the lease lets only one send each."""
    receiver = Receiver(SECRET)  # down while the events are written
    settings = make_settings(
        tmp_path,
        database_url=database_url,
        webhook_urls=receiver.url,
        webhook_secret=SECRET,
        webhook_max_attempts=50,
        **FAST,
    )
    async with api_client(settings) as first, api_client(settings) as second:
        agent = await m2m_headers(first)
        cand, _ = await _create_interview(first)
        for n in range(12):
            res = await first.patch(
                f"/api/agent/candidates/{cand['id']}/fields",
                json={"fields": {"years_of_experience": n}},
                headers=agent,
            )
            assert res.status_code == 200
        await receiver.start()
        try:

            async def delivered():
                return (await _deliveries(second, status="delivered"))["total"] == 12

            await until(delivered, "all twelve deliveries")
            await asyncio.sleep(0.3)
        finally:
            await receiver.stop()
    ids = [e["id"] for e in receiver.events]
    assert len(ids) == 12 and len(set(ids)) == 12


async def test_browser_sessions_send_the_same_events(tmp_path, receiver):
    """The local (browser) transport stores fields and evaluations in-process; it goes
    through the same outbox as the agent's API calls."""
    from types import SimpleNamespace

    from voicehire.web.results import InProcessPlatform, produce_and_store

    settings = make_settings(tmp_path, webhook_urls=receiver.url, webhook_secret=SECRET, **FAST)
    async with api_client(settings) as client:
        state = client.app.state.vh
        cand, iv = await _create_interview(client, missing_required=["city"])
        await InProcessPlatform(state).update_candidate_fields(cand["id"], {"city": "Lima"})

        class Runtime:  # the mode's result, as an interview runtime produces it
            async def produce_result(self, outcome, settings):
                return _evaluation(iv["id"])

        live = SimpleNamespace(
            interview_id=iv["id"],
            run=SimpleNamespace(runtime=Runtime()),
            report_ready=False,
            _log=dict,
        )
        await produce_and_store(state, live, outcome=None)

        async def two():
            return len(receiver.events) == 2

        await until(two, "the two events")
    assert receiver.types() == ["candidate.updated", "interview.evaluated"]
    assert receiver.events[0]["data"]["candidate"]["extracted_data"] == {
        "current_location": "Lima"  # "city" is an alias of the field spec
    }
    assert receiver.events[1]["data"]["interview"]["id"] == iv["id"]
