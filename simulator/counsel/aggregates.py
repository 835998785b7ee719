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
from sqlalchemy.sql import Select
from sqlmodel import Session, col, select

from course.catalog import Catalog
from simulator.cohorts.models import Membership
from simulator.counsel.models import RegradeRequest, RegradeStatus
from simulator.progress.models import LessonCompletion, QuizAttempt
from simulator.sandbox.models import Run
from simulator.submissions.models import GradeRecord, Submission

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


def quiz_bests(members: Select[Any] | Collection[int]) -> Select[Any]:
    """Best ratio per (learner, lesson): the gradebook's quiz columns."""
    ratio = QuizAttempt.score / func.nullif(QuizAttempt.possible, 0)
    return (
        select(QuizAttempt.user_id, QuizAttempt.lesson_id, func.max(ratio).label("best"))
        .where(col(QuizAttempt.user_id).in_(members))
        .group_by(QuizAttempt.user_id, QuizAttempt.lesson_id)
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


def exercise_bests(members: Select[Any]) -> Select[Any]:
    """Per (learner, exercise): best current final score ratio, attempts, low attempts."""
    ratio = GradeRecord.final_score / func.nullif(GradeRecord.possible, 0)
    return (
        select(
            Submission.user_id,
            Submission.exercise_id,
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
        .group_by(Submission.user_id, Submission.exercise_id)
    )


def exercise_scores(session: Session, members: Select[Any]) -> list[Any]:
    return _rows(session, exercise_bests(members))


def last_activity(session: Session, members: Select[Any]) -> dict[int, Any]:
    """Learner -> the latest of run update, lesson completion, quiz attempt, submission.

    Four small grouped queries rather than one UNION: each reads one table once, and the
    union's extra sort costs more than the round trips.
    """
    latest: dict[int, Any] = {}
    for user_id, moment in (
        (Run.user_id, Run.updated_at),
        (LessonCompletion.user_id, LessonCompletion.completed_at),
        (QuizAttempt.user_id, QuizAttempt.created_at),
        (Submission.user_id, Submission.created_at),
    ):
        query = select(user_id, func.max(moment)).where(col(user_id).in_(members)).group_by(user_id)
        for uid, at in _rows(session, query):
            if at is not None and (uid not in latest or at > latest[uid]):
                latest[uid] = at
    return latest


def open_regrades(session: Session, members: Select[Any]) -> dict[int, int]:
    query = (
        select(RegradeRequest.learner_id, func.count())
        .where(
            RegradeRequest.status == RegradeStatus.open,
            col(RegradeRequest.learner_id).in_(members),
        )
        .group_by(RegradeRequest.learner_id)
    )
    return {uid: int(n) for uid, n in _rows(session, query)}
