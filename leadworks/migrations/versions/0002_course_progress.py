"""course progress

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 10:47:29.251743
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "learner_profile",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("skills", sa.JSON(), nullable=False),
        sa.Column("target_industries", sa.JSON(), nullable=False),
        sa.Column("planned_certifications", sa.JSON(), nullable=False),
        sa.Column("goal", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_table(
        "lesson_completion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("lesson_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("completed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "lesson_id"),
    )
    with op.batch_alter_table("lesson_completion", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lesson_completion_lesson_id"), ["lesson_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_lesson_completion_user_id"), ["user_id"], unique=False)

    op.create_table(
        "quiz_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("lesson_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("possible", sa.Float(), nullable=False),
        sa.Column("rubric_version", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("grade", sa.JSON(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("quiz_attempt", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_quiz_attempt_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_quiz_attempt_lesson_id"), ["lesson_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_quiz_attempt_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("quiz_attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quiz_attempt_user_id"))
        batch_op.drop_index(batch_op.f("ix_quiz_attempt_lesson_id"))
        batch_op.drop_index(batch_op.f("ix_quiz_attempt_created_at"))

    op.drop_table("quiz_attempt")
    with op.batch_alter_table("lesson_completion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lesson_completion_user_id"))
        batch_op.drop_index(batch_op.f("ix_lesson_completion_lesson_id"))

    op.drop_table("lesson_completion")
    op.drop_table("learner_profile")
