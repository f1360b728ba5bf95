"""A recruiter creates an interview in the dashboard, the candidate opens the invite link
and completes it by typing on the embedded default (surviving a dropped connection), and
the recruiter reads the finished interview and its report. Screenshots of every step go
to test-output/screenshots/test_typed_interview_end_to_end/."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.web.conftest import ADMIN_TOKEN, launch
from voicehire.testing.connection import drop_connection

# What the candidate types, by a word in the interviewer's last question.
REPLIES = {
    "introduce": 0,
    "looking for": 1,
    "project": 2,
    "challenge": 3,
}
ANSWERS = [
    "I'm a backend engineer at Acme Payments. I build ledger services in Python and Go, "
    "and I mentor two junior engineers.",
    "I'm looking for a team where I can own a product area end to end and grow into a "
    "technical lead role.",
    "At Acme I led the migration of our ledger from MySQL to PostgreSQL. I designed the "
    "dual-write plan, wrote the reconciliation jobs, and we switched over with zero "
    "downtime, which cut reporting time by half.",
    "The biggest challenge was keeping both databases consistent during the dual writes; I "
    "handled it with idempotent writes and a nightly reconciliation report.",
    "No questions from me, thank you for your time.",
]


def ai_lines(page: Page):
    return page.locator("#captions .line.ai")


def my_lines(page: Page):
    return page.locator("#captions .line.me")


def wait_for_question(page: Page, ai_seen: int) -> None:
    """Wait until the interviewer has said something new and the page says it is the
    candidate's turn (or the interview ended)."""
    page.wait_for_function(
        """(seen) => {
          const status = document.getElementById('status');
          if (status.dataset.state === 'ended') return true;
          return document.querySelectorAll('#captions .line.ai').length > seen
            && status.dataset.turn === 'yes';
        }""",
        arg=ai_seen,
        timeout=60_000,
    )


def send(page: Page, text: str) -> None:
    page.get_by_label("Type your answer").fill(text)
    page.get_by_role("button", name="Send").click()
    expect(my_lines(page).last).to_contain_text(text[:40])


