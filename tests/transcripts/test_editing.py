"""Editing segments: versions, revert, speaker rename; exports and search show the edit."""

from __future__ import annotations

import uuid

import pytest
import webvtt

from tests.support.transcripts import make_transcript
from tests.transcripts.conftest import Two


def _url(job_id: object, segment_id: object, tail: str = "") -> str:
    return f"/api/v1/jobs/{job_id}/transcript/segments/{segment_id}{tail}"


def test_edit_survives_keeps_versions_and_reverts(two: Two) -> None:
    c = two.client
    job_id, (first, _second) = make_transcript(
        two.runtime, two.owner_id, [("hello wrold", "SPEAKER_00"), ("second line", None)]
    )
    edited = c.patch(_url(job_id, first), json={"text": "hello world"}, headers=two.owner)
    assert edited.status_code == 200, edited.text
    assert edited.json()["text"] == "hello world"
    assert edited.json()["words"] is None  # the model's timings no longer describe the text

    again = c.patch(_url(job_id, first), json={"speaker": "Anna"}, headers=two.owner)
    assert again.json() == {**edited.json(), "speaker": "Anna"}

    transcript = c.get(f"/api/v1/jobs/{job_id}/transcript", headers=two.owner).json()
    assert [s["text"] for s in transcript["segments"]] == ["hello world", "second line"]
    assert transcript["segments"][0]["speaker"] == "Anna"
    assert transcript["segments"][1]["words"]  # untouched segment keeps its words

    versions = c.get(_url(job_id, first, "/versions"), headers=two.owner).json()
    assert [(v["kind"], v["text"], v["speaker"]) for v in versions] == [
        ("machine", "hello wrold", "SPEAKER_00"),
        ("edit", "hello world", "SPEAKER_00"),
        ("edit", "hello world", "Anna"),
    ]
    assert versions[0]["editor_id"] is None
    assert versions[1]["editor_id"] == two.owner_id

    txt = c.get(f"/api/v1/jobs/{job_id}/transcript.txt", headers=two.owner)
    assert "hello world" in txt.text and "wrold" not in txt.text
    vtt = c.get(
        f"/api/v1/jobs/{job_id}/transcript.vtt", params={"karaoke": True}, headers=two.owner
    )
    cues = webvtt.from_string(vtt.text)
    assert "hello world" in " ".join(cue.text for cue in cues)

    hits = c.get("/api/v1/search", params={"q": "world"}, headers=two.owner).json()["items"]
    assert [h["segment_id"] for h in hits] == [first]
    assert c.get("/api/v1/search", params={"q": "wrold"}, headers=two.owner).json()["items"] == []

    reverted = c.post(_url(job_id, first, "/revert"), headers=two.owner)
    assert reverted.status_code == 200, reverted.text
    assert reverted.json()["text"] == "hello wrold"
    assert reverted.json()["speaker"] == "SPEAKER_00"
    assert reverted.json()["words"]  # the words are back with the machine's text
    versions = c.get(_url(job_id, first, "/versions"), headers=two.owner).json()
    assert [v["kind"] for v in versions] == ["machine", "edit", "edit", "revert"]
    hits = c.get("/api/v1/search", params={"q": "wrold"}, headers=two.owner).json()["items"]
    assert [h["segment_id"] for h in hits] == [first]


def test_an_edit_is_found_without_its_accents_and_a_revert_forgets_it(two: Two) -> None:
    c = two.client
    job_id, (segment,) = make_transcript(two.runtime, two.owner_id, ["greetings from cologne"])

    def found(q: str) -> list[str]:
        items = c.get("/api/v1/search", params={"q": q}, headers=two.owner).json()["items"]
        return [h["snippet"] for h in items]

    edited = c.patch(_url(job_id, segment), json={"text": "Grüße aus Köln"}, headers=two.owner)
    assert edited.status_code == 200, edited.text
    assert found("koln") == ["Grüße aus <mark>Köln</mark>"]
    assert found("GRUSSE") == ["<mark>Grüße</mark> aus Köln"]
    assert found("cologne") == []
    assert c.post(_url(job_id, segment, "/revert"), headers=two.owner).status_code == 200
    assert found("koln") == []
    assert found("cologne") == ["greetings from <mark>cologne</mark>"]


def test_a_never_edited_segment_shows_the_machine_version(two: Two) -> None:
    job_id, (segment,) = make_transcript(two.runtime, two.owner_id, ["as spoken"])
    versions = two.client.get(_url(job_id, segment, "/versions"), headers=two.owner).json()
    assert versions == [
        {
            "id": None,
            "kind": "machine",
            "text": "as spoken",
            "speaker": None,
            "editor_id": None,
            "created_at": None,
        }
    ]
    assert two.client.post(_url(job_id, segment, "/revert"), headers=two.owner).status_code == 200


