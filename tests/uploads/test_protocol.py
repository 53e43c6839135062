"""The tus 1.0 protocol, header by header, with raw requests against the real app and database."""

from __future__ import annotations

import base64
import hashlib
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from tests.asr.helpers import write_png, write_silent_video
from tests.support.app import RecordingDispatcher, media_files
from tests.support.auth import bearer, create_user, login
from tests.support.uploads import OCTETS, TUS, create, metadata, patch, upload_whole
from transcriber.app import create_app
from transcriber.audit.models import AuditEvent
from transcriber.config import Settings
from transcriber.jobs.models import Job
from transcriber.jobs.scheduler import maintain
from transcriber.kit.db import transaction, utcnow
from transcriber.runtime import Runtime
from transcriber.uploads.models import Upload


@pytest.fixture
def jfk(speech_dir: Path) -> bytes:
    return (speech_dir / "jfk.wav").read_bytes()


@pytest.fixture
def other(client: TestClient) -> dict[str, str]:
    """Another signed-in user's headers."""
    email = create_user(client)
    headers = bearer(login(client, email))
    client.cookies.clear()
    return headers


def uploads_on_disk(settings: Settings) -> list[Path]:
    root = settings.uploads_dir
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def upload_row(runtime: Runtime, url: str) -> Upload:
    with runtime.sessions() as session:
        row = session.get(Upload, uuid.UUID(url.rsplit("/", 1)[1]))
        assert row is not None
        return row


# -- discovery, creation, HEAD ----------------------------------------------------------------


def test_discovery_lists_version_extensions_size_and_checksums(
    client: TestClient, anonymous: TestClient
) -> None:
    response = client.options("/api/v1/uploads")
    assert response.status_code == 204
    assert response.headers["tus-version"] == "1.0.0"
    extensions = set(response.headers["tus-extension"].split(","))
    assert {"creation", "creation-with-upload", "termination", "expiration", "checksum"} <= (
        extensions
    )
    assert int(response.headers["tus-max-size"]) == 4 * 1024**3
    assert "sha1" in response.headers["tus-checksum-algorithm"].split(",")
    anonymous.headers.pop("Authorization", None)
    anonymous.cookies.clear()
    assert anonymous.options("/api/v1/uploads").status_code == 401


def test_create_then_head_reports_offset_length_metadata_and_expiry(client: TestClient) -> None:
    response = client.post(
        "/api/v1/uploads",
        headers={**TUS, "Upload-Length": "1234", "Upload-Metadata": metadata(filename="a.mp3")},
    )
    assert response.status_code == 201, response.text
    url = response.headers["location"]
    assert url.startswith("/api/v1/uploads/")
    assert response.headers["tus-resumable"] == "1.0.0"
    assert response.headers["upload-expires"].endswith("GMT")
    head = client.head(url, headers=TUS)
    assert head.status_code == 200
    assert head.headers["upload-offset"] == "0"
    assert head.headers["upload-length"] == "1234"
    assert head.headers["upload-metadata"] == metadata(filename="a.mp3")
    assert head.headers["cache-control"] == "no-store"
    assert head.headers["upload-expires"]


@pytest.mark.parametrize("method", ["POST", "HEAD", "PATCH", "DELETE"])
@pytest.mark.parametrize("version", [None, "0.2.2", "1.0", "garbage"])
def test_a_wrong_or_missing_tus_version_is_412(
    client: TestClient, method: str, version: str | None
) -> None:
    url = create(client, 10)
    headers = {"Upload-Length": "10", "Upload-Offset": "0"}
    headers["Content-Type"] = "application/offset+octet-stream"
    if version is not None:
        headers["Tus-Resumable"] = version
    target = "/api/v1/uploads" if method == "POST" else url
    response = client.request(method, target, headers=headers, content=b"" if method else None)
    assert response.status_code == 412, response.text
    assert response.headers["tus-version"] == "1.0.0"
    if method != "HEAD":
        assert "1.0.0" in response.json()["detail"]


