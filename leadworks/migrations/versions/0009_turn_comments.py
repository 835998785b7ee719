"""comment.turn: a counselor's comment on one turn of a call transcript

Null for comments on a learner or a whole attempt (every comment made before this
revision). The turn is the index in the submission's ``turns``, the way the grade's
evidence names it (``turns[4].text``).

Revision ID: 0009_turn_comments
Revises: 0008_credentials
Create Date: 2026-12-07 02:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_turn_comments"
down_revision: str | None = "0008_credentials"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("comment") as batch:
        batch.add_column(sa.Column("turn", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("comment") as batch:
        batch.drop_column("turn")
