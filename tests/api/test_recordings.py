"""The API's links to an interview's recording and stored files: the recording streams
with Range (seeking) from RECORDING_DIR, or redirects to a presigned URL of the bucket;
every object stored for the interview gets a presigned URL."""

from __future__ import annotations

import httpx

from tests.api.support import ADMIN, api_client, make_settings
from tests.s3_server import make_bucket, new_bucket
from voicehire.storage.objects import recording_key, recording_path

OGG = b"OggS" + bytes(range(256)) * 40  # stands in for the recorded file's bytes


async def new_interview(client, **body):
    cand = (await client.post("/api/candidates", json={"name": "Ana"}, headers=ADMIN)).json()
    res = await client.post(
        "/api/interviews", json={"candidate_id": cand["id"], **body}, headers=ADMIN
    )
    assert res.status_code == 201, res.text
    return res.json()["interview"]


async def test_enable_recording_reaches_the_agents_metadata(client):
    interview = await new_interview(client, enable_recording=True)
    assert interview["metadata"]["enableRecording"] is True
    plain = await new_interview(client)
    assert plain["metadata"]["enableRecording"] is False


async def test_a_local_recording_streams_with_range_for_seeking(tmp_path):
    settings = make_settings(tmp_path, recording_dir=tmp_path / "recordings")
    async with api_client(settings) as client:
        interview = await new_interview(client, enable_recording=True)
        url = f"/api/interviews/{interview['id']}/recording"
        missing = await client.get(url, headers=ADMIN)
        assert missing.status_code == 404
        assert "enableRecording" in missing.json()["message"]

        path = recording_path(settings, interview["id"])
        path.parent.mkdir(parents=True)
        path.write_bytes(OGG)
        whole = await client.get(url, headers=ADMIN)
        assert whole.status_code == 200 and whole.content == OGG
        assert whole.headers["content-type"] == "audio/ogg"
        assert whole.headers["accept-ranges"] == "bytes"
        part = await client.get(url, headers={**ADMIN, "Range": "bytes=1000-1099"})
        assert part.status_code == 206 and part.content == OGG[1000:1100]
        assert part.headers["content-range"] == f"bytes 1000-1099/{len(OGG)}"
        assert (await client.get(url)).status_code == 401

        link = (await client.get(f"{url}/url", headers=ADMIN)).json()
        assert link == {
            "url": f"http://voicehire.test{url}",
            "stored_in": "local",
            "expires_in": None,
        }
        no_bucket = await client.get(f"/api/interviews/{interview['id']}/files", headers=ADMIN)
        assert no_bucket.status_code == 409
        assert "TRANSCRIPT_BUCKET" in no_bucket.json()["message"]


async def test_files_in_the_bucket_get_presigned_urls(s3_server, tmp_path):
    settings = make_settings(
        tmp_path,
        recording_dir=tmp_path / "recordings",
        **s3_server.settings_overrides(new_bucket(), tmp_path / "spool"),
    )
    store = await make_bucket(settings)
    async with api_client(settings) as client:
        interview = await new_interview(client, enable_recording=True)
        iid = interview["id"]
        other = await new_interview(client)
        await store.put(recording_key(iid), OGG)
        await store.put(f"transcripts/interview_{iid}_stage_intro_1.json", b"{}")
        await store.put(f"transcripts/interview_{iid}_full_2.json", b'{"full": true}')
        await store.put(f"reports/interview_{iid}.html", b"<p>report</p>")
        await store.put(f"transcripts/interview_{other['id']}_full_3.json", b"{}")

        # not in RECORDING_DIR: the API sends the player to the bucket
        res = await client.get(f"/api/interviews/{iid}/recording", headers=ADMIN)
        assert res.status_code == 307
        presigned = res.headers["location"]
        async with httpx.AsyncClient() as http:
            seek = await http.get(presigned, headers={"Range": "bytes=4-7"})
        assert seek.status_code == 206 and seek.content == OGG[4:8]

        link = (await client.get(f"/api/interviews/{iid}/recording/url", headers=ADMIN)).json()
        assert link["stored_in"] == "bucket" and link["expires_in"] == 900
        assert "X-Amz-Signature=" in link["url"]

        files = (await client.get(f"/api/interviews/{iid}/files", headers=ADMIN)).json()
        assert sorted((f["kind"], f["name"]) for f in files) == [
            ("recording", f"{iid}.ogg"),
            ("report", f"interview_{iid}.html"),
            ("transcript", f"interview_{iid}_full_2.json"),
            ("transcript", f"interview_{iid}_stage_intro_1.json"),
        ]
        full = next(f for f in files if "_full_" in f["name"])
        async with httpx.AsyncClient() as http:
            assert (await http.get(full["url"])).json() == {"full": True}

        none = await client.get(f"/api/interviews/{other['id']}/recording", headers=ADMIN)
        assert none.status_code == 404


async def test_an_unreachable_store_is_a_503_naming_it(tmp_path):
    settings = make_settings(tmp_path, transcript_bucket="vh", s3_endpoint_url="http://127.0.0.1:9")
    async with api_client(settings) as client:
        interview = await new_interview(client)
        res = await client.get(f"/api/interviews/{interview['id']}/files", headers=ADMIN)
        assert res.status_code == 503
        assert "object store is unreachable" in res.json()["message"]


async def test_the_consent_page_announces_the_recording_from_config(tmp_path):
    notice = "Audio of this interview is recorded and kept for 90 days."
    async with api_client(make_settings(tmp_path, recording_notice=notice)) as client:
        recorded = await new_interview(client, enable_recording=True)
        plain = await new_interview(client)
        info = (await client.get(f"/api/web/join/{recorded['room_name']}")).json()
        assert info["recordingNotice"] == notice
        info = (await client.get(f"/api/web/join/{plain['room_name']}")).json()
        assert info["recordingNotice"] is None
