"""Live events: how many signed-in WebSockets one API process holds, and how fast a progress
event reaches every one of them.

For each delivery path (`polling`: no Redis, the API reads the events table every
`events.poll_interval_s`; `redis`: `TRANSCRIBER_REDIS_URL` set, the writer's after-commit
publish wakes the API) and each step (1,000, 2,000, 4,000, ... connections, until connections
fail or are dropped, or p99 latency passes `P99_LIMIT_S`):

1. a fresh `transcriber serve --no-worker` on an empty data dir (SQLite), signed in through
   `POST /api/v1/auth/setup`; `--users - 1` more accounts made through
   `POST /api/v1/admin/users` and signed in through `POST /api/v1/auth/login`; the connections
   are spread evenly over the accounts (`TRANSCRIBER_EVENTS__MAX_CONNECTIONS_PER_USER` raised
   to fit);
2. a client process (one asyncio loop, the `websockets` library, uvloop) opens the N
   connections `HANDSHAKE_BATCH` handshakes at a time, each signed in by the
   `["bearer", token]` subprotocol, and waits for each one's `ready`;
3. a writer process, as a worker would be, makes one running job per account, then every
   100 ms records one `job.progress` per job through `EventService.record` in its own
   `kit.db.transaction` against the same database (the wall-clock send time in the payload,
   the commit time noted by an after-commit hook) for `--seconds`;
4. every connection reads every event; latency is the receipt time minus the writer's commit
   time (same machine, same clock). An event is lost when it was committed after the
   connection's `ready` and never arrived: nothing more came for `QUIET_S`, or (late rather
   than lost) it was still on its way `DRAIN_CAP_S` after the writer stopped. A progress
   event that a newer progress of the same job replaced before it was sent is skipped by
   design (a connection that falls behind gets the newest state, not every step): it is
   counted as superseded, not lost, when a later event of that job reached the connection
   (each account has one job here).

Server RSS and CPU are read with psutil on `serve` and its children.

    .venv/bin/python -m bench.live_events [--quick] [--steps 1000,2000,4000,8000]
        [--seconds 20] [--users 10] [--modes polling,redis] [--no-write]
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.metadata
import json
import math
import os
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from array import array
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx

from bench._common import (
    REPO_ROOT,
    WORK_DIR,
    RunInfo,
    base_parser,
    log,
    markdown_table,
    nproc,
    print_table,
    stop_process_group,
    update_results,
)

KEY = "live_events"
INTERVAL_S = 0.1  # one progress event per job this often (--interval)
HANDSHAKE_BATCH = 100  # WebSocket handshakes in flight at once
P99_LIMIT_S = 3.0  # a step whose p99 latency passes this is the last one (--p99-limit)
DRAIN_CAP_S = 30.0  # after the writer stops, wait at most this long for late events
QUIET_S = 3.0  # ... or until nothing arrived for this long
REDIS_URL = "redis://127.0.0.1:6379/9"
BUDGET_S = 270.0  # no new step of a mode starts after this long (the run stays near 10 min)
LOG_DIR = WORK_DIR / "live_events"  # the servers' logs of the last run (gitignored)
PASSWORD = "live-events-" + secrets.token_urlsafe(12)


# --- the writer: a separate process, as a worker would be -----------------------------------------


def _stamper(into: list[float]) -> Callable[[], None]:
    def stamp() -> None:
        into.append(time.time())

    return stamp


def writer_main(config_path: Path) -> int:
    """Make a running job per account, then record `job.progress` for each every interval."""
    from transcriber.config import Settings
    from transcriber.jobs.models import Job
    from transcriber.kit.db import make_engine, make_sessionmaker, transaction, utcnow
    from transcriber.realtime.service import EventService
    from transcriber.worker.enqueue import after_commit

    config: dict[str, Any] = json.loads(config_path.read_text())
    settings = Settings(_env_file=None)  # TRANSCRIBER_DATA_DIR (and _REDIS_URL) from the env
    sessions = make_sessionmaker(make_engine(settings.resolved_database_url))
    owners = [uuid.UUID(u) for u in config["owners"]]
    with transaction(sessions) as session:
        jobs = [
            Job(
                owner_id=owner,
                filename="live-events-bench.wav",
                model="tiny.en",
                status="running",
                duration_s=600.0,
                started_at=utcnow(),
            )
            for owner in owners
        ]
        session.add_all(jobs)
        session.flush()
        job_ids = [job.id for job in jobs]

    interval = float(config["interval"])
    ticks = max(1, round(float(config["seconds"]) / interval))
    events: list[tuple[int, int, float, float]] = []  # id, account, sent, committed
    late_s: list[float] = []
    start = time.time() + 0.2
    for tick in range(ticks):
        due = start + tick * interval
        pause = due - time.time()
        if pause > 0:
            time.sleep(pause)
        late_s.append(time.time() - due)
        for user, (owner, job_id) in enumerate(zip(owners, job_ids, strict=True)):
            stamp: list[float] = []
            with transaction(sessions) as session:
                # Registered before `record` registers its Redis publish: runs first.
                after_commit(session, _stamper(stamp))
                sent = time.time()
                event = EventService(session, settings).record(
                    owner,
                    job_id,
                    "job.progress",
                    {
                        "progress": round((tick + 1) / ticks, 4),
                        "speed": None,
                        "eta_s": None,
                        "sent_at": sent,
                    },
                )
                event_id = int(event.id)
            events.append((event_id, user, sent, stamp[0]))
    Path(config["out"]).write_text(
        json.dumps({"events": events, "late_s": late_s, "ticks": ticks, "interval": interval})
    )
    return 0


# --- the clients: one asyncio process ------------------------------------------------------------


@dataclass(slots=True)
class _Conn:
    user: int
    ready_id: int = -1
    ready_at: float = 0.0
    ids: array[int] = field(default_factory=lambda: array("q"))
    times: array[float] = field(default_factory=lambda: array("d"))
    closed_at: float | None = None
    close_code: int | None = None
    error: str | None = None


def _emit(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


async def _read(ws: Any, conn: _Conn) -> None:
    from websockets.exceptions import ConnectionClosed

    ids, times = conn.ids, conn.times
    try:
        async for raw in ws:
            now = time.time()
            event_id = json.loads(raw).get("id")
            if event_id is not None:
                ids.append(event_id)
                times.append(now)
    except ConnectionClosed:
        pass
    except Exception as exc:
        conn.error = f"read: {type(exc).__name__}: {exc}"[:200]
    conn.closed_at = time.time()
    conn.close_code = ws.close_code


async def _open(
    url: str, token: str, conn: _Conn, sockets: list[Any], compression: str | None
) -> None:
    from websockets.asyncio.client import connect
    from websockets.typing import Subprotocol

    try:
        ws = await connect(
            url,
            subprotocols=[Subprotocol("bearer"), Subprotocol(token)],
            open_timeout=120,
            ping_interval=None,  # a browser does not ping; the client still answers the server
            close_timeout=1,
            proxy=None,
            compression=compression,
        )
        first = json.loads(await asyncio.wait_for(ws.recv(), 120))
        if first.get("type") != "ready":
            raise RuntimeError(f"first message {first!r}")
    except Exception as exc:
        conn.error = f"{type(exc).__name__}: {exc}"[:200]
        return
    conn.ready_id = int(first["last_event_id"])
    conn.ready_at = time.time()
    # Keep the socket and its reader referenced (a task only weakly held may be collected).
    sockets.append((ws, asyncio.get_running_loop().create_task(_read(ws, conn))))


async def _clients(config: dict[str, Any]) -> None:
    url: str = config["url"]
    tokens: list[str] = config["tokens"]
    n = int(config["connections"])
    compression: str | None = config.get("compression") or None
    conns = [_Conn(user=i % len(tokens)) for i in range(n)]
    sockets: list[Any] = []
    t0 = time.perf_counter()
    for start in range(0, n, HANDSHAKE_BATCH):
        batch = range(start, min(n, start + HANDSHAKE_BATCH))
        await asyncio.gather(
            *(_open(url, tokens[conns[i].user], conns[i], sockets, compression) for i in batch)
        )
    connect_s = time.perf_counter() - t0
    errors = Counter(c.error for c in conns if c.error)
    _emit(
        {
            "connected": sum(c.ready_id >= 0 for c in conns),
            "connect_s": connect_s,
            "errors": errors.most_common(5),
        }
    )

    loop = asyncio.get_running_loop()
    line = await loop.run_in_executor(None, sys.stdin.readline)
    writer: dict[str, Any] = json.loads(Path(line.split(maxsplit=1)[1].strip()).read_text())
    result = await _drain_and_count(conns, writer)
    _emit(result | {"connect_s": connect_s})
    # Done: leave without closing thousands of sockets one by one (the server goes next).
    sys.stdout.flush()
    os._exit(0)


async def _drain_and_count(conns: Sequence[_Conn], writer: dict[str, Any]) -> dict[str, Any]:
    """Wait for late events, then latency of every receipt and what never arrived."""
    import numpy as np

    events = np.array(writer["events"], dtype=np.float64).reshape(-1, 4)
    ids = events[:, 0].astype(np.int64)
    users = events[:, 1].astype(np.int64)
    committed = np.full(int(ids.max()) + 1 if ids.size else 1, np.nan)
    committed[ids] = events[:, 3]
    sent_to_commit = events[:, 3] - events[:, 2]
    per_user = {u: ids[users == u] for u in range(int(users.max()) + 1 if ids.size else 0)}

    def expected(c: _Conn) -> int:
        mine = per_user.get(c.user)
        return 0 if mine is None else int((mine > c.ready_id).sum())

    ready = [c for c in conns if c.ready_id >= 0]
    want = {id(c): expected(c) for c in ready}
    t_drain = time.time()
    last_total, quiet_since = -1, t_drain
    # How the wait ended: everything arrived; nothing more came for QUIET_S (what is missing
    # is lost); or the cap, with events still arriving (what is missing is late, not lost).
    drain_end = "complete"
    while True:
        now = time.time()
        waiting = [c for c in ready if c.closed_at is None and len(c.ids) < want[id(c)]]
        total = sum(len(c.ids) for c in ready)
        if not waiting:
            break
        if total != last_total:
            last_total, quiet_since = total, now
        elif now - quiet_since > QUIET_S:
            drain_end = "quiet"
            break
        if now - t_drain > DRAIN_CAP_S:
            drain_end = "cap"
            break
        await asyncio.sleep(0.2)
    drain_s = time.time() - t_drain

    latencies: list[Any] = []
    to_all = np.full(committed.size, np.nan)  # per event: commit to its last receipt
    reached = np.zeros(committed.size, dtype=np.int64)  # per event: connections it reached
    lost = duplicates = superseded = 0
    for c in ready:
        got = np.frombuffer(c.ids, dtype=np.int64)
        at = np.frombuffer(c.times, dtype=np.float64)
        known = (got > 0) & (got < committed.size)
        got, at = got[known], at[known]
        lat = at - committed[got]
        latencies.append(lat[~np.isnan(lat)])
        np.fmax.at(to_all, got, lat)
        unique = np.unique(got)
        reached[unique] += 1
        duplicates += int(got.size - unique.size)
        mine = per_user.get(c.user, np.zeros(0, dtype=np.int64))
        mine = mine[mine > c.ready_id]
        missed = mine[~np.isin(mine, unique)]
        newest = int(unique.max()) if unique.size else c.ready_id
        lost += int((missed > newest).sum())
        superseded += int((missed < newest).sum())
    lat_all = np.concatenate(latencies) if latencies else np.zeros(0)
    # The time to reach every connection, per second of the run (does it grow, or come in
    # bursts?).
    duration = float(writer["ticks"]) * float(writer["interval"])
    t_first = float(events[:, 3].min()) if ids.size else 0.0
    second = ((events[:, 3] - t_first) // 1).astype(np.int64)
    # Every connection was ready before the writer started: an event is for all of its
    # account's connections.
    audience = Counter(c.user for c in ready)
    everyone = np.array([audience.get(int(u), 0) for u in users], dtype=np.int64)
    reach = np.where(reached[ids] >= everyone, to_all[ids], np.nan) if ids.size else np.zeros(0)
    reach_by_s = [
        None if np.isnan(reach[second == k]).all() else round(np.nanmax(reach[second == k]) * 1000)
        for k in np.unique(second)
    ]
    closed = Counter(str(c.close_code) for c in ready if c.closed_at is not None)
    read_errors = Counter(c.error for c in ready if c.error)

    def pct(values: Any, q: float) -> float | None:
        values = values[~np.isnan(values)]
        return float(np.percentile(values, q)) if values.size else None

    last_receipt = max((c.times[-1] for c in ready if len(c.times)), default=0.0)
    span = last_receipt - float(events[:, 3].min()) if ids.size else 0.0
    return {
        "ready": len(ready),
        "held": sum(c.closed_at is None for c in ready),
        "closed": dict(closed),
        "read_errors": read_errors.most_common(3),
        "events_sent": int(ids.size),
        "receipts": int(lat_all.size),
        "receipts_expected": int(sum(want.values())),
        "lost": lost,  # late rather than lost when drain_end is "cap"
        "superseded": superseded,  # progress replaced by a newer one before it was sent
        "drain_end": drain_end,
        "events_not_reaching_all": int(np.isnan(reach).sum()),
        "duplicates": duplicates,
        "p50_s": pct(lat_all, 50),
        "p90_s": pct(lat_all, 90),
        "p99_s": pct(lat_all, 99),
        "max_s": float(lat_all.max()) if lat_all.size else None,
        "to_all_p50_s": pct(reach, 50),
        "to_all_max_s": pct(reach, 100),
        "commit_ms_p50": float(np.median(sent_to_commit) * 1000) if ids.size else None,
        "writer_late_max_ms": max(writer["late_s"], default=0.0) * 1000,
        "drain_s": drain_s,
        # Receipts per second from the first commit to the last receipt, and what was asked.
        "delivered_per_s": lat_all.size / max(span, duration),
        "asked_per_s": sum(want.values()) / duration,
        "to_all_ms_by_second": reach_by_s,
    }


def clients_main(config_path: Path) -> int:
    with contextlib.suppress(ValueError, OSError):
        _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    config: dict[str, Any] = json.loads(config_path.read_text())
    try:
        import uvloop

        uvloop.run(_clients(config))
    except ImportError:
        asyncio.run(_clients(config))
    return 0


# --- the server and one step ---------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tree(pid: int) -> list[Any]:
    import psutil

    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def rss_mib(pid: int) -> float:
    """Resident memory of the process and every process under it, MiB."""
    import psutil

    total = 0
    for proc in _tree(pid):
        with contextlib.suppress(psutil.Error):
            total += proc.memory_info().rss
    return total / 1024**2


def cpu_s(pid: int) -> float:
    import psutil

    total = 0.0
    for proc in _tree(pid):
        with contextlib.suppress(psutil.Error):
            times = proc.cpu_times()
            total += times.user + times.system
    return total


class PeakRss:
    """The highest RSS of a process tree, sampled every 0.25 s in a daemon thread."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mib(self.pid))
            self._stop.wait(0.25)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak


