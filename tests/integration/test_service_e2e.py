"""One file in, a transcript out: real API process, real worker process, real model.

Runs on the embedded default (SQLite + SQLite broker, worker started by `serve`) and on
PostgreSQL + Redis (API and worker as separate processes, as at scale).
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jiwer
import pytest
import srt
import webvtt

from tests.support.auth import setup_admin
from tests.support.databases import fresh_postgres_database, redis_test_db
from tests.support.processes import (
    free_port,
    running,
    transcriber_env,
    wait_for_job,
    wait_until_healthy,
)


def _normalise(text: str) -> str:
    return " ".join(
        "".join(c for c in text.lower() if c.isalnum() or c.isspace() or c == "'").split()
    )


def _wer(reference: str, hypothesis: str) -> float:
    return float(jiwer.wer(_normalise(reference), _normalise(hypothesis)))


@pytest.fixture(scope="module", params=["embedded", "postgres_redis"])
def service(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[httpx.Client]:
    tmp_path = tmp_path_factory.mktemp(request.param)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    settings = {"TRANSCRIBER_DATA_DIR": str(tmp_path / "data"), "TRANSCRIBER_ENVIRONMENT": "test"}
    log = tmp_path / "service.log"
    if request.param == "embedded":
        env = transcriber_env(settings)
        with running(["serve", "--port", str(port)], env, log) as api:
            wait_until_healthy(base_url, api, log)
            with httpx.Client(base_url=base_url, timeout=60) as client:
                setup_admin(client)
                yield client
        return
    with fresh_postgres_database() as database_url:
        settings |= {
            "TRANSCRIBER_DATABASE_URL": database_url,
            "TRANSCRIBER_BROKER_URL": redis_test_db(1),
            # A queue of its own keeps parallel runs on the shared Redis apart.
            "TRANSCRIBER_WORKER__QUEUES": f"e2e-{uuid.uuid4().hex[:8]}",
        }
        env = transcriber_env(settings)
        with (
            running(["serve", "--port", str(port), "--no-worker"], env, log) as api,
            running(["worker"], env, tmp_path / "worker.log"),
        ):
            wait_until_healthy(base_url, api, log)
            with httpx.Client(base_url=base_url, timeout=60) as client:
                setup_admin(client)
                yield client


def _submit(client: httpx.Client, path: Path, **options: str) -> dict[str, Any]:
    response = client.post(
        "/api/v1/jobs", files={"file": (path.name, path.read_bytes())}, data=options
    )
    assert response.status_code == 202, response.text
    job: dict[str, Any] = response.json()
    return job


def test_a_file_becomes_a_transcript_with_every_export(
    service: httpx.Client, speech_dir: Path, speech_manifest: dict[str, dict[str, Any]]
) -> None:
    sonnet = speech_dir / "librivox_shakespeare_sonnet001_en.mp3"
    job = _submit(service, sonnet, word_timestamps="true")
    done = wait_for_job(service, job["id"])
    assert done["status"] == "completed", done
    assert done["progress"] == 1.0
    assert done["language"] == "en"
    seen = done["_seen_progress"]
    assert isinstance(seen, list)
    assert seen == sorted(seen), "progress never goes backwards"
    assert done["started_at"] and done["finished_at"]

    transcript = service.get(f"/api/v1/jobs/{job['id']}/transcript").json()
    assert transcript["segments"], transcript
    assert transcript["segments"][0]["words"], "word timings were asked for"
    starts = [s["start"] for s in transcript["segments"]]
    assert starts == sorted(starts)
    reference = speech_manifest[sonnet.name]["reference"]
    # The reference is the book text, not verbatim; tiny.en measured about 0.15 here.
    assert _wer(reference, transcript["text"]) < 0.35

    exports = {
        fmt: service.get(f"/api/v1/jobs/{job['id']}/transcript.{fmt}")
        for fmt in ("txt", "srt", "vtt", "json", "tsv", "docx")
    }
    for fmt, response in exports.items():
        assert response.status_code == 200, (fmt, response.text)
        assert "librivox_shakespeare_sonnet001_en" in response.headers["content-disposition"]
    cues = list(srt.parse(exports["srt"].text))
    assert cues and cues[0].start.total_seconds() == pytest.approx(starts[0], abs=0.01)
    vtt = webvtt.from_buffer(io.StringIO(exports["vtt"].text))
    assert len(vtt.captions) == len(cues)
    as_json = json.loads(exports["json"].text)
    assert [s["text"] for s in as_json["segments"]] == [s["text"] for s in transcript["segments"]]
    rows = list(csv.reader(io.StringIO(exports["tsv"].text), delimiter="\t"))
    assert rows[0][:2] == ["start", "end"] and len(rows) == len(transcript["segments"]) + 1
    assert _normalise(exports["txt"].text) == _normalise(transcript["text"])


def test_silence_music_and_tiny_clips_end_cleanly(
    service: httpx.Client, speech_dir: Path, tmp_path: Path
) -> None:
    import wave

    silence = tmp_path / "silence.wav"
    with wave.open(str(silence), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(b"\x00\x00" * 16000 * 4)
    blip = tmp_path / "blip.wav"
    with wave.open(str(blip), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(b"\x00\x00" * 3200)
    video = speech_dir / "video_big_buck_bunny_small.mp4"
    jobs = [_submit(service, path) for path in (silence, blip, video)]
    texts = {}
    for job in jobs:
        done = wait_for_job(service, job["id"])
        assert done["status"] == "completed", done
        texts[job["filename"]] = service.get(f"/api/v1/jobs/{job['id']}/transcript").json()["text"]
    assert texts["silence.wav"].strip() == ""
    assert texts["blip.wav"].strip() == ""
    # The video's 5.1 music track decodes; at most a stray interjection, never sentences.
    assert len(texts[video.name].split()) <= 2, texts[video.name]
