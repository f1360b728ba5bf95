"""Every value the dashboard and the candidate page show is text, whatever it contains.

The candidate, job and interview come from the real API with markup in every free-text
field; the documents the agent writes (the evaluation, the transcript, a call's result)
are served to the page with markup in every string and every competency key, as a
compromised agent token or a bad import could store them. The pages must show each
payload literally, run none of it, and grow no element or event-handler attribute
from it (an attribute breakout through aria-label included). The pages run under the
strict CSP of test_e2e_csp, so a style attribute from a template would show up too."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Page, Route, expect

from tests.web.conftest import (
    ADMIN_TOKEN,
    CSP_WATCH,
    FULFILLED_PAGE_ARGS,
    LiveServer,
    csp_violations,
    launch,
    open_with_policy,
)

# Counts what ran: an injected handler or script would push its tag here.
INIT = "window.pwned = []; window.addEventListener('error', () => {});"


def hostile(tag: str) -> str:
    """Markup, an attribute breakout and a script, each reporting `tag` if it ever runs
    (under 200 characters: names are limited to that)."""
    run = f"pwned.push('{tag}')"
    return (
        f"{tag}<img src=x onerror={run}>\"'><svg onload={run}>"
        f'" onfocus="{run}" autofocus x="<script>{run}</script>&lt;b&gt;${{7*7}}'
    )


def tight(tag: str) -> str:
    """A hostile string without spaces (for fields that refuse them, e.g. an email)."""
    return f"{tag}<img/src=x/onerror=pwned.push('{tag}')>'\"@x.example"


CALL_FIELDS = ("field_label", "field_value", "declined_label", "declined_reason")
# Shown on the job's and the candidate's own pages, not on the interview's.
PAGES = (
    "job_description",
    "job_skill",
    "custom_question",
    "field_key",
    "field_val",
    "profile_key",
    "profile_val",
    "notes",
    "resume",
    # the live view's frames
    "live_stage",
    "live_agent_state",
    "live_speaker",
    "live_line",
)
# Issue 15's screens: the bias audit, webhooks, personal data, the candidate's notices.
COMPLIANCE = (
    "accommodation_note",
    "endpoint_description",
    "delivery_event",
    "delivery_url",
    "delivery_error",
    "audit_notice",
    "audit_label",
    "selfid_notice",
    "selfid_category",
    "selfid_option",
    "ai_notice",
    "org_notice",
    "accommodation_contact",
    "accommodation_option",
)


def evaluation(interview_id: str, h: dict[str, str]) -> dict[str, Any]:
    return {
        "interview_id": interview_id,
        "plan_id": h["plan_id"],
        "role": h["role"],
        "participant_name": h["participant_name"],
        "status": "partial",
        "error": h["error"],
        "outcome_label": h["outcome_label"],
        "candidate_questions": [{"kind": "role_question", "text": h["candidate_question"]}],
        "flagged_turns": [{"kind": "injection", "text": h["flagged_turn"]}],
        "scorer": {"kind": "offline", "name": h["scorer"]},
        "answers": [
            {
                "question_id": "q1",
                "stage": "intro",
                "question_text": h["question_text"],
                "answer_text": h["answer_text"],
                "status": "scored",
                "scores": {"overall": 7.5},
                "key_points": [
                    {
                        "text": h["key_point"],
                        "covered": True,
                        "similarity": 0.9,
                        "evidence": h["kp_evidence"],
                    },
                    {"text": h["key_point_missed"], "covered": False, "similarity": 0.1},
                ],
                "evidence": [h["evidence"]],
                "flags": [h["flag"], h["flag2"]],
                "feedback": h["feedback"],
                "competency_levels": {h["level_competency"]: 3.0},
                "anchors": {h["level_competency"]: h["anchor"]},
            },
            {
                "question_id": "q2",
                "stage": "intro",
                "question_text": h["question_text2"],
                "answer_text": "",
                "status": "unanswered",
            },
        ],
        "summary": {
            "overall_score": 7.5,
            "competency_scores": {h["competency"]: 6.0, h["competency2"]: 120},
            "strengths": [h["strength"]],
            "areas_for_improvement": [h["improvement"]],
            "recommendation": "maybe",
            "confidence": 0.8,
            "rationale": h["rationale"],
            "review_reasons": [h["review_reason"]],
            "questions_asked": 2,
            "questions_answered": 1,
        },
        "override": {"recommendation": "hire", "note": h["override_note"], "by": h["override_by"]},
    }


def transcript(h: dict[str, str]) -> dict[str, Any]:
    return {
        "stages": [
            {
                "stage": "intro",
                "title": h["stage_title"],
                "durationSeconds": 12.0,
                "endReason": h["end_reason"],
                "conversation": [
                    {
                        "isAI": True,
                        "participantName": h["interviewer_name"],
                        "message": h["ai_line"],
                    },
                    {
                        "isAI": False,
                        "participantName": h["speaker_name"],
                        "message": h["candidate_line"],
                    },
                ],
            }
        ]
    }


def call_result(h: dict[str, str]) -> dict[str, Any]:
    return {
        "filled": [
            {"field": "notice_period", "label": h["field_label"], "spoken": h["field_value"]}
        ],
        "declined": [
            {"field": "salary", "label": h["declined_label"], "reason": h["declined_reason"]}
        ],
        "unresolved": [],
    }


def serve(page: Page, pattern: str, body: Any) -> None:
    page.route(re.compile(pattern), lambda route: _fulfil(route, body))


def _fulfil(route: Route, body: Any) -> None:
    route.fulfill(status=200, content_type="application/json", body=json.dumps(body))


def assert_inert(page: Page, payloads: dict[str, str], where: str) -> None:
    """Nothing ran, nothing became markup, and every payload shown is shown verbatim."""
    assert page.evaluate("window.pwned") == [], f"{where}: injected code ran"
    grown = page.evaluate(
        """() => {
          const bad = [];
          for (const el of document.querySelectorAll('img, svg, script, iframe, object, embed')) {
            if (el.closest('head') || el.matches('script[type=module][src]')) continue;
            bad.push(el.outerHTML.slice(0, 120));
          }
          for (const el of document.querySelectorAll('*'))
            for (const a of el.attributes)
              if (/^on/i.test(a.name) || ['autofocus', 'x'].includes(a.name))
                bad.push(`${el.tagName} ${a.name}`);
          return bad;
        }"""
    )
    assert grown == [], f"{where}: markup or handlers from data: {grown}"
    assert csp_violations(page) == [], f"{where}: the page broke its CSP"
    text = page.locator("body").inner_text()
    for name, value in payloads.items():
        assert value in text, f"{where}: {name} is not shown as text"


def test_dashboard_and_candidate_page_show_hostile_strings_as_text(
    live_server: LiveServer, playwright_driver: Any, tmp_path: Path
) -> None:
    h = {
        name: hostile(f"t{i}")
        for i, name in enumerate(
            [
                "candidate_name",
                "job_title",
                "job_level",
                "plan_id",
                "role",
                "participant_name",
                "error",
                "scorer",
                "question_text",
                "answer_text",
                "key_point",
                "key_point_missed",
                "kp_evidence",
                "evidence",
                "flag",
                "flag2",
                "feedback",
                "question_text2",
                "competency",
                "competency2",
                "strength",
                "improvement",
                "rationale",
                "override_note",
                "override_by",
                "stage_title",
                "end_reason",
                "interviewer_name",
                "ai_line",
                "speaker_name",
                "candidate_line",
                "field_label",
                "field_value",
                "declined_label",
                "declined_reason",
                "outcome_label",
                "candidate_question",
                "flagged_turn",
                "level_competency",
                "anchor",
                "review_reason",
                "job_description",
                "job_skill",
                "custom_question",
                "field_key",
                "field_val",
                "profile_key",
                "profile_val",
                "notes",
                "resume",
                "live_stage",
                "live_agent_state",
                "live_speaker",
                "live_line",
                *COMPLIANCE,
            ]
        )
    }
    email = tight("mail")
    missing = "notice_period"  # field names are field specs' names (unknown ones are refused)
    candidate = live_server.api(
        "POST",
        "/api/candidates",
        json={
            "name": h["candidate_name"],
            "email": email,
            "extracted_data": {h["field_key"]: h["field_val"]},
            "profile": {h["profile_key"]: h["profile_val"]},
            "missing_required": [missing],
            "notes": h["notes"],
            "resume_summary": h["resume"],
        },
    )
    job = live_server.api(
        "POST",
        "/api/jobs",
        json={
            "title": h["job_title"],
            "level": h["job_level"],
            "plan": "mock",
            "description": h["job_description"],
            "required_skills": [h["job_skill"]],
            "custom_questions": [
                {
                    "id": "custom.hostile",
                    "text": h["custom_question"],
                    "rubric": [
                        {
                            "competency": "ownership",
                            "indicators": [{"kind": "content", "text": "their own part"}],
                        }
                    ],
                }
            ],
        },
    )
    created = live_server.api(
        "POST",
        "/api/interviews",
        json={"candidate_id": candidate["id"], "job_id": job["id"], "plan": "mock"},
    )
    interview_id = created["interview"]["id"]
    call = live_server.api(
        "POST",
        "/api/interviews",
        json={"candidate_id": candidate["id"], "job_id": job["id"], "mode": "gap_filling"},
    )
    second = live_server.api(  # compared side by side with the first
        "POST",
        "/api/interviews",
        json={"candidate_id": candidate["id"], "job_id": job["id"], "plan": "mock"},
    )["interview"]["id"]
    room = created["interview"]["room_name"]
    res = httpx.post(
        f"{live_server.url}/api/accommodations/{room}",
        json={"kind": "other", "note": h["accommodation_note"]},
    )
    assert res.status_code == 201, res.text
    endpoint = live_server.api(
        "POST",
        "/api/webhooks/endpoints",
        json={"url": "http://127.0.0.1:9/hooks", "description": h["endpoint_description"]},
    )

    ctx = launch(playwright_driver, tmp_path / "profile", FULFILLED_PAGE_ARGS)
    try:
        page = ctx.new_page()
        page.add_init_script(INIT + CSP_WATCH)
        dialogs: list[str] = []

        def on_dialog(dialog: Any) -> None:
            dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.add_init_script(
            f"sessionStorage.setItem('voicehire.adminToken', {json.dumps(ADMIN_TOKEN)})"
        )
        serve(
            page,
            rf"/api/interviews/{interview_id}/result$",
            {"interview_id": interview_id, "result": evaluation(interview_id, h)},
        )
        serve(
            page,
            rf"/api/interviews/{interview_id}/transcripts$",
            [{"id": "t-full", "kind": "full", "name": "full.json"}],
        )
        serve(
            page,
            rf"/api/interviews/{interview_id}/transcripts/t-full$",
            {"id": "t-full", "kind": "full", "name": "full.json", "document": transcript(h)},
        )
        serve(
            page,
            rf"/api/interviews/{second}/result$",
            {"interview_id": second, "result": evaluation(second, h)},
        )
        # a running session's live view: its frames carry the strings
        frames = [
            {
                "type": "session",
                "room": "r",
                "interviewId": interview_id,
                "sessionType": "ai_interview",
                "started": True,
                "ended": False,
                "endReason": None,
                "agentState": h["live_agent_state"],
                "yourTurn": False,
                "stage": {
                    "type": "stage",
                    "stage": "intro",
                    "title": h["live_stage"],
                    "index": 0,
                    "total": 2,
                    "timestamp": 1,
                },
                "hearing": False,
                "voice": False,
                "epoch": "e",
                "lastSeq": 1,
            },
            {
                "type": "data",
                "seq": 1,
                "topic": "transcription",
                "message": {
                    "type": "transcription",
                    "participantId": "c",
                    "participantName": h["live_speaker"],
                    "message": h["live_line"],
                    "timestamp": 1,
                    "isAI": False,
                    "stage": "intro",
                },
            },
        ]
        serve(
            page,
            rf"/api/interviews/{interview_id}/live$",
            {
                "interview_id": interview_id,
                "status": "in_progress",
                "running": True,
                "transport": "local",
                "events_url": f"/api/interviews/{interview_id}/live/events",
            },
        )
        page.route(
            re.compile(rf"/api/interviews/{interview_id}/live/events$"),
            lambda route: route.fulfill(
                status=200,
                content_type="text/event-stream",
                body="".join(f"data: {json.dumps(f)}\n\n" for f in frames),
            ),
        )
        call_id = call["interview"]["id"]
        serve(
            page,
            rf"/api/interviews/{call_id}/result$",
            {"interview_id": call_id, "result": call_result(h)},
        )
        serve_compliance(page, job["id"], h)

        # The list: names and job titles (also inside each row's aria-label).
        open_with_policy(page, f"{live_server.url}/app#/interviews")
        row = page.locator(f'tr[data-id="{interview_id}"]')
        expect(row).to_be_visible()
        link = row.locator("a").first
        assert link.get_attribute("aria-label") == f"Open interview with {h['candidate_name']}"
        assert_inert(
            page, {"candidate_name": h["candidate_name"], "job_title": h["job_title"]}, "list"
        )

        # The new-interview form lists candidates and jobs by name.
        page.goto(f"{live_server.url}/app#/new")
        expect(page.locator("#cand-select option", has_text="t0")).to_have_count(1)
        options = "".join(page.locator("#cand-select, #job-select").all_inner_texts())
        for value in (h["candidate_name"], email, h["job_title"], h["job_level"]):
            assert value in options
        assert page.evaluate("window.pwned") == []

        # The interview: details, the evaluation with its chart, evidence, override, transcript.
        page.goto(f"{live_server.url}/app#/interviews/{interview_id}")
        expect(page.locator("#override-current")).to_be_visible(timeout=15_000)
        expect(page.locator("#transcript .turn").first).to_be_visible(timeout=15_000)
        chart = page.get_by_role("img", name=re.compile("Scores per competency"))
        aria = chart.get_attribute("aria-label") or ""
        assert h["competency"] in aria and h["competency2"] in aria  # one attribute, verbatim
        assert chart.locator(".fill").nth(1).evaluate("e => e.style.width") == "100%"  # clamped
        # Not on this page: the result's own copies of names, the job level, a call's fields,
        # the job's and the candidate's own pages.
        elsewhere = {
            *("plan_id", "role", "participant_name", "job_level"),
            *CALL_FIELDS,
            *PAGES,
            *COMPLIANCE,
        }
        shown = {k: v for k, v in h.items() if k not in elsewhere}
        assert_inert(page, {**shown, "email": email}, "interview detail")

        # The report at its own URL: the evaluation again, with the transcript.
        page.goto(f"{live_server.url}/app#/interviews/{interview_id}/report")
        expect(page.locator("#transcript .turn").first).to_be_visible(timeout=15_000)
        report = {k: v for k, v in shown.items() if k not in {"job_title"}}
        assert_inert(page, report, "report page")

        # Two candidates side by side: names, competencies, flags.
        page.goto(f"{live_server.url}/app#/compare?job={job['id']}&ids={interview_id},{second}")
        expect(page.locator("#comparison")).to_be_visible(timeout=15_000)
        compared = ("candidate_name", "job_title", "competency", "competency2", "flag", "flag2")
        assert_inert(page, {k: h[k] for k in compared}, "comparison")

        # The live view of a running interview: stage, the interviewer's state, captions.
        page.goto(f"{live_server.url}/app#/interviews/{interview_id}/live")
        expect(page.locator("#live-captions .turn")).to_have_count(1, timeout=15_000)
        live = ("candidate_name", "live_stage", "live_agent_state", "live_speaker", "live_line")
        assert_inert(page, {k: h[k] for k in live}, "live view")

        # The job's page: description, skills, custom questions.
        page.goto(f"{live_server.url}/app#/jobs/{job['id']}")
        expect(page.locator("#custom-questions")).to_be_visible(timeout=15_000)
        assert_inert(
            page,
            {
                k: h[k]
                for k in (
                    "job_title",
                    "job_level",
                    "job_description",
                    "job_skill",
                    "custom_question",
                )
            },
            "job page",
        )
        # its bias audit: the API's notice and group labels (chart and table)
        expect(page.locator("#bias-table")).to_be_visible(timeout=15_000)
        assert_inert(page, {k: h[k] for k in ("audit_notice", "audit_label")}, "bias audit")
        assert h["selfid_category"] in page.locator("#bias-category").inner_text()
        page.goto(f"{live_server.url}/app#/jobs")
        expect(page.get_by_role("heading", name="New job")).to_be_visible()
        assert_inert(page, {"job_title": h["job_title"]}, "jobs list")

        # The candidate's page: profile, fields and their gap-filling status, sessions.
        page.goto(f"{live_server.url}/app#/candidates/{candidate['id']}")
        expect(page.locator("#candidate-fields")).to_be_visible(timeout=15_000)
        expect(page.locator("#personal-data #accommodations")).to_be_visible(timeout=15_000)
        page.get_by_role("button", name="Delete candidate…").click()
        expect(page.get_by_role("dialog")).to_be_visible()
        assert_inert(
            page,
            {"candidate_name": h["candidate_name"], "note": h["accommodation_note"]},
            "delete dialog",
        )
        page.get_by_role("button", name="Cancel").click()
        assert_inert(
            page,
            {
                **{k: h[k] for k in ("candidate_name", "field_key", "field_val", "profile_key")},
                **{k: h[k] for k in ("profile_val", "notes", "resume", "job_title")},
                "email": email,
            },
            "candidate page",
        )
        page.goto(f"{live_server.url}/app#/candidates")
        expect(page.get_by_role("heading", name="Candidates", exact=True)).to_be_visible()
        assert_inert(page, {"candidate_name": h["candidate_name"], "email": email}, "candidates")

        # Personal data: the accommodation requests (the candidate's own note) and the log.
        page.goto(f"{live_server.url}/app#/privacy")
        expect(page.locator("#accommodations")).to_be_visible(timeout=15_000)
        assert_inert(
            page,
            {"candidate_name": h["candidate_name"], "note": h["accommodation_note"]},
            "personal data",
        )

        # Webhooks: endpoints (description) and deliveries (event, URL, error).
        page.goto(f"{live_server.url}/app#/webhooks")
        expect(page.locator("#deliveries")).to_be_visible(timeout=15_000)
        assert_inert(
            page,
            {
                k: h[k]
                for k in (
                    "endpoint_description",
                    "delivery_event",
                    "delivery_url",
                    "delivery_error",
                )
            },
            "webhooks",
        )

        # A call's result: field labels, spoken values and reasons.
        page.goto(f"{live_server.url}/app#/interviews/{call_id}")
        expect(page.get_by_role("heading", name="Call result")).to_be_visible(timeout=15_000)
        assert_inert(
            page,
            {k: h[k] for k in CALL_FIELDS},
            "call result",
        )

        # The candidate's page greets them by the stored name and shows the job title.
        open_with_policy(page, created["join"]["join_url"])
        expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()
        assert_inert(page, {"candidate_name": h["candidate_name"]}, "candidate page")
        assert h["job_title"] in page.locator("#header-role").inner_text()
        # the AI-use notice and the accommodation request's options
        expect(page.locator("#ai-notice")).to_be_visible()
        page.get_by_role("button", name="Request an accommodation").click()
        assert_inert(
            page,
            {
                k: h[k]
                for k in (
                    "ai_notice",
                    "org_notice",
                    "accommodation_contact",
                    "accommodation_option",
                )
            },
            "candidate notice",
        )
        # the finished interview's optional self-identification question
        page.route(re.compile(rf"/api/web/join/{re.escape(room)}$"), _finished)
        page.reload()
        expect(page.locator("#selfid-form")).to_be_visible(timeout=15_000)
        assert_inert(page, {k: h[k] for k in ("selfid_notice", "selfid_category")}, "self-id")
        assert h["selfid_option"] in "".join(page.locator("#selfid-form select").all_inner_texts())
        assert dialogs == []
    finally:
        ctx.close()
        httpx.delete(
            f"{live_server.url}/api/webhooks/endpoints/{endpoint['id']}",
            headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
        )


def _finished(route: Route) -> None:
    """The join document as it is, with the interview finished."""
    response = route.fetch()
    body = response.json()
    body["status"] = "completed"
    route.fulfill(response=response, body=json.dumps(body))


def serve_compliance(page: Page, job_id: str, h: dict[str, str]) -> None:
    """The API's fixed texts (bias audit, notices, the self-identification question) and a
    delivery log, each with markup in every string."""
    group = {
        "decided": 5,
        "selected": 4,
        "pending": 0,
        "selection_rate": 0.8,
        "impact_ratio": 1.0,
        "below_four_fifths": False,
        "small_group": False,
    }
    serve(
        page,
        rf"/api/jobs/{job_id}/bias-audit\?",
        {
            "job_id": job_id,
            "category": "sex",
            "notice": h["audit_notice"],
            "groups": [{**group, "group": "female", "label": h["audit_label"]}],
        },
    )
    serve(
        page,
        r"/api/self-identification$",
        {
            "notice": h["selfid_notice"],
            "categories": [
                {
                    "category": "sex",
                    "label": h["selfid_category"],
                    "options": [{"value": "female", "label": h["selfid_option"]}],
                }
            ],
        },
    )
    serve(
        page,
        r"/api/candidate-notice$",
        {
            "ai_notice": h["ai_notice"],
            "notice": h["org_notice"],
            "accommodation_contact": h["accommodation_contact"],
            "accommodation_options": [{"value": "other", "label": h["accommodation_option"]}],
        },
    )
    delivery = {
        "id": "whd_hostile",
        "event_id": "evt_hostile",
        "event_type": h["delivery_event"],
        "endpoint_id": "whe_hostile",
        "url": h["delivery_url"],
        "status": "failed",
        "attempts": 10,
        "max_attempts": 10,
        "next_attempt_at": None,
        "last_status_code": 500,
        "last_error": h["delivery_error"],
        "replay_of": None,
        "created_at": "2026-11-28T10:00:00+00:00",
        "delivered_at": None,
    }
    serve(
        page,
        r"/api/webhooks/deliveries\?",
        {"items": [delivery], "total": 1, "limit": 100, "offset": 0},
    )
