"""A candidate's data on request (export, deletion from every store with a record that
keeps no personal data) and the retention purge, run on a fake clock."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

from tests.api.support import ADMIN, api_client, m2m_headers, make_settings


async def _finished_interview(client, agent, name: str) -> tuple[dict, dict]:
    cand = (await client.post("/api/candidates", json={"name": name}, headers=ADMIN)).json()
    body = {"candidate_id": cand["id"], "plan": "mock"}
    iv = (await client.post("/api/interviews", json=body, headers=ADMIN)).json()["interview"]
    base = f"/api/agent/interviews/{iv['id']}"
    await client.post(f"{base}/status", json={"status": "in_progress"}, headers=agent)
    full = {"sessionInfo": {}, "stages": [], "fullConversation": [{"message": f"I am {name}"}]}
    doc = {"kind": "full", "name": f"interview_{iv['id']}_full_1.json", "document": full}
    assert (await client.post(f"{base}/transcripts", json=doc, headers=agent)).status_code == 201
    await client.post(
        f"{base}/status", json={"status": "completed", "end_reason": "completed"}, headers=agent
    )
    result = {
        "interview_id": iv["id"],
        "participant_name": name,
        "scorer": {"kind": "offline", "name": "test"},
        "summary": {"overall_score": 7.0, "recommendation": "hire", "confidence": 0.8},
    }
    res = await client.put(f"{base}/result", json={"result": result}, headers=agent)
    assert res.status_code == 200, res.text
    return cand, iv


def _files(tmp_path, iid: str) -> list:
    paths = [
        tmp_path / "transcripts" / f"interview_{iid}_stage_intro_1.json",
        tmp_path / "transcripts" / f"interview_{iid}_full_1.json",
        tmp_path / "reports" / f"interview_{iid}.html",
        tmp_path / "reports" / f"interview_{iid}.json",
    ]
    for p in paths:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("{}")
    return paths


async def test_export_then_delete_everything_about_a_candidate(tmp_path) -> None:
    settings = make_settings(
        tmp_path, transcript_dir=tmp_path / "transcripts", report_dir=tmp_path / "reports"
    )
    async with api_client(settings) as client:
        agent = await m2m_headers(client)
        cand, iv = await _finished_interview(client, agent, "Zofia Nowak")
        other_cand, other = await _finished_interview(client, agent, "Kai Berg")
        mine, theirs = _files(tmp_path, iv["id"]), _files(tmp_path, other["id"])
        res = await client.put(
            f"/api/self-identification/{iv['room_name']}", json={"answers": {"sex": "female"}}
        )
        assert res.status_code == 204

        res = await client.get(f"/api/candidates/{cand['id']}/export", headers=ADMIN)
        assert res.status_code == 200 and "attachment" in res.headers["content-disposition"]
        export = res.json()
        assert export["candidate"]["name"] == "Zofia Nowak"
        assert export["self_identification"] == {"sex": "female"}
        [exported] = export["interviews"]
        assert exported["result"]["summary"]["overall_score"] == 7.0
        assert "I am Zofia Nowak" in json.dumps(exported["transcripts"])
        assert "Kai Berg" not in res.text

        res = await client.delete(f"/api/candidates/{cand['id']}", headers=ADMIN)
        assert res.status_code == 200, res.text
        counts = res.json()["counts"]
        assert counts["candidates"] == 1 and counts["interviews"] == 1
        assert counts["transcripts"] == 1 and counts["results"] == 1
        assert counts["transcripts_files"] == 2 and counts["reports_files"] == 2
        assert not any(p.exists() for p in mine)
        assert all(p.exists() for p in theirs)  # nobody else's data is touched
        for url in (f"/api/candidates/{cand['id']}", f"/api/interviews/{iv['id']}"):
            assert (await client.get(url, headers=ADMIN)).status_code == 404
        assert (await client.get(f"/api/interviews/{other['id']}/result", headers=ADMIN)).is_success
        # the record says what was deleted, never whose
        log = (await client.get("/api/deletions", headers=ADMIN)).text
        assert "candidate_request" in log
        for secret in ("Zofia", "Nowak", cand["id"], iv["id"], iv["room_name"]):
            assert secret not in log
        assert (
            await client.delete(f"/api/candidates/{cand['id']}", headers=ADMIN)
        ).status_code == 404
        assert other_cand["id"] in (await client.get("/api/candidates", headers=ADMIN)).text


async def test_retention_purges_old_documents_on_its_schedule(tmp_path) -> None:
    settings = make_settings(
        tmp_path,
        transcript_dir=tmp_path / "transcripts",
        report_dir=tmp_path / "reports",
        retention_transcript_days=30,
    )
    async with api_client(settings) as client:
        agent = await m2m_headers(client)
        _, iv = await _finished_interview(client, agent, "Ana Lima")
        files = _files(tmp_path, iv["id"])
        task = client.app.state.retention
        task.clock = lambda: datetime.now(UTC) + timedelta(days=29)
        assert await task.run_once() is None  # not due yet
        assert (await client.get(f"/api/interviews/{iv['id']}/transcripts", headers=ADMIN)).json()

        task.clock = lambda: datetime.now(UTC) + timedelta(days=31)
        record = await task.run_once()
        assert record is not None and record.counts["transcripts"] == 1
        assert (
            await client.get(f"/api/interviews/{iv['id']}/transcripts", headers=ADMIN)
        ).json() == []
        assert not files[0].exists() and not files[1].exists()
        # reports have no retention period here: kept, and the interview record stays
        assert files[2].exists() and files[3].exists()
        got = (await client.get(f"/api/interviews/{iv['id']}", headers=ADMIN)).json()
        assert got["outcome"] == "completed" and got["verdict"]["recommendation"] == "hire"
        # the purge on demand finds nothing more to do
        assert (await client.post("/api/retention/purge", headers=ADMIN)).json() is None
        assert "retention" in (await client.get("/api/deletions", headers=ADMIN)).text


async def test_the_schedule_runs_while_the_api_serves(tmp_path) -> None:
    settings = make_settings(
        tmp_path,
        transcript_dir=tmp_path / "transcripts",
        retention_transcript_days=1,
        retention_purge_interval=0.05,
    )
    async with api_client(settings) as client:
        agent = await m2m_headers(client)
        _, iv = await _finished_interview(client, agent, "Ana Lima")
        client.app.state.retention.clock = lambda: datetime.now(UTC) + timedelta(days=2)
        for _ in range(100):
            listed = await client.get(f"/api/interviews/{iv['id']}/transcripts", headers=ADMIN)
            if listed.json() == []:
                break
            await asyncio.sleep(0.05)
        assert listed.json() == []
