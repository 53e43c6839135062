"""`GET /api/v1/admin/health`: every part with a status and a sentence, 200 whatever it finds;
`/readyz` answers from the same checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from fastapi.testclient import TestClient

from tests.support.jobs import submit_job
from tests.support.workers import register_live_worker
from transcriber import __version__
from transcriber.config import Settings
from transcriber.kit.migrate import alembic_config, code_heads
from transcriber.kit.storage import LocalStorage
from transcriber.runtime import Runtime

CLOSED_PORT_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def health(client: TestClient) -> dict[str, Any]:
    response = client.get("/api/v1/admin/health")
    assert response.status_code == 200, response.text
    report: dict[str, Any] = response.json()
    return report


def checks(report: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {check["name"]: check for check in report["checks"]}


def test_a_healthy_install_reports_every_part(
    client: TestClient, runtime: Runtime, speech_dir: Path
) -> None:
    register_live_worker(runtime.sessions, runtime.settings, concurrency=2)
    submit_job(client, speech_dir / "ljspeech_LJ002-0020.wav")

    report = health(client)

    assert report["status"] == "ok"
    assert report["version"] == __version__
    found = checks(report)
    assert list(found) == [
        "database",
        "schema",
        "broker",
        "storage",
        "redis",
        "workers",
        "queues",
        "disk",
    ]
    assert all(check["message"] for check in found.values())
    assert {found[name]["status"] for name in found if name != "redis"} == {"ok"}
    assert found["redis"]["status"] == "disabled"  # not configured: not a fault
    assert report["database"] == {
        "backend": "sqlite",
        "revisions": list(code_heads()),
        "heads": list(code_heads()),
        "at_head": True,
    }
    assert report["workers"] == {"total": 1, "live": 1}
    cpu = next(queue for queue in report["queues"] if queue["name"] == "cpu")
    assert cpu["queued"] == 1 and cpu["running"] == 0
    assert cpu["live_workers"] == 1 and cpu["slots"] == 2
    assert cpu["oldest_queued_age_s"] >= 0
    assert report["disk"]["free_bytes"] > 0
    assert report["disk"]["path"] == str(runtime.settings.resolved_data_dir)


def test_failing_parts_are_reported_with_a_reason_not_a_server_error(
    client: TestClient, runtime: Runtime, api_settings: Settings, tmp_path: Path, speech_dir: Path
) -> None:
    submit_job(client, speech_dir / "ljspeech_LJ002-0020.wav")  # waits: no worker anywhere
    api_settings.broker_url = CLOSED_PORT_URL
    api_settings.redis_url = CLOSED_PORT_URL
    api_settings.health.disk_free_warn_bytes = 2**62
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    runtime.storage = LocalStorage(blocker / "media")

    report = health(client)

    assert report["status"] == "error"
    found = checks(report)
    assert found["database"]["status"] == "ok"
    assert found["broker"]["status"] == "error"
    assert "does not answer" in found["broker"]["message"]
    assert found["storage"]["status"] == "error"
    assert "cannot be written" in found["storage"]["message"]
    assert found["redis"]["status"] == "error"
    assert found["workers"]["status"] == "error"
    assert found["queues"]["status"] == "error"
    assert "1 job(s) wait on queue 'cpu'" in found["queues"]["message"]
    assert found["disk"]["status"] == "warning"

    # Readiness answers from the same checks, without their details.
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["checks"] == {
        "database": "ok",
        "storage": "error: NotADirectoryError",
        "broker": "error: unreachable",
        "worker": "error: no live worker on queue 'cpu'",
    }


def test_a_schema_behind_the_code_says_what_to_run(
    client: TestClient, api_settings: Settings
) -> None:
    command.downgrade(alembic_config(api_settings.resolved_database_url), "-1")

    report = health(client)

    schema = checks(report)["schema"]
    assert schema["status"] == "error"
    assert "transcriber db upgrade" in schema["message"]
    assert report["database"]["at_head"] is False
    assert report["database"]["revisions"] != report["database"]["heads"]
