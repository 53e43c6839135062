"""Migrations apply cleanly on SQLite and PostgreSQL, and the models do not drift from them."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Engine, MetaData, Table, inspect, select
from sqlalchemy.pool import NullPool
from sqlalchemy.sql import sqltypes

from tests.support.databases import fresh_postgres_database
from transcriber.kit.db import make_engine
from transcriber.kit.migrate import HAND_MADE_PREFIXES, alembic_config, include_object
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


# A migration step runs on databases that hold data: the rows below stand for an installed
# server's users, jobs, transcripts, keys, uploads, webhooks... at every revision.

Snapshot = dict[str, dict[tuple[object, ...], dict[str, object]]]

SEGMENT_TEXTS = (
    "Herr Müller fährt nach München.",
    "Tôi sống ở Hà Nội.",
    "The budget was approved.",
)


def _data_tables(engine: Engine) -> list[Table]:
    """The tables of the current revision, parents before children (foreign keys)."""
    metadata = MetaData()
    with engine.connect() as connection:
        metadata.reflect(
            connection,
            only=lambda name, _: (
                name != "alembic_version" and not name.startswith(HAND_MADE_PREFIXES)
            ),
        )
    return list(metadata.sorted_tables)


class RowFactory:
    """One row per table, every column filled by its reflected type (nullable ones too, so
    their data is checked as well); foreign keys point at the parent rows made just before."""

    def __init__(self) -> None:
        self._numbers = itertools.count(1)

    def insert_rows(self, engine: Engine, tables: list[Table]) -> None:
        with engine.begin() as connection:
            made: dict[str, dict[str, object]] = {}
            for table in tables:
                row = {
                    column.name: self._value(column, made)
                    for column in table.columns
                    if column.computed is None
                }
                connection.execute(table.insert().values(row))
                made[table.name] = row

    def _value(self, column: Column[Any], made: dict[str, dict[str, object]]) -> object:
        for foreign_key in column.foreign_keys:
            return made[foreign_key.column.table.name][foreign_key.column.name]
        number = next(self._numbers)
        kind = column.type
        if isinstance(kind, sqltypes.Uuid):
            return uuid.uuid4()
        if isinstance(kind, sqltypes.Boolean):
            return number % 2 == 0
        if isinstance(kind, sqltypes.Integer):
            return number
        if isinstance(kind, sqltypes.Float | sqltypes.Numeric):
            return number + 0.25
        if isinstance(kind, sqltypes.DateTime):
            return datetime(2026, 11, 27, 8, 0, tzinfo=UTC) + timedelta(seconds=number)
        if isinstance(kind, sqltypes.JSON):
            return {"n": number, "items": ["a", "b"]}
        if isinstance(kind, sqltypes.String):
            if column.name == "status":
                return "queued"
            if column.name == "text":
                return SEGMENT_TEXTS[number % len(SEGMENT_TEXTS)]
            if isinstance(kind, sqltypes.CHAR) and kind.length == 32:
                return uuid.uuid4().hex  # a Uuid column as SQLite stores it
            return f"{column.name}-{number}"[: kind.length]
        raise AssertionError(f"no test value for {column.table.name}.{column.name}: {kind!r}")


def _snapshot(engine: Engine, tables: list[Table]) -> Snapshot:
    with engine.connect() as connection:
        snapshot: Snapshot = {}
        for table in tables:
            key_columns = list(table.primary_key.columns)
            snapshot[table.name] = {
                tuple(row[c.name] for c in key_columns): dict(row)
                for row in connection.execute(select(table)).mappings()
            }
        return snapshot


def _assert_kept(before: Snapshot, after: Snapshot, step: str) -> None:
    """Every row of a table that outlives the step is still there, with the same values in
    the columns that outlive it."""
    for table, rows in before.items():
        for key, row in rows.items() if table in after else ():
            kept = after[table].get(key)
            assert kept is not None, f"{step}: {table} row {key} was lost"
            common = row.keys() & kept.keys()
            assert {c: kept[c] for c in common} == {c: row[c] for c in common}, (
                f"{step}: {table} row {key} changed"
            )


def test_every_migration_goes_down_and_up_again_with_data_in(database_url: str) -> None:
    """Each step up, then each step down to base, then each up again, with rows in every
    table before every step: none may fail, and none may lose or change data it keeps."""
    config = alembic_config(database_url)
    script = ScriptDirectory.from_config(config)
    steps = [(r.down_revision or "base", r.revision) for r in script.walk_revisions()][::-1]
    engine = make_engine(database_url, poolclass=NullPool)
    rows = RowFactory()
    tables: list[Table] = []

    def step(move: Callable[[Config, str], None], target: str, name: str) -> None:
        nonlocal tables
        rows.insert_rows(engine, tables)
        before = _snapshot(engine, tables)
        assert all(before.values()), f"{name}: a table without rows"
        move(config, target)
        tables = _data_tables(engine)
        _assert_kept(before, _snapshot(engine, tables), name)

    for _older, newer in steps:
        step(command.upgrade, newer, f"up to {newer}")
    assert {t.name for t in tables} == set(Base.metadata.tables)
    for older, newer in reversed(steps):
        step(command.downgrade, older, f"down from {newer}")
    assert tables == []
    for _older, newer in steps:
        step(command.upgrade, newer, f"up again to {newer}")
    rows.insert_rows(engine, tables)
    engine.dispose()
