"""segments.search_text: folded words (case, accents) indexed by both full-text engines

Revision ID: 0014_search_unaccent
Revises: 0013_diarization
Create Date: 2026-11-27 07:00:00.000000

Accent folding is done in Python (`transcriber.transcripts.search.search_text`), the same
rule for SQLite and PostgreSQL and for the query's words (docs/decisions/0071). Each segment
keeps its folded words in `search_text`; the FTS5 table (SQLite) and the GIN index
(PostgreSQL, now over a stored generated `search_vector`) of revision 0007 are remade over
that column. Existing rows are filled here.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from transcriber.transcripts.search import search_text

revision: str = "0014_search_unaccent"
down_revision: str | None = "0013_diarization"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_FTS_TRIGGERS = ("segments_fts_ai", "segments_fts_ad", "segments_fts_au")

# The folded words are all the engine sees; it must not fold again (remove_diacritics 0), or
# the two backends would disagree. unicode61 still splits at the spaces and lowercases.
SQLITE_FTS = [
    "CREATE VIRTUAL TABLE segments_fts USING fts5("
    "search_text, content='segments', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER segments_fts_ai AFTER INSERT ON segments BEGIN "
    "INSERT INTO segments_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER segments_fts_ad AFTER DELETE ON segments BEGIN "
    "INSERT INTO segments_fts(segments_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER segments_fts_au AFTER UPDATE OF search_text ON segments BEGIN "
    "INSERT INTO segments_fts(segments_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO segments_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO segments_fts(segments_fts) VALUES ('rebuild')",
]
# PostgreSQL keeps the tsvector too (a stored generated column): filtering and ranking then
# read it instead of parsing the text of every candidate row again (docs/decisions/0073).
POSTGRES_SEARCH = [
    "ALTER TABLE segments ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED",
    "CREATE INDEX ix_segments_search_tsv ON segments USING gin (search_vector)",
]

# Revision 0007's objects, for the way down.
OLD_SQLITE_FTS = [
    "CREATE VIRTUAL TABLE segments_fts USING fts5("
    "text, content='segments', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER segments_fts_ai AFTER INSERT ON segments BEGIN "
    "INSERT INTO segments_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER segments_fts_ad AFTER DELETE ON segments BEGIN "
    "INSERT INTO segments_fts(segments_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "END",
    "CREATE TRIGGER segments_fts_au AFTER UPDATE OF text ON segments BEGIN "
    "INSERT INTO segments_fts(segments_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO segments_fts(rowid, text) VALUES (new.id, new.text); END",
    "INSERT INTO segments_fts(segments_fts) VALUES ('rebuild')",
]
OLD_POSTGRES_INDEX = (
    "CREATE INDEX ix_segments_text_tsv ON segments USING gin "
    "(to_tsvector('simple', regexp_replace(text, '[^[:alnum:]]+', ' ', 'g')))"
)

_BATCH = 2000


def _drop_sqlite_fts() -> None:
    for trigger in SQLITE_FTS_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS segments_fts")


def _fill_search_text() -> None:
    """Fold the text of the segments stored before this revision, a batch at a time."""
    bind = op.get_bind()
    segments = sa.table(
        "segments", sa.column("id", sa.Integer), sa.column("text"), sa.column("search_text")
    )
    update = (
        sa.update(segments)
        .where(segments.c.id == sa.bindparam("row_id"))
        .values(search_text=sa.bindparam("folded"))
    )
    last = 0
    while True:
        rows = bind.execute(
            sa.select(segments.c.id, segments.c.text)
            .where(segments.c.id > last)
            .order_by(segments.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            return
        bind.execute(update, [{"row_id": i, "folded": search_text(t or "")} for i, t in rows])
        last = rows[-1][0]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _drop_sqlite_fts()
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_segments_text_tsv")

    with op.batch_alter_table("segments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.Text(), server_default="", nullable=False))
    _fill_search_text()

    if dialect == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
    elif dialect == "postgresql":
        for statement in POSTGRES_SEARCH:
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _drop_sqlite_fts()
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_segments_search_tsv")
        op.execute("ALTER TABLE segments DROP COLUMN IF EXISTS search_vector")

    op.drop_column("segments", "search_text")

    if dialect == "sqlite":
        for statement in OLD_SQLITE_FTS:
            op.execute(statement)
    elif dialect == "postgresql":
        op.execute(OLD_POSTGRES_INDEX)
