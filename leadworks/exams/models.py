"""An exam attempt: the questions drawn for it, the answers, the grade. Every attempt is kept."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel, UniqueConstraint

from leadworks.core.timeutil import utcnow


class ExamAttempt(SQLModel, table=True):
    """One sitting of a checkpoint or the final exam.

    ``questions`` is a snapshot of the drawn questions (answers and explanations included),
    so an attempt is graded and explained against what the learner saw, even after the
    course changes. ``seed`` is keyed with the server's secret and never shown to learners.
    ``submitted_at`` is None while the attempt is open (or after it ran out of time unsubmitted).
    """

    __tablename__ = "exam_attempt"
    __table_args__ = (UniqueConstraint("user_id", "exam_id", "attempt"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    exam_id: str = Field(max_length=100, index=True)
    attempt: int
    seed: str = Field(max_length=24)  # a 64-bit unsigned integer, kept as text for PostgreSQL
    questions: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    pass_fraction: float
    started_at: datetime = Field(default_factory=utcnow)
    deadline_at: datetime | None = None
    submitted_at: datetime | None = None
    answers: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    score: float | None = None
    possible: float | None = None
    passed: bool | None = None
    rubric_version: str | None = Field(default=None, max_length=40)
    grade: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
