"""Real databases for tests: a migrated SQLite file, or a fresh PostgreSQL database."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest

from transcriber.kit.migrate import upgrade

POSTGRES_ADMIN_DSN = os.environ.get(
    "TRANSCRIBER_TEST_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("TRANSCRIBER_TEST_REDIS_URL", "redis://127.0.0.1:6379")


def sqlite_url(path: os.PathLike[str] | str) -> str:
    return f"sqlite:///{path}"


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """A new, empty database on the test server; dropped afterwards."""
    name = f"transcriber_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(POSTGRES_ADMIN_DSN, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:  # pragma: no cover - depends on the machine
        pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_DSN}: {exc}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN_DSN.rsplit("/", 1)[0]
    url = f"{base.replace('postgresql://', 'postgresql+psycopg://', 1)}/{name}"
    try:
        yield url
    finally:
        with psycopg.connect(POSTGRES_ADMIN_DSN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def migrated(url: str) -> Iterator[str]:
    upgrade(url)
    yield url


def redis_test_db(index: int) -> str:
    return f"{REDIS_URL}/{index}"
