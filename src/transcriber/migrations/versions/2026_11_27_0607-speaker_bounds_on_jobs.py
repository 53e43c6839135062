"""jobs.min_speakers / max_speakers: bounds on the speaker count when diarizing

Revision ID: 0013_diarization
Revises: 0010_uploads
Create Date: 2026-11-27 06:07:44.573522
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_diarization"
down_revision: str | None = "0010_uploads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("min_speakers", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("max_speakers", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("jobs", "max_speakers")
    op.drop_column("jobs", "min_speakers")