@dataclass(slots=True)
class Server:
    process: subprocess.Popen[bytes]
    port: int
    env: dict[str, str]
    data_dir: Path
    log_path: Path
    tokens: list[str]
    owners: list[str]


@contextmanager
def server(
    root: Path, label: str, users: int, per_user: int, redis_url: str | None
) -> Iterator[Server]:
    """`transcriber serve --no-worker` on an empty data dir, with `users` signed-in accounts."""
    port = _free_port()
    data_dir = root / f"data-{label}"
    shutil.rmtree(data_dir, ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRANSCRIBER_")}
    env |= {
        "TRANSCRIBER_DATA_DIR": str(data_dir),
        "TRANSCRIBER_EVENTS__MAX_CONNECTIONS_PER_USER": str(per_user),
        "TRANSCRIBER_AUTH__IP_RATE_LIMIT": "100000/minute",
        "TRANSCRIBER_AUTH__API_RATE_LIMIT": "100000/minute",
    }
    if redis_url:
        env["TRANSCRIBER_REDIS_URL"] = redis_url
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log_path = LOG_DIR / f"serve-{label}.log"  # kept after the run, for a look at what went wrong
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "transcriber", "serve", "--no-worker", "--port", str(port)],
            cwd=root,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            deadline = time.monotonic() + 120
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"serve exited early:\n{log_path.read_text()[-4000:]}")
                with contextlib.suppress(httpx.TransportError):
                    if client.get("/healthz", timeout=1).status_code == 200:
                        break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"serve did not start:\n{log_path.read_text()[-4000:]}")
                time.sleep(0.1)
            response = client.post(
                "/api/v1/auth/setup", json={"email": "bench@example.org", "password": PASSWORD}
            )
            if response.status_code != 201:
                raise RuntimeError(f"setup: {response.status_code} {response.text}")
            admin = {"Authorization": f"Bearer {response.json()['access_token']}"}
            me = client.get("/api/v1/auth/me", headers=admin)
            tokens = [str(response.json()["access_token"])]
            owners = [str(me.json()["id"])]
            for i in range(1, users):
                email = f"listener{i}@example.org"
                made = client.post(
                    "/api/v1/admin/users",
                    json={"email": email, "password": PASSWORD, "role": "user"},
                    headers=admin,
                )
                if made.status_code != 201:
                    raise RuntimeError(f"admin/users: {made.status_code} {made.text}")
                signed = client.post(
                    "/api/v1/auth/login", json={"email": email, "password": PASSWORD}
                )
                if signed.status_code != 200:
                    raise RuntimeError(f"login: {signed.status_code} {signed.text}")
                tokens.append(str(signed.json()["access_token"]))
                owners.append(str(made.json()["id"]))
        yield Server(process, port, env, data_dir, log_path, tokens, owners)
    finally:
        stop_process_group(process)


