"""Counselor workspace state of its own: rescoring jobs (the rest of what counselors write,
comments, overrides and regrade requests, is feedback: ``leadworks.feedback.models``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from leadworks.core.timeutil import utcnow


class RescoreJob(SQLModel, table=True):
    """Rescoring one exercise for one cohort after a rubric change, with its progress."""

    __tablename__ = "rescore_job"

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True, ondelete="CASCADE")
    exercise_id: str = Field(max_length=100)
    requested_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    # previewing -> preview -> running -> done (leadworks.counsel.rescore moves it along)
    status: str = Field(default="previewing", max_length=16)
    total: int = 0
    done: int = 0
    summary: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None
