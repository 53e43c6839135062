"""A real tus client (tuspy) against the app on a real port."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from tusclient import client as tus_client
from tusclient.exceptions import TusCommunicationError, TusUploadFailed
from tusclient.uploader.uploader import Uploader

from tests.support.app import RecordingDispatcher, media_files
from tests.support.uploads import TUS, CuttingProxy, LiveServer
from transcriber.jobs.scheduler import maintain
from transcriber.kit.db import transaction, utcnow
from transcriber.runtime import Runtime
from transcriber.uploads.models import Upload


@pytest.fixture
def server(client: TestClient) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    """The same app and database as `client`, on a real port; with the admin's token."""
    auth = {"Authorization": client.headers["Authorization"]}
    with LiveServer(client.app) as live:  # type: ignore[arg-type]
        yield live, auth


@pytest.fixture
def speech(speech_dir: Path) -> Path:
    return speech_dir / "librivox_shakespeare_sonnet001_en.mp3"


def _tus(base_url: str, auth: dict[str, str]) -> tus_client.TusClient:
    return tus_client.TusClient(f"{base_url}/api/v1/uploads", headers=auth)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_tuspy_uploads_in_chunks_with_checksums_and_a_job_follows(
    server: tuple[LiveServer, dict[str, str]], runtime: Runtime, speech: Path
) -> None:
    live, auth = server
    uploader = _tus(live.url, auth).uploader(
        str(speech),
        chunk_size=64 * 1024,
        metadata={"filename": speech.name, "language": "en", "create_job": "true"},
        upload_checksum=True,
    )
    uploader.upload()
    assert uploader.offset == speech.stat().st_size
    assert uploader.request is not None
    job_id = uploader.request.response_headers["upload-job-id"]
    job = httpx.get(f"{live.url}/api/v1/jobs/{job_id}", headers=auth).json()
    assert job["filename"] == speech.name
    assert job["status"] == "queued"
    (stored,) = media_files(runtime.settings)
    assert _sha256(stored) == _sha256(speech)


def test_an_interrupted_upload_resumes_from_the_head_offset(
    server: tuple[LiveServer, dict[str, str]], runtime: Runtime, speech: Path
) -> None:
    live, auth = server
    size = speech.stat().st_size
    first = _tus(live.url, auth).uploader(str(speech), chunk_size=50_000)
    first.upload(stop_at=150_000)  # the laptop lid closes here
    assert first.offset == 150_000

    # Later, another process knows only the URL: tuspy asks HEAD for the offset and goes on.
    resumed = Uploader(str(speech), url=first.url, client=_tus(live.url, auth), chunk_size=100_000)
    assert resumed.offset == 150_000
    resumed.upload()
    assert resumed.offset == size
    assert first.url is not None
    upload_id = first.url.rsplit("/", 1)[1]
    made = httpx.post(f"{live.url}/api/v1/jobs", json={"upload_id": upload_id}, headers=auth)
    assert made.status_code == 202, made.text
    (stored,) = media_files(runtime.settings)
    assert _sha256(stored) == _sha256(speech)


@pytest.mark.timeout(60)
def test_a_connection_cut_mid_chunk_resumes_and_the_file_arrives_whole(
    server: tuple[LiveServer, dict[str, str]], runtime: Runtime, speech: Path
) -> None:
    live, auth = server
    with CuttingProxy(live.port, cut_after=200_000) as proxy:
        uploader = _tus(proxy.url, auth).uploader(
            str(speech), chunk_size=10 * 1024 * 1024, retries=3, retry_delay=1
        )
        uploader.upload()
    assert proxy.cuts == 1
    assert uploader.offset == speech.stat().st_size
    (stored,) = media_files(runtime.settings)
    assert _sha256(stored) == _sha256(speech)


def _wrong_sha1(data: bytes) -> Any:
    return hashlib.sha1(data + b"!", usedforsecurity=False)


class WrongChecksumUploader(Uploader):
    CHECKSUM_ALGORITHM_PAIR = ("sha1", _wrong_sha1)  # type: ignore[assignment]


def test_a_checksum_mismatch_is_460_for_tuspy(
    server: tuple[LiveServer, dict[str, str]], speech: Path
) -> None:
    live, auth = server
    uploader = WrongChecksumUploader(
        str(speech), client=_tus(live.url, auth), chunk_size=64 * 1024, upload_checksum=True
    )
    with pytest.raises(TusUploadFailed) as failed:
        uploader.upload()
    assert failed.value.status_code == 460
    assert uploader.url is not None
    head = httpx.head(uploader.url, headers={**auth, **TUS})
    assert head.headers["upload-offset"] == "0"


def test_a_terminated_upload_cannot_be_resumed(
    server: tuple[LiveServer, dict[str, str]], runtime: Runtime, speech: Path
) -> None:
    live, auth = server
    uploader = _tus(live.url, auth).uploader(str(speech), chunk_size=100_000)
    uploader.upload(stop_at=100_000)
    assert uploader.url is not None
    deleted = httpx.delete(uploader.url, headers={**auth, **TUS})
    assert deleted.status_code == 204
    assert not any(runtime.settings.uploads_dir.iterdir())
    with pytest.raises(TusCommunicationError) as gone:
        Uploader(str(speech), url=uploader.url, client=_tus(live.url, auth))
    assert gone.value.status_code == 404


def test_an_expired_upload_is_410_then_404_once_swept(
    server: tuple[LiveServer, dict[str, str]],
    runtime: Runtime,
    dispatcher: RecordingDispatcher,
    speech: Path,
) -> None:
    live, auth = server
    uploader = _tus(live.url, auth).uploader(str(speech), chunk_size=100_000)
    uploader.upload(stop_at=100_000)
    assert uploader.url is not None
    with transaction(runtime.sessions) as session:
        session.execute(
            update(Upload)
            .where(Upload.id == uuid.UUID(uploader.url.rsplit("/", 1)[1]))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    with pytest.raises(TusCommunicationError) as expired:
        Uploader(str(speech), url=uploader.url, client=_tus(live.url, auth))
    assert expired.value.status_code == 410
    maintain(runtime.sessions, runtime.settings, dispatcher, "test")
    with pytest.raises(TusCommunicationError) as swept:
        Uploader(str(speech), url=uploader.url, client=_tus(live.url, auth))
    assert swept.value.status_code == 404
    assert not any(runtime.settings.uploads_dir.iterdir())
