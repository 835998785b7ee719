"""issued_credential and portfolio_share

Open Badges 3.0 certificates (their signed VC-JWT, decoded credential and revocation) and
the learners' revocable portfolio share links (issue #17).

Revision ID: 0008_credentials
Revises: 0007_exams
Create Date: 2026-12-07 02:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008_credentials"
down_revision: str | None = "0007_exams"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = sqlmodel.sql.sqltypes.UTCDateTime
Str = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "issued_credential",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", Str(length=36), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("issued_at", UTC(), nullable=False),
        sa.Column("valid_until", UTC(), nullable=False),
        sa.Column("jwt", sa.Text(), nullable=False),
        sa.Column("credential", sa.JSON(), nullable=False),
        sa.Column("revoked_at", UTC(), nullable=True),
        sa.Column("revoked_by", sa.Integer(), nullable=True),
        sa.Column("revoke_reason", Str(length=500), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["revoked_by"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("issued_credential") as batch:
        batch.create_index(batch.f("ix_issued_credential_uuid"), ["uuid"], unique=True)
        batch.create_index(batch.f("ix_issued_credential_user_id"), ["user_id"], unique=False)
    op.create_table(
        "portfolio_share",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token", Str(length=64), nullable=False),
        sa.Column("submission_ids", sa.JSON(), nullable=False),
        sa.Column("show_certificate", sa.Boolean(), nullable=False),
        sa.Column("show_profile", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC(), nullable=False),
        sa.Column("updated_at", UTC(), nullable=False),
        sa.Column("revoked_at", UTC(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("portfolio_share") as batch:
        batch.create_index(batch.f("ix_portfolio_share_token"), ["token"], unique=True)
        batch.create_index(batch.f("ix_portfolio_share_user_id"), ["user_id"], unique=False)
        batch.create_index(batch.f("ix_portfolio_share_revoked_at"), ["revoked_at"], unique=False)


def downgrade() -> None:
    op.drop_table("portfolio_share")
    op.drop_table("issued_credential")
