"""jobs.batch_size: the decoder's batch for the next run, halved after out of memory

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27 05:40:41.262233
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("batch_size", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("jobs", "batch_size")
