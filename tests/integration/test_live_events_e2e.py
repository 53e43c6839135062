"""Live events from a real worker process reach a real API's WebSocket within a second.

Embedded default (SQLite, no Redis: the API polls the events table) and PostgreSQL + Redis
(API and worker apart; Redis pub/sub wakes the API)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect

from tests.support.auth import setup_admin
from tests.support.databases import REDIS_URL, fresh_postgres_database, redis_test_db
from tests.support.processes import free_port, running, transcriber_env, wait_until_healthy


@pytest.fixture(scope="module", params=["embedded", "postgres_redis"])
def service(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, dict[str, str]]]:
    tmp_path = tmp_path_factory.mktemp(f"live-{request.param}")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    settings = {"TRANSCRIBER_DATA_DIR": str(tmp_path / "data"), "TRANSCRIBER_ENVIRONMENT": "test"}
    log = tmp_path / "service.log"
    if request.param == "embedded":
        with running(["serve", "--port", str(port)], transcriber_env(settings), log) as api:
            wait_until_healthy(base_url, api, log)
            with httpx.Client(base_url=base_url, timeout=60) as client:
                yield base_url, setup_admin(client)
        return
    with fresh_postgres_database() as database_url:
        settings |= {
            "TRANSCRIBER_DATABASE_URL": database_url,
            "TRANSCRIBER_BROKER_URL": redis_test_db(1),
            "TRANSCRIBER_REDIS_URL": f"{REDIS_URL}/2",
            "TRANSCRIBER_WORKER__QUEUES": f"live-{uuid.uuid4().hex[:8]}",
            # Slow fallback reads: delivery within a second must come from the wake-ups.
            "TRANSCRIBER_EVENTS__REDIS_FALLBACK_POLL_S": "30",
        }
        env = transcriber_env(settings)
        with (
            running(["serve", "--port", str(port), "--no-worker"], env, log) as api,
            running(["worker"], env, tmp_path / "worker.log"),
        ):
            wait_until_healthy(base_url, api, log)
            with httpx.Client(base_url=base_url, timeout=60) as client:
                yield base_url, setup_admin(client)


async def _watch_a_job(
    base_url: str, token: str, audio: Path
) -> list[tuple[dict[str, Any], float]]:
    ws_url = base_url.replace("http://", "ws://") + "/api/v1/ws"
    received: list[tuple[dict[str, Any], float]] = []
    async with connect(ws_url, subprotocols=["bearer", token]) as ws:  # type: ignore[list-item]
        assert json.loads(await ws.recv())["type"] == "ready"
        async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
            made = await client.post(
                "/api/v1/jobs",
                files={"file": (audio.name, audio.read_bytes())},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert made.status_code == 202, made.text
        job_id = made.json()["id"]
        while True:
            message = json.loads(await asyncio.wait_for(ws.recv(), 180))
            received.append((message, datetime.now(UTC).timestamp()))
            if message.get("job_id") == job_id and message["type"] in (
                "job.completed",
                "job.failed",
            ):
                return received


def test_worker_events_reach_the_socket_within_a_second(
    service: tuple[str, dict[str, str]], speech_dir: Path
) -> None:
    base_url, tokens = service
    audio = speech_dir / "librivox_shakespeare_sonnet001_en.mp3"
    received = asyncio.run(_watch_a_job(base_url, tokens["access_token"], audio))
    types = [m["type"] for m, _ in received]
    assert types[0] == "job.created" and types[-1] == "job.completed", types
    assert "job.segment" in types and "job.progress" in types
    ids = [m["id"] for m, _ in received]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    # The worker's writes; job.created is stamped by the API at flush, before its request's
    # upload handling ends and commits, so its created_at is not the time it became visible.
    delays = [
        at - datetime.fromisoformat(m["created_at"]).timestamp()
        for m, at in received
        if m["type"] != "job.created"
    ]
    assert max(delays) < 1.0, f"slowest event took {max(delays):.3f} s: {delays}"
