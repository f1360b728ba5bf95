"""accommodation requests: a candidate asks for another format or a human interviewer

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 02:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accommodation_requests",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column(
            "interview_id",
            sa.String(64),
            sa.ForeignKey("interviews.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_accommodation_requests_interview_id", "accommodation_requests", ["interview_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_accommodation_requests_interview_id", "accommodation_requests")
    op.drop_table("accommodation_requests")
