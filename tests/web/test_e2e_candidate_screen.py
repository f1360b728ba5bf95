"""The candidate's interview screen at desktop (1280×800) and phone (390×844) sizes:
keyboard-only from consent to the end, the question, the latest caption and the answer
box always in view, a time-remaining indicator, no re-consent after a reload, "continued
in another tab" in a second tab, immediate feedback on "End interview", the end message
at the top, and axe-core finding no serious violations. Screenshots go to
test-output/screenshots/<test>/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import launch

AXE = Path(__file__).resolve().parents[2] / "web" / "node_modules" / "axe-core" / "axe.min.js"
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}


def axe_serious(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now (WCAG A/AA)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluate is not subject to the CSP
    result: dict[str, Any] = page.evaluate(
        """async () => await window.axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def in_view(page: Page, selector: str) -> bool:
    """The element's box lies inside the viewport (fully, or its visible last part for a
    scrolled caption)."""
    return bool(
        page.evaluate(
            """(sel) => {
              const el = document.querySelector(sel);
              if (!el) return false;
              const r = el.getBoundingClientRect();
              return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight + 1
                && r.left >= 0 && r.right <= window.innerWidth + 1;
            }""",
            selector,
        )
    )


def tab_to(page: Page, element_id: str, limit: int = 25) -> None:
    """Press Tab until the element has the focus (keyboard only)."""
    for _ in range(limit):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"#{element_id} cannot be reached with the Tab key")


def new_interview(server: Any, name: str, **candidate: Any) -> str:
    cand = server.api("POST", "/api/candidates", json={"name": name, **candidate})
    made = server.api("POST", "/api/interviews", json={"candidate_id": cand["id"], "plan": "mock"})
    return str(made["interview"]["room_name"])


def wait_for_turn(page: Page) -> None:
    page.wait_for_function(
        "() => document.getElementById('status')?.dataset.turn === 'yes'", timeout=60_000
    )


@pytest.mark.parametrize("size", list(SIZES))
def test_candidate_screen_by_keyboard_in_view_and_accessible(
    size, live_server, playwright_driver, tmp_path, shots
):
    width, height = SIZES[size]
    room = new_interview(live_server, f"Keyboard {size}")
    ctx = launch(playwright_driver, tmp_path / "profile")
    try:
        page = ctx.new_page()
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/join/{room}")
        expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()
        assert axe_serious(page) == []
        shots(page, "consent", full_page=False)
        # keyboard only: the consent box, Continue, the microphone check, Start interview
        tab_to(page, "agree")
        page.keyboard.press("Space")
        tab_to(page, "to-mic")
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Microphone check")).to_be_visible()
        assert axe_serious(page) == []
        tab_to(page, "start")
        page.keyboard.press("Enter")

        expect(page.locator("#stage-title")).to_have_text("Self-introduction", timeout=30_000)
        wait_for_turn(page)
        # the answer box has the focus: type and press Enter
        assert page.evaluate("document.activeElement.id") == "answer"
        page.keyboard.type("I build ledger services in Python and mentor two engineers.")
        page.keyboard.press("Enter")
        expect(page.locator("#captions .line.me").last).to_contain_text("ledger services")
        page.wait_for_function(
            "() => document.querySelectorAll('#captions .line.ai').length >= 3", timeout=60_000
        )
        for sel in ("#answer", "#question", "#captions .line:last-child", "#end", "#time-left"):
            assert in_view(page, sel), f"{sel} is out of view at {width}×{height}"
        expect(page.locator("#time-left")).to_have_text(re.compile(r"^\d+:\d\d left$"))
        assert axe_serious(page) == []
        shots(page, "interview", full_page=False)

        # a reload within the session goes straight back to the interview
        shown = page.locator("#captions .line").count()
        page.reload()
        expect(page.locator("#captions .line")).to_have_count(shown, timeout=30_000)
        expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_have_count(0)
        expect(page.get_by_role("heading", name="Microphone check")).to_have_count(0)
        expect(page.locator("#time-left")).to_have_text(re.compile(r"^\d+:\d\d left$"))
        shots(page, "after-reload", full_page=False)

        # End interview, by keyboard: feedback at once, then the end message at the top
        page.on("dialog", lambda d: d.accept())
        tab_to(page, "end", limit=40)
        page.keyboard.press("Enter")
        expect(page.locator("#status")).to_contain_text(
            re.compile("Ending the interview|Interview ended"), timeout=1000
        )
        expect(page.locator("#end")).to_be_disabled(timeout=1000)
        ended = page.get_by_role("heading", name="Thank you!")
        expect(ended).to_be_visible(timeout=30_000)
        assert in_view(page, "#ended-title")
        assert page.evaluate("document.getElementById('ended').getBoundingClientRect().top") < (
            height / 3
        )
        expect(page.locator("#ended-text")).to_contain_text("You ended the interview")
        assert axe_serious(page) == []
        shots(page, "ended", full_page=False)
    finally:
        ctx.close()


