"""The live view of a running interview on the embedded browser transport: the candidate
answers in one page while the recruiter's dashboard, in another browser profile, shows
both sides' captions, the stage and the interviewer's state as they happen, and "End
interview" ends the candidate's session (the interviewer's closing line, then the end,
recorded as a manual end: "Ended early")."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.web.conftest import LiveServer, launch
from tests.web.test_e2e_dashboard import SIZES, axe_serious, no_sideways_scroll, signed_in

ANSWER = "I run the payments platform team at Acme and write most of our ledger code in Go."


def _start_candidate(server: LiveServer, ctx: Any, name: str) -> tuple[Any, str, str]:
    cand = server.api("POST", "/api/candidates", json={"name": name})
    made = server.api("POST", "/api/interviews", json={"candidate_id": cand["id"], "plan": "mock"})
    interview = made["interview"]
    page = ctx.new_page()
    page.goto(f"{server.url}/join/{interview['room_name']}")
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Test microphone").click()
    expect(page.get_by_text("We can hear you.")).to_be_visible()
    page.get_by_role("button", name="Start interview").click()
    page.get_by_label("Interviewer voice").uncheck()
    expect(page.locator("#stage-title")).to_have_text("Self-introduction", timeout=30_000)
    return page, interview["id"], interview["room_name"]


@pytest.mark.parametrize("size", list(SIZES))
def test_watch_a_running_interview_and_end_it(
    live_server: LiveServer, playwright_driver: Any, tmp_path: Path, shots: Any, size: str
) -> None:
    cand_ctx = launch(playwright_driver, tmp_path / "candidate")
    dash_ctx, dash = signed_in(playwright_driver, tmp_path, size)
    try:
        cand, iid, room = _start_candidate(live_server, cand_ctx, f"Lena Live {size}")
        expect(cand.locator("#status")).to_contain_text("Your turn", timeout=30_000)

        # the recruiter opens the running interview and watches it
        dash.goto(f"{live_server.url}/app#/interviews/{iid}")
        dash.get_by_role("link", name="Watch live").click()
        expect(dash.get_by_role("heading", name=f"Live: Lena Live {size}")).to_be_visible()
        expect(dash.locator("#live-stage")).to_have_text("2 of 4: Self-introduction")
        captions = dash.locator("#live-captions .turn")
        expect(captions.first).to_be_visible()
        expect(dash.locator("#live-captions .turn.ai").last).to_contain_text("introduce")
        expect(dash.locator("#live-agent-state")).to_have_text("Listening")

        # the candidate answers: the recruiter sees it as it happens
        cand.get_by_label("Type your answer").fill(ANSWER)
        cand.get_by_role("button", name="Send").click()
        expect(dash.locator("#live-captions .turn.me").last).to_contain_text(ANSWER[:40])
        expect(dash.locator("#live-captions .turn.me .who").last).to_have_text(f"Lena Live {size}")
        # the interviewer replies; its line reaches the live view as well
        ai_before = dash.locator("#live-captions .turn.ai").count()
        expect(dash.locator("#live-captions .turn.ai")).to_have_count(ai_before + 1, timeout=30_000)
        no_sideways_scroll(dash)
        shots(dash, f"live-{size}")
        assert axe_serious(dash) == []

        # leaving the live view lets go of the session's stream at once; coming back
        # replays everything said so far
        live = live_server.manager.sessions[room]
        assert len(live.watchers) == 1
        dash.get_by_role("link", name="Back to the interview").click()
        expect(dash.locator("#status-badge")).to_be_visible()
        for _ in range(50):
            if not live.watchers:
                break
            dash.wait_for_timeout(100)
        assert not live.watchers
        dash.get_by_role("link", name="Watch live").click()
        expect(dash.locator("#live-captions .turn.me").last).to_contain_text(ANSWER[:40])

        # End interview: confirmed in the page, then the candidate's session ends too
        dash.get_by_role("button", name="End interview").click()
        dash.get_by_role("button", name="Keep it running").click()  # changed their mind
        expect(dash.get_by_role("button", name="End interview")).to_be_focused()
        dash.keyboard.press("Enter")
        dash.get_by_role("button", name="Yes, end the interview").click()
        expect(dash.locator("#live-ended")).to_contain_text("End interview", timeout=30_000)
        expect(dash.get_by_role("button", name="End interview")).to_have_count(0)
        expect(cand.get_by_role("heading", name="Thank you!")).to_be_visible(timeout=30_000)
        expect(cand.locator("#status")).to_contain_text("Interview ended")
        expect(cand.get_by_label("Type your answer")).to_be_disabled()
        shots(dash, f"live-ended-{size}")
        shots(cand, f"candidate-ended-by-recruiter-{size}")

        # the record says how it ended
        for _ in range(100):
            record = live_server.api("GET", f"/api/interviews/{iid}")
            if record["status"] == "completed":
                break
            dash.wait_for_timeout(200)
        assert record["end_reason"] == "manual_end"
        assert record["outcome"] == "ended_early"
        # the agent wrote each line's time from the start (the report's mm:ss and seeking)
        index = live_server.api("GET", f"/api/interviews/{iid}/transcripts")
        full = next(t for t in index if t["kind"] == "full")
        doc = live_server.api("GET", f"/api/interviews/{iid}/transcripts/{full['id']}")
        lines = doc["document"]["fullConversation"]
        offsets = [u["offsetMs"] for u in lines]
        assert all(isinstance(o, int) and 0 <= o < 600_000 for o in offsets), offsets
        answer = next(u for u in lines if not u["isAI"])
        assert answer["offsetMs"] > lines[0]["offsetMs"]
        # the stream and the end are the recruiter's only: never without the credential
        for method, path in (("GET", "live/events"), ("POST", "end"), ("GET", "live")):
            r = httpx.request(method, f"{live_server.url}/api/interviews/{iid}/{path}")
            assert r.status_code == 401, (path, r.status_code)
        # once over, "End interview" is refused with a reason
        with pytest.raises(httpx.HTTPStatusError) as refused:
            live_server.api("POST", f"/api/interviews/{iid}/end")
        assert refused.value.response.status_code == 409
        assert "already ended" in refused.value.response.json()["message"]
        dash.goto(f"{live_server.url}/app#/interviews/{iid}/live")
        expect(dash.locator("#live-ended")).to_be_visible()
        expect(dash.get_by_role("button", name="End interview")).to_have_count(0)
        expect(dash.locator("#live-captions .turn.me")).to_contain_text(
            re.compile(re.escape(ANSWER[:40]))
        )
    finally:
        dash_ctx.close()
        cand_ctx.close()
