"""drill_receipt and drill_draft: drill hand-ins' idempotency keys and learners' drafts

A drill hand-in is stored as a Submission (no run); its idempotency key is kept per learner
in drill_receipt, and the unfinished hand-in of each drill in drill_draft.

Revision ID: 0011_drills
Revises: 0010_certificate_unique
Create Date: 2026-12-07 05:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0011_drills"
down_revision: str | None = "0010_certificate_unique"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = sqlmodel.sql.sqltypes.UTCDateTime
Text = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "drill_receipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key", Text(length=100), nullable=False),
        sa.Column("drill_id", Text(length=100), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["submission_id"], ["submission.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "key"),
    )
    with op.batch_alter_table("drill_receipt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_drill_receipt_user_id"), ["user_id"], unique=False)
    op.create_table(
        "drill_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("drill_id", Text(length=100), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("updated_at", UTC(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "drill_id"),
    )
    with op.batch_alter_table("drill_draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_drill_draft_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_table("drill_draft")
    op.drop_table("drill_receipt")
