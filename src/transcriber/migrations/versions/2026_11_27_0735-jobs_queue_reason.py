"""jobs.queue_reason: why a job waits again (retried, its worker lost, a passing fault)

Revision ID: 0015_queue_reason
Revises: 0014_search_unaccent
Create Date: 2026-11-27 07:35:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_queue_reason"
down_revision: str | None = "0014_search_unaccent"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("jobs", sa.Column("queue_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+ has it), not a batch rebuild: on SQLite a rebuild drops
    # `jobs`, which cascades into segments and their search triggers and fails with data in.
    op.drop_column("jobs", "queue_reason")
