"""job questions: custom and generated plan questions stored with the job

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 00:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(
            sa.Column("custom_questions", sa.JSON(), nullable=False, server_default="[]")
        )
        batch.add_column(
            sa.Column("generated_questions", sa.JSON(), nullable=False, server_default="[]")
        )


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("generated_questions")
        batch.drop_column("custom_questions")
