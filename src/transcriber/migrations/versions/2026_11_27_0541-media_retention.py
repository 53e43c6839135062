"""media retention: when a job's original media was deleted, and why

Jobs get `media_deleted_at` and `media_note` (set by the retention duty, which
also clears `media_key`), and an index on (status, finished_at) for its scan.

Revision ID: 0012_retention
Revises: 0008
Create Date: 2026-11-27 05:41:13.960610
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import transcriber.kit.db

revision: str = "0012_retention"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "media_deleted_at", transcriber.kit.db.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.add_column(sa.Column("media_note", sa.Text(), nullable=True))
        batch_op.create_index("ix_jobs_status_finished", ["status", "finished_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_jobs_status_finished", table_name="jobs")
    op.drop_column("jobs", "media_note")
    op.drop_column("jobs", "media_deleted_at")