@pytest.mark.parametrize(
    ("headers", "fragment"),
    [
        ({}, "Upload-Length header is missing"),
        ({"Upload-Length": "-1"}, "whole number"),
        ({"Upload-Length": "abc"}, "whole number"),
        ({"Upload-Length": "1e3"}, "whole number"),
        ({"Upload-Length": "12.5"}, "whole number"),
        ({"Upload-Length": "99999999999999999999999"}, "whole number"),
        ({"Upload-Length": "10", "Upload-Defer-Length": "1"}, "defer-length"),
        ({"Upload-Length": "10", "Upload-Metadata": "filename ***"}, "not base64"),
        ({"Upload-Length": "10", "Upload-Metadata": "filename YQ==!"}, "not base64"),
        ({"Upload-Length": "10", "Upload-Metadata": "filename //79"}, "UTF-8"),
        ({"Upload-Length": "10", "Upload-Metadata": "a YQ==,a YQ=="}, "twice"),
        ({"Upload-Length": "10", "Upload-Metadata": "a YQ== b"}, "pairs"),
        ({"Upload-Length": "10", "Upload-Metadata": ",,"}, "pairs"),
        ({"Upload-Length": "10", "Upload-Metadata": metadata(create_job="maybe")}, "true or"),
    ],
)
def test_bad_creation_headers_are_400(
    client: TestClient, headers: dict[str, str], fragment: str
) -> None:
    response = client.post("/api/v1/uploads", headers={**TUS, **headers})
    assert response.status_code == 400, response.text
    assert fragment in response.json()["detail"]
    assert response.headers["tus-resumable"] == "1.0.0"


def test_bad_job_options_in_metadata_are_refused_before_any_byte(client: TestClient) -> None:
    bad_language = client.post(
        "/api/v1/uploads",
        headers={**TUS, "Upload-Length": "10", "Upload-Metadata": metadata(language="xx")},
    )
    assert bad_language.status_code == 422
    assert "language" in bad_language.json()["detail"]
    bad_model = client.post(
        "/api/v1/uploads",
        headers={**TUS, "Upload-Length": "10", "Upload-Metadata": metadata(model="huge")},
    )
    assert bad_model.status_code in (400, 422), bad_model.text
    assert "huge" in bad_model.json()["detail"]
    english_only = client.post(
        "/api/v1/uploads",
        headers={**TUS, "Upload-Length": "10", "Upload-Metadata": metadata(task="translate")},
    )
    assert english_only.status_code == 422
    assert "English only" in english_only.json()["detail"]


def test_an_empty_upload_is_refused(client: TestClient) -> None:
    response = client.post("/api/v1/uploads", headers={**TUS, "Upload-Length": "0"})
    assert response.status_code == 422
    assert "empty" in response.json()["detail"]


# -- limits and quotas at creation ---------------------------------------------------------------


def test_creation_over_the_size_limit_is_413_and_names_the_limit(
    client: TestClient, runtime: Runtime
) -> None:
    runtime.settings.limits.max_upload_bytes = 1000
    response = client.post("/api/v1/uploads", headers={**TUS, "Upload-Length": "1001"})
    assert response.status_code == 413
    assert response.json()["limit"] == "max_upload_bytes"
    assert "Tus-Max-Size" in response.json()["detail"]


def test_creation_counts_other_unfinished_uploads_against_the_storage_quota(
    client: TestClient, runtime: Runtime
) -> None:
    runtime.settings.quotas.storage_bytes = 1000
    create(client, 600)
    response = client.post("/api/v1/uploads", headers={**TUS, "Upload-Length": "600"})
    assert response.status_code == 403
    assert response.json()["limit"] == "storage_bytes"
    assert response.json()["remaining"] == 400
    assert response.headers["tus-resumable"] == "1.0.0"
    create(client, 400)


# -- PATCH ---------------------------------------------------------------------------------


