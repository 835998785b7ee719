"""Cohorts, who learns in them, who counsels them, and the invites that let people in."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from sqlmodel import Field, SQLModel, UniqueConstraint

from leadworks.core.inputs import Clean
from leadworks.core.timeutil import utcnow


class CohortBase(SQLModel):
    name: str = Field(max_length=120)
    description: str = Field(default="", max_length=2000)


class Cohort(CohortBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)


class CohortCreate(SQLModel):
    name: Annotated[str, Clean] = Field(min_length=1, max_length=120)
    description: Annotated[str, Clean] = Field(default="", max_length=2000)


class CohortPublic(CohortBase):
    id: int
    created_at: datetime


class Membership(SQLModel, table=True):
    """A learner enrolled in a cohort."""

    __table_args__ = (UniqueConstraint("cohort_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    joined_at: datetime = Field(default_factory=utcnow)


class CounselorAssignment(SQLModel, table=True):
    """A counselor who may see and act on a cohort."""

    __tablename__ = "counselor_assignment"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    assigned_at: datetime = Field(default_factory=utcnow)


class Invite(SQLModel, table=True):
    """A code that lets a learner register into one cohort."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True, max_length=32)
    cohort_id: int = Field(foreign_key="cohort.id", index=True, ondelete="CASCADE")
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    max_uses: int = Field(default=50, ge=1)
    uses: int = 0
    expires_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
