"""submission.actions: learner actions in the run before the hand-in

The counselor overview flags hand-ins with almost no activity (issue #15). Null for
submissions made before this revision, and for hand-ins that come from no run of the
learner's own.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 00:25:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("submission") as batch:
        batch.add_column(sa.Column("actions", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("submission") as batch:
        batch.drop_column("actions")
