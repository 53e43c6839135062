"""Jobs at scale, end to end: API servers and Celery workers as real processes, sharing a
private PostgreSQL cluster, a private Redis and a storage folder; the real tiny.en model on
real speech. Workers are killed, Redis restarted and database connections cut while jobs run,
and nothing is lost or done twice (docs/scaling.md)."""

from __future__ import annotations

import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.fleet import Fleet, admin_clients, completions_in_logs, fleet
from tests.support.servers import PrivatePostgres, PrivateRedis

pytestmark = [pytest.mark.slow, pytest.mark.timeout(400)]

SHORT_FILES = [
    "jfk.wav",
    "librispeech_dev-clean_1272-128104-0000.wav",
    "librispeech_dev-clean_2412-153948-0000.flac",
    "hifitts_6097_astralplane_03_leadbeater_0639.wav",
    "hifitts_6097_hartmann_12_fawcett_0088.wav",
    "hifitts_6097_nada_lily_12_haggard_0523.wav",
    "hifitts_6097_roots_04_morris_0057.wav",
    "hifitts_6097_swag_05_tompkins_0390.wav",
    "fleurs_en_002.ogg",
    "fleurs_en_005.ogg",
]
SONNET = "librivox_shakespeare_sonnet001_en.mp3"  # 53 s
APOLLO = "apollo11_air_to_ground_8khz.mp3"  # 89 s


@pytest.fixture(scope="module")
def postgres() -> Iterator[PrivatePostgres]:
    server = PrivatePostgres()
    server.start()
    yield server
    server.destroy()


@pytest.fixture(scope="module")
def redis() -> Iterator[PrivateRedis]:
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def database_url(postgres: PrivatePostgres) -> Iterator[str]:
    with postgres.database() as url:
        yield url


def _submit(client: httpx.Client, path: Path) -> uuid.UUID:
    response = client.post("/api/v1/jobs", files={"file": (path.name, path.read_bytes())})
    assert response.status_code == 202, response.text
    return uuid.UUID(response.json()["id"])


def _assert_each_completed_once(f: Fleet, ids: list[uuid.UUID]) -> None:
    jobs = f.wait_all_finished(ids)
    assert {j.status for j in jobs} == {"completed"}, [
        (j.filename, j.status, j.error) for j in jobs
    ]
    for job in jobs:
        segments = f.segments(job.id)
        assert [idx for idx, _, _ in segments] == list(range(len(segments))), job.filename
        keys = [(start, text) for _, start, text in segments]
        assert len(keys) == len(set(keys)), f"duplicate segments in {job.filename}"
        starts = [start for _, start, _ in segments]
        assert starts == sorted(starts)
        assert segments, f"{job.filename} has no transcript"
        assert job.partial is False and job.progress == 1.0
    completed = completions_in_logs(f.worker_logs())
    assert {str(i): 1 for i in ids} == {k: v for k, v in completed.items() if uuid.UUID(k) in ids}


def test_a_worker_killed_mid_job_loses_nothing_and_repeats_nothing(
    tmp_path: Path, database_url: str, redis: PrivateRedis, speech_dir: Path
) -> None:
    with fleet(tmp_path, database_url, redis.url) as f:
        workers = [f.start_worker(), f.start_worker()]
        apis = f.start_apis(2)
        f.wait_for_workers(2)
        clients = admin_clients(apis)
        long_id = _submit(clients[0], speech_dir / SONNET)
        holder = f.wait_for(long_id, lambda j: j.status == "running", what="running")
        # Killed at once: on a quiet machine the 53 s file takes only a few seconds.
        pid = f.pid_of_lease_owner(long_id)
        assert pid is not None and holder.lease_owner is not None
        victim = f.process_by_pid(pid)
        f.kill(victim)
        assert victim in workers
        assert f.job(long_id).status == "running"  # until its lease runs out
        ids = [long_id] + [
            _submit(clients[i % 2], speech_dir / name) for i, name in enumerate(SHORT_FILES[:9])
        ]
        _assert_each_completed_once(f, ids)
        rerun = f.job(long_id)
        assert rerun.attempts == 2
        assert rerun.lease_owner is None
        # Every job went through one of the two APIs and is visible through both.
        for client in clients:
            listed = client.get("/api/v1/jobs", params={"limit": 50}).json()["items"]
            assert {item["id"] for item in listed} == {str(i) for i in ids}


