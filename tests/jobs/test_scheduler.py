"""The fair-share scheduler, the reaper and the maintenance lease, on real SQLite and
PostgreSQL databases (rows made directly; no model, no broker: a recorder stands in)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.support.databases import fresh_postgres_database
from tests.support.workers import register_live_worker
from transcriber.config import Settings
from transcriber.jobs.models import Job
from transcriber.jobs.scheduler import JobScheduler, dispatch_waiting, maintain
from transcriber.jobs.service import JobService
from transcriber.kit.db import make_engine, make_sessionmaker, transaction, utcnow
from transcriber.kit.leases import acquire_lease
from transcriber.kit.migrate import upgrade
from transcriber.kit.storage import LocalStorage
from transcriber.users.models import User


@dataclass
class Recorder:
    sent: list[tuple[uuid.UUID, str]] = field(default_factory=list)
    fail: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def dispatch(self, job_id: uuid.UUID, queue: str) -> None:
        if self.fail:
            raise ConnectionError("broker down")
        with self.lock:
            self.sent.append((job_id, queue))


@dataclass
class Db:
    settings: Settings
    sessions: sessionmaker[Session]

    def user(self, email: str) -> uuid.UUID:
        with transaction(self.sessions) as session:
            user = User(email=email)
            session.add(user)
            session.flush()
            return user.id

    def job(
        self,
        owner: uuid.UUID,
        *,
        duration_s: float = 10.0,
        queue: str = "cpu",
        age_s: float = 0.0,
        **values: object,
    ) -> uuid.UUID:
        with transaction(self.sessions) as session:
            job = Job(
                owner_id=owner,
                filename="a.wav",
                media_key=f"{owner}/x/original.wav",
                duration_s=duration_s,
                model="tiny.en",
                queue=queue,
                created_at=utcnow() - timedelta(seconds=age_s),
                **values,
            )
            session.add(job)
            session.flush()
            return job.id

    def get(self, job_id: uuid.UUID) -> Job:
        with self.sessions() as session:
            job = session.get(Job, job_id)
            assert job is not None
            return job

    def set(self, job_id: uuid.UUID, **values: object) -> None:
        with transaction(self.sessions) as session:
            job = session.get(Job, job_id)
            assert job is not None
            for key, value in values.items():
                setattr(job, key, value)

    def release(self, recorder: Recorder, queue: str = "cpu") -> list[uuid.UUID]:
        before = len(recorder.sent)
        dispatch_waiting(self.sessions, self.settings, recorder, [queue])
        return [job_id for job_id, _ in recorder.sent[before:]]

    def finish(self, job_id: uuid.UUID) -> None:
        self.set(job_id, status="completed", finished_at=utcnow())


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Db]:
    settings = Settings(data_dir=tmp_path / "data", environment="test")
    if request.param == "sqlite":
        url = settings.resolved_database_url
        upgrade(url)
        engine = make_engine(url)
        yield Db(settings, make_sessionmaker(engine))
        engine.dispose()
        return
    with fresh_postgres_database() as url:
        upgrade(url)
        settings = settings.model_copy(update={"database_url": url})
        engine = make_engine(url)
        yield Db(settings, make_sessionmaker(engine))
        engine.dispose()


def test_one_users_batch_does_not_stand_before_another_users_job(db: Db) -> None:
    register_live_worker(db.sessions, db.settings, concurrency=2)
    alice, bob = db.user("alice@example.org"), db.user("bob@example.org")
    batch = [db.job(alice, age_s=100 - i) for i in range(10)]
    recorder = Recorder()
    # Alone, Alice may use the whole fleet: both slots, oldest first.
    assert db.release(recorder) == batch[:2]
    assert db.release(recorder) == []  # no free slot: the rest wait in the database
    bobs = db.job(bob)
    assert db.release(recorder) == []
    db.finish(batch[0])
    # The free slot goes to Bob (nothing in flight), not to Alice's third file.
    assert db.release(recorder) == [bobs]
    db.finish(batch[1])
    assert db.release(recorder) == [batch[2]]
    assert db.get(batch[3]).dispatched_at is None


def test_long_media_holds_only_its_share_and_short_goes_first(db: Db) -> None:
    db.settings.worker.long_job_s = 600
    register_live_worker(db.sessions, db.settings, concurrency=4)
    alice, bob = db.user("alice@example.org"), db.user("bob@example.org")
    long_jobs = [db.job(alice, duration_s=3 * 3600, age_s=100 - i) for i in range(4)]
    recorder = Recorder()
    # 0.75 of 4 slots: three long jobs at most; one slot stays for short work.
    assert db.release(recorder) == long_jobs[:3]
    assert db.release(recorder) == []
    short = db.job(bob, duration_s=30)
    assert db.release(recorder) == [short]
    # Within one user, short media goes before long media submitted earlier.
    db.finish(long_jobs[0])
    db.finish(short)
    carol = db.user("carol@example.org")
    carol_long = db.job(carol, duration_s=7200, age_s=50)
    carol_short = db.job(carol, duration_s=20, age_s=10)
    assert db.release(recorder) == [carol_short, carol_long]


def test_without_a_live_worker_one_job_waits_in_the_broker(db: Db) -> None:
    alice = db.user("alice@example.org")
    jobs = [db.job(alice, age_s=10 - i) for i in range(3)]
    recorder = Recorder()
    assert db.release(recorder) == jobs[:1]
    register_live_worker(db.sessions, db.settings, concurrency=3)
    assert db.release(recorder) == jobs[1:]


def test_queues_are_scheduled_apart(db: Db) -> None:
    register_live_worker(db.sessions, db.settings, queues=["gpu", "cpu"], concurrency=1)
    alice = db.user("alice@example.org")
    cpu_job, gpu_job = db.job(alice, queue="cpu"), db.job(alice, queue="gpu")
    recorder = Recorder()
    dispatch_waiting(db.sessions, db.settings, recorder)
    assert sorted(recorder.sent) == sorted([(cpu_job, "cpu"), (gpu_job, "gpu")])


def test_a_job_in_backoff_is_neither_released_nor_claimed(db: Db) -> None:
    alice = db.user("alice@example.org")
    later = db.job(alice, retry_at=utcnow() + timedelta(hours=1))
    recorder = Recorder()
    assert db.release(recorder) == []
    with transaction(db.sessions) as session:
        service = JobService(session, db.settings, LocalStorage(db.settings.media_dir), recorder)
        assert service.claim(later, "w1") is None
    db.set(later, retry_at=utcnow() - timedelta(seconds=1))
    assert db.release(recorder) == [later]


def test_a_broker_that_refuses_leaves_the_job_held_for_the_next_pass(db: Db) -> None:
    alice = db.user("alice@example.org")
    job_id = db.job(alice)
    refusing = Recorder(fail=True)
    assert dispatch_waiting(db.sessions, db.settings, refusing, ["cpu"]) == 0
    assert db.get(job_id).dispatched_at is None
    assert db.release(Recorder()) == [job_id]


def test_concurrent_passes_never_release_more_than_the_free_slots(db: Db) -> None:
    register_live_worker(db.sessions, db.settings, concurrency=3)
    users = [db.user(f"u{i}@example.org") for i in range(4)]
    for i in range(20):
        db.job(users[i % 4], age_s=100 - i)
    recorder = Recorder()
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []

    def pass_() -> None:
        try:
            barrier.wait()
            dispatch_waiting(db.sessions, db.settings, recorder, ["cpu"])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=pass_) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(recorder.sent) == 3
    assert len({job_id for job_id, _ in recorder.sent}) == 3


def _claim(db: Db, job_id: uuid.UUID, worker: str) -> None:
    with transaction(db.sessions) as session:
        service = JobService(session, db.settings, LocalStorage(db.settings.media_dir), Recorder())
        assert service.claim(job_id, worker) is not None


def _expire(db: Db, job_id: uuid.UUID) -> None:
    db.set(job_id, lease_expires_at=utcnow() - timedelta(seconds=1))


def test_the_reaper_requeues_a_lost_job_then_fails_it_with_a_reason(db: Db) -> None:
    alice = db.user("alice@example.org")
    job_id = db.job(alice)
    recorder = Recorder()
    for attempt in (1, 2):
        _claim(db, job_id, f"dead-worker-{attempt}")
        _expire(db, job_id)
        report = maintain(db.sessions, db.settings, recorder, "reaper")
        assert report is not None and report.requeued == 1
        job = db.get(job_id)
        assert (job.status, job.attempts, job.lease_owner) == ("queued", attempt, None)
        assert job.queue_reason is not None and "stopped responding" in job.queue_reason
        assert recorder.sent[-1] == (job_id, "cpu")  # sent again in the same tick
    _claim(db, job_id, "dead-worker-3")
    # A live lease is left alone.
    report = maintain(db.sessions, db.settings, recorder, "reaper")
    assert report is not None and report.requeued == report.failed == 0
    _expire(db, job_id)
    report = maintain(db.sessions, db.settings, recorder, "reaper")
    assert report is not None and report.failed == 1
    job = db.get(job_id)
    assert job.status == "failed"
    assert job.error is not None and "stopped responding 3 times" in job.error
    assert job.finished_at is not None
    # The owner's open pages hear of it like any other failure.
    from transcriber.realtime.models import Event

    with db.sessions() as session:
        events = session.execute(
            select(Event.type, Event.payload).where(Event.job_id == job_id).order_by(Event.id)
        ).all()
    # Each time it went back to the queue they heard that too, and why.
    queued = [payload for type_, payload in events if type_ == "job.queued"]
    assert [(q["attempts"], q["status"]) for q in queued] == [(1, "queued"), (2, "queued")]
    assert all("stopped responding" in q["reason"] for q in queued)
    assert events[-1][0] == "job.failed"


def test_jobs_the_broker_lost_are_sent_again(db: Db) -> None:
    db.settings.worker.redispatch_after_s = 60
    alice = db.user("alice@example.org")
    fresh = db.job(alice, dispatched_at=utcnow())
    lost = db.job(alice, dispatched_at=utcnow() - timedelta(minutes=5), age_s=600)
    # Nobody consumes `gpu` yet: its message is waiting, not lost, and is not copied.
    waiting = db.job(alice, queue="gpu", dispatched_at=utcnow() - timedelta(minutes=5))
    register_live_worker(db.sessions, db.settings, concurrency=2)
    recorder = Recorder()
    report = maintain(db.sessions, db.settings, recorder, "reaper")
    assert report is not None and report.redelivered == 1
    assert recorder.sent == [(lost, "cpu")]
    assert db.get(fresh).dispatched_at is not None
    assert db.get(waiting).dispatched_at is not None


def test_exactly_one_process_holds_the_maintenance_lease(db: Db) -> None:
    now = utcnow()
    with transaction(db.sessions) as session:
        assert acquire_lease(session, "duty", "a", 10, now)
    with transaction(db.sessions) as session:
        assert not acquire_lease(session, "duty", "b", 10, now)
        assert acquire_lease(session, "duty", "a", 10, now)  # the holder renews
    with transaction(db.sessions) as session:
        assert acquire_lease(session, "duty", "b", 10, now + timedelta(seconds=11))

    results: list[object] = []
    barrier = threading.Barrier(5)

    def contender(name: str) -> None:
        barrier.wait()
        results.append(maintain(db.sessions, db.settings, Recorder(), name))

    threads = [threading.Thread(target=contender, args=(f"p{i}",)) for i in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(result is not None for result in results) == 1


def test_cancel_is_atomic_and_marks_a_started_transcript_partial(db: Db) -> None:
    from transcriber.asr.types import Segment

    alice_id = db.user("alice@example.org")
    queued, running = db.job(alice_id), db.job(alice_id)
    _claim(db, running, "w1")
    with transaction(db.sessions) as session:
        service = JobService(session, db.settings, LocalStorage(db.settings.media_dir), Recorder())
        segment = Segment(start=0.0, end=1.0, text="hello")
        assert service.append_segments(running, "w1", 0, [segment], 0.1)
    with transaction(db.sessions) as session:
        service = JobService(session, db.settings, LocalStorage(db.settings.media_dir), Recorder())
        alice = session.get(User, alice_id)
        assert alice is not None
        assert service.cancel(alice, queued).partial is False
        cancelled = service.cancel(alice, running)
        assert (cancelled.status, cancelled.partial) == ("cancelled", True)
    with transaction(db.sessions) as session:
        service = JobService(session, db.settings, LocalStorage(db.settings.media_dir), Recorder())
        # The worker's next write finds the job gone from under it.
        assert not service.append_segments(running, "w1", 1, [segment], 0.2)
        assert not service.complete(running, "w1")
    assert db.get(running).status == "cancelled"


def test_a_retried_segment_write_never_doubles_segments(db: Db) -> None:
    from transcriber.asr.types import Segment
    from transcriber.transcripts.models import TranscriptSegment

    alice = db.user("alice@example.org")
    job_id = db.job(alice)
    _claim(db, job_id, "w1")
    batch = [Segment(start=float(i), end=i + 1.0, text=f"s{i}") for i in range(3)]
    for resume in (False, True):  # the second is a retry after an unknown outcome
        with transaction(db.sessions) as session:
            service = JobService(
                session, db.settings, LocalStorage(db.settings.media_dir), Recorder()
            )
            assert service.append_segments(job_id, "w1", 0, batch, 0.5, resume=resume)
    with db.sessions() as session:
        rows = session.scalars(
            select(TranscriptSegment.idx).where(TranscriptSegment.job_id == job_id)
        ).all()
    assert sorted(rows) == [0, 1, 2]


def test_segments_written_by_a_worker_are_folded_for_search(db: Db) -> None:
    from transcriber.asr.types import Segment
    from transcriber.transcripts.models import TranscriptSegment

    alice = db.user("alice@example.org")
    job_id = db.job(alice)
    _claim(db, job_id, "w1")
    with transaction(db.sessions) as session:
        service = JobService(session, db.settings, LocalStorage(db.settings.media_dir), Recorder())
        batch = [Segment(start=0.0, end=1.0, text=" Herr Müller, Đà Nẵng!")]
        assert service.append_segments(job_id, "w1", 0, batch, 0.5)
    with db.sessions() as session:
        stored = session.scalar(
            select(TranscriptSegment.search_text).where(TranscriptSegment.job_id == job_id)
        )
    assert stored == "herr muller da nang"


def test_a_transient_fault_queues_the_job_again_with_backoff(db: Db) -> None:
    db.settings.worker.retry_backoff_s = 30
    alice = db.user("alice@example.org")
    job_id = db.job(alice)
    for attempt in (1, 2):
        _claim(db, job_id, "w1")
        with transaction(db.sessions) as session:
            service = JobService(
                session, db.settings, LocalStorage(db.settings.media_dir), Recorder()
            )
            assert service.give_back(job_id, "w1", "out of memory") == "queued"
        job = db.get(job_id)
        assert job.status == "queued" and job.retry_at is not None
        wait = (job.retry_at - utcnow()).total_seconds()
        assert 30 * 2 ** (attempt - 1) - 5 < wait <= 30 * 2 ** (attempt - 1)
        db.set(job_id, retry_at=utcnow() - timedelta(seconds=1))
    _claim(db, job_id, "w1")
    with transaction(db.sessions) as session:
        service = JobService(session, db.settings, LocalStorage(db.settings.media_dir), Recorder())
        assert service.give_back(job_id, "w1", "out of memory") == "failed"
        assert service.give_back(job_id, "w1", "again") is None  # not this worker's any more
    job = db.get(job_id)
    assert job.status == "failed"
    assert job.error is not None and "3 attempts" in job.error and "out of memory" in job.error


def test_the_scheduler_reports_capacity_from_live_workers_only(db: Db) -> None:
    register_live_worker(db.sessions, db.settings, queues=["cpu"], concurrency=3)
    register_live_worker(db.sessions, db.settings, queues=["gpu", "cpu"], concurrency=2)
    stale = register_live_worker(db.sessions, db.settings, queues=["cpu"], concurrency=5)
    from transcriber.workers.models import Worker

    with transaction(db.sessions) as session:
        row = session.get(Worker, stale)
        assert row is not None
        row.last_heartbeat_at = utcnow() - timedelta(seconds=db.settings.worker.lease_s + 1)
    with db.sessions() as session:
        scheduler = JobScheduler(session, db.settings)
        assert scheduler.capacity("cpu", utcnow()) == 5
        assert scheduler.capacity("gpu", utcnow()) == 2
        assert scheduler.capacity("gp", utcnow()) == 1  # no live worker: one slot