@dataclass(slots=True)
class Step:
    mode: str
    connections: int
    load: float = 0.0
    connected: int = 0
    connect_s: float = 0.0
    connect_cpu_ms: float = 0.0  # server CPU per connection while they opened
    errors: list[Any] = field(default_factory=list)
    rss_before: float = 0.0
    rss_connected: float = 0.0
    rss_after: float = 0.0
    rss_peak: float = 0.0
    server_cpu_pct: float = 0.0
    server_cpu_us_per_msg: float = 0.0  # writer start to the end of the drain, per receipt
    client_cpu_pct: float = 0.0
    result: dict[str, Any] = field(default_factory=dict)
    failure: str | None = None

    @property
    def held(self) -> int:
        return int(self.result.get("held", 0))

    @property
    def p99_s(self) -> float:
        value = self.result.get("p99_s")
        return math.inf if value is None else float(value)

    @property
    def lost(self) -> int:
        return int(self.result.get("lost", 0))

    def kib_per_conn(self, after: float) -> float:
        return (after - self.rss_before) * 1024 / max(1, self.connected)


def _read_line(stream: IO[bytes], timeout_s: float, process: subprocess.Popen[bytes]) -> str:
    """One line from a child's stdout, or an error when it exits or takes too long."""
    box: list[bytes] = []
    reader = threading.Thread(target=lambda: box.append(stream.readline()), daemon=True)
    reader.start()
    reader.join(timeout_s)
    if not box or not box[0]:
        raise RuntimeError(f"no answer from the client process (exit {process.poll()})")
    return box[0].decode()


