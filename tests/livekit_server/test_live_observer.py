"""The dashboard's live view on the real server: the API mints a hidden, subscribe-only
observer token for a running interview's room; a ``livekit.rtc`` observer with it reads
the captions of both sides, the stage and the interviewer's state (what the dashboard's
live view reads with livekit-client), the candidate never sees it as a participant, and
"End interview" (the API sending the agent ``end_interview``) ends the candidate's
interview as a manual end."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import pytest
from tests.livekit_server.candidate import Candidate, agents_in, poll
from tests.livekit_server.conftest import ADMIN_TOKEN
from tests.livekit_server.test_interview_in_room import create_interview
from tests.web.conftest import CHROMIUM_ARGS, SCREENSHOTS, _skip_reason

TYPED = "I run the payments platform team and write most of the ledger code in Go."


async def test_a_hidden_observer_watches_and_the_recruiter_ends_the_interview(
    stack: Any,
) -> None:
    created = await create_interview(stack, name="Olive Observed")
    iid = created["interview"]["id"]
    cand = Candidate(created["join"]["livekit_url"], created["join"]["token"])
    await cand.join(microphone=False)
    observer: Candidate | None = None
    try:
        await cand.wait_for(lambda: agents_in(cand), 60, "the agent")
        await cand.wait_for(lambda: cand.of_type("question"), 60, "the first question")

        res = await stack.aadmin("GET", f"/api/interviews/{iid}/live")
        assert res.status_code == 200, res.text
        access = res.json()
        assert access["transport"] == "livekit" and access["running"] is True
        assert access["events_url"] is None
        observer = Candidate(access["livekit_url"], access["observer_token"])
        await observer.join(microphone=False)
        me = observer.room.local_participant
        assert me.identity.startswith("observer-")
        assert not me.permissions.can_publish and not me.permissions.can_publish_data

        # the observer sees the interviewer and its state, as the live view shows them
        await observer.wait_for(lambda: agents_in(observer), 30, "the agent, seen by the observer")
        await observer.wait_for(lambda: observer.agent_state(), 30, "the agent's state")

        # the candidate answers; the observer receives both sides' captions as they come
        await cand.type_answer(TYPED)

        def candidate_caption() -> list[dict[str, Any]]:
            assert observer is not None
            return [
                m
                for m in observer.of_type("transcription")
                if not m["isAI"] and TYPED[:30] in m["message"]
            ]

        (line,) = await observer.wait_for(candidate_caption, 60, "the candidate's caption")
        assert line["participantName"] == "Olive Observed"
        await observer.wait_for(
            lambda: (
                [m for m in observer.of_type("transcription") if m["isAI"]] if observer else None
            ),
            30,
            "an interviewer caption",
        )
        assert observer.of_type("stage") or cand.of_type("stage")

        # the candidate never sees the observer: not in the room, not in the API's count
        assert not [i for i in cand.agent_identities() if i.startswith("observer-")]
        assert me.identity not in cand.room.remote_participants
        assert len(cand.room.remote_participants) == len(agents_in(cand))

        # "End interview" from the dashboard ends the candidate's interview
        res = await stack.aadmin("POST", f"/api/interviews/{iid}/end")
        assert res.status_code == 200, res.text
        assert res.json() == {"interview_id": iid, "ended": True, "how": "livekit"}
        (ended,) = await cand.wait_for(
            lambda: cand.of_type("interview_ended"), 60, "the end, on the candidate's side"
        )
        assert ended["reason"] == "manual_end"
        await observer.wait_for(
            lambda: observer.of_type("interview_ended") if observer else None,
            30,
            "the end, seen by the observer",
        )

        async def record() -> dict[str, Any]:
            return (await stack.aadmin("GET", f"/api/interviews/{iid}")).json()

        final = await poll(record, lambda r: r["status"] == "completed", 60, "the stored end")
        assert final["end_reason"] == "manual_end"
        assert final["outcome"] == "ended_early"
    finally:
        if observer is not None:
            await observer.leave()
        await cand.leave()


async def test_the_dashboard_watches_a_room_in_chromium_and_ends_it(
    stack: Any, tmp_path: Path
) -> None:
    """The dashboard's live view itself (livekit-client in Debian Chromium) with the API's
    observer token: the candidate's and the interviewer's captions, the stage and the
    interviewer's state appear as they happen, and its "End interview" ends the room's
    interview for the candidate."""
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    from playwright.async_api import async_playwright, expect

    created = await create_interview(stack, name="Pia Watched")
    iid = created["interview"]["id"]
    cand = Candidate(created["join"]["livekit_url"], created["join"]["token"])
    await cand.join(microphone=False)
    try:
        await cand.wait_for(lambda: agents_in(cand), 60, "the agent")
        await cand.wait_for(lambda: cand.of_type("question"), 60, "the first question")
        async with async_playwright() as p:
            ctx = await p.chromium.launch_persistent_context(
                str(tmp_path / "profile"),
                executable_path="/usr/bin/chromium",
                headless=True,
                args=CHROMIUM_ARGS,
                viewport={"width": 1280, "height": 800},
            )
            try:
                page = await ctx.new_page()
                await page.add_init_script(
                    f"sessionStorage.setItem('voicehire.adminToken', {json.dumps(ADMIN_TOKEN)})"
                )
                await page.goto(f"{stack.api_url}/app#/interviews/{iid}/live")
                await expect(page.get_by_role("heading", name="Live: Pia Watched")).to_be_visible()
                await expect(
                    page.get_by_text("Watching — the candidate does not see you.")
                ).to_be_visible(timeout=30_000)
                # the interviewer's state, read from its lk.agent.state attribute
                await expect(page.locator("#live-agent-state")).to_have_text(
                    re.compile("Listening|Thinking|Speaking"), timeout=30_000
                )
                # the browser is in the room, yet the candidate sees only the agent
                await asyncio.sleep(1.0)
                assert len(cand.room.remote_participants) == len(agents_in(cand))

                await cand.type_answer(TYPED)
                await expect(page.locator("#live-captions .turn.me").last).to_contain_text(
                    TYPED[:40], timeout=60_000
                )
                await expect(page.locator("#live-captions .turn.ai").first).to_be_visible(
                    timeout=60_000
                )
                await expect(page.locator("#live-stage")).not_to_have_text("—")
                shot = SCREENSHOTS / "livekit-live-view"
                shot.mkdir(parents=True, exist_ok=True)
                await page.screenshot(path=str(shot / "01-live-view.png"), full_page=True)

                await page.get_by_role("button", name="End interview").click()
                await page.get_by_role("button", name="Yes, end the interview").click()
                (ended,) = await cand.wait_for(
                    lambda: cand.of_type("interview_ended"), 60, "the end, for the candidate"
                )
                assert ended["reason"] == "manual_end"
                await expect(page.locator("#live-ended")).to_contain_text(
                    "End interview", timeout=30_000
                )
                await page.screenshot(path=str(shot / "02-live-ended.png"), full_page=True)
            finally:
                await ctx.close()
    finally:
        await cand.leave()