def test_patches_append_in_order_and_head_follows(client: TestClient, runtime: Runtime) -> None:
    url = create(client, 30)
    for offset in (0, 10, 20):
        response = patch(client, url, offset, b"x" * 10 if offset < 20 else b"y" * 5)
        assert response.status_code == 204, response.text
        assert response.headers["upload-offset"] == str(min(offset + 10, 25))
        assert response.headers["upload-expires"]
        if offset == 20:
            break
    assert client.head(url, headers=TUS).headers["upload-offset"] == "25"
    (part,) = uploads_on_disk(runtime.settings)
    assert part.read_bytes() == b"x" * 20 + b"y" * 5


@pytest.mark.parametrize("content_type", [None, "application/octet-stream", "text/plain"])
def test_patch_needs_the_offset_content_type(client: TestClient, content_type: str | None) -> None:
    url = create(client, 10)
    headers = {**TUS, "Upload-Offset": "0"}
    if content_type:
        headers["Content-Type"] = content_type
    response = client.patch(url, content=b"abc", headers=headers)
    assert response.status_code == 415
    assert "application/offset+octet-stream" in response.json()["detail"]


def test_creation_with_bytes_needs_the_offset_content_type(client: TestClient) -> None:
    response = client.post(
        "/api/v1/uploads",
        content=b"abc",
        headers={**TUS, "Upload-Length": "10", "Content-Type": "text/plain"},
    )
    assert response.status_code == 415


def test_a_wrong_offset_is_409_and_tells_the_right_one(client: TestClient) -> None:
    url = create(client, 10)
    assert patch(client, url, 0, b"abcd").status_code == 204
    for wrong in (0, 3, 5, 9):
        response = patch(client, url, wrong, b"e")
        assert response.status_code == 409
        assert response.headers["upload-offset"] == "4"
        assert "HEAD" in response.json()["detail"]


@pytest.mark.parametrize("offset", ["-5", "x", "", "1.0", " 0x10"])
def test_a_garbage_offset_is_400(client: TestClient, offset: str) -> None:
    url = create(client, 10)
    response = client.patch(url, content=b"a", headers={**OCTETS, "Upload-Offset": offset})
    assert response.status_code == 400
    assert "Upload-Offset" in response.json()["detail"]


def test_a_missing_offset_is_400(client: TestClient) -> None:
    url = create(client, 10)
    response = client.patch(url, content=b"a", headers=OCTETS)
    assert response.status_code == 400


def test_more_bytes_than_the_length_is_413_and_nothing_is_kept(
    client: TestClient, runtime: Runtime
) -> None:
    url = create(client, 10)
    assert patch(client, url, 0, b"12345").status_code == 204
    declared = patch(client, url, 5, b"6789012")
    assert declared.status_code == 413
    assert declared.json()["limit"] == "upload_length"

    def chunked() -> Iterator[bytes]:
        yield b"678"
        yield b"9012345"

    streamed = client.patch(url, content=chunked(), headers={**OCTETS, "Upload-Offset": "5"})
    assert streamed.status_code == 413
    assert client.head(url, headers=TUS).headers["upload-offset"] == "5"
    (part,) = uploads_on_disk(runtime.settings)
    assert part.read_bytes() == b"12345"


def test_a_chunked_body_streams_in_pieces(client: TestClient) -> None:
    url = create(client, 3 * 1024 * 1024 + 7)

    def pieces() -> Iterator[bytes]:
        for _ in range(3):
            yield b"\0" * (1024 * 1024)
        yield b"1234567"

    response = client.patch(url, content=pieces(), headers={**OCTETS, "Upload-Offset": "0"})
    # Not audio: all bytes arrived, then the probe refused them.
    assert response.status_code == 415, response.text


# -- checksum extension ----------------------------------------------------------------------


def _checksum(algorithm: str, data: bytes) -> str:
    return f"{algorithm} {base64.b64encode(hashlib.new(algorithm, data).digest()).decode()}"


