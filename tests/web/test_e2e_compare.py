"""Comparing candidates for one job side by side, in Chromium at 1280×800 and 390×844:
chosen from the list filtered by the job, one column per candidate with labels (never
ids), and a clear refusal for interviews of different jobs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.conftest import LiveServer
from tests.web.test_e2e_dashboard import (
    SIZES,
    _evaluation,
    _store,
    axe_serious,
    no_sideways_scroll,
    signed_in,
)


@pytest.fixture(scope="module")
def job_with_candidates(live_server: LiveServer) -> dict[str, Any]:
    api = live_server.api
    job = api("POST", "/api/jobs", json={"title": "Platform Engineer", "plan": "full"})
    other = api("POST", "/api/jobs", json={"title": "Support Lead", "plan": "full"})
    made: dict[str, str] = {}
    for key, name, the_job, score, rec in (
        ("dee", "Dee Compared", job, 7.4, "hire"),
        ("eli", "Eli Compared", job, 4.1, "needs_review"),
        ("fay", "Fay Unscored", job, None, None),
        ("gus", "Gus Elsewhere", other, 6.0, "maybe"),
    ):
        cand = api("POST", "/api/candidates", json={"name": name, "email": f"{key}@example.com"})
        iv = api(
            "POST",
            "/api/interviews",
            json={"candidate_id": cand["id"], "job_id": the_job["id"], "plan": "full"},
        )["interview"]
        result = None
        if score is not None and rec is not None:
            result = _evaluation(iv["id"], score, rec, review=rec == "needs_review")
            if key == "eli":
                result["answers"][0]["flags"] = ["Answer may be read from a script"]
        _store(live_server, iv["id"], "completed", result)
        made[key] = iv["id"]
    # a human decided about Dee
    api(
        "POST",
        f"/api/web/interviews/{made['dee']}/override",
        json={"recommendation": "maybe", "note": "Good, but wants a second round", "by": "Kim"},
    )
    return {"job": job, "other": other, **made}


@pytest.mark.parametrize("size", list(SIZES))
def test_compare_two_candidates_of_one_job(
    live_server: LiveServer,
    job_with_candidates: dict[str, Any],
    playwright_driver: Any,
    tmp_path: Path,
    shots: Any,
    size: str,
) -> None:
    seeded = job_with_candidates
    job_id = seeded["job"]["id"]
    ctx, page = signed_in(playwright_driver, tmp_path, size)
    try:
        page.goto(f"{live_server.url}/app#/interviews?job={job_id}")
        expect(page.locator(f'tr[data-id="{seeded["dee"]}"]')).to_be_visible()
        page.get_by_role("link", name="Compare candidates").click()
        expect(
            page.get_by_role("heading", name="Compare candidates: Platform Engineer")
        ).to_be_visible()
        # only evaluated interviews can be chosen
        boxes = page.get_by_role("checkbox")
        expect(boxes).to_have_count(2)
        expect(page.locator("#compare-form")).not_to_contain_text("Fay Unscored")
        page.get_by_role("checkbox", name="Dee Compared").check()
        page.get_by_role("checkbox", name="Eli Compared").press("Space")  # by keyboard too
        page.get_by_role("button", name="Compare").click()

        table = page.locator("#comparison")
        expect(table).to_be_visible()
        expect(table.locator("thead th")).to_have_text(["Dee Compared", "Eli Compared"])

        def cells(row: str) -> list[str]:
            return [t.strip() for t in table.locator(f'tr[data-row="{row}"] td').all_inner_texts()]

        assert cells("overall") == ["7.4 / 10", "4.1 / 10"]
        assert cells("recommendation") == ["Hire", "⚑ Needs human review"]
        assert cells("decision") == ["Maybe", "none yet"]
        assert cells("review") == ["No", "⚑ Yes"]
        assert cells("flags") == ["none", "Answer may be read from a script"]
        # competencies and questions by their labels, never their ids
        expect(table.get_by_role("rowheader", name="Technical accuracy")).to_be_visible()
        expect(table.get_by_role("rowheader", name="Communication")).to_be_visible()
        expect(
            table.get_by_role(
                "rowheader", name="To start, could you tell me a little about yourself"
            )
        ).to_be_visible()
        text = table.inner_text()
        for internal in (
            "intro.about_you",
            "technical_accuracy",
            "self_introduction",
            "needs_review",
        ):
            assert internal not in text
        no_sideways_scroll(page)
        shots(page, f"compare-{size}")
        assert axe_serious(page) == []

        # interviews of different jobs are refused, saying why
        page.goto(f"{live_server.url}/app#/compare?ids={seeded['dee']},{seeded['gus']}")
        refused = page.locator("#compare-refused")
        expect(refused).to_contain_text("different jobs")
        expect(refused).to_contain_text("Platform Engineer")
        expect(refused).to_contain_text("Support Lead")
        expect(page.locator("#comparison")).to_have_count(0)
        no_sideways_scroll(page)
        shots(page, f"compare-refused-{size}")
        assert axe_serious(page) == []
    finally:
        ctx.close()
