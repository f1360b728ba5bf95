"""Deciding from the list: search, filters on outcome and decision, sorting by score and
duration, the same list as CSV, and one report as a PDF a person can open."""

from __future__ import annotations

import csv
import io

import pypdf

from tests.api.support import ADMIN, m2m_headers


async def _interview(client, name, role):
    cand = await client.post("/api/candidates", json={"name": name}, headers=ADMIN)
    job = await client.post("/api/jobs", json={"title": role, "plan": "mock"}, headers=ADMIN)
    body = {"candidate_id": cand.json()["id"], "job_id": job.json()["id"], "plan": "mock"}
    res = await client.post("/api/interviews", json=body, headers=ADMIN)
    assert res.status_code == 201, res.text
    return res.json()["interview"]


def _evaluation(iid, score, recommendation, review=False):
    return {
        "interview_id": iid,
        "plan_id": "full",
        "participant_name": "ignored",
        "scorer": {"kind": "offline", "name": "minilm-keypoint-coverage"},
        "outcome": "completed",
        "outcome_label": "Completed",
        "answers": [
            {
                "question_id": "intro.about_you",
                "stage": "self_introduction",
                "question_text": "Tell me about yourself.",
                "answer_text": "I build data pipelines with Spark and Airflow.",
                "evidence": ["data pipelines with Spark"],
                "competency_levels": {"technical_accuracy": 4.0},
                "scores": {"overall": score},
            }
        ],
        "summary": {
            "overall_score": score,
            "recommendation": recommendation,
            "needs_human_review": review,
            "confidence": 0.5 if review else 0.9,
            "competency_scores": {"technical_accuracy": score},
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


async def _finish(client, agent, iv, doc=None, end_reason="completed"):
    url = f"/api/agent/interviews/{iv['id']}/status"
    await client.post(url, json={"status": "in_progress"}, headers=agent)
    res = await client.post(
        url, json={"status": "completed", "end_reason": end_reason}, headers=agent
    )
    assert res.status_code == 200, res.text
    if doc:
        url = f"/api/agent/interviews/{iv['id']}/result"
        assert (await client.put(url, json={"result": doc}, headers=agent)).status_code == 200


async def _seed(client):
    agent = await m2m_headers(client)
    ada = await _interview(client, "Ada Lovelace", "Data Engineer")
    bob = await _interview(client, "Bob Stone", "Product Manager")
    cy = await _interview(client, '=HYPERLINK("http://x")', "Data Engineer")
    dee = await _interview(client, "Dee Quit", "Data Engineer")
    await _finish(client, agent, ada, _evaluation(ada["id"], 8.2, "hire"))
    await _finish(client, agent, bob, _evaluation(bob["id"], 5.1, "needs_review", review=True))
    await _finish(client, agent, dee, end_reason="candidate_request")
    return {"ada": ada, "bob": bob, "cy": cy, "dee": dee}


def _names(body):
    return [i["metadata"]["candidateName"] for i in body["items"]]


async def test_search_filters_and_sorting(client):
    s = await _seed(client)

    async def get(**params):
        res = await client.get("/api/interviews", params=params, headers=ADMIN)
        assert res.status_code == 200, res.text
        return res.json()

    assert _names(await get(q="ada")) == ["Ada Lovelace"]
    assert _names(await get(q="data LOVELACE")) == ["Ada Lovelace"]  # every word, any field
    assert set(_names(await get(q="data engineer"))) == {
        "Ada Lovelace",
        s["cy"]["metadata"]["candidateName"],
        "Dee Quit",
    }
    assert _names(await get(outcome="by_request")) == ["Dee Quit"]
    assert _names(await get(recommendation="needs_review")) == ["Bob Stone"]
    by_score = await get(sort="score", order="desc")
    assert _names(by_score)[:2] == ["Ada Lovelace", "Bob Stone"]  # unscored rows last
    assert by_score["total"] == 4
    assert _names(await get(sort="score", order="asc"))[:2] == ["Bob Stone", "Ada Lovelace"]
    page = await get(sort="candidate", order="asc", limit=2, offset=1)
    assert page["total"] == 4 and len(page["items"]) == 2
    # a human decision changes what the decision filter finds
    await client.post(
        f"/api/web/interviews/{s['bob']['id']}/override",
        json={"recommendation": "hire", "note": "strong in the follow-up call"},
        headers=ADMIN,
    )
    assert set(_names(await get(recommendation="hire"))) == {"Ada Lovelace", "Bob Stone"}
    assert _names(await get(recommendation="needs_review")) == []
    ada = (await get(q="ada"))["items"][0]
    assert ada["duration_seconds"] is not None and ada["duration_seconds"] >= 0
    assert (await client.get("/api/interviews?sort=nonsense", headers=ADMIN)).status_code == 422


async def test_csv_export_has_the_filtered_rows_and_no_formulas(client):
    s = await _seed(client)
    res = await client.get(
        "/api/interviews/export.csv", params={"q": "data", "sort": "score"}, headers=ADMIN
    )
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("text/csv")
    assert "attachment" in res.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(res.content.decode("utf-8-sig"))))
    assert rows[0]["Candidate"] == "Ada Lovelace"
    assert {r["Role"] for r in rows} == {"Data Engineer"} and len(rows) == 3
    ada = rows[0]
    assert ada["Overall score (0-10)"] == "8.2" and ada["Machine recommendation"] == "Hire"
    assert ada["Outcome"] == "Completed" and ada["Interview id"] == s["ada"]["id"]
    formula = next(r for r in rows if "HYPERLINK" in r["Candidate"])
    assert formula["Candidate"].startswith("'=")  # shown as text by a spreadsheet
    dee = next(r for r in rows if r["Candidate"] == "Dee Quit")
    assert "request" in dee["Outcome"]
    assert (await client.get("/api/interviews/export.csv")).status_code == 401


async def test_report_pdf_opens_and_reads_in_words(client):
    s = await _seed(client)
    await client.post(
        f"/api/web/interviews/{s['ada']['id']}/override",
        json={"recommendation": "maybe", "note": "wants a second opinion", "by": "Kim"},
        headers=ADMIN,
    )
    res = await client.get(f"/api/interviews/{s['ada']['id']}/report.pdf", headers=ADMIN)
    assert res.status_code == 200 and res.headers["content-type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(res.content))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    for expected in (
        "Ada Lovelace",
        "Data Engineer",
        "Human decision: Maybe by Kim",
        "Machine recommendation: Hire",
        "8.2",
        "Technical accuracy",
        "Self-introduction",
        "data pipelines with Spark",
        "What's the most difficult problem",  # a question not asked, by its text
    ):
        assert expected in text, expected
    for internal in (
        "self_introduction",
        "intro.about_you",
        "minilm-keypoint-coverage",
        "exp.challenge",
    ):
        assert internal not in text
    # no evaluation yet: a clear 404
    missing = await client.get(f"/api/interviews/{s['cy']['id']}/report.pdf", headers=ADMIN)
    assert missing.status_code == 404 and "no evaluation" in missing.json()["message"]
