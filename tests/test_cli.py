"""The `transcriber` command as a person runs it: real processes, the real model."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import srt

from tests.support.processes import free_port, running, transcriber_env, wait_until_healthy


def _run(
    args: list[str], tmp_path: Path, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = transcriber_env({"TRANSCRIBER_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "120"})
    return subprocess.run(
        [sys.executable, "-m", "transcriber", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_transcribe_several_files_to_srt_in_an_output_folder(
    tmp_path: Path, speech_dir: Path
) -> None:
    out = tmp_path / "subs"
    result = _run(
        [
            "transcribe",
            str(speech_dir / "jfk.flac"),
            str(speech_dir / "ljspeech_LJ002-0020.wav"),
            "--format",
            "srt",
            "--output",
            str(out),
            "--language",
            "en",
        ],
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "x realtime" in result.stderr
    jfk = list(srt.parse((out / "jfk.srt").read_text()))
    text = " ".join(cue.content for cue in jfk).lower()
    assert "ask not what your country can do for you" in text
    assert jfk[0].start.total_seconds() < jfk[-1].end.total_seconds() <= 11.1
    assert (out / "ljspeech_LJ002-0020.srt").read_text().strip()


def test_bad_files_and_options_fail_with_a_reason(tmp_path: Path, speech_dir: Path) -> None:
    fake = tmp_path / "notes.mp3"
    fake.write_text("not audio at all\n" * 50)
    result = _run(["transcribe", str(fake), "--output", str(tmp_path)], tmp_path)
    assert result.returncode == 1
    assert "notes.mp3" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "notes.txt").exists()

    bad_format = _run(["transcribe", str(speech_dir / "jfk.wav"), "--format", "pdf"], tmp_path)
    assert bad_format.returncode == 2
    assert "format" in bad_format.stderr

    translate = _run(
        [
            "transcribe",
            str(speech_dir / "jfk.wav"),
            "--task",
            "translate",
            "--output",
            str(tmp_path),
        ],
        tmp_path,
    )
    assert translate.returncode != 0
    assert "Traceback" not in translate.stderr and "translat" in translate.stderr.lower()


def test_models_db_and_users_commands(tmp_path: Path) -> None:
    listed = _run(["models", "list"], tmp_path)
    assert listed.returncode == 0 and "tiny.en" in listed.stdout
    assert _run(["db", "upgrade"], tmp_path).returncode == 0
    made = _run(
        ["users", "create", "--email", "ops@example.org", "--password-stdin", "--admin"],
        tmp_path,
        stdin="a long enough passphrase\n",
    )
    assert made.returncode == 0, made.stderr
    assert "ops@example.org" in made.stderr
    again = _run(
        ["users", "create", "--email", "ops@example.org", "--password-stdin"],
        tmp_path,
        stdin="a long enough passphrase\n",
    )
    assert again.returncode == 2 and "already exists" in again.stderr
    assert os.access(tmp_path / "data" / "transcriber.db", os.R_OK)


def test_operator_actions_leave_exactly_one_audit_row_each(tmp_path: Path) -> None:
    def actions() -> Counter[str]:
        with sqlite3.connect(tmp_path / "data" / "transcriber.db") as database:
            rows = database.execute("SELECT action, user_agent FROM audit_events").fetchall()
        return Counter(action for action, _ in rows)

    made = _run(
        ["users", "create", "--email", "ops@example.org", "--password-stdin", "--admin"],
        tmp_path,
        stdin="a long enough passphrase\n",
    )
    assert made.returncode == 0, made.stderr
    backup = _run(["backup", "create"], tmp_path)
    assert backup.returncode == 0, backup.stderr
    assert actions() == Counter({"user.created": 1, "backup.created": 1})

    archive = next((tmp_path / "data" / "backups").glob("backup-*.tar.gz"))
    restored = _run(["backup", "restore", str(archive)], tmp_path)
    assert restored.returncode == 0, restored.stderr
    # The snapshot was taken before its own `backup.created` row; the restore adds its row.
    assert actions() == Counter({"user.created": 1, "backup.restored": 1})


def test_transcribe_with_speaker_labels(tmp_path: Path, speech_dir: Path) -> None:
    from transcriber.asr.diarize import missing_dependency

    if missing_dependency() is not None:
        import pytest

        pytest.skip("the diarization extra is not installed")
    name = "picovoice_diarization_3speakers.wav"
    result = _run(
        ["transcribe", str(speech_dir / name), "--diarize", "--output", str(tmp_path)], tmp_path
    )
    assert result.returncode == 0, result.stderr + result.stdout
    text = (tmp_path / name.replace(".wav", ".txt")).read_text()
    assert text.startswith("[SPEAKER_1] And so it begins")
    assert {"[SPEAKER_2]", "[SPEAKER_3]"} <= set(text.split())
    two = _run(
        [
            "transcribe",
            str(speech_dir / name),
            "--diarize",
            "--max-speakers",
            "2",
            "--output",
            str(tmp_path / "two"),
        ],
        tmp_path,
    )
    assert two.returncode == 0, two.stderr
    assert "[SPEAKER_3]" not in (tmp_path / "two" / name.replace(".wav", ".txt")).read_text()
    bad = _run(
        [
            "transcribe",
            str(speech_dir / "jfk.wav"),
            "--diarize",
            "--min-speakers",
            "3",
            "--max-speakers",
            "2",
        ],
        tmp_path,
    )
    assert bad.returncode == 2
    assert "more than max_speakers" in " ".join((bad.stdout + bad.stderr).split())


def test_serve_and_worker_write_json_lines_when_asked(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = transcriber_env(
        {
            "TRANSCRIBER_DATA_DIR": str(tmp_path / "data"),
            "TRANSCRIBER_LOG_FORMAT": "json",
            "TRANSCRIBER_PORT": str(port),
            "TRANSCRIBER_WORKER__HEARTBEAT_S": "1",
        }
    )
    api_log, worker_log = tmp_path / "api.log", tmp_path / "worker.log"
    api_key = "wt_0123456789ab_c2VjcmV0LXZhbHVlLW5ldmVyLWxvZ2dlZA"
    with running(["serve", "--no-worker"], env, api_log) as api:
        wait_until_healthy(base, api, api_log)
        refused = httpx.get(
            f"{base}/api/v1/auth/me",
            headers={"X-Request-ID": "cli-json-1", "Authorization": f"Bearer {api_key}"},
        )
        assert refused.status_code == 401
        assert refused.headers["x-request-id"] == "cli-json-1"
        with running(["worker", "--concurrency", "1"], env, worker_log) as worker:
            deadline = time.monotonic() + 120
            while httpx.get(f"{base}/readyz").status_code != 200:  # the worker is live
                assert worker.poll() is None, worker_log.read_text()[-4000:]
                assert time.monotonic() < deadline, worker_log.read_text()[-4000:]
                time.sleep(0.5)

    api_lines, worker_lines = _json_lines(api_log), _json_lines(worker_log)
    (request,) = [line for line in api_lines if line.get("request_id") == "cli-json-1"]
    assert request["route"] == "/api/v1/auth/me" and request["status"] == 401
    assert "c2VjcmV0" not in api_log.read_text()
    assert any(line["logger"].startswith("uvicorn") for line in api_lines)
    assert any(line["logger"].startswith("celery") for line in worker_lines)


# Celery prints this itself when it is stopped, outside logging.
CELERY_SHUTDOWN_NOTICE = "worker: Warm shutdown (MainProcess)"


def _json_lines(log: Path) -> list[dict[str, Any]]:
    """Every line of the log as JSON, each with the four fields every record carries."""
    lines = [line for line in log.read_text().splitlines() if line.strip()]
    parsed = [json.loads(line) for line in lines if line != CELERY_SHUTDOWN_NOTICE]
    assert parsed, log
    for line in parsed:
        assert {"time", "level", "logger", "message"} <= line.keys(), line
    return parsed


def test_serve_with_two_processes_reports_the_requests_of_both(tmp_path: Path) -> None:
    from prometheus_client.parser import text_string_to_metric_families

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = transcriber_env(
        {"TRANSCRIBER_DATA_DIR": str(tmp_path / "data"), "TRANSCRIBER_PORT": str(port)}
    )

    def healthz_count() -> float:
        text = httpx.get(f"{base}/metrics").text
        return sum(
            sample.value
            for family in text_string_to_metric_families(text)
            for sample in family.samples
            if sample.name == "transcriber_http_requests_total"
            and sample.labels["route"] == "/healthz"
        )

    log = tmp_path / "api.log"
    folders_before = set(Path(tempfile.gettempdir()).glob("transcriber-metrics-*"))
    with running(["serve", "--no-worker", "--workers", "2"], env, log) as api:
        # Two processes import the whole app at once: slow on a busy 2-core machine.
        wait_until_healthy(base, api, log, timeout_s=180)
        before = healthz_count()
        for _ in range(40):  # a new connection each: the two processes share them
            assert httpx.get(f"{base}/healthz").status_code == 200
        # Whichever process answers the scrape, it reports both processes' requests.
        assert {healthz_count() for _ in range(6)} == {before + 40}
    # The processes' counters went with them.
    assert set(Path(tempfile.gettempdir()).glob("transcriber-metrics-*")) <= folders_before
