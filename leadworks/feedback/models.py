"""Feedback on a learner's work: comments, grade overrides (an append-only audit log),
regrade requests, and the digest of failing checks per grade."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlmodel import Field, SQLModel

from leadworks.core.timeutil import utcnow


class Comment(SQLModel, table=True):
    """A counselor's note on a learner, or on one of their submissions; the learner sees it."""

    id: int | None = Field(default=None, primary_key=True)
    learner_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    submission_id: int | None = Field(
        default=None, foreign_key="submission.id", index=True, ondelete="CASCADE"
    )
    author_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    body: str = Field(max_length=4000)
    created_at: datetime = Field(default_factory=utcnow)
    #: A comment on one turn of a call's transcript: its index in the submission's
    #: ``turns`` (the grade's evidence names turns the same way, ``turns[4].text``).
    turn: int | None = None


class GradeOverride(SQLModel, table=True):
    """One override of a whole grade (check_id None) or one check. Rows are only ever added."""

    __tablename__ = "grade_override"

    id: int | None = Field(default=None, primary_key=True)
    grade_id: int = Field(foreign_key="grade_record.id", index=True, ondelete="CASCADE")
    check_id: str | None = Field(default=None, max_length=60)
    counselor_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    reason: str = Field(max_length=2000)
    points_before: float
    points_after: float
    score_before: float
    score_after: float
    created_at: datetime = Field(default_factory=utcnow)


class GradeDigest(SQLModel, table=True):
    """The checks a grade fails (after overrides), read once from its JSON result.

    A cache, kept because the overview flags learners who fail the same check again and
    again, and unpacking every grade's JSON on each page view is too slow for a big
    cohort. Rows are added when missing (counsel.digests) and removed when an override
    changes the grade; the truth stays in GradeRecord and GradeOverride.
    """

    __tablename__ = "grade_digest"

    grade_id: int = Field(foreign_key="grade_record.id", primary_key=True, ondelete="CASCADE")
    failing: str = Field(default="", max_length=2000)  # space-separated check ids


class RegradeStatus(StrEnum):
    open = "open"
    accepted = "accepted"
    declined = "declined"


class RegradeRequest(SQLModel, table=True):
    __tablename__ = "regrade_request"

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", index=True, ondelete="CASCADE")
    grade_id: int = Field(foreign_key="grade_record.id", ondelete="CASCADE")
    check_id: str = Field(max_length=60)
    learner_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    message: str = Field(max_length=4000)
    status: RegradeStatus = Field(default=RegradeStatus.open, max_length=16, index=True)
    response: str = Field(default="", max_length=4000)
    new_points: float | None = None
    decided_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    decided_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class AuditLogViolation(RuntimeError):
    """Code tried to change or remove an override: a bug, never a user's mistake."""


@event.listens_for(Session, "before_flush")
def _overrides_are_append_only(session: Session, _context: object, _instances: object) -> None:
    """The override log is evidence: refuse any ORM update or delete of its rows."""
    for row in session.deleted:
        if isinstance(row, GradeOverride):
            raise AuditLogViolation(f"grade override #{row.id} cannot be deleted")
    for row in session.dirty:
        if isinstance(row, GradeOverride) and session.is_modified(row):
            raise AuditLogViolation(f"grade override #{row.id} cannot be changed")
