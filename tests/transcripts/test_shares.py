"""Share links: exactly one transcript, no account, until expiry or revoke; then 404."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from tests.support.transcripts import make_transcript
from tests.transcripts.conftest import Two
from transcriber.kit.db import transaction, utcnow
from transcriber.transcripts.models import ShareLink

MEDIA = bytes(range(256)) * 40


def test_share_shows_exactly_that_transcript_until_revoked(two: Two) -> None:
    c = two.client
    job_id, _ = make_transcript(
        two.runtime,
        two.owner_id,
        [("shared words", "Ana"), "more"],
        filename="talk.wav",
        media=MEDIA,
    )
    make_transcript(two.runtime, two.owner_id, ["secret other job"], filename="private.wav")
    made = c.post(f"/api/v1/jobs/{job_id}/shares", json={"include_media": True}, headers=two.owner)
    assert made.status_code == 201, made.text
    token, share_id = made.json()["token"], made.json()["id"]
    assert made.json()["url"].endswith(f"/api/v1/shared/{token}")

    c.cookies.clear()
    shared = c.get(f"/api/v1/shared/{token}")
    assert shared.status_code == 200, shared.text
    body = shared.json()
    assert body["filename"] == "talk.wav"
    assert [s["text"] for s in body["segments"]] == ["shared words", "more"]
    flat = shared.text
    for leak in (two.owner_id, str(job_id), "admin@example.org", "private.wav", "secret"):
        assert leak not in flat
    assert set(body) == {
        "filename",
        "language",
        "duration_s",
        "text",
        "include_media",
        "expires_at",
        "segments",
    }

    media = c.get(f"/api/v1/shared/{token}/media", headers={"Range": "bytes=10-19"})
    assert media.status_code == 206 and media.content == MEDIA[10:20]
    srt = c.get(f"/api/v1/shared/{token}/transcript.srt")
    assert srt.status_code == 200 and "shared words" in srt.text

    # An owner's edit shows on the shared page (it reads the live transcript).
    segment_id = c.get(f"/api/v1/jobs/{job_id}/transcript", headers=two.owner).json()["segments"][
        0
    ]["id"]
    c.patch(
        f"/api/v1/jobs/{job_id}/transcript/segments/{segment_id}",
        json={"text": "edited words"},
        headers=two.owner,
    )
    assert c.get(f"/api/v1/shared/{token}").json()["segments"][0]["text"] == "edited words"

    listed = c.get(f"/api/v1/jobs/{job_id}/shares", headers=two.owner).json()
    assert [s["id"] for s in listed] == [share_id] and "token" not in listed[0]
    assert c.get(f"/api/v1/jobs/{job_id}/shares", headers=two.other).status_code == 404
    assert (
        c.delete(f"/api/v1/jobs/{job_id}/shares/{share_id}", headers=two.other).status_code == 404
    )

    assert (
        c.delete(f"/api/v1/jobs/{job_id}/shares/{share_id}", headers=two.owner).status_code == 204
    )
    unknown = c.get("/api/v1/shared/not-a-real-token")
    for url in ("", "/media", "/transcript.txt"):
        gone = c.get(f"/api/v1/shared/{token}{url}")
        assert gone.status_code == 404
        assert gone.json() == unknown.json()


def test_expired_links_are_404_and_media_needs_include_media(two: Two) -> None:
    c = two.client
    job_id, _ = make_transcript(two.runtime, two.owner_id, ["soon gone"], media=MEDIA)
    made = c.post(
        f"/api/v1/jobs/{job_id}/shares", json={"expires_in_s": 3600}, headers=two.owner
    ).json()
    token = made["token"]
    assert made["expires_at"] and made["include_media"] is False
    c.cookies.clear()
    assert c.get(f"/api/v1/shared/{token}").status_code == 200
    assert c.get(f"/api/v1/shared/{token}/media").status_code == 404
    with transaction(two.runtime.sessions) as session:
        session.execute(update(ShareLink).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert c.get(f"/api/v1/shared/{token}").status_code == 404
    assert c.get(f"/api/v1/shared/{token}/transcript.vtt").status_code == 404


def test_bad_share_requests(two: Two) -> None:
    c = two.client
    job_id, _ = make_transcript(two.runtime, two.owner_id, ["x"])
    running, _ = make_transcript(two.runtime, two.owner_id, ["y"], status="running")
    url = f"/api/v1/jobs/{job_id}/shares"
    assert c.post(url, json={"expires_in_s": 1}, headers=two.owner).status_code == 422
    assert c.post(url, json={"owner": 1}, headers=two.owner).status_code == 422
    assert c.post(url, json={}, headers=two.other).status_code == 404
    assert c.post(f"/api/v1/jobs/{running}/shares", json={}, headers=two.owner).status_code == 409
    assert c.get("/api/v1/shared/" + "a" * 5000).status_code in (404, 422)
    assert c.get("/api/v1/shared/%00%27%22").status_code == 404