@pytest.mark.parametrize("algorithm", ["sha1", "sha256", "md5"])
def test_a_matching_checksum_is_accepted(client: TestClient, algorithm: str) -> None:
    url = create(client, 10)
    response = patch(client, url, 0, b"hello", {"Upload-Checksum": _checksum(algorithm, b"hello")})
    assert response.status_code == 204
    assert response.headers["upload-offset"] == "5"


def test_a_checksum_mismatch_is_460_and_the_bytes_are_dropped(
    client: TestClient, runtime: Runtime
) -> None:
    url = create(client, 10)
    assert patch(client, url, 0, b"abc").status_code == 204
    response = patch(client, url, 3, b"hello", {"Upload-Checksum": _checksum("sha1", b"hellO")})
    assert response.status_code == 460
    assert "checksum" in response.json()["detail"]
    assert response.headers["tus-resumable"] == "1.0.0"
    assert client.head(url, headers=TUS).headers["upload-offset"] == "3"
    (part,) = uploads_on_disk(runtime.settings)
    assert part.read_bytes() == b"abc"


@pytest.mark.parametrize(
    "header", ["crc32 AAAA", "sha1", "sha1 not-base64!", "sha1 YWJj", "sha256 " + "A" * 28]
)
def test_a_bad_checksum_header_is_400(client: TestClient, header: str) -> None:
    url = create(client, 10)
    response = patch(client, url, 0, b"abc", {"Upload-Checksum": header})
    assert response.status_code == 400, response.text


# -- someone else's -------------------------------------------------------------------------


def test_someone_elses_upload_is_404_like_one_that_does_not_exist(
    client: TestClient, other: dict[str, str]
) -> None:
    url = create(client, 10)
    missing = f"/api/v1/uploads/{uuid.uuid4()}"
    for target in (url, missing, "/api/v1/uploads/not-a-uuid"):
        who = other if target == url else {}
        head = client.head(target, headers={**TUS, **who})
        assert head.status_code == 404
        theirs = patch(client, target, 0, b"abc", who)
        assert theirs.status_code == 404
        assert theirs.json() == {"detail": "Upload not found."}
        assert client.delete(target, headers={**TUS, **who}).status_code == 404
    # Unharmed, and 404 comes before any header rule (nothing is revealed).
    assert patch(client, url, 0, b"abc").status_code == 204
    assert client.patch(url, headers=other).status_code == 404
    assert (
        client.post(
            "/api/v1/jobs", json={"upload_id": url.rsplit("/", 1)[1]}, headers=other
        ).status_code
        == 404
    )


def test_anonymous_calls_are_401(anonymous: TestClient, client: TestClient) -> None:
    url = create(client, 10)
    client.headers.pop("Authorization")
    client.cookies.clear()
    assert client.head(url, headers=TUS).status_code == 401
    assert patch(client, url, 0, b"a").status_code == 401


# -- termination -----------------------------------------------------------------------------


def test_termination_deletes_the_upload_and_its_bytes(client: TestClient, runtime: Runtime) -> None:
    url = create(client, 10)
    assert patch(client, url, 0, b"abc").status_code == 204
    assert uploads_on_disk(runtime.settings)
    response = client.delete(url, headers=TUS)
    assert response.status_code == 204
    assert response.headers["tus-resumable"] == "1.0.0"
    assert uploads_on_disk(runtime.settings) == []
    assert client.head(url, headers=TUS).status_code == 404
    assert patch(client, url, 3, b"def").status_code == 404
    assert client.delete(url, headers=TUS).status_code == 404


def test_terminating_a_finished_unused_upload_deletes_its_media(
    client: TestClient, runtime: Runtime, jfk: bytes
) -> None:
    url, done = upload_whole(client, jfk, filename="jfk.wav")
    assert done.status_code == 204
    assert len(media_files(runtime.settings)) == 1
    assert client.delete(url, headers=TUS).status_code == 204
    assert media_files(runtime.settings) == []


# -- completion: probe, quota, jobs ----------------------------------------------------------