def test_typed_interview_end_to_end(live_server, playwright_driver, tmp_path, shots):
    ctx = launch(playwright_driver, tmp_path / "profile")
    try:
        # --- the recruiter signs in and creates the interview -----------------------------
        dash = ctx.new_page()
        dash.goto(f"{live_server.url}/app")
        expect(dash.get_by_role("heading", name="Sign in")).to_be_visible()
        dash.get_by_label("Admin token").fill("not-the-token")
        dash.get_by_role("button", name="Sign in").click()
        expect(dash.get_by_role("alert")).to_contain_text("not valid")
        shots(dash, "dashboard-login")
        dash.get_by_label("Admin token").fill(ADMIN_TOKEN)
        dash.get_by_role("button", name="Sign in").click()
        expect(dash.get_by_role("heading", name="Interviews")).to_be_visible()

        dash.get_by_role("link", name="New interview").first.click()
        dash.get_by_label("Full name").fill("Ada Lovelace")
        dash.get_by_label("Email").fill("ada@example.com")
        dash.get_by_label("Job title").fill("Backend Engineer")
        dash.get_by_label("Level").fill("Senior")
        dash.get_by_label("Interview plan").select_option("mock")
        dash.get_by_role("button", name="Create interview").click()
        invite = dash.get_by_label("Invite link")
        expect(invite).to_have_value(re.compile(r"/join/interview-"))
        dash.get_by_role("button", name="Copy invite link").click()
        expect(dash.get_by_role("status")).to_contain_text("Invite link copied")
        shots(dash, "dashboard-interview-created")
        link = invite.input_value()
        room = link.rsplit("/", 1)[1]

        # --- the candidate: consent, microphone check, interview ----------------------------
        cand = ctx.new_page()
        cand.goto(link)
        expect(cand.get_by_role("heading", name="Welcome, Ada Lovelace")).to_be_visible()
        expect(cand.get_by_text("Recording notice")).to_be_visible()
        continue_btn = cand.get_by_role("button", name="Continue")
        expect(continue_btn).to_be_disabled()
        shots(cand, "candidate-consent")
        cand.get_by_label("I understand").check()
        continue_btn.click()

        cand.get_by_role("button", name="Test microphone").click()
        expect(cand.get_by_text("We can hear you.")).to_be_visible()  # the fake device beeps
        shots(cand, "candidate-mic-check")
        cand.get_by_role("button", name="Start interview").click()
        cand.get_by_label("Interviewer voice").uncheck()  # captions only: the test types

        expect(cand.locator("#stage-title")).to_have_text("Self-introduction", timeout=30_000)
        expect(cand.locator("#stage-count")).to_have_text("Stage 2 of 4")
        wait_for_question(cand, 0)
        expect(cand.locator("#question")).to_contain_text("introduce yourself")
        expect(cand.locator("#status")).to_contain_text("Your turn")
        expect(cand.locator("#stagelist li.done")).to_have_text(["Greeting"])
        shots(cand, "candidate-first-question")

        # First answer, then the connection drops before the follow-up arrives.
        seen = ai_lines(cand).count()
        live_server.manager.blocked_rooms.add(room)
        send(cand, ANSWERS[0])
        assert live_server.call(drop_connection(live_server.manager, room))
        expect(cand.get_by_role("alert")).to_contain_text("reconnecting")
        expect(cand.locator("#status")).to_have_attribute("data-state", "reconnecting")
        shots(cand, "candidate-reconnecting")
        live_server.manager.blocked_rooms.discard(room)
        expect(cand.locator("#banner")).to_be_hidden(timeout=20_000)
        # What the interviewer said while the page was away arrives after reconnecting,
        # and nothing already shown is lost or doubled.
        wait_for_question(cand, seen)
        texts = my_lines(cand).all_inner_texts()
        assert len(texts) == 1 and ANSWERS[0][:40] in texts[0]
        ai_texts = ai_lines(cand).all_inner_texts()
        assert ai_texts[: len(ai_texts)] == list(dict.fromkeys(ai_texts))  # no duplicates

        # Answer until the closing stage (the interviewer decides on follow-ups).
        while cand.locator("#stage-title").inner_text() != "Closing":
            seen = ai_lines(cand).count()
            asked = ai_lines(cand).last.inner_text()
            send(cand, ANSWERS[next((i for k, i in REPLIES.items() if k in asked), 2)])
            wait_for_question(cand, seen)
            if cand.locator("#stage-title").inner_text() == "Past experience":
                expect(cand.locator("#stage-count")).to_have_text("Stage 3 of 4")
        expect(cand.locator("#stage-title")).to_have_text("Closing")
        expect(cand.locator("#stage-count")).to_have_text("Stage 4 of 4")
        expect(cand.locator("#stagelist li.done")).to_have_count(3)
        expect(cand.locator("#stagelist li.current")).to_have_text("Closing")
        shots(cand, "candidate-captions")
        send(cand, ANSWERS[-1])  # no questions: the interviewer says goodbye and ends
        expect(cand.get_by_role("heading", name="Thank you!")).to_be_visible(timeout=30_000)
        expect(cand.locator("#status")).to_contain_text("Interview ended")
        expect(cand.get_by_label("Type your answer")).to_be_disabled()
        assert my_lines(cand).all_inner_texts()[-1].endswith(ANSWERS[-1])
        shots(cand, "candidate-ended")

        # --- the recruiter sees the finished interview and its report -----------------------
        dash.goto(f"{live_server.url}/app#/interviews")
        row = dash.get_by_role("row", name=re.compile("Ada Lovelace"))
        expect(row).to_contain_text("Completed", timeout=30_000)
        # (the server is shared: other modules' interviews may be abandoned; not this one)
        dash.get_by_label("Outcome").select_option("abandoned")
        expect(dash.get_by_role("row", name=re.compile("Ada Lovelace"))).to_have_count(0)
        dash.get_by_label("Outcome").select_option("completed")
        expect(dash.get_by_role("row", name=re.compile("Ada Lovelace"))).to_be_visible()
        shots(dash, "dashboard-list")
        dash.get_by_role("link", name="Open interview with Ada Lovelace").click()

        expect(dash.locator("#recommendation")).to_have_text(
            re.compile("hire|maybe|no hire|needs human review", re.I), timeout=60_000
        )
        chart = dash.get_by_role("img", name=re.compile("Scores per competency"))
        expect(chart.locator(".bar").first).to_be_visible()
        expect(dash.locator("#overall")).to_contain_text(re.compile(r"\d\.\d"))
        answers = dash.locator(".answer")
        expect(answers.first).to_contain_text("Please introduce yourself")
        expect(answers.first.locator(".answer-text")).to_contain_text("I build ledger services")
        expect(answers.first.locator(".kp li").first).to_be_visible()  # key-point coverage
        transcript = dash.locator("#transcript")
        for title in ("Greeting", "Self-introduction", "Past experience", "Closing"):
            expect(transcript.get_by_role("heading", name=re.compile(title))).to_be_visible()
        expect(transcript).to_contain_text("I build ledger services in Python and Go")
        shots(dash, "dashboard-report")

        expect(dash.get_by_label("Your decision")).to_have_value("")  # starts empty
        dash.get_by_label("Your decision").select_option("hire")
        dash.get_by_label("Reason").fill("Strong migration story; verified with references.")
        dash.get_by_label("Your name").fill("Grace")
        dash.get_by_role("button", name="Save decision").click()
        expect(dash.locator("#override-current")).to_contain_text("Human decision: Hire by Grace")
        expect(dash.locator("#recommendation")).to_have_attribute("data-value", "hire")
        # nothing is missing from Ada's profile: a gap-filling call would have nothing to ask
        expect(dash.get_by_role("button", name="Call Candidate")).to_be_disabled()
        expect(dash.locator("#call-why")).to_contain_text("Nothing is missing")
        shots(dash, "dashboard-override")

        stored = live_server.api("GET", f"/api/interviews/{_interview_id(live_server)}/result")
        assert stored["result"]["override"]["recommendation"] == "hire"
        assert stored["result"]["summary"]["recommendation"] in (
            "hire",
            "maybe",
            "no_hire",
            "needs_review",
        )
    finally:
        ctx.close()


def _interview_id(server) -> str:
    items = server.api("GET", "/api/interviews", params={"status": "completed"})["items"]
    return next(i["id"] for i in items if i["metadata"].get("candidateName") == "Ada Lovelace")
