"""diarize=true on a job, through the API and the real worker code with the real models: speaker
labels in the transcript and its exports, progress that counts the labelling, the options'
checks, and the extra missing at submission and on a worker."""

from __future__ import annotations

import io
import re
import sys
import uuid
from pathlib import Path

import docx
import pytest
import srt
from fastapi.testclient import TestClient

from tests.support.jobs import get_job, submit_job
from transcriber.asr import diarize
from transcriber.jobs import tasks
from transcriber.jobs.tasks import run_job
from transcriber.realtime.models import Event
from transcriber.worker.context import WorkerContext

PICOVOICE = "picovoice_diarization_3speakers.wav"

needs_extra = pytest.mark.skipif(
    diarize.missing_dependency() is not None, reason="the diarization extra is not installed"
)


def _post(client: TestClient, path: Path, **options: str) -> tuple[int, str]:
    response = client.post(
        "/api/v1/jobs", files={"file": (path.name, path.read_bytes())}, data=options
    )
    return response.status_code, response.text


@needs_extra
def test_a_diarized_job_has_speakers_in_the_transcript_and_every_export(
    client: TestClient,
    worker: WorkerContext,
    speech_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tasks, "SPEAKER_PROGRESS_INTERVAL_S", 0.0)
    created = submit_job(client, speech_dir / PICOVOICE, diarize="true", max_speakers="5")
    assert (created["diarize"], created["min_speakers"], created["max_speakers"]) == (
        True,
        None,
        5,
    )
    job_id = uuid.UUID(created["id"])
    assert run_job(worker, job_id) == "completed"
    assert get_job(client, job_id)["status"] == "completed"

    transcript = client.get(f"/api/v1/jobs/{job_id}/transcript").json()
    speakers = [segment["speaker"] for segment in transcript["segments"]]
    assert speakers[0] == "SPEAKER_1"
    assert sorted(set(speakers)) == ["SPEAKER_1", "SPEAKER_2", "SPEAKER_3"], speakers
    first: dict[str, str] = {}
    for segment in transcript["segments"]:
        first.setdefault(segment["speaker"], segment["text"].lower())
    assert first["SPEAKER_1"].startswith("and so it begins")
    assert first["SPEAKER_2"].startswith("this is what a crocodile")
    assert first["SPEAKER_3"].startswith("ladies and gentlemen")

    txt = client.get(f"/api/v1/jobs/{job_id}/transcript.txt").text
    assert re.findall(r"\[(SPEAKER_\d)\]", txt) == speakers
    cues = list(srt.parse(client.get(f"/api/v1/jobs/{job_id}/transcript.srt").text))
    assert {m for c in cues for m in re.findall(r"\[(SPEAKER_\d)\]", c.content)} == set(speakers)
    document = docx.Document(
        io.BytesIO(client.get(f"/api/v1/jobs/{job_id}/transcript.docx").content)
    )
    bold = {run.text for p in document.paragraphs for run in p.runs if run.bold}
    assert {"SPEAKER_1: ", "SPEAKER_2: ", "SPEAKER_3: "} <= bold

    # Progress went past the transcription's share while the speakers were found, never back.
    with worker.sessions() as session:
        progress = [
            e.payload["progress"]
            for e in session.query(Event)
            .filter(Event.job_id == job_id, Event.type == "job.progress")
            .order_by(Event.id)
        ]
    assert progress == sorted(progress)
    assert any(p > tasks.TRANSCRIPTION_SHARE_WITH_SPEAKERS for p in progress), progress


@needs_extra
def test_speaker_bounds_reach_the_worker(
    client: TestClient, worker: WorkerContext, speech_dir: Path
) -> None:
    job_id = uuid.UUID(
        submit_job(
            client, speech_dir / PICOVOICE, diarize="true", min_speakers="2", max_speakers="2"
        )["id"]
    )
    assert run_job(worker, job_id) == "completed"
    segments = client.get(f"/api/v1/jobs/{job_id}/transcript").json()["segments"]
    assert {s["speaker"] for s in segments} == {"SPEAKER_1", "SPEAKER_2"}


def test_without_diarize_segments_have_no_speaker(
    client: TestClient, worker: WorkerContext, speech_dir: Path
) -> None:
    job_id = uuid.UUID(submit_job(client, speech_dir / "jfk.wav")["id"])
    assert run_job(worker, job_id) == "completed"
    segments = client.get(f"/api/v1/jobs/{job_id}/transcript").json()["segments"]
    assert segments and all(s["speaker"] is None for s in segments)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"diarize": "true", "min_speakers": "3", "max_speakers": "2"}, "more than max_speakers"),
        ({"diarize": "true", "min_speakers": "0"}, "min_speakers"),
        ({"diarize": "true", "max_speakers": "21"}, "max_speakers"),
        ({"diarize": "true", "max_speakers": "two"}, "max_speakers"),
        ({"diarize": "true", "min_speakers": "-1"}, "min_speakers"),
        ({"diarize": "true", "min_speakers": "1e9"}, "min_speakers"),
        ({"min_speakers": "2"}, "need diarize=true"),
        ({"diarize": "maybe"}, "diarize"),
    ],
)
def test_bad_speaker_options_are_a_clear_422(
    client: TestClient, speech_dir: Path, options: dict[str, str], message: str
) -> None:
    status, body = _post(client, speech_dir / "jfk.wav", **options)
    assert status == 422, body
    assert message in body


def test_bad_speaker_options_in_json_are_a_clear_422(client: TestClient) -> None:
    response = client.post(
        "/api/v1/jobs",
        json={
            "url": "https://example.org/a.mp3",
            "diarize": True,
            "min_speakers": 5,
            "max_speakers": 4,
        },
    )
    assert response.status_code == 422
    assert "more than max_speakers" in response.text


def test_without_the_extra_a_diarized_job_is_refused_at_submission(
    client: TestClient, speech_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "resemblyzer", None)  # `import resemblyzer` fails
    status, body = _post(client, speech_dir / "jfk.wav", diarize="true")
    assert status == 422
    assert "speaker labels need the diarization extra: pip install 'transcriber[diarization]'" in (
        body
    )
    assert client.get("/api/v1/jobs").json()["items"] == []  # nothing kept
    # Jobs without speaker labels still work.
    assert _post(client, speech_dir / "jfk.wav")[0] == 202


@needs_extra
def test_a_worker_without_the_extra_fails_the_job_with_the_reason(
    client: TestClient, worker: WorkerContext, speech_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    job_id = uuid.UUID(submit_job(client, speech_dir / "jfk.wav", diarize="true")["id"])
    monkeypatch.setitem(sys.modules, "resemblyzer", None)
    monkeypatch.setattr(diarize, "_encoder", None)
    assert run_job(worker, job_id) == "failed"
    job = get_job(client, job_id)
    assert job["status"] == "failed"
    assert "speaker labels need the diarization extra" in job["error"]
