"""Alembic driven from code, so `transcriber db upgrade` works from any install."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


# Objects that migrations create by hand and the models do not describe (full-text indexes).
HAND_MADE_PREFIXES = (
    "segments_fts",
    "ix_segments_text_tsv",
    "ix_segments_search_tsv",
    "search_vector",  # segments.search_vector: PostgreSQL only, a generated tsvector
)


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Alembic's filter: leave hand-made search objects out of autogenerate comparisons."""
    return not (name and name.startswith(HAND_MADE_PREFIXES))


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url)
    config.set_main_option(
        "file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(slug)s"
    )
    return config


def upgrade(database_url: str, revision: str = "heads") -> None:
    command.upgrade(alembic_config(database_url), revision)


@lru_cache(maxsize=1)
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config("sqlite://"))


def code_heads() -> tuple[str, ...]:
    """The newest revisions this version of the code knows."""
    return tuple(sorted(_script().get_heads()))


@lru_cache(maxsize=1)
def known_revisions() -> frozenset[str]:
    return frozenset(revision.revision for revision in _script().walk_revisions())


def database_heads(connection: Connection) -> tuple[str, ...]:
    """The revisions the database's schema is at (none before the first migration)."""
    return tuple(sorted(MigrationContext.configure(connection).get_current_heads()))
