"""What a learner is told about an attempt: comments, overrides with reasons, regrade answers.

Read-only and batched: the learner's feedback page shows every attempt at once, so the
pieces are fetched in a handful of queries for all submissions together. The counselor's
review page uses the same views, so both sides always read the same story.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from leadworks.accounts.models import User
from leadworks.core.errors import Conflict
from leadworks.feedback.grades import CheckView, check_views
from leadworks.feedback.models import Comment, GradeOverride, RegradeRequest, RegradeStatus
from leadworks.feedback.service import current_record, overrides_of
from leadworks.submissions.models import GradeRecord, Submission
from leadworks.submissions.service import submissions_with_grades


@dataclass(frozen=True)
class CommentView:
    id: int
    body: str
    by: str
    at: datetime
    submission_id: int | None
    turn: int | None = None  # a comment on one turn of a call transcript


@dataclass(frozen=True)
class OverrideView:
    id: int
    check_id: str | None
    points_before: float
    points_after: float
    score_before: float
    score_after: float
    reason: str
    by: str
    at: datetime

    @property
    def target(self) -> str:
        return f"check '{self.check_id}'" if self.check_id else "the whole grade"


@dataclass(frozen=True)
class SubmissionFeedback:
    submission: Submission
    record: GradeRecord | None
    checks: list[CheckView] = field(default_factory=list)
    comments: list[CommentView] = field(default_factory=list)
    overrides: list[OverrideView] = field(default_factory=list)
    requests: list[RegradeRequest] = field(default_factory=list)

    @property
    def open_checks(self) -> set[str]:
        return {r.check_id for r in self.requests if r.status is RegradeStatus.open}

    @property
    def disputable(self) -> list[CheckView]:
        """Checks a learner may still dispute: not full marks, no request waiting."""
        waiting = self.open_checks
        return [c for c in self.checks if not c.full_marks and c.id not in waiting]

    @property
    def percent(self) -> float | None:
        if self.record is None or not self.record.possible:
            return None
        return round(100 * self.record.final_score / self.record.possible, 1)


def _names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    rows = session.exec(select(User.id, User.name).where(col(User.id).in_(wanted))).all()
    return {uid: name for uid, name in rows if uid is not None}


def _comment_view(comment: Comment, names: dict[int, str]) -> CommentView:
    assert comment.id is not None
    by = names.get(comment.author_id or 0, "A counselor")
    return CommentView(
        comment.id, comment.body, by, comment.created_at, comment.submission_id, comment.turn
    )


def override_views(session: Session, overrides: Sequence[GradeOverride]) -> list[OverrideView]:
    names = _names(session, {o.counselor_id for o in overrides})
    return [
        OverrideView(
            id=o.id or 0,
            check_id=o.check_id,
            points_before=o.points_before,
            points_after=o.points_after,
            score_before=o.score_before,
            score_after=o.score_after,
            reason=o.reason,
            by=names.get(o.counselor_id or 0, "A counselor"),
            at=o.created_at,
        )
        for o in overrides
    ]


def feedback_batch(
    *, session: Session, pairs: Sequence[tuple[Submission, GradeRecord | None]]
) -> list[SubmissionFeedback]:
    """Feedback for several attempts of one learner in four queries."""
    ids = [s.id for s, _ in pairs if s.id is not None]
    if not ids:
        return []
    grade_ids = [g.id for _, g in pairs if g is not None and g.id is not None]
    overrides = overrides_of(session=session, grade_ids=grade_ids)
    comments = session.exec(
        select(Comment).where(col(Comment.submission_id).in_(ids)).order_by(col(Comment.id))
    ).all()
    requests = session.exec(
        select(RegradeRequest)
        .where(col(RegradeRequest.submission_id).in_(ids))
        .order_by(col(RegradeRequest.id))
    ).all()
    names = _names(session, {c.author_id for c in comments})
    by_grade: dict[int, list[GradeOverride]] = defaultdict(list)
    for o in overrides:
        by_grade[o.grade_id].append(o)
    views = {o.id: v for o, v in zip(overrides, override_views(session, overrides), strict=True)}
    out = []
    for submission, record in pairs:
        own = by_grade.get(record.id or 0, []) if record else []
        out.append(
            SubmissionFeedback(
                submission=submission,
                record=record,
                checks=check_views(record.result, own) if record else [],
                comments=[
                    _comment_view(c, names) for c in comments if c.submission_id == submission.id
                ],
                overrides=[views[o.id] for o in own],
                requests=[r for r in requests if r.submission_id == submission.id],
            )
        )
    return out


def feedback_for(*, session: Session, submission: Submission) -> SubmissionFeedback:
    """One attempt's feedback: what the learner's grade page includes beside the grade."""
    try:
        record: GradeRecord | None = current_record(session=session, submission=submission)
    except Conflict:
        record = None
    return feedback_batch(session=session, pairs=[(submission, record)])[0]


def learner_comments(*, session: Session, learner_id: int) -> list[CommentView]:
    """Comments on the learner as a whole (not on one attempt), newest first."""
    comments = session.exec(
        select(Comment)
        .where(Comment.learner_id == learner_id, col(Comment.submission_id).is_(None))
        .order_by(col(Comment.id).desc())
    ).all()
    names = _names(session, {c.author_id for c in comments})
    return [_comment_view(c, names) for c in comments]


def learner_feedback(*, session: Session, learner_id: int) -> list[SubmissionFeedback]:
    """Every attempt of a learner, newest first, each with its feedback."""
    pairs = submissions_with_grades(session=session, user_id=learner_id)
    return feedback_batch(session=session, pairs=pairs)
