"""transcripts: editing with versions, full-text search, share links

Revision ID: 0007
Revises: 0004
Create Date: 2026-11-27 03:30:00.000000

Search objects are made by hand (they are not in the models' metadata and
`transcriber.kit.migrate.include_object` keeps them out of autogenerate):
SQLite gets an FTS5 table over `segments.text` kept in sync by triggers,
PostgreSQL an expression GIN index on `to_tsvector('simple', <text without
punctuation>)`.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import transcriber.kit.db

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_FTS = [
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
    # Transcripts stored before this revision become searchable too.
    "INSERT INTO segments_fts(segments_fts) VALUES ('rebuild')",
]
# Punctuation becomes spaces before PostgreSQL's parser sees the text, so it splits words
# as FTS5's unicode61 does (no XML-tag, e-mail, URL or hyphenated-word tokens).
POSTGRES_INDEX = (
    "CREATE INDEX ix_segments_text_tsv ON segments USING gin "
    "(to_tsvector('simple', regexp_replace(text, '[^[:alnum:]]+', ' ', 'g')))"
)


def upgrade() -> None:
    # Plain ALTERs, not a batch: on SQLite the expression default (false) made batch mode
    # rebuild `segments`, which deleted their words (ON DELETE CASCADE; docs/decisions/0130).
    op.add_column(
        "segments",
        sa.Column("text_edited", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column(
        "segments",
        sa.Column("edited_at", transcriber.kit.db.UTCDateTime(timezone=True), nullable=True),
    )

    op.create_table(
        "segment_versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("segment_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("speaker", sa.String(length=64), nullable=True),
        sa.Column("editor_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", transcriber.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["editor_id"],
            ["users.id"],
            name=op.f("fk_segment_versions_editor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["segment_id"],
            ["segments.id"],
            name=op.f("fk_segment_versions_segment_id_segments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_segment_versions")),
    )
    with op.batch_alter_table("segment_versions", schema=None) as batch_op:
        batch_op.create_index("ix_segment_versions_segment", ["segment_id", "id"], unique=False)

    op.create_table(
        "share_links",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("include_media", sa.Boolean(), nullable=False),
        sa.Column("expires_at", transcriber.kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", transcriber.kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", transcriber.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_share_links_created_by_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["job_id"], ["jobs.id"], name=op.f("fk_share_links_job_id_jobs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_share_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_share_links_token_hash")),
    )
    with op.batch_alter_table("share_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_share_links_job_id"), ["job_id"], unique=False)

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
    elif dialect == "postgresql":
        op.execute(POSTGRES_INDEX)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("segments_fts_ai", "segments_fts_ad", "segments_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS segments_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_segments_text_tsv")

    with op.batch_alter_table("share_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_share_links_job_id"))
    op.drop_table("share_links")
    with op.batch_alter_table("segment_versions", schema=None) as batch_op:
        batch_op.drop_index("ix_segment_versions_segment")
    op.drop_table("segment_versions")
    op.drop_column("segments", "edited_at")
    op.drop_column("segments", "text_edited")