def test_the_last_byte_makes_a_job_when_the_metadata_asks(
    client: TestClient, runtime: Runtime, dispatcher: RecordingDispatcher, jfk: bytes
) -> None:
    url = create(
        client, len(jfk), filename="speech.wav", create_job=None, language="en", vad="false"
    )
    assert patch(client, url, 0, jfk[:1000]).status_code == 204
    assert not dispatcher.sent
    done = patch(client, url, 1000, jfk[1000:])
    assert done.status_code == 204, done.text
    job_id = done.headers["upload-job-id"]
    job = client.get(f"/api/v1/jobs/{job_id}").json()
    assert job["status"] == "queued"
    assert job["filename"] == "speech.wav"
    assert job["language"] == "en"
    assert job["vad"] is False
    assert job["duration_s"] == pytest.approx(11.0, abs=0.1)
    assert dispatcher.sent[0][0] == uuid.UUID(job_id)
    head = client.head(url, headers=TUS)
    assert head.headers["upload-job-id"] == job_id
    assert head.headers["upload-offset"] == str(len(jfk))
    assert uploads_on_disk(runtime.settings) == []
    (stored,) = media_files(runtime.settings)
    assert stored.read_bytes() == jfk
    # The job owns the media now: terminating the upload keeps it.
    assert client.delete(url, headers=TUS).status_code == 204
    assert media_files(runtime.settings) == [stored]


def test_creation_with_upload_carries_all_the_bytes_at_once(client: TestClient, jfk: bytes) -> None:
    response = client.post(
        "/api/v1/uploads",
        content=jfk,
        headers={
            **OCTETS,
            "Upload-Length": str(len(jfk)),
            "Upload-Metadata": metadata(filename="jfk.wav", create_job=""),
        },
    )
    assert response.status_code == 201, response.text
    assert response.headers["upload-offset"] == str(len(jfk))
    assert response.headers["upload-job-id"]


def test_creation_with_upload_may_carry_the_first_part(client: TestClient, jfk: bytes) -> None:
    response = client.post(
        "/api/v1/uploads",
        content=jfk[:5000],
        headers={**OCTETS, "Upload-Length": str(len(jfk))},
    )
    assert response.status_code == 201
    assert response.headers["upload-offset"] == "5000"
    rest = patch(client, response.headers["location"], 5000, jfk[5000:])
    assert rest.status_code == 204
    assert "upload-job-id" not in rest.headers


def test_post_jobs_with_an_upload_id(client: TestClient, jfk: bytes, other: dict[str, str]) -> None:
    url, done = upload_whole(client, jfk, filename="jfk.wav", language="en", word_timestamps="1")
    assert done.status_code == 204
    upload_id = url.rsplit("/", 1)[1]
    made = client.post(
        "/api/v1/jobs", json={"upload_id": upload_id, "word_timestamps": False, "vad": False}
    )
    assert made.status_code == 202, made.text
    job = made.json()
    assert job["filename"] == "jfk.wav"
    assert job["language"] == "en"  # from the metadata
    assert job["word_timestamps"] is False  # the request overrides the metadata
    assert job["vad"] is False
    again = client.post("/api/v1/jobs", json={"upload_id": upload_id})
    assert again.status_code == 409
    assert again.json()["job_id"] == job["id"]
    assert client.head(url, headers=TUS).headers["upload-job-id"] == job["id"]


