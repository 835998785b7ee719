"""Issued certificates and portfolio share links.

A certificate row keeps the exact signed VC-JWT and its decoded credential, so a pasted
copy can be compared with what was issued; its id is also its position in the published
revocation status list. Revoking never deletes: the row says when, by whom and why.

A learner holds at most one *active* certificate per achievement: one neither revoked nor
renewed (an expired certificate the learner claimed again keeps its row, marked renewed,
and still verifies as expired). The database holds the rule itself, with a partial unique
index (SQLite and PostgreSQL both have them), so two claims at once cannot both insert.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, text
from sqlmodel import Field, SQLModel

from leadworks.core.timeutil import utcnow

#: OB 3.0 ``achievement.humanCode`` of the one certificate the academy issues today
DEFAULT_ACHIEVEMENT = "LW-LGP"
_ACTIVE = "revoked_at IS NULL AND renewed_at IS NULL"


class IssuedCredential(SQLModel, table=True):
    __tablename__ = "issued_credential"
    __table_args__ = (
        Index(
            "uq_issued_credential_active",
            "user_id",
            "achievement",
            unique=True,
            sqlite_where=text(_ACTIVE),
            postgresql_where=text(_ACTIVE),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(max_length=36, unique=True, index=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    achievement: str = Field(default=DEFAULT_ACHIEVEMENT, max_length=32)
    issued_at: datetime = Field(default_factory=utcnow)
    valid_until: datetime
    jwt: str = Field(default="", sa_column=Column(Text, nullable=False))
    credential: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    revoked_at: datetime | None = Field(default=None)
    revoked_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    revoke_reason: str = Field(default="", max_length=500)
    renewed_at: datetime | None = Field(default=None)  # claimed again after it expired


class PortfolioShare(SQLModel, table=True):
    """One learner's public portfolio link and what it shows; a revoked link stays dead."""

    __tablename__ = "portfolio_share"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    # Kept readable (unlike login tokens) so the learner can copy the link again: it opens
    # only what they chose to publish, and revoking it is one click.
    token: str = Field(max_length=64, unique=True, index=True)
    submission_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    show_certificate: bool = True
    show_profile: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = Field(default=None, index=True)
