"""jobs at scale: scheduler columns, workers, leases

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-27 03:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import transcriber.kit.db

revision: str = "0004"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTERs, not a batch: on SQLite the expression default (false) made batch mode
    # rebuild `jobs`, and dropping the old table deleted every segment through its ON DELETE
    # CASCADE (docs/decisions/0130). The columns come out the same: `BOOLEAN DEFAULT 0 NOT NULL`.
    op.add_column(
        "jobs", sa.Column("partial", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.add_column(
        "jobs",
        sa.Column("dispatched_at", transcriber.kit.db.UTCDateTime(timezone=True), nullable=True),
    )
    op.add_column(
        "jobs", sa.Column("retry_at", transcriber.kit.db.UTCDateTime(timezone=True), nullable=True)
    )
    op.create_index(
        "ix_jobs_queue_status_dispatched",
        "jobs",
        ["queue", "status", "dispatched_at"],
        unique=False,
    )
    # Jobs queued before this revision were sent to the broker by the old code.
    op.execute("UPDATE jobs SET dispatched_at = created_at WHERE status = 'queued'")

    op.create_table(
        "workers",
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("queues", sa.String(length=512), nullable=False),
        sa.Column("device", sa.String(length=16), nullable=False),
        sa.Column("models", sa.JSON(), nullable=False),
        sa.Column("concurrency", sa.Integer(), nullable=False),
        sa.Column("current_jobs", sa.JSON(), nullable=False),
        sa.Column("started_at", transcriber.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "last_heartbeat_at", transcriber.kit.db.UTCDateTime(timezone=True), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workers")),
    )
    with op.batch_alter_table("workers", schema=None) as batch_op:
        batch_op.create_index("ix_workers_last_heartbeat_at", ["last_heartbeat_at"], unique=False)

    op.create_table(
        "leases",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("owner", sa.String(length=255), nullable=True),
        sa.Column("expires_at", transcriber.kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_leases")),
    )


def downgrade() -> None:
    op.drop_table("leases")
    with op.batch_alter_table("workers", schema=None) as batch_op:
        batch_op.drop_index("ix_workers_last_heartbeat_at")
    op.drop_table("workers")
    op.drop_index("ix_jobs_queue_status_dispatched", table_name="jobs")
    op.drop_column("jobs", "retry_at")
    op.drop_column("jobs", "dispatched_at")
    op.drop_column("jobs", "partial")
