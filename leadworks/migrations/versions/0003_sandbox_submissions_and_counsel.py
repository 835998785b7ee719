"""sandbox submissions and counsel

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 10:48:52.321070
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "message_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("message_template", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_message_template_user_id"), ["user_id"], unique=False)

    op.create_table(
        "rescore_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("finished_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["cohort_id"], ["cohort.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["requested_by_id"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("rescore_job", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rescore_job_cohort_id"), ["cohort_id"], unique=False)

    op.create_table(
        "run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("seed", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("status", sa.Enum("active", "submitted", name="runstatus"), nullable=False),
        sa.Column("event_count", sa.Integer(), nullable=False),
        sa.Column("sim_time", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("submitted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "exercise_id", "attempt"),
    )
    with op.batch_alter_table("run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_run_exercise_id"), ["exercise_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_run_updated_at"), ["updated_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_run_user_id"), ["user_id"], unique=False)

    op.create_table(
        "action_receipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("first_seq", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("response", sa.JSON(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["run.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("run_id", "key"),
    )
    with op.batch_alter_table("action_receipt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_receipt_run_id"), ["run_id"], unique=False)

    op.create_table(
        "run_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("type", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["run.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("run_id", "seq"),
    )
    with op.batch_alter_table("run_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_run_event_run_id"), ["run_id"], unique=False)

    op.create_table(
        "sequence_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("stop_on_reply", sa.Boolean(), nullable=False),
        sa.Column("stop_on_opt_out", sa.Boolean(), nullable=False),
        sa.Column("list_name", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column("contact_ids", sa.JSON(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("started_at", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=True),
        sa.Column("next_step", sa.Integer(), nullable=False),
        sa.Column("log", sa.JSON(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["run.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("run_id", "key"),
    )
    with op.batch_alter_table("sequence_plan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sequence_plan_run_id"), ["run_id"], unique=False)

    op.create_table(
        "run_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["run.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("run_id", "contact_id"),
    )
    with op.batch_alter_table("run_note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_run_note_run_id"), ["run_id"], unique=False)

    op.create_table(
        "submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("exercise_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["run.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_submission_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_submission_exercise_id"), ["exercise_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_submission_run_id"), ["run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_submission_user_id"), ["user_id"], unique=False)

    op.create_table(
        "comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["learner_id"], ["user.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["submission_id"], ["submission.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("comment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_comment_learner_id"), ["learner_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_comment_submission_id"), ["submission_id"], unique=False
        )

    op.create_table(
        "grade_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("rubric_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("rubric_version", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("possible", sa.Float(), nullable=False),
        sa.Column("final_score", sa.Float(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submission.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("grade_record", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_grade_record_is_current"), ["is_current"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_grade_record_submission_id"), ["submission_id"], unique=False
        )

    op.create_table(
        "grade_override",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grade_id", sa.Integer(), nullable=False),
        sa.Column("check_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column("counselor_id", sa.Integer(), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("points_before", sa.Float(), nullable=False),
        sa.Column("points_after", sa.Float(), nullable=False),
        sa.Column("score_before", sa.Float(), nullable=False),
        sa.Column("score_after", sa.Float(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["counselor_id"], ["user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["grade_id"], ["grade_record.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("grade_override", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_grade_override_grade_id"), ["grade_id"], unique=False)

    op.create_table(
        "grade_digest",
        sa.Column("grade_id", sa.Integer(), nullable=False),
        sa.Column("failing", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.ForeignKeyConstraint(["grade_id"], ["grade_record.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("grade_id"),
    )
    op.create_table(
        "regrade_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("grade_id", sa.Integer(), nullable=False),
        sa.Column("check_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("message", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column(
            "status", sa.Enum("open", "accepted", "declined", name="regradestatus"), nullable=False
        ),
        sa.Column("response", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("new_points", sa.Float(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["decided_by_id"], ["user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["grade_id"], ["grade_record.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["learner_id"], ["user.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["submission_id"], ["submission.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("regrade_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_regrade_request_learner_id"), ["learner_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_regrade_request_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_regrade_request_submission_id"), ["submission_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("regrade_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_regrade_request_submission_id"))
        batch_op.drop_index(batch_op.f("ix_regrade_request_status"))
        batch_op.drop_index(batch_op.f("ix_regrade_request_learner_id"))

    op.drop_table("regrade_request")
    op.drop_table("grade_digest")
    with op.batch_alter_table("grade_override", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grade_override_grade_id"))

    op.drop_table("grade_override")
    with op.batch_alter_table("grade_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grade_record_submission_id"))
        batch_op.drop_index(batch_op.f("ix_grade_record_is_current"))

    op.drop_table("grade_record")
    with op.batch_alter_table("comment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_comment_submission_id"))
        batch_op.drop_index(batch_op.f("ix_comment_learner_id"))

    op.drop_table("comment")
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_submission_user_id"))
        batch_op.drop_index(batch_op.f("ix_submission_run_id"))
        batch_op.drop_index(batch_op.f("ix_submission_exercise_id"))
        batch_op.drop_index(batch_op.f("ix_submission_created_at"))

    op.drop_table("submission")
    with op.batch_alter_table("run_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_run_note_run_id"))

    op.drop_table("run_note")
    with op.batch_alter_table("sequence_plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sequence_plan_run_id"))

    op.drop_table("sequence_plan")
    with op.batch_alter_table("run_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_run_event_run_id"))

    op.drop_table("run_event")
    with op.batch_alter_table("action_receipt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_receipt_run_id"))

    op.drop_table("action_receipt")
    with op.batch_alter_table("run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_run_user_id"))
        batch_op.drop_index(batch_op.f("ix_run_updated_at"))
        batch_op.drop_index(batch_op.f("ix_run_exercise_id"))

    op.drop_table("run")
    with op.batch_alter_table("rescore_job", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rescore_job_cohort_id"))

    op.drop_table("rescore_job")
    with op.batch_alter_table("message_template", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_message_template_user_id"))

    op.drop_table("message_template")
