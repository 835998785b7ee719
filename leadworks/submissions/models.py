"""What learners hand in and the grades it received.

A submission is never changed or deleted. Each grading (first grade, rescore after a
rubric change) adds a GradeRecord; exactly one per submission is current. Counselor
overrides (leadworks.counsel) adjust ``final_score`` and are logged beside it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from leadworks.core.timeutil import utcnow


class Submission(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    run_id: int | None = Field(default=None, foreign_key="run.id", index=True, ondelete="SET NULL")
    exercise_id: str = Field(max_length=100, index=True)
    kind: str = Field(max_length=40)
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, index=True)
    # learner actions in the run before the hand-in (None: no run, or a pre-played log);
    # the counselor overview flags hand-ins with almost none
    actions: int | None = Field(default=None)


class GradeRecord(SQLModel, table=True):
    __tablename__ = "grade_record"

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", index=True, ondelete="CASCADE")
    rubric_id: str = Field(max_length=60)
    rubric_version: str = Field(max_length=40)
    score: float  # as the grader gave it
    possible: float
    final_score: float  # after counselor overrides; what learners and gradebooks show
    result: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))  # Grade.to_dict()
    is_current: bool = Field(default=True, index=True)
    reason: str = Field(default="graded", max_length=40)  # graded | rescored
    created_at: datetime = Field(default_factory=utcnow)
