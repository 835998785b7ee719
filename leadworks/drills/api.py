"""The drills' JSON API under /api/v1/drills: the list, one drill's public part (never its
key), and a hand-in (needs an Idempotency-Key, like a sandbox hand-in) answered with the grade.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header
from pydantic import BaseModel

from leadworks.accounts.deps import ApiUser, api_role
from leadworks.accounts.models import Role, User
from leadworks.content import CatalogDep
from leadworks.core.deps import SessionDep
from leadworks.core.inputs import PathId, PathKey
from leadworks.drills.present import explanations
from leadworks.drills.service import drill_hand_in, drill_spec, hand_in

api = APIRouter(prefix="/api/v1/drills", tags=["drills"])
ApiLearner = Annotated[User, Depends(api_role(Role.learner))]
IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", description="A unique string per hand-in (e.g. a UUID)."),
]


class DrillSummary(BaseModel):
    id: str
    title: str
    summary: str
    grader: str
    minutes: int
    lessons: list[str]


@api.get("", response_model=list[DrillSummary], summary="Drills: practice without a market")
def list_drills(user: ApiUser, catalog: CatalogDep) -> list[DrillSummary]:
    return [
        DrillSummary(
            id=d.id,
            title=d.spec.title,
            summary=d.spec.summary,
            grader=d.spec.grader,
            minutes=d.spec.minutes,
            lessons=[x.id for x in catalog.lessons_for_exercise(d.id)],
        )
        for d in catalog.drills.values()
    ]


@api.get("/{drill_id}", summary="One drill: brief, materials, fields and texts (no key)")
def get_drill(drill_id: PathKey, user: ApiUser, catalog: CatalogDep) -> dict[str, Any]:
    return drill_spec(catalog, drill_id).public()


def _graded(submission: Any, grade: Any, spec: Any) -> dict[str, Any]:
    return {
        "submission_id": submission.id,
        "drill_id": submission.exercise_id,
        "kind": submission.kind,
        "submission": submission.payload,
        "score": grade.final_score,
        "possible": grade.possible,
        "grade": grade.result,
        "explanations": explanations(spec, submission.payload),
    }


@api.post(
    "/{drill_id}/hand-in",
    status_code=201,
    summary="Hand in a drill: {rows: {item id: {field: value}}, texts: {name: value}}",
)
def api_hand_in(
    drill_id: PathKey,
    session: SessionDep,
    user: ApiLearner,
    catalog: CatalogDep,
    payload: Annotated[dict[str, Any], Body()],
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    spec = drill_spec(catalog, drill_id)
    submission, grade = hand_in(
        session=session, user=user, spec=spec, payload=payload, idempotency_key=idempotency_key
    )
    return _graded(submission, grade, spec)


@api.get("/hand-ins/{drill_hand_in_id}", summary="One of my drill hand-ins with its grade")
def api_grade(
    drill_hand_in_id: PathId, session: SessionDep, user: ApiLearner, catalog: CatalogDep
) -> dict[str, Any]:
    submission, grade, spec = drill_hand_in(
        session=session, user=user, submission_id=drill_hand_in_id, catalog=catalog
    )
    return _graded(submission, grade, spec)
