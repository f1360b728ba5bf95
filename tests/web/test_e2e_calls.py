"""Calls that do what they say, in Chromium at desktop and phone sizes:

* a gap-filling call starts from the dashboard with a copyable link, runs on a call
  screen of its own (no stages, "End call"), fills the candidate's missing fields, after
  which nothing is listed missing and "Call Candidate" is disabled;
* a voice briefing runs on a recruiter page of its own (no candidate consent), briefs
  from the candidate's finished interview and the hiring team's decision, answers
  "Kubernetes experience?" from the interview evidence, never reads ids aloud, and its
  result is a table on the page and in the dashboard.

Screenshots go to test-output/screenshots/<test>/."""

from __future__ import annotations

import asyncio
import re
import threading
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import ADMIN_TOKEN, launch
from tests.web.test_e2e_candidate_screen import SIZES, axe_serious, in_view

EVALUATION = {
    "interview_type": "technical",
    "plan_id": "mock",
    "scorer": {"kind": "offline", "name": "minilm-keypoint-coverage"},
    "summary": {
        "overall_score": 7.4,
        "recommendation": "no_hire",
        "strengths": ["intro.about_you: Clear, structured self-introduction"],
        "areas_for_improvement": ["experience.project: Little detail on capacity planning"],
    },
    "answers": [
        {
            "question_id": "experience.project",
            "stage": "experience",
            "question_text": "How do you deploy your services?",
            "answer_text": "We run everything on Kubernetes; I wrote our Helm charts.",
            "evidence": ["I wrote our Helm charts and moved forty services onto Kubernetes"],
        }
    ],
}
IDS = re.compile(r"\b[a-z]+(?:[._][a-z]+)+\b")


def _run(coro: Any) -> Any:
    """Run a coroutine to completion on a thread of its own (Playwright owns this one)."""
    out: dict[str, Any] = {}

    def target() -> None:
        out["value"] = asyncio.run(coro)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(30)
    return out.get("value")


def finished_interview(server: Any, candidate_id: str) -> str:
    """An interview of the candidate that finished and was evaluated (stored as the agent
    would), then overridden to "hire" by a recruiter through the API."""
    from voicehire.storage import repositories as repo
    from voicehire.storage.db import Database

    made = server.api("POST", "/api/interviews", json={"candidate_id": candidate_id})
    iid = made["interview"]["id"]

    async def store() -> None:
        db = Database(server.settings.database_url)
        async with db.session() as s:
            interview = await repo.get_interview(s, iid)
            assert interview is not None
            await repo.set_status(s, interview, "in_progress")
            await repo.set_status(s, interview, "completed", "completed")
            await repo.put_result(s, iid, {**EVALUATION, "interview_id": iid})
            await s.commit()
        await db.dispose()

    _run(store())
    server.api(
        "POST",
        f"/api/web/interviews/{iid}/override",
        json={"recommendation": "hire", "note": "Strong references", "by": "Dana"},
    )
    return str(iid)


def sign_in(page: Page, url: str) -> None:
    page.goto(f"{url}/app")
    page.get_by_label("Admin token").fill(ADMIN_TOKEN)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Interviews")).to_be_visible()


def wait_turn_or_end(page: Page) -> None:
    page.wait_for_function(
        """() => { const s = document.getElementById('status');
                   return s.dataset.state === 'ended' || s.dataset.turn === 'yes'; }""",
        timeout=60_000,
    )


def send(page: Page, text: str) -> None:
    seen = page.locator("#captions .line.ai").count()
    page.locator("#answer").fill(text)
    page.locator("#answer").press("Enter")
    page.wait_for_function(
        """(seen) => document.getElementById('status').dataset.state === 'ended'
             || document.querySelectorAll('#captions .line.ai').length > seen""",
        arg=seen,
        timeout=60_000,
    )


