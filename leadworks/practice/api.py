"""The sandbox's JSON API: the same service functions as the pages, under /api/v1."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response
from pydantic import BaseModel, Field

from leadworks.accounts.deps import ApiUser
from leadworks.content import CatalogDep, ContentDep
from leadworks.core.deps import SessionDep
from leadworks.core.errors import NotFound
from leadworks.core.inputs import MAX_ID, Key, PathId, PathKey
from leadworks.practice import read, search
from leadworks.practice.action_models import AnyAction, action_params
from leadworks.practice.handing_in import hand_in, hand_in_answer
from leadworks.practice.hidden import learner_events
from leadworks.practice.live import SandboxesDep
from leadworks.practice.models import Run, RunStatus
from leadworks.practice.service import (
    act,
    live_sandbox,
    run_for,
    runs_of,
    start_run,
    stored_events,
)
from leadworks.submissions.service import current_grade, submission_of_run

api = APIRouter(prefix="/api/v1", tags=["sandbox"])

IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", description="A unique string per action (e.g. a UUID)."),
]


class ExerciseSummary(BaseModel):
    id: str
    title: str
    summary: str
    kind: str
    industry: str
    duration_days: int


class RunPublic(BaseModel):
    id: int
    exercise_id: str
    attempt: int
    status: str
    event_count: int
    sim_time: str


def _run_public(run: Run) -> RunPublic:
    assert run.id is not None
    return RunPublic(
        id=run.id,
        exercise_id=run.exercise_id,
        attempt=run.attempt,
        status=run.status.value,
        event_count=run.event_count,
        sim_time=run.sim_time,
    )


class HandIn(BaseModel):
    submission: dict[str, Any]
    contact_id: Key | None = Field(default=None, description="For outreach and sequences.")


@api.get("/exercises", response_model=list[ExerciseSummary], summary="Practice exercises")
def list_exercises(user: ApiUser, catalog: CatalogDep) -> list[ExerciseSummary]:
    return [
        ExerciseSummary(
            id=x.spec.id,
            title=x.spec.title,
            summary=x.spec.summary,
            kind=x.spec.kind,
            industry=x.spec.industry,
            duration_days=x.spec.duration_days,
        )
        for x in catalog.exercises.values()
    ]


@api.get("/exercises/{exercise_id}", summary="One exercise: brief, ICP, deliverable")
def get_exercise(exercise_id: PathKey, user: ApiUser, content: ContentDep) -> dict[str, Any]:
    spec = content.spec(exercise_id)
    return spec.model_dump(mode="json", exclude={"preplayed"})


@api.post(
    "/exercises/{exercise_id}/runs",
    response_model=RunPublic,
    status_code=201,
    summary="Start a new attempt",
)
def start(
    exercise_id: PathKey, session: SessionDep, user: ApiUser, cache: SandboxesDep
) -> RunPublic:
    return _run_public(start_run(session=session, user=user, exercise_id=exercise_id, cache=cache))


@api.get("/runs", response_model=list[RunPublic], summary="The caller's practice runs")
def my_runs(session: SessionDep, user: ApiUser) -> list[RunPublic]:
    assert user.id is not None
    return [_run_public(run) for run in runs_of(session=session, user_id=user.id)]


@api.get("/runs/{run_id}", summary="A run's state: clock, budget, pipeline, lists")
def run_state(
    run_id: PathId, session: SessionDep, user: ApiUser, cache: SandboxesDep
) -> dict[str, Any]:
    run = run_for(session=session, user=user, run_id=run_id)
    sandbox = live_sandbox(session=session, run=run, cache=cache)
    return {
        "run": _run_public(run).model_dump(),
        "summary": read.summary(sandbox),
        "board": read.pipeline_board(sandbox),
    }


@api.get("/runs/{run_id}/prospects", summary="Search prospects (read-only; filters as query)")
def prospects(
    run_id: PathId, request: Request, session: SessionDep, user: ApiUser, cache: SandboxesDep
) -> dict[str, Any]:
    run = run_for(session=session, user=user, run_id=run_id)
    sandbox = live_sandbox(session=session, run=run, cache=cache)
    raw = {k: (v if len(v) > 1 else v[0]) for k, v in _multi(request).items()}
    query = search.parse_search(raw, search.filter_options(sandbox))
    rows, total = search.search_rows(sandbox, query)
    return {"total": total, "page": query.page, "per_page": query.per_page, "results": rows}


def _multi(request: Request) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        out.setdefault(key, []).append(value)
    return out


@api.get("/runs/{run_id}/contacts/{contact_id}", summary="A prospect's profile (read-only)")
def contact(
    run_id: PathId, contact_id: PathKey, session: SessionDep, user: ApiUser, cache: SandboxesDep
) -> dict[str, Any]:
    run = run_for(session=session, user=user, run_id=run_id)
    sandbox = live_sandbox(session=session, run=run, cache=cache)
    if sandbox.world.contact(contact_id) is None:
        raise NotFound(f"No prospect with id '{contact_id[:40]}' in this market.")
    return sandbox.profile(contact_id) | {"timeline": read.timeline(sandbox, contact_id)}


@api.get("/runs/{run_id}/events", summary="The run's event log (paged by seq)")
def events(
    run_id: PathId,
    session: SessionDep,
    user: ApiUser,
    since: Annotated[int, Query(ge=0, le=MAX_ID, description="Events after this seq.")] = 0,
    limit: Annotated[int, Query(ge=1, le=5_000)] = 500,
) -> dict[str, Any]:
    run = run_for(session=session, user=user, run_id=run_id)
    assert run.id is not None
    found = stored_events(session=session, run_id=run.id, since=since, limit=limit)
    handed_in = run.status is RunStatus.submitted
    return {
        "event_count": run.event_count,
        "events": learner_events(found, handed_in=handed_in),  # the seed stays on the server
    }


@api.post("/runs/{run_id}/actions", summary="Apply one action (needs an Idempotency-Key)")
def apply_action(
    run_id: PathId,
    body: AnyAction,
    session: SessionDep,
    user: ApiUser,
    cache: SandboxesDep,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """One action, typed by its ``type``: each action's fields are in the request schema."""
    action = {"type": body.type, **action_params(body)}
    outcome = act(
        session=session,
        user=user,
        run_id=run_id,
        action=action,
        idempotency_key=idempotency_key,
        expected_count=body.expected_event_count,
        cache=cache,
    )
    return outcome.to_dict()


