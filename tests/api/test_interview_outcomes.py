"""The interview record says what happened and what was decided: an outcome label for
every way an interview ends, and the evaluation's headline (score, recommendation,
"needs review", the human override) in the list a recruiter decides from."""

from __future__ import annotations

import pytest

from tests.api.support import ADMIN, m2m_headers


async def _interview(client):
    cand = await client.post("/api/candidates", json={"name": "Ana Ruiz"}, headers=ADMIN)
    body = {"candidate_id": cand.json()["id"], "plan": "mock"}
    res = await client.post("/api/interviews", json=body, headers=ADMIN)
    return res.json()["interview"]


async def _end(client, agent, iid, status, end_reason=None):
    url = f"/api/agent/interviews/{iid}/status"
    if status == "completed":
        await client.post(url, json={"status": "in_progress"}, headers=agent)
    res = await client.post(url, json={"status": status, "end_reason": end_reason}, headers=agent)
    assert res.status_code == 200, res.text


@pytest.mark.parametrize(
    ("status", "end_reason", "outcome", "label_word"),
    [
        ("completed", "completed", "completed", "Completed"),
        ("completed", "candidate_request", "by_request", "request"),
        ("completed", "candidate_unresponsive", "unresponsive", "unresponsive"),
        ("completed", "candidate_left", "abandoned", "Abandoned"),
        ("completed", "max_duration", "ended_early", "early"),
        ("cancelled", "candidate_no_show", "no_show", "No-show"),
        ("cancelled", "cancelled_by_admin", "cancelled", "Cancelled"),
    ],
)
async def test_every_ending_has_its_own_outcome(client, status, end_reason, outcome, label_word):
    agent = await m2m_headers(client)
    iv = await _interview(client)
    assert iv["outcome"] is None and iv["verdict"] is None  # scheduled: nothing happened yet
    await _end(client, agent, iv["id"], status, end_reason)
    got = (await client.get(f"/api/interviews/{iv['id']}", headers=ADMIN)).json()
    assert got["outcome"] == outcome
    assert label_word in got["outcome_label"]
    listed = (await client.get("/api/interviews", headers=ADMIN)).json()["items"]
    assert [i["outcome"] for i in listed if i["id"] == iv["id"]] == [outcome]


def _evaluation(iid, score, recommendation, *, asked=4, answered=4, review=False, flags=()):
    return {
        "interview_id": iid,
        "scorer": {"kind": "offline", "name": "test"},
        "created_at": "2026-11-28T10:00:00Z",
        "flags": list(flags),
        "summary": {
            "overall_score": score,
            "recommendation": recommendation,
            "confidence": 0.55 if review else 0.9,
            "needs_human_review": review,
            "questions_asked": asked,
            "questions_answered": answered,
        },
    }


async def test_the_list_carries_the_verdict_and_the_human_decision(client):
    agent = await m2m_headers(client)
    sure, unsure = await _interview(client), await _interview(client)
    for iv, doc in (
        (sure, _evaluation(sure["id"], 8.1, "hire")),
        (
            unsure,
            _evaluation(unsure["id"], 6.2, "needs_review", review=True, flags=["duplicate_text"]),
        ),
    ):
        await _end(client, agent, iv["id"], "completed", "completed")
        url = f"/api/agent/interviews/{iv['id']}/result"
        assert (await client.put(url, json={"result": doc}, headers=agent)).status_code == 200
    # a recruiter overrides the unsure one
    res = await client.post(
        f"/api/web/interviews/{unsure['id']}/override",
        json={"recommendation": "no_hire", "note": "copied answers"},
        headers=ADMIN,
    )
    assert res.status_code == 200, res.text
    items = {
        i["id"]: i for i in (await client.get("/api/interviews", headers=ADMIN)).json()["items"]
    }
    assert items[sure["id"]]["verdict"] == {
        "overall_score": 8.1,
        "recommendation": "hire",
        "needs_human_review": False,
        "confidence": 0.9,
        "override": None,
        "decision": "hire",
        "flags": [],
    }
    v = items[unsure["id"]]["verdict"]
    assert v["recommendation"] == "needs_review" and v["needs_human_review"] is True
    assert v["override"] == "no_hire" and v["decision"] == "no_hire"
    assert v["flags"] == ["duplicate_text"]


async def test_completed_without_a_single_answer_is_unresponsive(client):
    agent = await m2m_headers(client)
    iv = await _interview(client)
    await _end(client, agent, iv["id"], "completed", "completed")
    doc = _evaluation(iv["id"], None, "needs_review", asked=5, answered=0, review=True)
    url = f"/api/agent/interviews/{iv['id']}/result"
    assert (await client.put(url, json={"result": doc}, headers=agent)).status_code == 200
    got = (await client.get(f"/api/interviews/{iv['id']}", headers=ADMIN)).json()
    assert got["outcome"] == "unresponsive"
    assert got["verdict"]["overall_score"] is None