def run_step(
    root: Path,
    mode: str,
    n: int,
    seconds: float,
    users: int,
    redis_url: str,
    compression: str | None,
    interval: float,
) -> Step:
    step = Step(mode, n, load=os.getloadavg()[0])
    label = f"{mode}-{n}"
    per_user = math.ceil(n / users) + 10
    with server(root, label, users, per_user, redis_url if mode == "redis" else None) as srv:
        pid = srv.process.pid
        time.sleep(1.0)
        step.rss_before = rss_mib(pid)
        peak = PeakRss(pid)
        config = root / f"clients-{label}.json"
        config.write_text(
            json.dumps(
                {
                    "url": f"ws://127.0.0.1:{srv.port}/api/v1/ws",
                    "tokens": srv.tokens,
                    "connections": n,
                    "compression": compression,
                }
            )
        )
        clients = subprocess.Popen(
            [sys.executable, "-m", "bench.live_events", "--clients", str(config)],
            cwd=REPO_ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            start_new_session=True,
        )
        assert clients.stdin is not None and clients.stdout is not None
        try:
            cpu0 = cpu_s(pid)
            hello = json.loads(_read_line(clients.stdout, 900, clients))
            step.connected = int(hello["connected"])
            step.connect_cpu_ms = 1000 * (cpu_s(pid) - cpu0) / max(1, step.connected)
            step.connect_s = float(hello["connect_s"])
            step.errors = list(hello["errors"])
            log(
                f"  {mode}, {n}: {step.connected} ready in {step.connect_s:.1f} s"
                + (f"; errors {step.errors}" if step.errors else "")
            )
            time.sleep(1.0)
            step.rss_connected = rss_mib(pid)
            out = root / f"writer-{label}.json"
            wconfig = root / f"writer-{label}-config.json"
            wconfig.write_text(
                json.dumps(
                    {
                        "owners": srv.owners,
                        "seconds": seconds,
                        "interval": interval,
                        "out": str(out),
                    }
                )
            )
            cpu0, ccpu0, t0 = cpu_s(pid), cpu_s(clients.pid), time.perf_counter()
            writer = subprocess.run(
                [sys.executable, "-m", "bench.live_events", "--writer", str(wconfig)],
                cwd=REPO_ROOT,
                env=srv.env,
                capture_output=True,
                text=True,
                check=False,
            )
            wall = time.perf_counter() - t0
            step.server_cpu_pct = 100 * (cpu_s(pid) - cpu0) / wall
            step.client_cpu_pct = 100 * (cpu_s(clients.pid) - ccpu0) / wall
            step.rss_after = rss_mib(pid)
            if writer.returncode != 0:
                raise RuntimeError(f"the writer failed:\n{writer.stderr[-4000:]}")
            clients.stdin.write(f"done {out}\n".encode())
            clients.stdin.flush()
            step.result = json.loads(_read_line(clients.stdout, DRAIN_CAP_S + 120, clients))
            receipts = int(step.result.get("receipts", 0))
            step.server_cpu_us_per_msg = 1e6 * (cpu_s(pid) - cpu0) / max(1, receipts)
            step.rss_peak = max(peak.stop(), step.rss_after)
        except Exception as exc:
            step.failure = str(exc)[:300]
            peak.stop()
        finally:
            if clients.poll() is None:
                os.killpg(clients.pid, signal.SIGKILL)
            clients.wait()
    r = step.result
    if r:
        log(
            f"  {mode}, {n}: held {r['held']}, latency p50 {r['p50_s'] * 1000:.0f} ms, "
            f"p99 {r['p99_s'] * 1000:.0f} ms, max {r['max_s'] * 1000:.0f} ms, "
            f"lost {r['lost']}, server CPU {step.server_cpu_pct:.0f} %, "
            f"RSS {step.rss_before:.0f} -> {step.rss_connected:.0f} -> {step.rss_after:.0f} MiB"
            if r.get("p50_s") is not None
            else f"  {mode}, {n}: no event arrived ({r})"
        )
        log(f"  slowest reach per second of the run, ms: {r.get('to_all_ms_by_second')}")
    else:
        log(f"  {mode}, {n}: failed: {step.failure}")
    return step


