"""The dashboard's compliance screens in Chromium at a desktop (1280×800) and a phone
(390×844) size: a job's bias audit (rates, impact ratios, four-fifths flags in words,
small groups, chart and table, the CSV), the webhook delivery log with a replay that a
signature-verifying receiver really gets, endpoints added and removed, and a candidate's
personal data (export, deletion from the API and every list, the deletion log without
personal data, accommodation requests). axe-core finds no serious violation; no page
scrolls sideways on the phone."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.api.test_webhooks_out import Receiver, _free_port
from tests.web.conftest import ADMIN_TOKEN, LiveServer, launch
from tests.web.test_e2e_candidate_screen import axe_serious, tab_to

SIZES = {"desktop": (1280, 800), "phone": (390, 844)}


def no_sideways_scroll(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def open_dashboard(ctx: Any, server: LiveServer, size: str, hash_: str) -> Page:
    width, height = SIZES[size]
    page = ctx.new_page()
    page.set_viewport_size({"width": width, "height": height})
    page.add_init_script(
        f"sessionStorage.setItem('voicehire.adminToken', {json.dumps(ADMIN_TOKEN)})"
    )
    page.goto(f"{server.url}/app{hash_}")
    return page


def _in_db(server: LiveServer, work: Any) -> None:
    """Run ``work(session)`` against the server's database (a thread of its own:
    Playwright's sync API keeps an event loop in this one)."""
    from voicehire.storage.db import Database

    async def go() -> None:
        db = Database(server.settings.database_url)
        try:
            async with db.sessionmaker() as s:
                await work(s)
                await s.commit()
        finally:
            await db.dispose()

    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, go()).result(timeout=60)


def _decide(server: LiveServer, decisions: list[tuple[str, str]]) -> None:
    """The interviews completed and evaluated with these recommendations, as the agent
    would store them."""
    from voicehire.storage import repositories as repo

    async def work(s: Any) -> None:
        for iid, rec in decisions:
            iv = await repo.get_interview(s, iid)
            assert iv is not None
            await repo.set_status(s, iv, "in_progress")
            await repo.set_status(s, iv, "completed", "completed")
            await repo.put_result(
                s,
                iid,
                {
                    "interview_id": iid,
                    "plan_id": "mock",
                    "scorer": {"kind": "offline", "name": "test"},
                    "answers": [],
                    "summary": {"overall_score": 6.0, "recommendation": rec, "confidence": 0.8},
                },
            )

    _in_db(server, work)


def _interview(server: LiveServer, name: str, job_id: str | None = None, **cand: Any) -> dict:
    c = server.api("POST", "/api/candidates", json={"name": name, **cand})
    body: dict[str, Any] = {"candidate_id": c["id"], "plan": "mock"}
    if job_id:
        body["job_id"] = job_id
    made = server.api("POST", "/api/interviews", json=body)
    return {"candidate": c, "interview": made["interview"]}


# --- bias audit --------------------------------------------------------------------------


