"""run_snapshot: the latest stored snapshot of each long run's folded state

A cache beside the event log (simulator.snapshots): a worker that has never seen a run
resumes it from its snapshot and replays only the events after it. Dropping the table's
rows loses nothing but time.

Revision ID: 0012_run_snapshots
Revises: 0011_drills
Create Date: 2026-12-07 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0012_run_snapshots"
down_revision: str | None = "0011_drills"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "run_snapshot",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("event_count", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", UTC(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["run.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id"),
    )


def downgrade() -> None:
    op.drop_table("run_snapshot")