@api.post("/runs/{run_id}/submission", status_code=201, summary="Hand in and get the grade")
def submit(
    run_id: PathId,
    body: HandIn,
    session: SessionDep,
    user: ApiUser,
    cache: SandboxesDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    submission, grade = hand_in(
        session=session,
        user=user,
        run_id=run_id,
        payload=body.submission,
        contact_id=body.contact_id,
        idempotency_key=idempotency_key,
        cache=cache,
    )
    return hand_in_answer(submission, grade)


@api.get("/runs/{run_id}/grade", summary="The grade of a handed-in run")
def run_grade(run_id: PathId, session: SessionDep, user: ApiUser) -> dict[str, Any]:
    run = run_for(session=session, user=user, run_id=run_id)
    assert run.id is not None
    submission = submission_of_run(session=session, run_id=run.id)
    if submission is None or submission.id is None:
        raise NotFound("This run has not been handed in yet.")
    grade = current_grade(session=session, submission_id=submission.id)
    assert grade is not None
    return {"submission_id": submission.id, "final_score": grade.final_score, "grade": grade.result}


@api.get("/runs/{run_id}/debrief", summary="Why each prospect answered or not (after hand-in)")
def run_debrief(
    run_id: PathId, session: SessionDep, user: ApiUser, cache: SandboxesDep
) -> dict[str, Any]:
    run = run_for(session=session, user=user, run_id=run_id)
    sandbox = live_sandbox(session=session, run=run, cache=cache)
    if not sandbox.submitted:
        raise NotFound("The debrief opens after you hand in: it shows the hidden truth.")
    return {"contacts": read.debrief_rows(sandbox), "sender": read.debrief_sender(sandbox)}
