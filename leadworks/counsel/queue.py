"""The regrade queue: a cohort's open disputes, each beside the check it is about.

A counselor decides a request best with the evidence in view, so every item carries the
disputed check as it stands now (overrides folded in), its verdict, advice and quotes;
the attempt page adds the replay. Recently answered requests follow, for the record.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session, col, select

from course.catalog import Catalog
from leadworks.accounts.models import User
from leadworks.cohorts.models import Cohort, Membership
from leadworks.feedback.grades import CheckView, check_views
from leadworks.feedback.models import GradeOverride, RegradeRequest, RegradeStatus
from leadworks.feedback.service import overrides_of
from leadworks.submissions.models import GradeRecord, Submission

RECENT = 20


@dataclass(frozen=True)
class QueueItem:
    request: RegradeRequest
    learner: str
    exercise_title: str
    check: CheckView | None


@dataclass(frozen=True)
class Queue:
    open: list[QueueItem]
    decided: list[QueueItem]


def regrade_queue(*, session: Session, cohort: Cohort, catalog: Catalog) -> Queue:
    """Open requests oldest first (fair), then the latest answered ones."""
    base = (
        select(RegradeRequest)
        .join(Membership, col(Membership.user_id) == RegradeRequest.learner_id)
        .where(Membership.cohort_id == cohort.id)
    )
    waiting = session.exec(
        base.where(RegradeRequest.status == RegradeStatus.open).order_by(col(RegradeRequest.id))
    ).all()
    decided = session.exec(
        base.where(RegradeRequest.status != RegradeStatus.open)
        .order_by(col(RegradeRequest.decided_at).desc(), col(RegradeRequest.id).desc())
        .limit(RECENT)
    ).all()
    requests = [*waiting, *decided]
    sub_ids = {r.submission_id for r in requests}
    learners = dict(
        session.exec(
            select(User.id, User.name).where(col(User.id).in_({r.learner_id for r in requests}))
        ).all()
    )
    exercises = dict(
        session.exec(
            select(Submission.id, Submission.exercise_id).where(col(Submission.id).in_(sub_ids))
        ).all()
    )
    records = {
        g.submission_id: g
        for g in session.exec(
            select(GradeRecord).where(
                col(GradeRecord.submission_id).in_(sub_ids),
                GradeRecord.is_current == True,  # noqa: E712
            )
        ).all()
    }
    by_grade: dict[int, list[GradeOverride]] = defaultdict(list)
    for override in overrides_of(
        session=session, grade_ids=[g.id for g in records.values() if g.id]
    ):
        by_grade[override.grade_id].append(override)

    def item(request: RegradeRequest) -> QueueItem:
        record = records.get(request.submission_id)
        checks = check_views(record.result, by_grade[record.id or 0]) if record else []
        return QueueItem(
            request=request,
            learner=learners.get(request.learner_id, "?"),
            exercise_title=catalog.exercise_title(exercises.get(request.submission_id, "")),
            check=next((c for c in checks if c.id == request.check_id), None),
        )

    return Queue(open=[item(r) for r in waiting], decided=[item(r) for r in decided])
