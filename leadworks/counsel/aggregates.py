"""The aggregate queries behind the cohort overview and the gradebook.

Each function is one statement grouped by learner, whatever the cohort's size: the
overview's speed and its constant query count (tested for 3 and 30 learners) live here.
They run through the Core connection and return plain tuples: for a thousand learners the
ORM's per-row work would cost more than the queries themselves. Dates are only read per
learner (last activity), never per module or lesson, for the same reason.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import and_, case, func
from sqlalchemy import select as sa_select  # sqlmodel's select types at most 4 columns
from sqlalchemy.sql import Select
from sqlmodel import Session, col, select

from course.catalog import Catalog
from leadworks.accounts.models import User
from leadworks.cohorts.models import Membership
from leadworks.feedback.models import RegradeRequest, RegradeStatus
from leadworks.practice.models import Run
from leadworks.progress.models import LessonCompletion, QuizAttempt
from leadworks.submissions.models import GradeRecord, Submission

LOW_SCORE_RATIO = 0.5  # an attempt under half marks is a low score


def members_of(cohort_id: int) -> Select[Any]:
    return select(Membership.user_id).where(Membership.cohort_id == cohort_id)


def _rows(session: Session, query: Any) -> list[Any]:
    return list(session.connection().execute(query).all())


def module_of(catalog: Catalog, column: Any) -> Any:
    mapping = {lesson.id: lesson.module for lesson in catalog.lessons()}
    return case(mapping, value=column, else_=None).label("module")


def lessons_done(session: Session, members: Select[Any], catalog: Catalog) -> dict[Any, int]:
    """(learner, module) -> lessons completed."""
    inner = (
        select(LessonCompletion.user_id, module_of(catalog, LessonCompletion.lesson_id))
        .where(col(LessonCompletion.user_id).in_(members))
        .subquery()
    )
    query = select(inner.c.user_id, inner.c.module, func.count()).group_by(
        inner.c.user_id, inner.c.module
    )
    return {(uid, module): n for uid, module, n in _rows(session, query)}


def quiz_bests(members: Select[Any] | Collection[int]) -> Any:
    """Best ratio per (learner, lesson): the gradebook's quiz columns."""
    ratio = QuizAttempt.score / func.nullif(QuizAttempt.possible, 0)
    return (
        select(QuizAttempt.user_id, QuizAttempt.lesson_id, func.max(ratio).label("best"))
        .where(col(QuizAttempt.user_id).in_(members))
        .group_by(col(QuizAttempt.user_id), col(QuizAttempt.lesson_id))
    )


def quiz_averages(
    session: Session, members: Select[Any] | Collection[int], catalog: Catalog
) -> dict[Any, float]:
    """(learner, module) -> average of the best quiz ratio of each attempted lesson.

    ``members`` may also be a list of learner ids: the overview asks only for the rows it
    shows, as this is its most expensive aggregate (every attempt of every lesson).
    """
    best = quiz_bests(members).subquery()
    inner = select(best.c.user_id, module_of(catalog, best.c.lesson_id), best.c.best).subquery()
    query = select(inner.c.user_id, inner.c.module, func.avg(inner.c.best)).group_by(
        inner.c.user_id, inner.c.module
    )
    return {(uid, module): avg for uid, module, avg in _rows(session, query)}


def exercise_bests(members: Select[Any]) -> Any:
    """Per (learner, exercise): best current final score ratio, attempts, low attempts."""
    ratio = GradeRecord.final_score / func.nullif(GradeRecord.possible, 0)
    return (
        sa_select(
            col(Submission.user_id),
            col(Submission.exercise_id),
            func.max(ratio),
            func.count(col(Submission.id)),
            func.sum(case((ratio < LOW_SCORE_RATIO, 1), else_=0)),
        )
        .join(
            GradeRecord,
            and_(
                col(GradeRecord.submission_id) == Submission.id,
                col(GradeRecord.is_current) == True,  # noqa: E712
            ),
        )
        .where(col(Submission.user_id).in_(members))
        .group_by(col(Submission.user_id), col(Submission.exercise_id))
    )


def exercise_scores(session: Session, members: Select[Any]) -> list[Any]:
    return _rows(session, exercise_bests(members))


def low_activity(session: Session, members: Select[Any], below: int) -> dict[int, list[Any]]:
    """Per learner: (exercise id, actions) of hand-ins made after fewer than ``below``
    actions in their run (a hand-in typed in with no work behind it)."""
    query = (
        sa_select(col(Submission.user_id), col(Submission.exercise_id), col(Submission.actions))
        .where(
            col(Submission.user_id).in_(members),
            col(Submission.actions).is_not(None),
            col(Submission.actions) < below,
        )
        .order_by(col(Submission.user_id), col(Submission.id))
    )
    found: dict[int, list[Any]] = {}
    for uid, exercise_id, actions in _rows(session, query):
        found.setdefault(uid, []).append((exercise_id, actions))
    return found


def learners(session: Session, cohort_id: int) -> list[Any]:
    """(id, name, email, joined_at, *latest moments) per learner of the cohort.

    Last activity is the latest of run update, lesson completion, quiz attempt and
    hand-in; each is a correlated max over the learner's own rows (an index lookup), which
    costs less than grouping the whole tables and saves four round trips.
    """

    def latest(user_id: Any, moment: Any) -> Any:
        return select(func.max(moment)).where(user_id == User.id).correlate(User).scalar_subquery()

    query = (
        sa_select(
            col(User.id),
            col(User.name),
            col(User.email),
            col(Membership.joined_at),
            latest(col(Run.user_id), col(Run.updated_at)),
            latest(col(LessonCompletion.user_id), col(LessonCompletion.completed_at)),
            latest(col(QuizAttempt.user_id), col(QuizAttempt.created_at)),
            latest(col(Submission.user_id), col(Submission.created_at)),
        )
        .join(Membership, col(Membership.user_id) == User.id)
        .where(Membership.cohort_id == cohort_id)
        .order_by(col(User.name), col(User.id))
    )
    return _rows(session, query)


def open_regrades(session: Session, members: Select[Any]) -> dict[int, int]:
    query = (
        select(RegradeRequest.learner_id, func.count())
        .where(
            RegradeRequest.status == RegradeStatus.open,
            col(RegradeRequest.learner_id).in_(members),
        )
        .group_by(col(RegradeRequest.learner_id))
    )
    return {uid: int(n) for uid, n in _rows(session, query)}
