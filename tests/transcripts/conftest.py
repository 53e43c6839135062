"""An app on real SQLite and on real PostgreSQL, with two signed-in users."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.support.app import RecordingDispatcher
from tests.support.auth import bearer, create_user, login, setup_admin
from tests.support.databases import fresh_postgres_database
from transcriber.app import create_app
from transcriber.config import Settings
from transcriber.kit.migrate import upgrade
from transcriber.runtime import Runtime


@dataclass
class Two:
    backend: str
    client: TestClient
    runtime: Runtime
    owner: dict[str, str]
    owner_id: str
    other: dict[str, str]
    other_id: str


def _two(backend: str, tmp_path: Path, database_url: str | None) -> Iterator[Two]:
    settings = Settings(data_dir=tmp_path / "data", environment="test", database_url=database_url)
    upgrade(settings.resolved_database_url)
    dispatcher = RecordingDispatcher()
    runtime = Runtime.from_settings(settings, dispatcher=dispatcher)
    dispatcher.runtime = runtime
    with TestClient(create_app(runtime=runtime), raise_server_exceptions=False) as client:
        owner = bearer(setup_admin(client))
        client.headers.pop("Authorization")
        other_email = create_user(TestClient(client.app, headers=owner))
        other = bearer(login(client, other_email))
        client.cookies.clear()
        owner_id = client.get("/api/v1/auth/me", headers=owner).json()["id"]
        other_id = client.get("/api/v1/auth/me", headers=other).json()["id"]
        yield Two(backend, client, runtime, owner, owner_id, other, other_id)
    runtime.sessions.kw["bind"].dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def two(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Two]:
    if request.param == "sqlite":
        yield from _two("sqlite", tmp_path, None)
        return
    with fresh_postgres_database() as url:
        yield from _two("postgresql", tmp_path, url)
