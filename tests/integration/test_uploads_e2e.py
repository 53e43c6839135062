"""tus uploads end to end: a real `transcriber serve` process (with its embedded worker and the
real tiny.en model), a real tus client, the `transcriber upload` command, and 1 GiB streamed
while the server's memory is watched."""

from __future__ import annotations

import hashlib
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil
import pytest
from tusclient import client as tus_client

from tests.support.auth import setup_admin
from tests.support.processes import (
    free_port,
    running,
    transcriber_env,
    wait_for_job,
    wait_until_healthy,
)
from tests.support.uploads import OCTETS, TUS, metadata


@dataclass
class Service:
    url: str
    client: httpx.Client
    auth: dict[str, str]
    api_key: str
    process: subprocess.Popen[bytes]
    data_dir: Path


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    tmp_path = tmp_path_factory.mktemp("uploads-e2e")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    data_dir = tmp_path / "data"
    env = transcriber_env(
        {"TRANSCRIBER_DATA_DIR": str(data_dir), "TRANSCRIBER_ENVIRONMENT": "test"}
    )
    log = tmp_path / "service.log"
    with running(["serve", "--port", str(port)], env, log) as api:
        wait_until_healthy(url, api, log)
        with httpx.Client(base_url=url, timeout=120) as client:
            tokens = setup_admin(client)
            key = client.post("/api/v1/api-keys", json={"name": "cli"}).json()["secret"]
            auth = {"Authorization": f"Bearer {tokens['access_token']}"}
            yield Service(url, client, auth, key, api, data_dir)


def test_tuspy_upload_becomes_a_transcript_with_the_real_model(
    service: Service, speech_dir: Path
) -> None:
    speech = speech_dir / "jfk.flac"
    uploader = tus_client.TusClient(f"{service.url}/api/v1/uploads", headers=service.auth).uploader(
        str(speech),
        chunk_size=256 * 1024,
        metadata={"filename": speech.name, "language": "en", "create_job": "1"},
        upload_checksum=True,
    )
    uploader.upload()
    assert uploader.request is not None
    job_id = uploader.request.response_headers["upload-job-id"]
    done = wait_for_job(service.client, job_id)
    assert done["status"] == "completed", done
    assert done["filename"] == "jfk.flac"
    text = service.client.get(f"/api/v1/jobs/{job_id}/transcript").json()["text"].lower()
    assert "ask not what your country can do for you" in text
    media = service.client.get(f"/api/v1/jobs/{job_id}/media")
    assert hashlib.sha256(media.content).digest() == hashlib.sha256(speech.read_bytes()).digest()