def _stop_reason(step: Step, p99_limit_s: float) -> str | None:
    if step.failure:
        return f"the step failed ({step.failure})"
    if step.connected < step.connections:
        return f"{step.connections - step.connected} connection(s) failed"
    if step.held < step.connected:
        return f"{step.connected - step.held} connection(s) were dropped"
    if step.lost and step.result.get("drain_end") != "cap":
        return f"{step.lost:,} events lost"
    if step.p99_s > p99_limit_s:
        return f"p99 latency {step.p99_s:.1f} s passed {p99_limit_s:g} s"
    return None


# --- the report ----------------------------------------------------------------------------------


def _ms(value: Any) -> str:
    return "-" if value is None else f"{float(value) * 1000:.0f}"


def _lost(r: dict[str, Any]) -> str:
    if not r:
        return "-"
    text = f"{r['lost']:,} of {r['receipts_expected']:,}"
    if r["lost"] and r.get("drain_end") == "cap":
        text += f" (late: still arriving {DRAIN_CAP_S:g} s after the writer stopped)"
    if r.get("superseded"):
        text += f"; {r['superseded']:,} superseded progress skipped"
    return text


def _rate(r: dict[str, Any]) -> str:
    if r.get("delivered_per_s") is None:
        return "-"
    return f"{r['delivered_per_s']:,.0f} / {r['asked_per_s']:,.0f}"