def test_post_jobs_refuses_unknown_unfinished_and_malformed(client: TestClient) -> None:
    unknown = client.post("/api/v1/jobs", json={"upload_id": str(uuid.uuid4())})
    assert unknown.status_code == 404
    url = create(client, 100)
    assert patch(client, url, 0, b"abc").status_code == 204
    unfinished = client.post("/api/v1/jobs", json={"upload_id": url.rsplit("/", 1)[1]})
    assert unfinished.status_code == 409
    assert "3 of 100 bytes" in unfinished.json()["detail"]
    for body in ({}, {"upload_id": "nope"}, {"upload_id": str(uuid.uuid4()), "colour": "red"}):
        assert client.post("/api/v1/jobs", json=body).status_code == 422
    garbage = client.post(
        "/api/v1/jobs", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert garbage.status_code == 422
    huge = client.post(
        "/api/v1/jobs",
        content=b'{"upload_id": "' + b"x" * 100_000 + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert huge.status_code == 413


def _refusals(tmp_path: Path, speech_dir: Path) -> dict[str, tuple[str, bytes, int, str]]:
    """name -> (file name, bytes, status, a fragment of the reason)."""
    mp3 = (speech_dir / "librivox_shakespeare_sonnet001_en.mp3").read_bytes()
    import io
    import zipfile

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("song.mp3", mp3[:2000])
    return {
        "disguised text": ("song.mp3", b"just some words, not audio\n" * 40, 415, "not an audio"),
        "zip": ("episodes.zip", archive.getvalue(), 415, "song"),
        "image": ("cover.mp3", write_png(tmp_path / "cover.png").read_bytes(), 415, "image"),
        # The header of a 53 s MP3 and 2 KB of it.
        "truncated": ("cut.mp3", mp3[:2048], 415, "truncated"),
        "video without audio": (
            "clip.mp4",
            write_silent_video(tmp_path / "clip.mp4").read_bytes(),
            415,
            "without an audio track",
        ),
    }


@pytest.mark.parametrize(
    "case", ["disguised text", "zip", "image", "truncated", "video without audio"]
)
def test_media_that_is_not_audio_is_refused_audited_and_deleted(
    client: TestClient, runtime: Runtime, tmp_path: Path, speech_dir: Path, case: str
) -> None:
    name, data, status, fragment = _refusals(tmp_path, speech_dir)[case]
    url, done = upload_whole(client, data, filename=name, create_job=None)
    assert done.status_code == status, done.text
    detail = done.json()["detail"]
    if case != "zip":
        assert fragment in detail, detail
    assert uploads_on_disk(runtime.settings) == []
    assert media_files(runtime.settings) == []
    head = client.head(url, headers=TUS)
    assert head.status_code == 410
    made = client.post("/api/v1/jobs", json={"upload_id": url.rsplit("/", 1)[1]})
    assert made.status_code == 410
    assert detail in made.json()["detail"]
    with runtime.sessions() as session:
        (event,) = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "upload.rejected")
        ).all()
        assert event.target_id == url.rsplit("/", 1)[1]
        assert event.details["filename"] == name
        assert event.details["status"] == status
        assert session.scalar(select(Job.id)) is None


def test_media_longer_than_the_limit_is_refused(
    client: TestClient, runtime: Runtime, jfk: bytes
) -> None:
    runtime.settings.limits.max_duration_s = 5
    _, done = upload_whole(client, jfk, filename="jfk.wav")
    assert done.status_code == 413
    assert "longer than" in done.json()["detail"]
    assert uploads_on_disk(runtime.settings) == media_files(runtime.settings) == []


def test_quota_is_checked_again_on_completion(
    client: TestClient, runtime: Runtime, jfk: bytes
) -> None:
    url = create(client, len(jfk), filename="jfk.wav")
    assert patch(client, url, 0, jfk[:100]).status_code == 204
    runtime.settings.quotas.storage_bytes = 1000  # an admin lowered it meanwhile
    done = patch(client, url, 100, jfk[100:])
    assert done.status_code == 403
    assert done.json()["limit"] == "storage_bytes"
    assert uploads_on_disk(runtime.settings) == media_files(runtime.settings) == []


def test_monthly_minutes_are_checked_on_completion(
    client: TestClient, runtime: Runtime, jfk: bytes
) -> None:
    runtime.settings.quotas.audio_minutes_per_month = 1
    for _ in range(5):  # 5 x 11 s
        _, done = upload_whole(client, jfk, filename="jfk.wav", create_job=None)
        assert done.status_code == 204, done.text
    _, over = upload_whole(client, jfk, filename="jfk.wav")
    assert over.status_code == 403
    assert over.json()["limit"] == "audio_minutes_per_month"