def test_a_second_tab_says_continued_in_another_tab(
    live_server, playwright_driver, tmp_path, shots
):
    room = new_interview(live_server, "Two Tabs")
    ctx = launch(playwright_driver, tmp_path / "profile")
    try:
        first = ctx.new_page()
        first.goto(f"{live_server.url}/join/{room}")
        first.get_by_label("I understand").check()
        first.get_by_role("button", name="Continue").click()
        first.get_by_role("button", name="Start interview").click()
        wait_for_turn(first)

        second = ctx.new_page()  # the same link in another tab of the same browser
        second.goto(f"{live_server.url}/join/{room}")
        second.get_by_label("I understand").check()
        second.get_by_role("button", name="Continue").click()
        second.get_by_role("button", name="Start interview").click()
        expect(second.locator("#captions .line.ai").first).to_be_visible(timeout=30_000)

        moved = first.get_by_role("heading", name="This interview continued in another tab")
        expect(moved).to_be_visible(timeout=10_000)
        expect(first.locator("#status")).to_contain_text("continued in another tab")
        expect(first.get_by_text("Interview ended")).to_have_count(0)
        expect(first.get_by_label("Type your answer")).to_be_disabled()
        shots(first, "first-tab-moved", full_page=False)

        first.get_by_role("button", name="Continue here").click()
        expect(moved).to_have_count(0)
        expect(
            second.get_by_role("heading", name="This interview continued in another tab")
        ).to_be_visible(timeout=10_000)
        expect(first.get_by_label("Type your answer")).to_be_enabled()
    finally:
        ctx.close()


WATCH_CAPTIONS = """() => {
  window.__captions = [];
  const seen = window.__captions;
  new MutationObserver(() => {
    const interim = document.getElementById('interim');
    seen.push({
      t: performance.now(),
      interim: interim ? interim.innerText : null,
      finals: document.querySelectorAll('#captions .line.ai').length,
    });
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


def test_interviewer_captions_stream_while_the_voice_speaks(
    live_server, playwright_driver, tmp_path, shots
):
    if live_server.settings.tts_provider == "none":
        pytest.skip("no TTS voice on this machine (espeak-ng)")
    room = new_interview(live_server, "Streamed Captions")
    ctx = launch(playwright_driver, tmp_path / "profile")
    try:
        page = ctx.new_page()
        page.goto(f"{live_server.url}/join/{room}")
        page.get_by_label("I understand").check()
        page.get_by_role("button", name="Continue").click()
        page.get_by_role("button", name="Start interview").click()
        page.evaluate(WATCH_CAPTIONS)
        expect(page.locator("#interim")).to_be_visible(timeout=30_000)
        shots(page, "caption-streaming", full_page=False)
        expect(page.locator("#captions .line.ai").first).to_be_visible(timeout=30_000)
        seen = page.evaluate("window.__captions")
        final = page.locator("#captions .line.ai").first.inner_text()
        partial = [s for s in seen if s["interim"] and s["finals"] == 0]
        assert partial, "no caption was shown while the interviewer spoke"
        first_final = next(s["t"] for s in seen if s["finals"] > 0)
        # words appeared well before the line was complete, and grew as they were spoken
        assert first_final - partial[0]["t"] > 1000
        texts = [s["interim"].split("\n", 1)[-1].strip() for s in partial]
        assert len(set(texts)) > 2 and len(texts[0]) < len(texts[-1])
        assert texts[0].split()[0] in final
    finally:
        ctx.close()