def rows_of(steps: Sequence[Step]) -> list[list[object]]:
    rows: list[list[object]] = []
    for s in steps:
        r = s.result
        rows.append(
            [
                s.mode,
                f"{s.connections:,}",
                f"{s.held:,}" if r else f"{s.connected:,}",
                f"{s.connect_s:.1f}",
                f"{s.rss_before:.0f} / {s.rss_connected:.0f} / {s.rss_after:.0f}",
                f"{s.kib_per_conn(s.rss_connected):.0f} / {s.kib_per_conn(s.rss_after):.0f}",
                f"{_ms(r.get('p50_s'))} / {_ms(r.get('p99_s'))} / {_ms(r.get('max_s'))}",
                _ms(r.get("to_all_p50_s")),
                _lost(r),
                f"{s.server_cpu_pct:.0f}",
                f"{s.server_cpu_us_per_msg:.0f}",
                _rate(r),
                f"{s.connect_cpu_ms:.1f}",
                f"{s.client_cpu_pct:.0f}",
                f"{s.load:.1f}",
            ]
        )
    return rows


HEADERS = [
    "path",
    "connections",
    "held to the end",
    "connect s (all)",
    "server RSS MiB: before / connected / after events",
    "KiB per connection: idle / after events",
    "latency ms p50 / p99 / max",
    "to all, ms (median event)",
    "events lost",
    "server CPU % (events)",
    "server CPU µs per message",
    "messages/s delivered / asked",
    "server CPU ms per connect",
    "client CPU %",
    "load (1 min)",
]