# -- expiration ------------------------------------------------------------------------------


def _expire(runtime: Runtime, url: str) -> None:
    with transaction(runtime.sessions) as session:
        session.execute(
            update(Upload)
            .where(Upload.id == uuid.UUID(url.rsplit("/", 1)[1]))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )


def test_expired_uploads_are_gone_then_swept_with_their_bytes(
    client: TestClient, runtime: Runtime, dispatcher: RecordingDispatcher, jfk: bytes
) -> None:
    unfinished = create(client, 100)
    assert patch(client, unfinished, 0, b"abc").status_code == 204
    unused, done = upload_whole(client, jfk, filename="jfk.wav")
    assert done.status_code == 204
    fresh = create(client, 100)
    assert len(uploads_on_disk(runtime.settings)) == 2
    assert len(media_files(runtime.settings)) == 1
    _expire(runtime, unfinished)
    _expire(runtime, unused)

    assert client.head(unfinished, headers=TUS).status_code == 410
    assert patch(client, unfinished, 3, b"def").status_code == 410
    made = client.post("/api/v1/jobs", json={"upload_id": unused.rsplit("/", 1)[1]})
    assert made.status_code == 410

    # An orphan folder (a crash between file and row) goes too once it is old.
    orphan = runtime.settings.uploads_dir / str(uuid.uuid4())
    orphan.mkdir()
    (orphan / "x.mp3").write_bytes(b"x")
    import os

    os.utime(orphan, (0, 0))

    report = maintain(runtime.sessions, runtime.settings, dispatcher, "test")
    assert report is not None
    assert client.head(unfinished, headers=TUS).status_code == 404
    assert client.head(unused, headers=TUS).status_code == 404
    assert client.head(fresh, headers=TUS).status_code == 200
    assert len(uploads_on_disk(runtime.settings)) == 1  # the fresh one's empty file
    assert not orphan.exists()
    assert media_files(runtime.settings) == []


def test_each_patch_pushes_the_expiry_back(client: TestClient, runtime: Runtime) -> None:
    url = create(client, 100)
    before = upload_row(runtime, url).expires_at
    with transaction(runtime.sessions) as session:
        session.execute(update(Upload).values(expires_at=before - timedelta(hours=1)))
    assert patch(client, url, 0, b"abc").status_code == 204
    assert upload_row(runtime, url).expires_at >= before


# -- CORS ------------------------------------------------------------------------------------


def test_cors_allows_and_exposes_the_tus_headers(api_settings: Settings) -> None:
    api_settings.auth.cors_origins = ["https://app.example.org"]
    runtime = Runtime.from_settings(api_settings, dispatcher=RecordingDispatcher())
    with TestClient(create_app(runtime=runtime)) as cors_client:
        preflight = cors_client.options(
            "/api/v1/uploads/abc",
            headers={
                "Origin": "https://app.example.org",
                "Access-Control-Request-Method": "PATCH",
                "Access-Control-Request-Headers": "tus-resumable,upload-offset,upload-checksum,"
                "content-type,authorization,upload-metadata,upload-length",
            },
        )
        assert preflight.status_code == 200, preflight.text
        assert "PATCH" in preflight.headers["access-control-allow-methods"]
        answer = cors_client.head(
            "/api/v1/uploads/abc", headers={"Origin": "https://app.example.org", **TUS}
        )
        exposed = {
            h.strip().lower() for h in answer.headers["access-control-expose-headers"].split(",")
        }
        assert {
            "location",
            "upload-offset",
            "upload-length",
            "upload-metadata",
            "upload-expires",
            "tus-resumable",
            "tus-version",
            "tus-extension",
            "tus-max-size",
            "tus-checksum-algorithm",
            "upload-job-id",
        } <= exposed
