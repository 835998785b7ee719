"""issued_credential: one active certificate per learner and achievement

Adds ``achievement`` (the OB 3.0 humanCode; every certificate so far is ``LW-LGP``) and
``renewed_at`` (an expired certificate claimed again), then a partial unique index over
(user_id, achievement) for rows neither revoked nor renewed. Older duplicates (a race
before this revision) are marked renewed by the newest one first, so the index can be
built on any existing database.

Revision ID: 0010_certificate_unique
Revises: 0009_turn_comments
Create Date: 2026-12-07 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010_certificate_unique"
down_revision: str | None = "0009_turn_comments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = sqlmodel.sql.sqltypes.UTCDateTime
Str = sqlmodel.sql.sqltypes.AutoString
ACTIVE = "revoked_at IS NULL AND renewed_at IS NULL"


def upgrade() -> None:
    with op.batch_alter_table("issued_credential") as batch:
        batch.add_column(
            sa.Column("achievement", Str(length=32), nullable=False, server_default="LW-LGP")
        )
        batch.add_column(sa.Column("renewed_at", UTC(), nullable=True))
    op.execute(
        "UPDATE issued_credential SET renewed_at = ("
        " SELECT MAX(newer.issued_at) FROM issued_credential AS newer"
        " WHERE newer.user_id = issued_credential.user_id AND newer.revoked_at IS NULL)"
        " WHERE revoked_at IS NULL AND id < ("
        " SELECT MAX(newer.id) FROM issued_credential AS newer"
        " WHERE newer.user_id = issued_credential.user_id AND newer.revoked_at IS NULL)"
    )
    op.create_index(
        "uq_issued_credential_active",
        "issued_credential",
        ["user_id", "achievement"],
        unique=True,
        sqlite_where=sa.text(ACTIVE),
        postgresql_where=sa.text(ACTIVE),
    )


def downgrade() -> None:
    op.drop_index("uq_issued_credential_active", table_name="issued_credential")
    with op.batch_alter_table("issued_credential") as batch:
        batch.drop_column("renewed_at")
        batch.drop_column("achievement")