@pytest.mark.parametrize("size", list(SIZES))
def test_bias_audit_on_the_job_page(size, live_server, playwright_driver, tmp_path, shots):
    job = live_server.api("POST", "/api/jobs", json={"title": f"Audit Role {size}", "plan": "mock"})
    # women: 4 of 5 hired (80%); men: 1 of 4 (25%: impact ratio 0.31, a small group);
    # one candidate did not answer; one man waits for a human review.
    plan = [("female", "hire")] * 4 + [("female", "no_hire")]
    plan += [("male", "hire")] + [("male", "no_hire")] * 2 + [("male", "maybe")]
    plan += [(None, "hire"), ("male", "needs_review")]
    decisions = []
    for n, (sex, rec) in enumerate(plan):
        made = _interview(live_server, f"Audit {size} {n}", job["id"])
        room = made["interview"]["room_name"]
        if sex:
            answers = {"sex": sex, "age_band": "40_or_over" if n % 2 else "under_40"}
            r = httpx.put(
                f"{live_server.url}/api/self-identification/{room}", json={"answers": answers}
            )
            assert r.status_code == 204, r.text
        decisions.append((made["interview"]["id"], rec))
    _decide(live_server, decisions)

    ctx = launch(playwright_driver, tmp_path / "profile")
    try:
        page = open_dashboard(ctx, live_server, size, f"#/jobs/{job['id']}")
        section = page.locator("#bias-audit")
        expect(section.get_by_role("heading", name="Bias audit")).to_be_visible(timeout=15_000)
        expect(page.locator("#bias-notice")).to_contain_text("not legal advice")
        table = page.locator("#bias-table")
        male = table.locator('tr[data-group="male"]')
        expect(male).to_contain_text("Below four-fifths")  # in words, not a colour only
        expect(male).to_contain_text("Small group")
        cells = male.locator("td").all_inner_texts()
        assert cells[:5] == ["4", "1", "1", "25%", "0.31"], cells
        female = table.locator('tr[data-group="female"]')
        assert female.locator("td").all_inner_texts()[:5] == ["5", "4", "0", "80%", "1.00"]
        expect(female).not_to_contain_text("Below")
        expect(female).not_to_contain_text("Small group")
        hidden = table.locator('tr[data-group="not_disclosed"]')
        expect(hidden).to_contain_text("not compared")
        expect(page.locator("#bias-summary")).to_contain_text("Male is below four-fifths")
        # the chart carries its values as text, the bar itself is hidden from screen readers
        bar = page.locator('#bias-chart li[data-group="male"]')
        expect(bar).to_contain_text("25%")
        expect(bar).to_contain_text("1 of 4")
        expect(bar).to_contain_text("below four-fifths")
        assert bar.locator(".fill").evaluate("e => e.style.width") == "25%"
        assert bar.locator(".track").get_attribute("aria-hidden") == "true"
        tracks = page.locator("#bias-chart li .track")
        widths = {round(tracks.nth(i).bounding_box()["width"]) for i in range(tracks.count())}
        assert len(widths) == 1, widths  # every bar on one scale, whatever its label says
        section.scroll_into_view_if_needed()
        assert axe_serious(page) == []
        assert no_sideways_scroll(page)
        shots(page, "bias-audit-sex")

        # the CSV the API makes, by keyboard
        tab_to(page, "bias-csv", limit=80)
        with page.expect_download() as got:
            page.keyboard.press("Enter")
        download = got.value
        assert download.suggested_filename == f"bias-audit-{job['id']}-sex.csv"
        rows = list(csv.reader(io.StringIO(Path(download.path()).read_text())))
        assert rows[0][:3] == ["category", "group", "label"]
        assert rows[2][:8] == ["sex", "male", "Male", "4", "1", "1", "0.25", "0.312"]
        assert "not legal advice" in rows[-1][0]

        # another field the API offers
        page.select_option("#bias-category", "age_band")
        expect(table.locator('tr[data-group="40_or_over"]')).to_be_visible()
        expect(table.locator('tr[data-group="male"]')).to_have_count(0)
        assert axe_serious(page) == []
        shots(page, "bias-audit-age")
    finally:
        ctx.close()


# --- webhooks ------------------------------------------------------------------------------


class FastHooksServer(LiveServer):
    """The live server with one delivery attempt and quick polling: a delivery to a
    receiver that is down fails at once, and a replay is sent within a moment."""

    def __init__(self, tmp: Path) -> None:
        import uvicorn

        from voicehire.server import create_app

        super().__init__(tmp)
        self.settings = self.settings.model_copy(
            update={
                "webhook_max_attempts": 1,
                "webhook_retry_base": 0.05,
                "webhook_poll_interval": 0.05,
                "webhook_timeout": 2.0,
            }
        )
        self.app = create_app(self.settings)
        self.server = uvicorn.Server(
            uvicorn.Config(
                self.app, host="127.0.0.1", port=self.port, log_config=None, lifespan="on"
            )
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)


