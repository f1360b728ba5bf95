"""job language: the interview language of a job's interviews (plan text, the
interviewer's lines, speech engines and the report)

Revision ID: job_language_0008
Revises: webhook_outbox_0003
Create Date: 2026-11-29 02:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "job_language_0008"
down_revision = "webhook_outbox_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("language", sa.String(16), nullable=False, server_default="en"))


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("language")
