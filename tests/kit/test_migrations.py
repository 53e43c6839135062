"""Migrations apply cleanly on SQLite and PostgreSQL, and the models do not drift from them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from tests.support.databases import fresh_postgres_database
from transcriber.kit.db import make_engine
from transcriber.kit.migrate import alembic_config, include_object
from transcriber.models import Base


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    with fresh_postgres_database() as url:
        yield url


def test_one_head_revision() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1, f"several heads: {script.get_heads()}"


def test_models_match_the_migrated_schema(database_url: str) -> None:
    command.upgrade(alembic_config(database_url), "head")
    engine = make_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"render_as_batch": True, "include_object": include_object}
        )
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == [], f"models and migrations differ; run `make migration`: {differences}"


def test_every_migration_goes_down_and_up_again(database_url: str) -> None:
    config = alembic_config(database_url)
    script = ScriptDirectory.from_config(config)
    revisions = [r.revision for r in script.walk_revisions("base", "heads")][::-1]
    for revision in revisions:
        command.upgrade(config, revision)
    for _ in revisions:
        command.downgrade(config, "-1")
    engine = make_engine(database_url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    command.upgrade(config, "head")
