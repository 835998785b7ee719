"""The counselor workspace as a JSON API (bearer tokens), beside the pages.

Same services, same rules: counselors reach only their cohorts' learners (404 otherwise),
learners get 403 on counselor endpoints and reach only their own work, admins everything.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import col, select

from leadworks.accounts.deps import api_role
from leadworks.accounts.models import Role, User
from leadworks.cohorts.service import cohort_for
from leadworks.content import CatalogDep, ContentDep
from leadworks.core.deps import SessionDep
from leadworks.core.inputs import Finite, Id, Key, PathId
from leadworks.counsel import rescore
from leadworks.counsel.access import (
    job_for,
    learner_for,
    regrade_for_counselor,
    submission_for_counselor,
)
from leadworks.counsel.exports import Headers, gradebook_csv, learner_record
from leadworks.counsel.models import RescoreJob
from leadworks.counsel.overview import cohort_overview
from leadworks.counsel.queue import regrade_queue
from leadworks.counsel.views import csv_response
from leadworks.feedback.api import CheckId, Long, RegradeOut
from leadworks.feedback.models import Comment, RegradeRequest
from leadworks.feedback.service import (
    add_comment,
    decide_regrade,
    override_grade,
    overrides_of,
    parse_points,
)
from leadworks.submissions.models import GradeRecord

api = APIRouter(prefix="/api/v1", tags=["counsel"])
ApiCounselor = Annotated[User, Depends(api_role(Role.counselor))]


class CommentIn(BaseModel):
    body: Long
    submission_id: Id | None = None
    turn: Annotated[int, Field(ge=0, le=10_000)] | None = None  # one turn of a call transcript


class CommentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    learner_id: int
    submission_id: int | None
    author_id: int | None
    body: str
    created_at: datetime
    turn: int | None = None


class OverrideIn(BaseModel):
    points: Finite
    reason: Long
    check_id: CheckId | None = None


class OverrideOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    grade_id: int
    check_id: str | None
    counselor_id: int | None
    reason: str
    points_before: float
    points_after: float
    score_before: float
    score_after: float
    created_at: datetime


class DecisionIn(BaseModel):
    decision: Literal["accept", "decline"]
    response: Long
    points: Finite | None = None


class RescoreIn(BaseModel):
    exercise_id: Key


class RescoreJobOut(BaseModel):
    id: int
    cohort_id: int
    exercise_id: str
    status: str
    done: int
    total: int
    created_at: datetime
    finished_at: datetime | None
    tally: dict[str, int]
    items: list[dict[str, Any]]


def _job_out(job: RescoreJob) -> RescoreJobOut:
    assert job.id is not None
    return RescoreJobOut(
        id=job.id,
        cohort_id=job.cohort_id,
        exercise_id=job.exercise_id,
        status=job.status,
        done=job.done,
        total=job.total,
        created_at=job.created_at,
        finished_at=job.finished_at,
        tally=rescore.tally(job),
        items=rescore.changes(job),
    )


# ---- cohorts -------------------------------------------------------------------------------


@api.get("/cohorts/{cohort_id}/progress", summary="The cohort overview: one entry per learner")
def cohort_progress(
    cohort_id: PathId, session: SessionDep, user: ApiCounselor, catalog: CatalogDep
) -> dict[str, Any]:
    cohort = cohort_for(session=session, user=user, cohort_id=cohort_id)
    overview = cohort_overview(session=session, cohort=cohort, catalog=catalog)
    return {
        "cohort": {"id": cohort.id, "name": cohort.name},
        "generated_at": overview.now,
        "modules": [asdict(m) for m in overview.modules],
        "exercises": [{"key": x.key, "title": x.title} for x in overview.exercises],
        "learners": [
            {
                "id": row.id,
                "name": row.name,
                "email": row.email,
                "last_activity": row.last_activity,
                "lessons_done": row.lessons_done,
                "modules": {k: v._asdict() for k, v in row.modules.items()},
                "exercises": {k: v._asdict() for k, v in row.exercises.items()},
                "open_regrades": row.open_regrades,
                "failing_checks": [list(pair) for pair in row.failing_checks],
                "flags": [{"key": f.key, "label": f.label, "detail": f.detail} for f in row.flags],
            }
            for row in overview.rows
        ],
    }


@api.get(
    "/cohorts/{cohort_id}/gradebook.csv",
    summary="The gradebook: one row per learner, one column per graded item (best %)",
    response_class=Response,
)
def cohort_gradebook(
    cohort_id: PathId,
    session: SessionDep,
    user: ApiCounselor,
    catalog: CatalogDep,
    columns: Annotated[Headers, Query()] = "ids",
) -> Response:
    """Columns headed by id by default (a script's stable keys); ``columns=titles`` for people."""
    cohort = cohort_for(session=session, user=user, cohort_id=cohort_id)
    body = gradebook_csv(session=session, cohort=cohort, catalog=catalog, headers=columns)
    return csv_response(cohort, body)


@api.get(
    "/cohorts/{cohort_id}/regrade-requests",
    response_model=list[RegradeOut],
    summary="Regrade requests of the cohort's learners",
)
def cohort_regrades(
    cohort_id: PathId,
    session: SessionDep,
    user: ApiCounselor,
    catalog: CatalogDep,
    status: Annotated[Literal["open", "decided", "all"], Query()] = "open",
) -> list[RegradeRequest]:
    cohort = cohort_for(session=session, user=user, cohort_id=cohort_id)
    queue = regrade_queue(session=session, cohort=cohort, catalog=catalog)
    chosen = {"open": queue.open, "decided": queue.decided, "all": queue.open + queue.decided}
    return [item.request for item in chosen[status]]


@api.post(
    "/cohorts/{cohort_id}/rescore-jobs",
    response_model=RescoreJobOut,
    status_code=201,
    summary="Preview rescoring an exercise for the cohort (nothing changes until commit)",
)
def start_rescore(
    cohort_id: PathId, body: RescoreIn, session: SessionDep, user: ApiCounselor, content: ContentDep
) -> RescoreJobOut:
    cohort = cohort_for(session=session, user=user, cohort_id=cohort_id)
    job = rescore.start_rescore(
        session=session,
        cohort=cohort,
        exercise_id=body.exercise_id,
        requested_by=user,
        catalog=content.catalog,
    )
    return _job_out(
        rescore.run_to_end(session=session, job=job, exercises_dir=content.exercises_dir)
    )


@api.get("/rescore-jobs/{job_id}", response_model=RescoreJobOut, summary="A rescoring job")
def get_rescore(job_id: PathId, session: SessionDep, user: ApiCounselor) -> RescoreJobOut:
    return _job_out(job_for(session=session, user=user, job_id=job_id))


@api.post(
    "/rescore-jobs/{job_id}/commit",
    response_model=RescoreJobOut,
    summary="Apply a previewed rescoring (overrides are carried over)",
)
def commit_rescore(
    job_id: PathId, session: SessionDep, user: ApiCounselor, content: ContentDep
) -> RescoreJobOut:
    job = job_for(session=session, user=user, job_id=job_id)
    job = rescore.commit_rescore(session=session, job=job)
    return _job_out(
        rescore.run_to_end(session=session, job=job, exercises_dir=content.exercises_dir)
    )


# ---- learners and their work ----------------------------------------------------------------


@api.get("/learners/{learner_id}/record", summary="Everything one learner did, as JSON")
def learner_export(learner_id: PathId, session: SessionDep, user: ApiCounselor) -> dict[str, Any]:
    learner = learner_for(session=session, user=user, learner_id=learner_id)
    return learner_record(session=session, learner=learner)


@api.get(
    "/learners/{learner_id}/comments",
    response_model=list[CommentOut],
    summary="Comments on a learner and their attempts",
)
def list_comments(learner_id: PathId, session: SessionDep, user: ApiCounselor) -> list[Comment]:
    learner_for(session=session, user=user, learner_id=learner_id)
    query = select(Comment).where(Comment.learner_id == learner_id).order_by(col(Comment.id))
    return list(session.exec(query).all())


@api.post(
    "/learners/{learner_id}/comments",
    response_model=CommentOut,
    status_code=201,
    summary="Comment on a learner, or on one attempt (submission_id)",
)
def post_comment(
    learner_id: PathId, body: CommentIn, session: SessionDep, user: ApiCounselor
) -> Comment:
    learner = learner_for(session=session, user=user, learner_id=learner_id)
    submission = (
        submission_for_counselor(session=session, user=user, submission_id=body.submission_id)
        if body.submission_id is not None
        else None
    )
    return add_comment(
        session=session,
        author=user,
        learner=learner,
        body=body.body,
        submission=submission,
        turn=body.turn,
    )


@api.get(
    "/submissions/{submission_id}/overrides",
    response_model=list[OverrideOut],
    summary="The override audit log of an attempt (every grade it had)",
)
def list_overrides(submission_id: PathId, session: SessionDep, user: ApiCounselor) -> list[Any]:
    submission_for_counselor(session=session, user=user, submission_id=submission_id)
    grade_ids = session.exec(
        select(GradeRecord.id).where(GradeRecord.submission_id == submission_id)
    ).all()
    return overrides_of(session=session, grade_ids=[g for g in grade_ids if g is not None])


@api.post(
    "/submissions/{submission_id}/overrides",
    response_model=OverrideOut,
    status_code=201,
    summary="Override the whole grade (no check_id) or one check, with a reason",
)
def post_override(
    submission_id: PathId, body: OverrideIn, session: SessionDep, user: ApiCounselor
) -> Any:
    submission = submission_for_counselor(session=session, user=user, submission_id=submission_id)
    return override_grade(
        session=session,
        counselor=user,
        submission=submission,
        check_id=body.check_id or None,
        points=parse_points(body.points),
        reason=body.reason,
    )


@api.post(
    "/regrade-requests/{request_id}/decision",
    response_model=RegradeOut,
    summary="Accept (new points, logged as an override) or decline (with a reason)",
)
def decide(
    request_id: PathId, body: DecisionIn, session: SessionDep, user: ApiCounselor
) -> RegradeRequest:
    request = regrade_for_counselor(session=session, user=user, request_id=request_id)
    accept = body.decision == "accept"
    return decide_regrade(
        session=session,
        counselor=user,
        request=request,
        accept=accept,
        response=body.response,
        points=parse_points(body.points) if accept else None,
    )
