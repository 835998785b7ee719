"""A learner's course progress: finished lessons, quiz attempts, and their self-assessment."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel, UniqueConstraint

from leadworks.core.timeutil import utcnow


class LessonCompletion(SQLModel, table=True):
    __tablename__ = "lesson_completion"
    __table_args__ = (UniqueConstraint("user_id", "lesson_id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    lesson_id: str = Field(max_length=100, index=True)
    completed_at: datetime = Field(default_factory=utcnow)


class QuizAttempt(SQLModel, table=True):
    """Every attempt is kept (answers and the whole Grade), so nothing submitted is lost."""

    __tablename__ = "quiz_attempt"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    lesson_id: str = Field(max_length=100, index=True)
    answers: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    score: float
    possible: float
    rubric_version: str = Field(max_length=40)
    grade: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, index=True)


class LearnerProfile(SQLModel, table=True):
    """The career-readiness self-assessment a learner keeps up to date."""

    __tablename__ = "learner_profile"

    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    skills: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    target_industries: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    planned_certifications: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    goal: str = Field(default="", max_length=1000)
    updated_at: datetime = Field(default_factory=utcnow)
