"""sessions, tokens, account links, login throttle and mail outbox

Adds ``user.session_version`` and ``user.must_change_password``, ``api_token.hint``,
the tables ``account_link`` (reset and sign-up links), ``login_throttle`` (atomic login
and mail counters, replacing ``login_attempt``) and ``mail_message`` (the outbox).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 20:47:46.131890
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = sqlmodel.sql.sqltypes.UTCDateTime
Text = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("key", Text(length=400), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("window_started_at", UTC(), nullable=False),
        sa.Column("not_before", UTC(), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("login_throttle", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_login_throttle_window_started_at"), ["window_started_at"], unique=False
        )

    op.create_table(
        "mail_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient", Text(length=254), nullable=False),
        sa.Column("subject", Text(length=200), nullable=False),
        sa.Column("body", Text(length=20000), nullable=False),
        sa.Column("status", sa.Enum("outbox", "sent", "failed", name="mailstatus"), nullable=False),
        sa.Column("error", Text(length=500), nullable=False),
        sa.Column("created_at", UTC(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("mail_message", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mail_message_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_mail_message_recipient"), ["recipient"], unique=False)

    op.create_table(
        "account_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.Enum("reset", "signup", name="linkpurpose"), nullable=False),
        sa.Column("token_hash", Text(length=64), nullable=False),
        sa.Column("email", Text(length=254), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("name", Text(length=120), nullable=False),
        sa.Column("password_hash", Text(length=255), nullable=False),
        sa.Column("invite_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC(), nullable=False),
        sa.Column("expires_at", UTC(), nullable=False),
        sa.Column("used_at", UTC(), nullable=True),
        sa.ForeignKeyConstraint(["invite_id"], ["invite.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("account_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_link_email"), ["email"], unique=False)
        batch_op.create_index(batch_op.f("ix_account_link_token_hash"), ["token_hash"], unique=True)

    with op.batch_alter_table("login_attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_attempt_address"))
        batch_op.drop_index(batch_op.f("ix_login_attempt_at"))
        batch_op.drop_index(batch_op.f("ix_login_attempt_email"))
    op.drop_table("login_attempt")

    # Existing rows get defaults: tokens without a hint, every user at version 0. Cookies
    # issued before this migration carry no version, so everyone logs in once more.
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hint", Text(length=8), nullable=False, server_default=""))
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("must_change_password")
        batch_op.drop_column("session_version")
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_column("hint")

    op.create_table(
        "login_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", Text(length=254), nullable=False),
        sa.Column("address", Text(length=64), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column("at", UTC(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("login_attempt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_attempt_email"), ["email"], unique=False)
        batch_op.create_index(batch_op.f("ix_login_attempt_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_login_attempt_address"), ["address"], unique=False)

    op.drop_table("account_link")
    op.drop_table("mail_message")
    op.drop_table("login_throttle")
    sa.Enum(name="linkpurpose").drop(op.get_bind(), checkfirst=True)
    sa.Enum(name="mailstatus").drop(op.get_bind(), checkfirst=True)
