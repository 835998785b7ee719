"""Who may look at a learner's work: one answer, shared by pages, API and services.

A counselor reaches a learner, their submissions and their regrade requests only through a
cohort they are assigned to; anything else is a 404, exactly like ``cohort_for()``, so the
existence of other cohorts' people and work never leaks.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from leadworks.accounts.models import Role, User
from leadworks.cohorts.models import Cohort, CounselorAssignment, Membership
from leadworks.cohorts.service import can_see_cohort, counselor_sees_learner
from leadworks.core.errors import NotFound
from leadworks.counsel.models import RescoreJob
from leadworks.feedback.models import RegradeRequest
from leadworks.submissions.models import Submission


def learner_for(*, session: Session, user: User, learner_id: int) -> User:
    """A learner this counselor (or admin) may follow; 404 for everyone else."""
    learner = session.get(User, learner_id)
    if (
        learner is None
        or learner.role is not Role.learner
        or not counselor_sees_learner(session=session, counselor=user, learner_id=learner_id)
    ):
        raise NotFound("No such learner.")
    return learner


def submission_for_counselor(*, session: Session, user: User, submission_id: int) -> Submission:
    """A submission by a learner this counselor follows; 404 otherwise."""
    submission = session.get(Submission, submission_id)
    if submission is None or not counselor_sees_learner(
        session=session, counselor=user, learner_id=submission.user_id
    ):
        raise NotFound("No such submission.")
    return submission


def regrade_for_counselor(*, session: Session, user: User, request_id: int) -> RegradeRequest:
    request = session.get(RegradeRequest, request_id)
    if request is None or not counselor_sees_learner(
        session=session, counselor=user, learner_id=request.learner_id
    ):
        raise NotFound("No such regrade request.")
    return request


def job_for(*, session: Session, user: User, job_id: int) -> RescoreJob:
    """A rescoring job of a cohort this user may counsel."""
    job = session.get(RescoreJob, job_id)
    if job is None or not can_see_cohort(session=session, user=user, cohort_id=job.cohort_id):
        raise NotFound("No such rescoring job.")
    return job


def learner_cohorts(*, session: Session, user: User, learner_id: int) -> list[Cohort]:
    """The learner's cohorts that ``user`` may open (for the way back to the overview)."""
    query = (
        select(Cohort)
        .join(Membership, col(Membership.cohort_id) == Cohort.id)
        .where(Membership.user_id == learner_id)
        .order_by(col(Cohort.name))
    )
    if user.role is not Role.admin:
        query = query.join(
            CounselorAssignment, col(CounselorAssignment.cohort_id) == Cohort.id
        ).where(CounselorAssignment.user_id == user.id)
    return list(session.exec(query).all())
