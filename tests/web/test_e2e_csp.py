"""The pages work under a strict Content-Security-Policy: no inline script or style, no
eval, no data: or blob: code (the microphone's AudioWorklet is a file of our origin).
The policy is added to the page responses here, so this holds whatever headers the
server sends; the browser reports every violation, and the test expects none while a
recruiter and a candidate use every screen (a typed answer with markup shows as text)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.web.conftest import (
    ADMIN_TOKEN,
    CSP_WATCH,
    FULFILLED_PAGE_ARGS,
    LiveServer,
    csp_violations,
    launch,
    open_with_policy,
)


def test_pages_run_under_a_strict_csp(
    live_server: LiveServer, playwright_driver: Any, tmp_path: Path
) -> None:
    candidate = live_server.api("POST", "/api/candidates", json={"name": "Casey Policy"})
    created = live_server.api(
        "POST", "/api/interviews", json={"candidate_id": candidate["id"], "plan": "mock"}
    )
    interview_id = created["interview"]["id"]
    ctx = launch(playwright_driver, tmp_path / "profile", FULFILLED_PAGE_ARGS)
    try:
        ctx.add_init_script(CSP_WATCH)
        page = ctx.new_page()
        open_with_policy(page, f"{live_server.url}/app")
        # The policy is in force: an inline script is refused (and reported).
        ran = page.evaluate(
            """() => { const s = document.createElement('script');
              s.textContent = 'window.inlineRan = true'; document.body.append(s);
              return window.inlineRan === true; }"""
        )
        assert not ran and any("script-src" in v for v in csp_violations(page))
        page.evaluate("window.cspViolations.length = 0")
        page.get_by_label("Admin token").fill(ADMIN_TOKEN)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("row", name=re.compile("Casey Policy"))).to_be_visible()
        page.get_by_role("link", name="New interview").first.click()
        expect(page.get_by_label("Interview plan")).to_be_visible()
        page.goto(f"{live_server.url}/app#/interviews/{interview_id}")
        expect(page.get_by_role("heading", name="Casey Policy")).to_be_visible()
        expect(page.locator("#transcript")).to_contain_text("No transcript yet")
        assert csp_violations(page) == []

        # The candidate: consent, the microphone check (the worklet), the interview.
        cand = ctx.new_page()
        open_with_policy(cand, created["join"]["join_url"])
        cand.get_by_label("I understand").check()
        cand.get_by_role("button", name="Continue").click()
        cand.get_by_role("button", name="Test microphone").click()
        expect(cand.get_by_text("We can hear you.")).to_be_visible(timeout=15_000)
        cand.get_by_role("button", name="Start interview").click()
        expect(cand.locator("#stage-title")).not_to_have_text("Getting ready", timeout=30_000)
        expect(cand.locator("#captions .line.ai").first).to_be_visible(timeout=30_000)
        width = cand.locator("#progress-fill").evaluate("e => e.style.width")
        assert width.endswith("%") and width != "0%"  # set through the CSSOM, not an attribute
        # A typed answer with markup is a caption like any other (text, no element).
        expect(cand.locator("#status")).to_have_attribute("data-turn", "yes", timeout=60_000)
        answer = 'I use <img src=x onerror="window.ran=1"> and <b>bold</b> claims'
        cand.get_by_label("Type your answer").fill(answer)
        cand.get_by_role("button", name="Send").click()
        expect(cand.locator("#captions .line.me").last).to_have_text("You" + answer)
        assert cand.locator("#captions img, #captions b").count() == 0
        assert cand.evaluate("window.ran") is None
        cand.once("dialog", lambda d: d.accept())
        cand.get_by_role("button", name="End interview").click()
        expect(cand.get_by_role("heading", name="Thank you!")).to_be_visible(timeout=30_000)
        assert csp_violations(cand) == [], json.dumps(csp_violations(cand), indent=1)
        assert csp_violations(page) == []
    finally:
        ctx.close()