def test_rename_speaker_everywhere(two: Two) -> None:
    job_id, ids = make_transcript(
        two.runtime, two.owner_id, [("a", "SPEAKER_00"), ("b", "SPEAKER_01"), ("c", "SPEAKER_00")]
    )
    url = f"/api/v1/jobs/{job_id}/transcript/speakers/rename"
    renamed = two.client.post(url, json={"from": "SPEAKER_00", "to": "Ines"}, headers=two.owner)
    assert renamed.status_code == 200, renamed.text
    assert renamed.json() == {"renamed": 2}
    segments = two.client.get(f"/api/v1/jobs/{job_id}/transcript", headers=two.owner).json()
    assert [s["speaker"] for s in segments["segments"]] == ["Ines", "SPEAKER_01", "Ines"]
    assert segments["segments"][0]["words"]  # a speaker change keeps word timings
    versions = two.client.get(_url(job_id, ids[0], "/versions"), headers=two.owner).json()
    assert [v["speaker"] for v in versions] == ["SPEAKER_00", "Ines"]
    bad = two.client.post(url, json={"from": "SPEAKER_00"}, headers=two.owner)
    assert bad.status_code == 422


def test_other_peoples_segments_and_other_jobs_segments_are_404(two: Two) -> None:
    c = two.client
    job_id, (segment,) = make_transcript(two.runtime, two.owner_id, ["mine"])
    other_job, (other_segment,) = make_transcript(two.runtime, two.owner_id, ["also mine"])
    for method, tail in (("PATCH", ""), ("GET", "/versions"), ("POST", "/revert")):
        theirs = c.request(
            method, _url(job_id, segment, tail), json={"text": "x"}, headers=two.other
        )
        assert theirs.status_code == 404, theirs.text
        crossed = c.request(
            method, _url(job_id, other_segment, tail), json={"text": "x"}, headers=two.owner
        )
        assert crossed.status_code == 404, crossed.text
        missing = c.request(
            method, _url(job_id, 10**9, tail), json={"text": "x"}, headers=two.owner
        )
        assert missing.status_code == 404
    assert (
        c.patch(_url(uuid.uuid4(), segment), json={"text": "x"}, headers=two.owner).status_code
        == 404
    )
    assert c.get(f"/api/v1/jobs/{job_id}/transcript", headers=two.owner).json()["text"] == "mine"
    assert other_job


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({}, "text"),
        ({"text": ""}, "empty"),
        ({"text": "   "}, "empty"),
        ({"text": None}, "null"),
        ({"text": "x" * 10_001}, "10,000"),
        ({"text": "nul\x00byte"}, "control"),
        ({"text": "bell\x07"}, "control"),
        ({"speaker": "s" * 65}, "64"),
        ({"text": "ok", "owner_id": "x"}, "owner_id"),
        ([1, 2], "request"),
        ("just a string", "request"),
    ],
)
def test_bad_edits_are_422_with_a_reason(two: Two, body: object, needle: str) -> None:
    job_id, (segment,) = make_transcript(two.runtime, two.owner_id, ["keep me"])
    response = two.client.patch(_url(job_id, segment), json=body, headers=two.owner)
    assert response.status_code == 422, response.text
    assert needle in response.json()["detail"]
    text = two.client.get(f"/api/v1/jobs/{job_id}/transcript", headers=two.owner).json()["text"]
    assert text == "keep me"


def test_lone_surrogates_and_hostile_text(two: Two) -> None:
    job_id, (segment,) = make_transcript(two.runtime, two.owner_id, ["keep me"])
    raw = b'{"text": "bad \\ud800 surrogate"}'
    response = two.client.patch(
        _url(job_id, segment),
        content=raw,
        headers={**two.owner, "Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.text
    hostile = "<script>alert(1)</script> '; DROP TABLE segments; -- \" NEAR( ^x"
    ok = two.client.patch(_url(job_id, segment), json={"text": hostile}, headers=two.owner)
    assert ok.status_code == 200, ok.text
    assert ok.json()["text"] == hostile.strip()
    hits = two.client.get("/api/v1/search", params={"q": "script"}, headers=two.owner).json()
    assert "&lt;" in hits["items"][0]["snippet"] and "<script>" not in hits["items"][0]["snippet"]


def test_only_finished_transcripts_are_edited(two: Two) -> None:
    job_id, (segment,) = make_transcript(two.runtime, two.owner_id, ["live"], status="running")
    response = two.client.patch(_url(job_id, segment), json={"text": "x"}, headers=two.owner)
    assert response.status_code == 409
    assert "running" in response.json()["detail"]
    rename = two.client.post(
        f"/api/v1/jobs/{job_id}/transcript/speakers/rename",
        json={"from": "a", "to": "b"},
        headers=two.owner,
    )
    assert rename.status_code == 409
