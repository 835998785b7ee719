"""The learner's own feedback as a JSON API: comments, overrides, regrade answers, and
asking for a regrade of one check of their own attempt.

The counselor's side of the same records (deciding, overriding, commenting) is in
``leadworks.counsel.api``; both read and write through ``feedback.service`` and ``read``.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from leadworks.accounts.deps import ApiUser, api_role
from leadworks.accounts.models import Role, User
from leadworks.core.deps import SessionDep
from leadworks.core.inputs import Clean, PathId
from leadworks.feedback.models import RegradeRequest
from leadworks.feedback.read import SubmissionFeedback, learner_comments, learner_feedback
from leadworks.feedback.service import request_regrade

api = APIRouter(prefix="/api/v1", tags=["feedback"])
ApiLearner = Annotated[User, Depends(api_role(Role.learner))]
Long = Annotated[str, Field(max_length=8000), Clean]
CheckId = Annotated[str, Field(max_length=60), Clean]


class RegradeIn(BaseModel):
    check_id: CheckId
    message: Long


class RegradeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    submission_id: int
    grade_id: int
    check_id: str
    learner_id: int
    message: str
    status: str
    response: str
    new_points: float | None
    decided_by_id: int | None
    decided_at: datetime | None
    created_at: datetime


def _feedback_json(item: SubmissionFeedback) -> dict[str, Any]:
    record = item.record
    return {
        "submission_id": item.submission.id,
        "exercise_id": item.submission.exercise_id,
        "created_at": item.submission.created_at,
        "score": record.score if record else None,
        "final_score": record.final_score if record else None,
        "possible": record.possible if record else None,
        "checks": [
            {
                "id": c.id,
                "points": c.points,
                "grader_points": c.grader_points,
                "possible": c.possible,
                "verdict": c.verdict,
                "advice": c.advice,
            }
            for c in item.checks
        ],
        "comments": [asdict(c) for c in item.comments],
        "overrides": [asdict(o) for o in item.overrides],
        "regrade_requests": [RegradeOut.model_validate(r).model_dump() for r in item.requests],
    }


@api.get("/me/feedback", summary="My comments, overrides and regrade answers")
def my_feedback(session: SessionDep, user: ApiUser) -> dict[str, Any]:
    assert user.id is not None
    return {
        "comments": [asdict(c) for c in learner_comments(session=session, learner_id=user.id)],
        "submissions": [
            _feedback_json(item) for item in learner_feedback(session=session, learner_id=user.id)
        ],
    }


@api.post(
    "/submissions/{submission_id}/regrade-requests",
    response_model=RegradeOut,
    status_code=201,
    summary="Dispute one check of my own attempt",
)
def ask_regrade(
    submission_id: PathId, body: RegradeIn, session: SessionDep, user: ApiLearner
) -> RegradeRequest:
    return request_regrade(
        session=session,
        learner=user,
        submission_id=submission_id,
        check_id=body.check_id,
        message=body.message,
    )
