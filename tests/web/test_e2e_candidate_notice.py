"""The candidate's side of issue 15's notices, at desktop (1280×800) and phone (390×844)
sizes, by keyboard only: the AI-use notice before consent, an accommodation request sent
to the hiring team (and the candidate still free to go on), the recording announcement,
and after the interview the optional self-identification question (answered on one
size, skipped with one key press on the other). axe-core finds no serious violation."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import launch
from tests.web.test_e2e_admin import no_sideways_scroll
from tests.web.test_e2e_candidate_screen import axe_serious, tab_to, wait_for_turn

SIZES = {"desktop": (1280, 800), "phone": (390, 844)}


def _export(server: Any, candidate_id: str) -> dict[str, Any]:
    data: dict[str, Any] = server.api("GET", f"/api/candidates/{candidate_id}/export")
    return data


def _focused(page: Page) -> str:
    return str(page.evaluate("document.activeElement && document.activeElement.id"))


@pytest.mark.parametrize("size", list(SIZES))
def test_notice_accommodation_and_self_identification(
    size, live_server, playwright_driver, tmp_path, shots
):
    width, height = SIZES[size]
    cand = live_server.api("POST", "/api/candidates", json={"name": f"Noor {size}"})
    made = live_server.api(
        "POST",
        "/api/interviews",
        json={"candidate_id": cand["id"], "plan": "mock", "enable_recording": True},
    )
    interview = made["interview"]
    notice = httpx.get(f"{live_server.url}/api/candidate-notice").json()

    ctx = launch(playwright_driver, tmp_path / "profile")
    try:
        page = ctx.new_page()
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/join/{interview['room_name']}")
        expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()
        # the notice, plainly, before the consent box
        heading = page.get_by_role("heading", name="How AI is used in this interview")
        expect(heading).to_be_visible()
        expect(page.locator("#ai-notice-text")).to_have_text(notice["ai_notice"])
        above = page.evaluate(
            """() => document.getElementById('ai-notice').getBoundingClientRect().top
                 < document.getElementById('agree').getBoundingClientRect().top"""
        )
        assert above
        # the recording is announced (the interview records)
        expect(page.get_by_text("Audio recording:")).to_be_visible()
        expect(page.locator("li", has_text="Audio recording:")).to_contain_text("recorded")
        assert axe_serious(page) == []
        assert no_sideways_scroll(page)
        shots(page, "notice")

        # ask for an interview with a person, by keyboard only
        tab_to(page, "request-accommodation")
        page.keyboard.press("Enter")
        form = page.locator("#accommodation-form")
        expect(form).to_be_visible()
        expect(form.get_by_role("group", name="What would you like instead?")).to_be_visible()
        assert page.evaluate("document.activeElement.type") == "radio"
        page.keyboard.press("ArrowDown")  # the second option: a person instead
        person = page.get_by_role("radio", name=re.compile("interview with a person"))
        expect(person).to_be_checked()
        tab_to(page, "accommodation-note")
        page.keyboard.type("I stammer; a person would help.")
        assert axe_serious(page) == []
        shots(page, "accommodation-form")
        tab_to(page, "send-accommodation")
        page.keyboard.press("Enter")
        sent = page.locator("#accommodation-sent")
        expect(sent).to_contain_text("Your request was sent to the hiring team")
        expect(sent).to_contain_text("An interview with a person")
        expect(sent).to_contain_text("You can still continue")
        assert _focused(page) == "accommodation-sent"
        requests = live_server.api("GET", "/api/accommodations")
        mine = [r for r in requests if r["interview_id"] == interview["id"]]
        assert [(r["kind"], r["note"]) for r in mine] == [
            ("human_interview", "I stammer; a person would help.")
        ]
        assert axe_serious(page) == []
        assert no_sideways_scroll(page)
        shots(page, "accommodation-sent")

        # the candidate still chooses to go on: consent, microphone, interview, end
        tab_to(page, "agree")
        page.keyboard.press("Space")
        tab_to(page, "to-mic")
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Microphone check")).to_be_visible()
        tab_to(page, "start")
        page.keyboard.press("Enter")
        wait_for_turn(page)
        page.on("dialog", lambda d: d.accept())
        tab_to(page, "end", limit=40)
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Thank you!")).to_be_visible(timeout=30_000)

        # the optional self-identification question, below the end message
        question = page.locator("#selfid")
        expect(question.get_by_role("heading", name=re.compile("Optional"))).to_be_visible()
        expect(question).to_contain_text("not seen by the interviewer")
        expect(question).to_contain_text("not used in scoring")
        expect(page.locator("#selfid-notice")).to_contain_text("Optional and voluntary")
        for label in ("Sex", "Race/ethnicity", "Age"):
            select = question.get_by_label(label, exact=True)
            expect(select).to_have_value("")  # nothing chosen for the candidate
            expect(select.locator("option", has_text="Prefer not to say")).to_have_count(1)
        assert axe_serious(page) == []
        assert no_sideways_scroll(page)
        shots(page, "self-identification")

        if size == "desktop":
            tab_to(page, "selfid-sex", limit=40)
            page.keyboard.type("F")  # type-ahead picks "Female"
            expect(page.locator("#selfid-sex")).to_have_value("female")
            tab_to(page, "selfid-age_band")
            page.keyboard.type("P")  # "Prefer not to say"
            expect(page.locator("#selfid-age_band")).to_have_value("prefer_not_to_say")
            tab_to(page, "selfid-save")
            page.keyboard.press("Enter")
            expect(page.locator("#selfid-done")).to_contain_text("Thank you")
            stored = _export(live_server, cand["id"])["self_identification"]
            assert stored == {"sex": "female", "age_band": "prefer_not_to_say"}
        else:
            tab_to(page, "selfid-skip", limit=40)
            page.keyboard.press("Enter")  # skipping is one key press
            expect(page.locator("#selfid-done")).to_contain_text("Skipped")
            assert _export(live_server, cand["id"])["self_identification"] == {}
        expect(page.locator("#selfid-form")).to_have_count(0)
        assert _focused(page) == "selfid-done"
        assert axe_serious(page) == []
        shots(page, "self-identification-done")

        # a reload of the finished interview does not ask again
        page.reload()
        expect(page.get_by_role("heading", name="This interview has ended")).to_be_visible()
        expect(page.locator("#selfid-form")).to_have_count(0)
    finally:
        ctx.close()


def test_a_finished_interview_link_still_offers_the_question_once(
    live_server, playwright_driver, tmp_path, shots
):
    """Opened again after the end (another device, or the tab was closed): the question is
    offered below "This interview has ended"; a call's link never asks it."""
    from tests.web.test_e2e_admin import _decide

    cand = live_server.api(
        "POST",
        "/api/candidates",
        json={"name": "Later Visit", "missing_required": ["notice_period"]},
    )
    made = live_server.api(
        "POST", "/api/interviews", json={"candidate_id": cand["id"], "plan": "mock"}
    )
    _decide(live_server, [(made["interview"]["id"], "maybe")])
    call = live_server.api(
        "POST", "/api/interviews", json={"candidate_id": cand["id"], "mode": "gap_filling"}
    )
    ctx = launch(playwright_driver, tmp_path / "profile")
    try:
        page = ctx.new_page()
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{live_server.url}/join/{made['interview']['room_name']}")
        expect(page.get_by_role("heading", name="This interview has ended")).to_be_visible()
        page.select_option("#selfid-race_ethnicity", "asian")
        page.get_by_role("button", name="Submit answers").click()
        expect(page.locator("#selfid-done")).to_contain_text("Thank you")
        assert _export(live_server, cand["id"])["self_identification"] == {
            "race_ethnicity": "asian"
        }
        assert axe_serious(page) == []
        shots(page, "ended-page-question")

        page.goto(f"{live_server.url}/join/{call['interview']['room_name']}")
        expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()
        expect(page.locator("#ai-notice")).to_have_count(0)
    finally:
        ctx.close()
