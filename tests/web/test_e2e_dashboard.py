"""The recruiter's dashboard in Chromium, at a desktop (1280×800) and a phone (390×844)
size: deciding from the list (search, filters, sort, CSV), the interview's evaluation
with a human decision, the report at its own URL and as a PDF, the jobs and candidate
pages, a create flow that leaves no duplicates, keyboard-only use, and axe-core finding
no serious accessibility problem on any of these pages."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pypdf
import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import ADMIN_TOKEN, LiveServer, launch

AXE = Path(__file__).resolve().parents[2] / "web" / "node_modules" / "axe-core" / "axe.min.js"
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}


def _store(server: LiveServer, interview_id: str, end_reason: str, result: dict | None) -> None:
    """The end of an interview as the agent would report it, straight into the database."""
    from voicehire.storage import repositories as repo
    from voicehire.storage.db import Database

    async def go() -> None:
        db = Database(server.settings.database_url)
        try:
            async with db.sessionmaker() as s:
                iv = await repo.get_interview(s, interview_id)
                assert iv is not None
                if iv.status == "scheduled":
                    await repo.set_status(s, iv, "in_progress")
                    await repo.set_status(s, iv, "completed", end_reason)
                if result is not None:
                    await repo.put_result(s, interview_id, result)
                await s.commit()
        finally:
            await db.dispose()

    # a thread of its own: Playwright's sync API keeps an event loop in this one
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, go()).result(timeout=30)


def _evaluation(iid: str, score: float, rec: str, review: bool = False) -> dict[str, Any]:
    return {
        "interview_id": iid,
        "plan_id": "full",
        "scorer": {"kind": "offline", "name": "minilm-keypoint-coverage"},
        "outcome": "completed",
        "outcome_label": "Completed",
        "answers": [
            {
                "question_id": "intro.about_you",
                "stage": "self_introduction",
                "question_text": "To start, could you tell me a little about yourself?",
                "answer_text": "I build data pipelines with Spark and Airflow at a bank.",
                "evidence": ["data pipelines with Spark"],
                "competency_levels": {"technical_accuracy": 4.0},
                "scores": {"overall": score},
            }
        ],
        "summary": {
            "overall_score": score,
            "recommendation": rec,
            "leaning": "maybe" if review else None,
            "needs_human_review": review,
            "confidence": 0.55 if review else 0.9,
            "competency_scores": {"technical_accuracy": score, "communication": score - 1},
            "questions_asked": 1,
            "questions_answered": 1,
            "questions_not_asked": ["exp.challenge"],
        },
        "stages": [
            {
                "stage": "self_introduction",
                "title": "Self-introduction",
                "lines": [
                    {"isAI": True, "message": "Tell me about yourself."},
                    {"isAI": False, "message": "I build data pipelines with Spark and Airflow."},
                ],
            }
        ],
    }


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A server of this module's own: the list's counts, filters and sort orders are
    asserted exactly, so no other module's interviews may be in it."""
    server = LiveServer(tmp_path_factory.mktemp("web-dashboard"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def seeded(live_server: LiveServer) -> dict[str, Any]:
    api = live_server.api
    data = api(
        "POST",
        "/api/jobs",
        json={
            "title": "Data Engineer",
            "level": "Senior",
            "description": "Pipelines on Spark and Airflow; remote within the EU.",
            "required_skills": ["Python", "SQL", "Airflow", "Spark"],
            "plan": "full",
        },
    )
    pm = api("POST", "/api/jobs", json={"title": "Product Manager", "plan": "full"})
    people = {}
    for key, name, job in (
        ("ada", "Ada Quinn", data),
        ("bea", "Bea Review", data),
        ("cal", "Cal Early", pm),
    ):
        cand = api(
            "POST",
            "/api/candidates",
            json={
                "name": name,
                "email": f"{key}@example.com",
                "missing_required": ["notice_period", "salary_expectation"],
            },
        )
        made = api(
            "POST",
            "/api/interviews",
            json={"candidate_id": cand["id"], "job_id": job["id"], "plan": "full"},
        )
        people[key] = {"candidate": cand, "interview": made["interview"]}
    _store(
        live_server,
        people["ada"]["interview"]["id"],
        "completed",
        _evaluation(people["ada"]["interview"]["id"], 8.2, "hire"),
    )
    _store(
        live_server,
        people["bea"]["interview"]["id"],
        "completed",
        _evaluation(people["bea"]["interview"]["id"], 5.6, "needs_review", review=True),
    )
    _store(live_server, people["cal"]["interview"]["id"], "candidate_request", None)
    # a gap-filling call filled one of Ada's fields
    live_server.api(
        "POST",
        "/api/interviews",
        json={"candidate_id": people["ada"]["candidate"]["id"], "mode": "gap_filling"},
    )
    return {"jobs": {"data": data, "pm": pm}, **people}


def signed_in(playwright_driver: Any, tmp_path: Path, size: str) -> tuple[Any, Page]:
    ctx = launch(playwright_driver, tmp_path / f"profile-{size}")
    page = ctx.new_page()
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    page.add_init_script(
        f"sessionStorage.setItem('voicehire.adminToken', {json.dumps(ADMIN_TOKEN)})"
    )
    page.add_init_script(path=str(AXE))
    return ctx, page


def axe_serious(page: Page) -> list[str]:
    found = page.evaluate(
        """async () => {
          const r = await axe.run(document, { resultTypes: ['violations'] });
          return r.violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => `${v.id}: ${v.help} (${
              v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')})`);
        }"""
    )
    return list(found)


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size
    assert viewport is not None
    wide = page.evaluate(
        """(w) => [...document.querySelectorAll('body *')]
          .filter(e => e.getBoundingClientRect().right > w + 1 && !e.closest('.table-scroll'))
          .slice(0, 5).map(e => `${e.tagName}#${e.id}.${e.className} ${
            Math.round(e.getBoundingClientRect().right)} ${(e.textContent || "").slice(0, 40)}`)""",
        viewport["width"],
    )
    assert width <= viewport["width"], (
        f"the page is {width}px wide at {viewport['width']}px: {wide}"
    )


@pytest.mark.parametrize("size", list(SIZES))
def test_decide_from_the_list_and_the_report(
    live_server: LiveServer,
    seeded: dict,
    playwright_driver: Any,
    tmp_path: Path,
    shots: Any,
    size: str,
) -> None:
    bea_id = seeded["bea"]["interview"]["id"]  # undecided again (the other size decided)
    _store(live_server, bea_id, "completed", _evaluation(bea_id, 5.6, "needs_review", True))
    ctx, page = signed_in(playwright_driver, tmp_path, size)
    try:
        # `/` opens the app
        page.goto(f"{live_server.url}/")
        assert page.url.startswith(f"{live_server.url}/app")
        expect(page.get_by_role("heading", name="Interviews")).to_be_visible()
        ada = page.locator(f'tr[data-id="{seeded["ada"]["interview"]["id"]}"]')
        bea = page.locator(f'tr[data-id="{seeded["bea"]["interview"]["id"]}"]')
        cal = page.locator(f'tr[data-id="{seeded["cal"]["interview"]["id"]}"]')
        expect(ada).to_contain_text("8.2")
        expect(ada.locator('[data-col="recommendation"]')).to_have_text("Hire")
        expect(bea.locator('[data-col="recommendation"] .badge.review')).to_have_text(
            re.compile("Needs human review")
        )
        expect(cal).to_contain_text("Ended at the candidate's request")
        no_sideways_scroll(page)
        shots(page, f"list-{size}")
        assert axe_serious(page) == []

        # search, filters, sort
        page.get_by_role("searchbox", name="Search").fill("ada")
        page.get_by_role("searchbox", name="Search").press("Enter")
        expect(page.locator("tbody tr")).to_have_count(2)  # her interview and her call
        expect(page.locator("tbody tr", has_text="Ada Quinn")).to_have_count(2)
        page.get_by_role("searchbox", name="Search").fill("")
        page.get_by_label("Outcome").select_option("by_request")
        expect(page.locator("tbody tr")).to_have_count(1)
        expect(page.locator("tbody tr")).to_contain_text("Cal Early")
        page.get_by_label("Outcome").select_option("")
        page.get_by_label("Recommendation").select_option("needs_review")
        expect(page.locator("tbody tr")).to_have_count(1)
        page.get_by_label("Recommendation").select_option("")
        page.get_by_label("Job").select_option(label="Data Engineer · Senior")
        expect(page.locator("tbody tr")).to_have_count(2)
        page.get_by_role("button", name=re.compile("^Score")).click()
        expect(page.locator('th[aria-sort="descending"]')).to_contain_text("Score")
        expect(page.locator("tbody tr").first).to_contain_text("Ada Quinn")
        page.get_by_role("button", name=re.compile("^Score")).click()
        expect(page.locator("tbody tr").first).to_contain_text("Bea Review")
        shots(page, f"list-filtered-{size}")

        # CSV of what is shown
        with page.expect_download() as dl:
            page.get_by_role("button", name="Export CSV").click()
        rows = list(csv.DictReader(io.StringIO(Path(dl.value.path()).read_text("utf-8-sig"))))
        assert [r["Candidate"] for r in rows] == ["Bea Review", "Ada Quinn"]
        assert rows[0]["Machine recommendation"] == "Needs human review"

        # the interview: labels, an empty picker, the human decision in the headline
        page.get_by_role("link", name="Open interview with Bea Review").click()
        expect(page.get_by_role("heading", name="Bea Review")).to_be_visible()
        report = page.locator("#report")
        expect(report).to_contain_text("Self-introduction", timeout=15_000)
        for internal in ("self_introduction", "intro.about_you", "minilm-keypoint-coverage"):
            assert internal not in page.locator("main").inner_text()
        expect(report).to_contain_text("What's the most difficult problem")  # not asked
        expect(page.locator("#recommendation")).to_have_text(re.compile("Needs human review"))
        expect(page.get_by_label("Your decision")).to_have_value("")
        no_sideways_scroll(page)
        shots(page, f"interview-{size}")
        assert axe_serious(page) == []
        page.get_by_label("Your decision").select_option("hire")
        page.get_by_label("Reason").fill("Strong follow-up on Airflow")
        page.get_by_role("button", name="Save decision").click()
        expect(page.locator("#override-current")).to_contain_text("Hire")
        expect(page.locator("#recommendation")).to_have_attribute("data-value", "hire")
        expect(page.locator(".headline")).to_contain_text("human decision")

        # the full report has its own URL, styled by the app's stylesheet (not a blob: tab)
        page.get_by_role("link", name="Open full report").click()
        expect(page).to_have_url(re.compile(r"#/interviews/[^/]+/report$"))
        expect(
            page.get_by_role("heading", name=re.compile("Interview report: Bea Review"))
        ).to_be_visible()
        panel_bg = page.locator("#report").evaluate("e => getComputedStyle(e).borderRadius")
        assert panel_bg not in ("", "0px")
        page.reload()
        expect(page.locator("#transcript")).to_contain_text("data pipelines", timeout=15_000)
        no_sideways_scroll(page)
        shots(page, f"report-{size}")
        assert axe_serious(page) == []
        with page.expect_download() as dl:
            page.get_by_role("button", name="Download PDF").click()
        reader = pypdf.PdfReader(dl.value.path())
        text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
        assert "Bea Review" in text and "Human decision: Hire" in text
        assert "Needs human review" in text and "Self-introduction" in text
    finally:
        ctx.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_jobs_candidates_and_a_create_flow_without_duplicates(
    live_server: LiveServer,
    seeded: dict,
    playwright_driver: Any,
    tmp_path: Path,
    shots: Any,
    size: str,
) -> None:
    ctx, page = signed_in(playwright_driver, tmp_path, size)
    try:
        job = seeded["jobs"]["data"]
        page.goto(f"{live_server.url}/app#/jobs")
        expect(page.get_by_role("heading", name="Jobs")).to_be_visible()
        no_sideways_scroll(page)
        assert axe_serious(page) == []
        page.get_by_role("link", name="Data Engineer", exact=True).click()
        expect(page.locator("#job-description")).to_contain_text("remote within the EU")
        expect(page.locator("main")).to_contain_text("Python, SQL, Airflow, Spark")
        # add a custom question, then remove it, through the API the page calls
        question = f"How do you backfill a partitioned Airflow DAG? ({size})"
        page.get_by_label("Question", exact=True).fill(question)
        page.get_by_label("Competency it probes").select_option(label="Problem solving")
        page.get_by_label("What a good answer shows").fill(
            "idempotent tasks\ncatchup and date ranges"
        )
        page.get_by_role("button", name="Add question").click()
        expect(page.locator("#custom-questions")).to_contain_text(question)
        stored = live_server.api("GET", f"/api/jobs/{job['id']}")["custom_questions"]
        assert [q["text"] for q in stored] == [question]
        assert stored[0]["competencies"] == ["problem_solving"]
        expect(page.locator("main")).to_contain_text("Candidates for this job")
        no_sideways_scroll(page)
        shots(page, f"job-{size}")
        assert axe_serious(page) == []
        page.get_by_role("button", name=re.compile("Remove question 1")).click()
        expect(page.locator("#custom-questions-empty")).to_be_visible()
        assert live_server.api("GET", f"/api/jobs/{job['id']}")["custom_questions"] == []
        # generating needs an LLM: the page says so instead of failing silently
        page.get_by_role("button", name="Generate questions from the description").click()
        expect(page.locator("#job-problem")).to_contain_text("no LLM is configured")

        # the candidate page: profile, fields with their gap-filling status, sessions
        ada = seeded["ada"]["candidate"]
        live_server.api("GET", f"/api/candidates/{ada['id']}")
        page.goto(f"{live_server.url}/app#/candidates")
        expect(page.get_by_role("heading", name="Candidates")).to_be_visible()
        page.get_by_role("link", name="Ada Quinn", exact=True).click()
        expect(page.get_by_role("heading", name="Ada Quinn")).to_be_visible()
        fields = page.locator("#candidate-fields")
        expect(fields.locator('tr[data-field="notice_period"]')).to_contain_text("Missing")
        expect(fields).to_contain_text("Notice period")
        sessions = page.locator("main")
        expect(sessions).to_contain_text("Interviews")
        expect(sessions.locator("section", has_text="Calls and briefings")).to_contain_text(
            "Gap-filling call"
        )
        no_sideways_scroll(page)
        shots(page, f"candidate-{size}")
        assert axe_serious(page) == []

        # create flow: a failure after the candidate and job were made, then a retry
        before_c = live_server.api("GET", "/api/candidates?limit=200")["total"]
        before_j = live_server.api("GET", "/api/jobs?limit=200")["total"]
        failed = {"n": 0}

        def fail_once(route: Any) -> None:
            if route.request.method == "POST" and failed["n"] == 0:
                failed["n"] += 1
                route.fulfill(
                    status=502,
                    content_type="application/json",
                    body=json.dumps({"error": "livekit_error", "message": "LiveKit refused"}),
                )
            else:
                route.continue_()

        page.route(re.compile(r"/api/interviews$"), fail_once)
        page.goto(f"{live_server.url}/app#/new")
        page.get_by_label("Full name").fill(f"Dana New {size}")
        page.get_by_label(re.compile("^Email")).fill(f"dana-{size}@example.com")
        page.get_by_label("Job title").fill(f"QA Engineer {size}")
        page.get_by_role("button", name="Create interview").click()
        expect(page.locator("#created")).to_contain_text("LiveKit refused")
        page.get_by_role("button", name="Create interview").click()
        expect(page.locator("#invite-link")).to_be_visible()
        expect(page.locator("#invite-link")).to_be_in_viewport()
        expect(page.locator("#invite-link")).to_have_value(re.compile(rf"^{live_server.url}/join/"))
        assert page.get_by_label("Full name").input_value() == ""  # the form is cleared
        assert live_server.api("GET", "/api/candidates?limit=200")["total"] == before_c + 1
        assert live_server.api("GET", "/api/jobs?limit=200")["total"] == before_j + 1
        shots(page, f"created-{size}")
    finally:
        ctx.close()


def test_the_dashboard_by_keyboard_alone(
    live_server: LiveServer, seeded: dict, playwright_driver: Any, tmp_path: Path
) -> None:
    ctx, page = signed_in(playwright_driver, tmp_path, "desktop")
    try:
        page.goto(f"{live_server.url}/app#/interviews")
        expect(page.locator("tbody tr").first).to_be_visible()

        def tab_to(selector: str, limit: int = 60) -> None:
            for _ in range(limit):
                page.keyboard.press("Tab")
                if page.evaluate(f"document.activeElement.matches({json.dumps(selector)})"):
                    return
            raise AssertionError(f"Tab never reached {selector}")

        tab_to("#f-search")
        page.keyboard.type("Cal")
        page.keyboard.press("Enter")
        expect(page.locator("tbody tr")).to_have_count(1)
        tab_to("#f-search")
        page.keyboard.press("Control+a")
        page.keyboard.type("Ada data")
        page.keyboard.press("Enter")
        expect(page.locator("tbody tr")).to_have_count(1)
        tab_to('a[aria-label="Open interview with Ada Quinn"]')
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Ada Quinn")).to_be_visible()
        expect(page.locator("#ov-rec")).to_be_visible(timeout=15_000)
        tab_to("#ov-rec")
        page.keyboard.press("ArrowDown")  # Choose… → Hire
        page.keyboard.press("ArrowDown")  # → Maybe
        tab_to("#ov-note")
        page.keyboard.type("Keyboard decision")
        page.keyboard.press("Enter")
        expect(page.locator("#override-current")).to_contain_text("Maybe")
        tab_to("#open-report")
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"/report$"))
    finally:
        ctx.close()
