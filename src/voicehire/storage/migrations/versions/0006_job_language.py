"""job language: the interview language of a job's interviews (plan text, the
interviewer's lines, speech engines and the report)

Revision ID: 0006_job_language
Revises: 0005
Create Date: 2026-11-29 02:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_job_language"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("language", sa.String(16), nullable=False, server_default="en"))


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("language")
