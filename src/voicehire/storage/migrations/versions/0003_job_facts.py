"""job facts: location, remote policy, salary band, team and process (what a candidate
may ask the interviewer about)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 02:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("location", sa.String(200), nullable=True))
        batch.add_column(sa.Column("remote_policy", sa.String(32), nullable=True))
        batch.add_column(sa.Column("salary_range", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("team", sa.String(200), nullable=True))
        batch.add_column(sa.Column("process", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        for column in ("process", "team", "salary_range", "remote_policy", "location"):
            batch.drop_column(column)
