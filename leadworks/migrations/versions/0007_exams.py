"""exam_attempt: checkpoints and the final exam, every attempt kept

Revision ID: 0007_exams
Revises: 0006_saved_searches
Create Date: 2026-12-07 02:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007_exams"
down_revision: str | None = "0006_saved_searches"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exam_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("exam_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("seed", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("pass_fraction", sa.Float(), nullable=False),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("deadline_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("submitted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("answers", sa.JSON(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("possible", sa.Float(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("rubric_version", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("grade", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "exam_id", "attempt"),
    )
    with op.batch_alter_table("exam_attempt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exam_attempt_exam_id"), ["exam_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_exam_attempt_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("exam_attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exam_attempt_user_id"))
        batch_op.drop_index(batch_op.f("ix_exam_attempt_exam_id"))
    op.drop_table("exam_attempt")
