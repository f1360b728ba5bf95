"""The candidate is told that an AI conducts and scores the interview, and can ask for
another format or a person instead; the hiring team sees the requests."""

from __future__ import annotations

from tests.api.support import ADMIN, api_client, make_settings


async def _room(client) -> tuple[str, str, str]:
    cand = (await client.post("/api/candidates", json={"name": "Rui"}, headers=ADMIN)).json()
    iv = (
        await client.post("/api/interviews", json={"candidate_id": cand["id"]}, headers=ADMIN)
    ).json()["interview"]
    return cand["id"], iv["id"], iv["room_name"]


async def test_the_candidate_can_ask_for_a_person_instead(client) -> None:
    notice = (await client.get("/api/candidate-notice")).json()
    assert "AI interviewer" in notice["ai_notice"] and "person" in notice["ai_notice"]
    assert {o["value"] for o in notice["accommodation_options"]} >= {
        "alternative_format",
        "human_interview",
    }
    cand_id, iid, room = await _room(client)
    res = await client.post(
        f"/api/accommodations/{room}",
        json={"kind": "human_interview", "note": "I use a speech device"},
    )
    assert res.status_code == 201, res.text
    listed = (await client.get("/api/accommodations", headers=ADMIN)).json()
    assert [(r["interview_id"], r["candidate_id"], r["kind"]) for r in listed] == [
        (iid, cand_id, "human_interview")
    ]
    assert "person" in listed[0]["kind_label"] and listed[0]["note"] == "I use a speech device"
    assert listed[0]["candidate_name"] == "Rui"  # the hiring team sees who asked
    assert res.json()["candidate_name"] is None  # the link's answer does not say whose it is
    # one candidate's requests (the candidate's page)
    other_id, _, other_room = await _room(client)
    await client.post(f"/api/accommodations/{other_room}", json={"kind": "alternative_format"})
    mine = await client.get(f"/api/accommodations?candidate_id={cand_id}", headers=ADMIN)
    assert [r["candidate_id"] for r in mine.json()] == [cand_id]
    assert len((await client.get("/api/accommodations", headers=ADMIN)).json()) == 2
    # in the candidate's export, and gone with their data
    export = (await client.get(f"/api/candidates/{cand_id}/export", headers=ADMIN)).json()
    assert export["interviews"][0]["accommodation_requests"][0]["kind"] == "human_interview"
    res = await client.delete(f"/api/candidates/{cand_id}", headers=ADMIN)
    assert res.json()["counts"]["accommodation_requests"] == 1
    left = (await client.get("/api/accommodations", headers=ADMIN)).json()
    assert [r["candidate_id"] for r in left] == [other_id]


async def test_bad_requests_are_refused(client) -> None:
    _, _, room = await _room(client)
    for body in ({"kind": "skip_it"}, {"kind": "other", "note": "x\x00"}, {}):
        res = await client.post(f"/api/accommodations/{room}", json=body)
        assert res.status_code == 422 and res.json()["problems"], body
    res = await client.post("/api/accommodations/no-such-room", json={"kind": "other"})
    assert res.status_code == 404
    assert (await client.get("/api/accommodations")).status_code == 401


async def test_the_notices_are_configurable(tmp_path) -> None:
    settings = make_settings(
        tmp_path,
        ai_notice_text="Nuestro entrevistador es una IA.",
        candidate_notice_text="Privacy: see example.com/privacy",
        accommodation_contact="access@example.com",
    )
    async with api_client(settings) as client:
        notice = (await client.get("/api/candidate-notice")).json()
    assert notice["ai_notice"] == "Nuestro entrevistador es una IA."
    assert notice["notice"] == "Privacy: see example.com/privacy"
    assert notice["accommodation_contact"] == "access@example.com"