@pytest.mark.parametrize("size", list(SIZES))
def test_gap_filling_call_fills_the_missing_fields(
    size, live_server, playwright_driver, tmp_path, shots
):
    width, height = SIZES[size]
    cand = live_server.api(
        "POST",
        "/api/candidates",
        json={"name": f"Sam {size}", "missing_required": ["Notice", "relocation"]},
    )
    assert cand["missing_required"] == ["notice_period", "willing_to_relocate"]
    made = live_server.api("POST", "/api/interviews", json={"candidate_id": cand["id"]})
    ctx = launch(playwright_driver, tmp_path / "profile")
    try:
        dash = ctx.new_page()
        dash.set_viewport_size({"width": width, "height": height})
        sign_in(dash, live_server.url)
        dash.goto(f"{live_server.url}/app#/interviews/{made['interview']['id']}")
        call = dash.get_by_role("button", name="Call Candidate")
        expect(call).to_be_enabled()
        expect(dash.locator("#call-why")).to_contain_text("notice period, willing to relocate")
        call.click()
        link_box = dash.get_by_label("Call link")
        expect(link_box).to_have_value(re.compile(r"/join/"))
        dash.get_by_role("button", name="Copy link").click()
        expect(dash.locator("#toast")).to_contain_text("Link copied")
        assert dash.evaluate("navigator.clipboard.readText()") == link_box.input_value()
        shots(dash, "dashboard-call-link", full_page=False)

        page = ctx.new_page()
        page.set_viewport_size({"width": width, "height": height})
        page.goto(link_box.input_value())
        expect(page.get_by_role("heading", name=f"Welcome, Sam {size}")).to_be_visible()
        expect(page.get_by_text("A short call to complete your application")).to_be_visible()
        expect(page.get_by_text("scored")).to_have_count(0)
        page.get_by_label("I understand").check()
        page.get_by_role("button", name="Continue").click()
        page.get_by_role("button", name="Start call").click()
        page.get_by_label("Interviewer voice").uncheck()

        # a call screen of its own: no stages, "End call"
        expect(page.get_by_role("button", name="End call")).to_be_visible()
        expect(page.get_by_text(re.compile(r"Stage \d+ of"))).to_have_count(0)
        expect(page.get_by_role("button", name="End interview")).to_have_count(0)
        wait_turn_or_end(page)
        assert axe_serious(page) == []
        for sel in ("#answer", "#question", "#captions .line:last-child", "#end"):
            assert in_view(page, sel), f"{sel} is out of view at {width}×{height}"
        shots(page, "call-screen", full_page=False)
        for _ in range(8):
            if page.locator("#status").get_attribute("data-state") == "ended":
                break
            asked = page.locator("#captions .line.ai").last.inner_text().lower()
            reply = "two weeks" if "notice" in asked else "yes"
            send(page, reply)
            wait_turn_or_end(page)
        expect(page.get_by_role("heading", name="Thank you!")).to_be_visible(timeout=30_000)
        expect(page.locator("#ended-text")).to_contain_text("The call has ended")
        shots(page, "call-ended", full_page=False)

        after = live_server.api("GET", f"/api/candidates/{cand['id']}")
        assert after["missing_required"] == []
        assert after["extracted_data"]["notice_period"] == 14
        assert after["extracted_data"]["willing_to_relocate"] is True
        dash.reload()
        expect(dash.get_by_role("button", name="Call Candidate")).to_be_disabled()
        expect(dash.locator("#call-why")).to_contain_text("Nothing is missing")
    finally:
        ctx.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_voice_briefing_from_the_finished_interview(
    size, live_server, playwright_driver, tmp_path, shots
):
    width, height = SIZES[size]
    cand = live_server.api(
        "POST",
        "/api/candidates",
        json={"name": f"Priya {size}", "profile": {"skills": ["Python"]}},
    )
    iid = finished_interview(live_server, cand["id"])
    ctx = launch(playwright_driver, tmp_path / "profile")
    try:
        dash = ctx.new_page()
        dash.set_viewport_size({"width": width, "height": height})
        sign_in(dash, live_server.url)
        dash.goto(f"{live_server.url}/app#/interviews/{iid}")
        with ctx.expect_page() as opened:
            dash.get_by_role("button", name="Voice Briefing").click()
        page = opened.value
        page.set_viewport_size({"width": width, "height": height})
        expect(page).to_have_url(re.compile(r"/brief/"))
        expect(page.get_by_role("heading", name=f"Voice briefing: Priya {size}")).to_be_visible()
        # the recruiter's page: no candidate consent, no "your answers are scored"
        for text in ("Your answers are scored", "Recording notice", "I understand", "Welcome"):
            expect(page.get_by_text(text)).to_have_count(0)
        assert axe_serious(page) == []
        page.get_by_role("button", name="Start briefing").click()
        expect(page.get_by_role("button", name="End briefing")).to_be_visible()
        expect(page.get_by_text(re.compile(r"Stage \d+ of"))).to_have_count(0)
        page.get_by_label("Interviewer voice").uncheck()
        wait_turn_or_end(page)
        briefing = page.locator("#captions .line.ai").first.inner_text()
        assert "structured self-introduction" in briefing

        send(page, "Kubernetes experience?")
        answer = page.locator("#captions .line.ai").last.inner_text()
        assert "Helm charts" in answer and "years of experience" not in answer.lower()
        send(page, "How did the earlier interview go?")
        answer = page.locator("#captions .line.ai").last.inner_text()
        assert "the hiring team's decision is hire" in answer and "7.4" in answer
        for line in page.locator("#captions .line.ai").all_inner_texts():
            assert not IDS.search(line), line
        assert axe_serious(page) == []
        shots(page, "briefing", full_page=False)

        send(page, "Thanks, that's all.")
        expect(page.get_by_role("heading", name="Briefing finished")).to_be_visible(timeout=30_000)
        table = page.locator("#briefing-qa")
        expect(table.get_by_role("row")).to_have_count(4)  # header + 3 questions
        expect(table).to_contain_text("Kubernetes experience?")
        expect(table).to_contain_text("Helm charts")
        shots(page, "briefing-ended", full_page=False)

        # the dashboard shows the briefing's result as tables, not JSON
        brief = next(
            i
            for i in live_server.api("GET", "/api/interviews", params={"mode": "briefing"})["items"]
            if i["candidate_id"] == cand["id"]
        )
        dash.goto(f"{live_server.url}/app#/interviews/{brief['id']}")
        expect(dash.locator("#briefing-sections")).to_be_visible(timeout=30_000)
        expect(dash.locator("#briefing-qa")).to_contain_text("Kubernetes experience?")
        expect(dash.locator("#report")).not_to_contain_text('"questions"')
        shots(dash, "dashboard-briefing-result")
    finally:
        ctx.close()
