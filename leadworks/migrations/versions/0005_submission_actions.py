"""submission.actions and compose_draft

``submission.actions``: learner actions in the run before the hand-in.
The counselor overview flags hand-ins with almost no activity (issue #15). Null for
submissions made before this revision, and for hand-ins that come from no run of the
learner's own. ``compose_draft``: the composer's text per run and prospect, kept on the
server so nothing typed is lost.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 00:25:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = sqlmodel.sql.sqltypes.UTCDateTime
Text = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table("submission") as batch:
        batch.add_column(sa.Column("actions", sa.Integer(), nullable=True))
    op.create_table(
        "compose_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", Text(length=40), nullable=False),
        sa.Column("channel", Text(length=16), nullable=False),
        sa.Column("subject", Text(length=400), nullable=False),
        sa.Column("body", Text(length=20000), nullable=False),
        sa.Column("updated_at", UTC(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["run.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("run_id", "contact_id"),
    )
    with op.batch_alter_table("compose_draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_compose_draft_run_id"), ["run_id"], unique=False)


def downgrade() -> None:
    op.drop_table("compose_draft")
    with op.batch_alter_table("submission") as batch:
        batch.drop_column("actions")