def _cli(service: Service, args: list[str], cache: Path) -> subprocess.CompletedProcess[str]:
    env = transcriber_env({"TRANSCRIBER_API_KEY": service.api_key, "XDG_CACHE_HOME": str(cache)})
    return subprocess.run(
        [sys.executable, "-m", "transcriber", "upload", "--server", service.url, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_upload_command_sends_a_folder_and_resumes_an_interrupted_file(
    service: Service, speech_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "episodes"
    folder.mkdir()
    for name in ("jfk.wav", "fleurs_en_002.ogg", "ljspeech_LJ002-0020.wav"):
        (folder / name).write_bytes((speech_dir / name).read_bytes())
    (folder / "notes.txt").write_text("not media, not sent")
    cache = tmp_path / "cache"

    # A first run was cut off half-way through jfk.wav (its URL is kept by the same store).
    from transcriber.uploads.client import BatchUploader

    first = BatchUploader(
        service.url, service.api_key, {}, state_file=cache / "transcriber" / "uploads.json"
    )
    partial = first._uploader(folder / "jfk.wav")
    partial.chunk_size = 100_000
    partial.upload(stop_at=100_000)
    first.close()
    interrupted_url = partial.url

    result = _cli(service, [str(folder), "--language", "en", "--no-vad"], cache)
    assert result.returncode == 0, result.stderr
    lines = [line.split("\t") for line in result.stdout.strip().splitlines()]
    assert sorted(Path(path).name for _, path in lines) == [
        "fleurs_en_002.ogg",
        "jfk.wav",
        "ljspeech_LJ002-0020.wav",
    ]
    jobs = {Path(path).name: job_id for job_id, path in lines}
    resumed = httpx.head(interrupted_url, headers={**service.auth, **TUS})
    assert resumed.headers["upload-job-id"] == jobs["jfk.wav"], "the cut upload was resumed"
    for job_id in jobs.values():
        job = service.client.get(f"/api/v1/jobs/{job_id}").json()
        assert job["language"] == "en"
        assert job["vad"] is False

    # Run again: nothing is sent twice, the same jobs are printed.
    again = _cli(service, [str(folder)], cache)
    assert again.returncode == 0, again.stderr
    assert sorted(again.stdout.strip().splitlines()) == sorted(result.stdout.strip().splitlines())

    refused = tmp_path / "fake.mp3"
    refused.write_text("this is not audio " * 100)
    bad = _cli(service, [str(refused)], cache)
    assert bad.returncode == 1
    assert "not an audio" in bad.stderr
    missing_key = subprocess.run(
        [sys.executable, "-m", "transcriber", "upload", str(folder), "--server", service.url],
        env=transcriber_env({}),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert missing_key.returncode == 2
    assert "api-key" in missing_key.stderr


def _wav_header(data_bytes: int, rate: int = 48_000, channels: int = 2) -> bytes:
    block = channels * 2
    return (
        b"RIFF"
        + struct.pack("<I", 36 + data_bytes)
        + b"WAVEfmt "
        + struct.pack("<IHHIIHH", 16, 1, channels, rate, rate * block, block, 16)
        + b"data"
        + struct.pack("<I", data_bytes)
    )


def test_one_gib_streams_through_with_flat_server_memory(service: Service) -> None:
    """A 1 GiB WAV (93 min of silence at 48 kHz stereo) in one PATCH: the API process's
    resident memory must not grow with the size (goal: under 64 MiB)."""
    audio_bytes = 1024**3
    header = _wav_header(audio_bytes)
    total = len(header) + audio_bytes
    created = service.client.post(
        "/api/v1/uploads",
        headers={
            **TUS,
            "Upload-Length": str(total),
            "Upload-Metadata": metadata(filename="long.wav"),
        },
    )
    assert created.status_code == 201, created.text
    url = created.headers["location"]

    api = psutil.Process(service.process.pid)
    baseline = api.memory_info().rss
    peak = baseline
    stop = threading.Event()

    def watch() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, api.memory_info().rss)
            time.sleep(0.05)

    zeros = b"\0" * (1024 * 1024)

    def body() -> Iterator[bytes]:
        yield header
        for _ in range(audio_bytes // len(zeros)):
            yield zeros

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    started = time.monotonic()
    try:
        response = service.client.patch(
            url,
            content=body(),
            headers={**OCTETS, "Upload-Offset": "0", "Content-Length": str(total)},
            timeout=300,
        )
    finally:
        stop.set()
        watcher.join()
    elapsed = time.monotonic() - started
    assert response.status_code == 204, response.text
    assert response.headers["upload-offset"] == str(total)
    growth_mib = (peak - baseline) / 1024**2
    print(f"1 GiB through tus in {elapsed:.1f} s; API RSS grew {growth_mib:.1f} MiB")
    assert growth_mib < 64, f"the API's memory grew {growth_mib:.0f} MiB for 1 GiB"
    media = service.data_dir / "media"
    stored = [p for p in media.rglob("*") if p.is_file() and p.stat().st_size == total]
    assert len(stored) == 1, "the completed file is in storage"
    assert service.client.delete(url, headers=TUS).status_code == 204
    assert not stored[0].exists()
    assert not any((service.data_dir / "uploads").iterdir())
