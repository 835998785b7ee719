"""A drill hand-in is a Submission (leadworks.submissions) like any other; these two small
tables keep what a drill needs beside it: the idempotency receipt of each hand-in (a retried
request answers with the stored grade) and the learner's draft (nothing typed is lost)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel, UniqueConstraint

from leadworks.core.timeutil import utcnow


class DrillReceipt(SQLModel, table=True):
    """What an idempotency key already handed in, per learner."""

    __tablename__ = "drill_receipt"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    key: str = Field(max_length=100)
    drill_id: str = Field(max_length=100)
    submission_id: int = Field(foreign_key="submission.id", ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)


class DrillDraft(SQLModel, table=True):
    """The learner's unfinished hand-in of one drill (the payload shape, as typed)."""

    __tablename__ = "drill_draft"
    __table_args__ = (UniqueConstraint("user_id", "drill_id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    drill_id: str = Field(max_length=100)
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)