def test_redis_restarts_and_dropped_database_connections_heal_by_themselves(
    tmp_path: Path, postgres: PrivatePostgres, speech_dir: Path, long_speech: Path
) -> None:
    redis = PrivateRedis()
    redis.start()
    try:
        # The sequential decoder on three minutes, so the job is seen mid-way (the batched
        # default hands a short file over in one step).
        with (
            postgres.database() as url,
            fleet(tmp_path, url, redis.url, whisper__batch_size="0") as f,
        ):
            f.start_worker()
            f.start_worker()
            (api,) = f.start_apis()
            f.wait_for_workers(2)
            (client,) = admin_clients([api])
            ids = [_submit(client, long_speech)]
            f.wait_for(ids[0], lambda j: j.status == "running", what="running")
            ids += [_submit(client, speech_dir / name) for name in SHORT_FILES[:7]]
            # Queued work in the broker and running work in the workers: the broker forgets
            # every message (no persistence) and comes back.
            assert any(j.status == "queued" for j in f.jobs(ids))
            redis.restart()
            # Mid-job, every database connection of the fleet is cut.
            f.wait_for(ids[0], lambda j: j.progress > 0, what="writing segments")
            assert f.job(ids[0]).status == "running"
            assert postgres.terminate_backends(url) > 0
            time.sleep(1.5)
            postgres.terminate_backends(url)
            _assert_each_completed_once(f, ids)
            assert client.get("/api/v1/jobs").status_code == 200  # the API healed too
    finally:
        redis.stop()


def test_cancel_frees_the_worker_and_a_failed_job_can_be_retried(
    tmp_path: Path, database_url: str, redis: PrivateRedis, speech_dir: Path, long_speech: Path
) -> None:
    # The sequential decoder on three minutes, so the job is cancelled mid-way (the batched
    # default hands a short file over in one step).
    with fleet(tmp_path, database_url, redis.url, whisper__batch_size="0") as f:
        f.start_worker()
        (api,) = f.start_apis()
        f.wait_for_workers(1)
        (client,) = admin_clients([api])
        long_id = _submit(client, long_speech)
        f.wait_for(long_id, lambda j: j.status == "running" and j.progress > 0, what="started")
        # Queued behind it, a job whose media breaks in storage before it runs.
        broken_id = _submit(client, speech_dir / "jfk.wav")
        media = Path(f.settings().media_dir) / str(f.job(broken_id).media_key)
        original = media.read_bytes()
        media.write_bytes(b"not audio any more" * 100)

        cancelled_at = time.monotonic()
        response = client.post(f"/api/v1/jobs/{long_id}/cancel")
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "cancelled"
        # The worker stops within seconds and takes the next job (POLL_S plus the segment
        # being decoded; generous here, a shared two-core machine can be very slow;
        # tests/jobs/test_worker.py holds the tight bound).
        broken = f.wait_for(
            broken_id, lambda j: j.status != "queued", timeout_s=30, what="started after the cancel"
        )
        assert time.monotonic() - cancelled_at < 15
        cancelled = f.job(long_id)
        assert cancelled.status == "cancelled" and cancelled.partial
        kept = f.segments(long_id)
        assert kept and [idx for idx, _, _ in kept] == list(range(len(kept)))
        transcript = client.get(f"/api/v1/jobs/{long_id}/transcript").json()
        assert len(transcript["segments"]) == len(kept)
        assert client.get(f"/api/v1/jobs/{long_id}").json()["partial"] is True

        broken = f.wait_for(broken_id, lambda j: j.status == "failed", what="failed")
        assert broken.error and "Traceback" not in broken.error
        assert broken.attempts == 1  # bad media is not retried automatically
        shutil.copyfile(media, media.with_suffix(".bad"))
        media.write_bytes(original)
        retried = client.post(f"/api/v1/jobs/{broken_id}/retry")
        assert retried.status_code == 202, retried.text
        done = f.wait_for(broken_id, lambda j: j.status == "completed", what="completed")
        assert done.error is None and f.segments(broken_id)