@pytest.fixture(scope="module")
def hooks_server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    server = FastHooksServer(tmp_path_factory.mktemp("web-hooks"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


class ThreadedReceiver:
    """tests/api's signature-verifying receiver, on an event loop in a thread of its own."""

    def __init__(self, secret: str, port: int) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.receiver = Receiver(secret, port)

    def _run(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(10)

    def start(self) -> None:
        self._run(self.receiver.start())

    def stop(self) -> None:
        self._run(self.receiver.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.mark.parametrize("size", list(SIZES))
def test_webhook_log_replays_a_failed_delivery(
    size, hooks_server, playwright_driver, tmp_path, shots
):
    port = _free_port()
    url = f"http://127.0.0.1:{port}/hooks"
    ctx = launch(playwright_driver, tmp_path / "profile")
    receiver: ThreadedReceiver | None = None
    try:
        page = open_dashboard(ctx, hooks_server, size, "#/webhooks")
        expect(page.get_by_role("heading", name="Webhooks", exact=True)).to_be_visible()
        # add the endpoint from the page: only the override event
        page.fill("#endpoint-url", url)
        page.get_by_role("checkbox", name="interview.overridden").check()
        page.fill("#endpoint-description", f"ATS {size}")
        page.get_by_role("button", name="Add endpoint").click()
        expect(page.locator("#endpoint-created")).to_contain_text("shown only now")
        secret = page.locator("#endpoint-secret").input_value()
        assert secret.startswith("whsec_")
        listed = page.locator("#endpoints li", has_text=url)
        expect(listed).to_contain_text("interview.overridden")
        expect(listed).to_contain_text(f"ATS {size}")
        endpoint_id = listed.get_attribute("data-id")
        shots(page, "endpoint-added")

        # an override while the receiver is down: the one attempt fails
        made = _interview(hooks_server, f"Hook {size}")
        iid = made["interview"]["id"]
        _decide(hooks_server, [(iid, "maybe")])
        hooks_server.api(
            "POST",
            f"/api/web/interviews/{iid}/override",
            json={"recommendation": "hire", "note": "strong", "by": "Sam"},
        )

        def failed() -> list[dict]:
            data = hooks_server.api(
                "GET", "/api/webhooks/deliveries", params={"status": "failed", "limit": 100}
            )
            return [d for d in data["items"] if d["endpoint_id"] == endpoint_id]

        page.wait_for_timeout(200)
        for _ in range(100):
            if failed():
                break
            page.wait_for_timeout(100)
        original = failed()[0]

        page.select_option("#wh-status", "failed")
        expect(page).to_have_url(re.compile(r"#/webhooks\?status=failed$"))
        row = page.locator(f'#deliveries tr[data-id="{original["id"]}"]')
        expect(row).to_be_visible()
        expect(row).to_contain_text("interview.overridden")
        expect(row).to_contain_text(url)
        expect(row.locator("[data-status]")).to_have_text(re.compile("Failed"))
        expect(row).to_contain_text("1 of 1")
        expect(page.locator("#deliveries tbody tr[data-status=delivered]")).to_have_count(0)
        assert axe_serious(page) == []
        assert no_sideways_scroll(page)
        shots(page, "failed-delivery")

        # the receiver is back: Replay, by keyboard, sends the same event again
        receiver = ThreadedReceiver(secret, port)
        receiver.start()
        row.get_by_role("button", name=re.compile("^Replay interview.overridden")).focus()
        page.keyboard.press("Enter")
        outcome = page.locator("#replay-outcome")
        expect(outcome).to_contain_text("Delivered", timeout=20_000)
        expect(outcome).to_contain_text("HTTP 204")
        events = receiver.receiver.events
        assert [e["type"] for e in events] == ["interview.overridden"]
        assert events[0]["id"] == original["event_id"]
        assert receiver.receiver.rejected == 0  # signed with the secret the page showed
        replays = hooks_server.api(
            "GET", "/api/webhooks/deliveries", params={"event_id": original["event_id"]}
        )["items"]
        replay = next(d for d in replays if d["replay_of"] == original["id"])
        assert replay["status"] == "delivered"
        shots(page, "replayed")

        page.select_option("#wh-status", "delivered")
        new_row = page.locator(f'#deliveries tr[data-id="{replay["id"]}"]')
        expect(new_row.locator("[data-status]")).to_have_text(re.compile("Delivered"))
        expect(new_row).to_contain_text("replay")
        expect(new_row).to_contain_text("204")
        assert axe_serious(page) == []
        assert no_sideways_scroll(page)
        shots(page, "delivered")

        # remove the endpoint from the page
        page.on("dialog", lambda d: d.accept())
        page.get_by_role("button", name=f"Remove endpoint {url}").click()
        expect(page.locator("#endpoints li", has_text=url)).to_have_count(0)
        expect(page.locator("#toast")).to_have_text("Endpoint removed")
        active = [
            e["id"] for e in hooks_server.api("GET", "/api/webhooks/endpoints") if e["active"]
        ]
        assert endpoint_id not in active
    finally:
        ctx.close()
        if receiver is not None:
            receiver.stop()


# --- personal data -------------------------------------------------------------------------


@pytest.mark.parametrize("size", list(SIZES))
def test_candidate_export_delete_and_deletion_log(
    size, live_server, playwright_driver, tmp_path, shots
):
    name = f"Zofia Nowak {size}"
    email = f"zofia.{size}@example.com"
    made = _interview(live_server, name, email=email)
    cid = made["candidate"]["id"]
    room = made["interview"]["room_name"]
    r = httpx.post(
        f"{live_server.url}/api/accommodations/{room}",
        json={"kind": "human_interview", "note": f"Screen reader user ({size})"},
    )
    assert r.status_code == 201, r.text
    other = _interview(live_server, f"Kept Candidate {size}")
    # a stored transcript file, which the deletion must remove from disk too
    folder = Path(live_server.settings.transcript_dir)
    folder.mkdir(parents=True, exist_ok=True)
    transcript = folder / f"interview_{made['interview']['id']}_full_1.json"
    transcript.write_text(json.dumps({"fullConversation": [{"message": f"I am {name}"}]}))

    ctx = launch(playwright_driver, tmp_path / "profile")
    try:
        # the hiring team's list of requests, linked to the candidate and the interview
        page = open_dashboard(ctx, live_server, size, "#/privacy")
        expect(page.get_by_role("heading", name="Accommodation requests")).to_be_visible()
        request = page.locator("#accommodations tbody tr", has_text=name)
        expect(request).to_contain_text("An interview with a person")
        expect(request).to_contain_text(f"Screen reader user ({size})")
        expect(request.get_by_role("link", name=f"Open interview with {name}")).to_have_attribute(
            "href", f"#/interviews/{made['interview']['id']}"
        )
        assert axe_serious(page) == []
        assert no_sideways_scroll(page)
        shots(page, "requests-and-log")
        request.get_by_role("link", name=name, exact=True).click()

        expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()
        section = page.locator("#personal-data")
        expect(section.get_by_role("heading", name="Personal data")).to_be_visible()
        expect(section.locator("#accommodations")).to_contain_text("An interview with a person")

        # Export data: the JSON file, named after the candidate
        with page.expect_download() as got:
            page.get_by_role("button", name="Export data (JSON)").click()
        download = got.value
        assert re.fullmatch(
            rf"voicehire-export-zofia-nowak-{size}-\d{{4}}-\d\d-\d\d\.json",
            download.suggested_filename,
        ), download.suggested_filename
        exported = json.loads(Path(download.path()).read_text())
        assert exported["candidate"]["name"] == name and exported["candidate"]["email"] == email
        assert exported["interviews"][0]["accommodation_requests"][0]["kind"] == "human_interview"

        # Delete: a dialog that names the candidate and what goes; Escape keeps everything
        delete = page.get_by_role("button", name="Delete candidate…")
        delete.focus()
        page.keyboard.press("Enter")
        dialog = page.get_by_role("dialog", name=f"Delete {name}?")
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text("object storage")
        expect(dialog).to_contain_text("transcripts, evaluations, reports and audio recordings")
        expect(dialog).to_contain_text("self-identification answers and accommodation requests")
        expect(dialog).to_contain_text("no name or other personal data")
        assert page.evaluate("document.activeElement.id") == "cancel-delete"
        assert axe_serious(page) == []
        shots(page, "delete-dialog", full_page=False)
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        assert live_server.api("GET", f"/api/candidates/{cid}")["name"] == name

        delete.click()
        dialog.get_by_role("button", name=f"Delete {name} permanently").click()
        expect(page).to_have_url(re.compile(r"#/privacy\?deleted="))
        expect(page.get_by_role("alert")).to_contain_text("were deleted")
        record_id = page.url.split("deleted=")[1]
        row = page.locator(f'#deletions tr[data-id="{record_id}"]')
        expect(row).to_contain_text("A candidate's data, on request")
        expect(row).to_contain_text("candidate records: 1, interviews and calls: 1")
        expect(row).to_contain_text("accommodation requests: 1")
        expect(row).to_contain_text("transcript files (local disk): 1")
        for personal in (name, email, "Zofia", cid):
            assert personal not in row.inner_text()
        expect(page.locator("#main")).not_to_contain_text(name)  # nor in the requests
        assert axe_serious(page) == []
        assert no_sideways_scroll(page)
        shots(page, "deleted")

        # gone from the API, the disk and the lists
        r = httpx.get(
            f"{live_server.url}/api/candidates/{cid}",
            headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
        )
        assert r.status_code == 404
        assert not transcript.exists()
        log = live_server.api("GET", "/api/deletions")
        assert record_id in [d["id"] for d in log] and name not in json.dumps(log)
        page.goto(f"{live_server.url}/app#/candidates")
        expect(page.get_by_text(f"Kept Candidate {size}")).to_be_visible()
        expect(page.get_by_text(name)).to_have_count(0)
        assert other["candidate"]["id"] in {
            c["id"] for c in live_server.api("GET", "/api/candidates")["items"]
        }
    finally:
        ctx.close()