def report(
    steps: Sequence[Step],
    stops: dict[str, str],
    info: RunInfo,
    args: Any,
    steps_asked: Sequence[int],
) -> str:
    def version(dist: str) -> str:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    notes = []
    for s in steps:
        r = s.result
        if not r:
            continue
        extra = []
        if r.get("closed"):
            extra.append(f"closed during the run (code: count) {r['closed']}")
        if s.errors:
            extra.append(f"connect errors {s.errors}")
        if r.get("duplicates"):
            extra.append(f"{r['duplicates']} duplicate receipts")
        if r.get("events_not_reaching_all"):
            extra.append(
                f"{r['events_not_reaching_all']:,} events had not reached every connection "
                "when the drain ended"
            )
        notes.append(
            f"- {s.mode}, {s.connections:,}: {r['events_sent']:,} events sent, "
            f"{r['receipts']:,} receipts; p90 {_ms(r.get('p90_s'))} ms; the slowest event "
            f"to reach every connection took {_ms(r.get('to_all_max_s'))} ms; server RSS peak "
            f"{s.rss_peak:.0f} MiB; writer insert + commit {r['commit_ms_p50']:.1f} ms "
            f"(median), writer at most {r['writer_late_max_ms']:.0f} ms behind its "
            "schedule" + ("; " + "; ".join(extra) if extra else "")
        )
        if s.server_cpu_us_per_msg > 0:
            per_core = 1e6 / s.server_cpu_us_per_msg
            notes.append(
                f"  At {s.server_cpu_us_per_msg:.0f} µs of server CPU per message, a whole core "
                f"would deliver about {per_core:,.0f} messages/s, i.e. about "
                f"{per_core * args.interval:,.0f} connections at one event per "
                f"{args.interval * 1000:g} ms each; the server got {s.server_cpu_pct:.0f} % of "
                "a core here."
            )
    for mode, why in stops.items():
        notes.append(f"- {mode}: stopped stepping up: {why}.")
    lines = [
        "## Live events: concurrent WebSockets on one API process",
        "",
        info.markdown(),
        f"- also: uvicorn {version('uvicorn')} (WebSocket: websockets sans-I/O, "
        f"permessage-deflate), websockets {version('websockets')} (client), redis-py "
        f"{version('redis')}; {nproc()} CPUs for the server, the client and the writer together",
        "",
        "One `transcriber serve --no-worker` (one API process, SQLite, a fresh data dir per "
        f"step); {args.users} accounts (the setup admin and {args.users - 1} made through "
        "`/api/v1/admin/users`, signed in through `/api/v1/auth/login`), the connections "
        "spread evenly over them (`TRANSCRIBER_EVENTS__MAX_CONNECTIONS_PER_USER` raised to "
        "fit). A client process (one asyncio loop with uvloop, `websockets`, "
        + (
            "permessage-deflate offered as browsers do"
            if args.compression == "deflate"
            else "no compression offered (`--compression none`)"
        )
        + f") opens them {HANDSHAKE_BATCH} handshakes at a time with "
        'the `["bearer", token]` subprotocol and waits for each `ready` (connect s: the '
        "first handshake to the last `ready`). A writer process, as a worker would be, "
        f"makes one running job per account, then every {args.interval * 1000:g} ms records "
        "one `job.progress` per "
        "job through `EventService.record` in its own `kit.db.transaction` (so every "
        f"connection gets one event per {args.interval * 1000:g} ms), for {args.seconds:g} s. "
        "Latency: receipt "
        "time minus the writer's commit time (same clock), over every receipt; `to all`: "
        "commit to the event's last receipt (events that reached every connection). Lost: "
        "events committed after a connection's `ready` that never reached it (nothing more "
        f"came for {QUIET_S:g} s, or still on the way {DRAIN_CAP_S:g} s after the writer "
        "stopped: late). "
        "`polling`: no Redis, the API reads the events table every "
        "`events.poll_interval_s` (0.25 s); `redis`: `TRANSCRIBER_REDIS_URL="
        f"{args.redis_url}`, woken by the writer's after-commit publish. KiB per connection: "
        "the server's RSS growth over `before`, divided by the connections. CPU %: of one "
        "core, psutil on `serve` and its children while the writer ran, and on the client "
        "process; CPU µs per message: the server's CPU time from the writer's start to the "
        "end of the drain, divided by the receipts (what one event costs per connection, "
        "whatever share of the CPUs the server got); CPU ms per connect: the server's CPU "
        "time while the connections opened, divided by their number. Messages/s: receipts "
        "from the first commit to the last receipt, against what was asked. "
        "Steps go up until "
        f"connections fail or drop or p99 passes {args.p99_limit:g} s "
        f"(asked: {', '.join(f'{n:,}' for n in steps_asked)}).",
        "",
        markdown_table(HEADERS, rows_of(steps)),
        "",
        *notes,
        "",
    ]
    if args.quick:
        lines += ["_Quick run (`--quick`): one small step per path; a smoke test._", ""]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "--writer":
        return writer_main(Path(argv[1]))
    if argv and argv[0] == "--clients":
        return clients_main(Path(argv[1]))
    parser = base_parser(__doc__ or "")
    parser.add_argument("--steps", default=None, help="connections per step (1000,2000,...)")
    parser.add_argument("--seconds", type=float, default=None, help="events per step (20 s)")
    parser.add_argument("--users", type=int, default=10, help="accounts sharing the connections")
    parser.add_argument("--modes", default="polling,redis", help="polling, redis or both")
    parser.add_argument("--redis-url", default=REDIS_URL, help=f"for `redis` ({REDIS_URL})")
    parser.add_argument(
        "--compression",
        choices=["deflate", "none"],
        default="deflate",
        help="permessage-deflate offered by the clients, as browsers do (default), or none",
    )
    parser.add_argument(
        "--interval", type=float, default=INTERVAL_S, help="seconds between events (0.1)"
    )
    parser.add_argument(
        "--p99-limit",
        type=float,
        default=P99_LIMIT_S,
        help=f"stop stepping up once p99 latency passes this ({P99_LIMIT_S:g} s)",
    )
    args = parser.parse_args(argv)
    compression = None if args.compression == "none" else args.compression
    if args.steps is None:
        args.steps = "200" if args.quick else "1000,2000,4000,8000"
    if args.seconds is None:
        args.seconds = 5.0 if args.quick else 20.0
    steps_asked = [int(n) for n in args.steps.split(",")]
    modes = [m for m in args.modes.split(",") if m]
    with contextlib.suppress(ValueError, OSError):
        _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    info = RunInfo.start()
    stops: dict[str, str] = {}
    if "redis" in modes:
        import redis

        try:
            redis.Redis.from_url(args.redis_url, socket_connect_timeout=2).ping()
        except Exception as exc:
            log(f"no Redis at {args.redis_url} ({exc}): the redis path is left out")
            modes.remove("redis")
            stops["redis"] = f"not measured, no Redis at {args.redis_url}"
    steps: list[Step] = []
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="live-events-", dir=WORK_DIR) as tmp:
        for mode in modes:
            t_mode = time.monotonic()
            for n in steps_asked:
                if time.monotonic() - t_mode > BUDGET_S:
                    stops[mode] = f"time budget ({BUDGET_S:g} s per path) spent before {n:,}"
                    break
                log(f"{mode}: {n:,} connections")
                step = run_step(
                    Path(tmp),
                    mode,
                    n,
                    args.seconds,
                    args.users,
                    args.redis_url,
                    compression,
                    args.interval,
                )
                steps.append(step)
                why = _stop_reason(step, args.p99_limit)
                if why:
                    stops[mode] = f"{why} at {n:,}"
                    break
    info.finish()
    body = report(steps, stops, info, args, steps_asked)
    print_table("live events", HEADERS, rows_of(steps))
    print("\n".join(line for line in body.splitlines() if line.startswith("- ")))
    if not args.no_write:
        update_results(KEY, body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