def test_a_job_whose_worker_dies_three_times_fails_with_a_reason(
    tmp_path: Path, database_url: str, redis: PrivateRedis, speech_dir: Path
) -> None:
    with fleet(tmp_path, database_url, redis.url) as f:
        workers = [f.start_worker() for _ in range(3)]
        # A worker on another queue keeps the scheduler's maintenance going once all three
        # are dead.
        f.start_worker(queues="elsewhere")
        (api,) = f.start_apis()
        f.wait_for_workers(3)
        f.wait_for_workers(1, queue="elsewhere")
        (client,) = admin_clients([api])
        job_id = _submit(client, speech_dir / APOLLO)
        for attempt in (1, 2, 3):
            f.wait_for(
                job_id,
                lambda j, n=attempt: j.status == "running" and j.attempts == n,
                timeout_s=60,
                what=f"running (attempt {attempt})",
            )
            pid = f.pid_of_lease_owner(job_id)
            assert pid is not None
            victim = f.process_by_pid(pid)
            assert victim in workers
            f.kill(victim)
            # The job may be queued again and claimed by the next worker between two polls,
            # so "reaped" is "this attempt is over", not "seen queued".
            f.wait_for(
                job_id,
                lambda j, n=attempt: not (j.status == "running" and j.attempts == n),
                timeout_s=30,
                what="reaped",
            )
        job = client.get(f"/api/v1/jobs/{job_id}").json()
        assert job["status"] == "failed", job
        assert job["attempts"] == 3
        assert "stopped responding 3 times" in job["error"]
        assert not any(w.alive() for w in workers)


def test_a_long_job_does_not_block_another_users_short_jobs(
    tmp_path: Path, database_url: str, redis: PrivateRedis, speech_dir: Path
) -> None:
    with fleet(tmp_path, database_url, redis.url, worker__long_job_s="60") as f:
        f.start_worker()
        f.start_worker()
        f.wait_for_workers(2)
        alice, bob = f.user("alice@example.org"), f.user("bob@example.org")
        long_id = f.submit_as(alice, speech_dir / APOLLO)
        f.wait_for(long_id, lambda j: j.status == "running", what="running")
        batch = [f.submit_as(alice, speech_dir / name) for name in SHORT_FILES[:8]]
        f.wait_for(batch[0], lambda j: j.status == "running", what="running")
        # Both workers are busy with Alice's work and seven of her files wait.
        bobs = f.submit_as(bob, speech_dir / "hifitts_6097_presentpictureofnsw_01_mann_0160.wav")
        submitted_at = f.job(bobs).created_at
        done = f.wait_for(bobs, lambda j: j.status == "completed", timeout_s=120, what="done")
        assert done.dispatched_at is not None
        # Bob's file took the first free slot: none of Alice's waiting files was sent to the
        # broker after Bob's arrived and before his...
        jumped = [
            j
            for j in f.jobs(batch)
            if j.dispatched_at is not None and submitted_at < j.dispatched_at < done.dispatched_at
        ]
        assert jumped == [], [j.filename for j in jumped]
        # ...and it was done while most of Alice's batch still waited.
        waiting = [j for j in f.jobs(batch) if j.status == "queued"]
        assert len(waiting) >= 3
        f.wait_all_finished([long_id, *batch, bobs], timeout_s=300)
