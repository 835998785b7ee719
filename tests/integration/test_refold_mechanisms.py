"""How a worker refolds a run (issue 11, speed across workers), locked in as mechanisms
rather than timings: the log is read as plain rows (no ORM objects), the world is reused
instead of regenerated, and no route runs a refold on the event loop."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from sqlalchemy import event
from sqlmodel import Session
from starlette.routing import Route

from leadworks.accounts.models import User
from leadworks.counsel.replay import replay_at, run_events
from leadworks.practice import service as svc
from leadworks.practice.live import LiveSandboxes
from leadworks.practice.models import RunEvent
from tests.conftest import EXERCISES_DIR

EXERCISE = "cold-email-dental"


@pytest.fixture
def loaded_rows(session: Session) -> Iterator[list[object]]:
    """Every ORM object of the event log the session builds while the test runs."""
    loaded: list[object] = []

    def record(_: Session, instance: object) -> None:
        if isinstance(instance, RunEvent):
            loaded.append(instance)

    event.listen(session, "loaded_as_persistent", record)
    yield loaded
    event.remove(session, "loaded_as_persistent", record)


def _played_run(session: Session, learner: User, cache: LiveSandboxes) -> int:
    run = svc.start_run(session=session, user=learner, exercise_id=EXERCISE, cache=cache)
    assert run.id is not None
    for hours in (1, 2, 3):
        svc.act(
            session=session, user=learner, run_id=run.id, cache=cache,
            action={"type": "advance_clock", "hours": hours}, idempotency_key=f"key-{hours}-x",
        )  # fmt: skip
    return run.id


def test_a_refold_reads_plain_rows_and_reuses_the_world(
    session: Session,
    learner: User,
    sandboxes: LiveSandboxes,
    generations: list[tuple[Any, ...]],
    loaded_rows: list[object],
) -> None:
    run_id = _played_run(session, learner, sandboxes)
    assert len(generations) == 1  # the world was made when the run started
    kept = sandboxes.get(run_id, svc.run_for(session=session, user=learner, run_id=run_id)
                         .event_count, lambda since: [])  # fmt: skip
    sandboxes.clear()  # a restart, an eviction, or another worker that never saw the run
    run = svc.run_for(session=session, user=learner, run_id=run_id)
    refolded = svc.live_sandbox(session=session, run=run, cache=sandboxes)
    assert sandboxes.refolded == 1 and refolded is not kept
    assert refolded.event_count == run.event_count == kept.event_count
    assert refolded.world is kept.world and len(generations) == 1
    assert loaded_rows == []  # read with a Core select: no ORM object per event


def test_a_counselors_replay_reads_plain_rows_and_reuses_the_world(
    session: Session,
    learner: User,
    sandboxes: LiveSandboxes,
    generations: list[tuple[Any, ...]],
    loaded_rows: list[object],
) -> None:
    run_id = _played_run(session, learner, sandboxes)
    events = run_events(session=session, run_id=run_id)
    view = replay_at(events, EXERCISES_DIR)
    assert not view.error and len(events) == 4 and view.upto == 3  # opened + 3 actions
    assert len(generations) == 1 and loaded_rows == []


def _endpoints(routes: list[Any]) -> list[Any]:
    """Every handler, including those of included routers (kept nested by FastAPI)."""
    found: list[Any] = []
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            found += _endpoints(included.routes)
        elif isinstance(route, APIRoute | Route):
            found.append(route.endpoint)
    return found


def test_no_route_can_refold_on_the_event_loop(app: FastAPI) -> None:
    """An ``async def`` handler runs on the event loop: one refold there froze the whole
    worker (/healthz included) for over a second. Plain ``def`` handlers run in the
    threadpool; so every handler of ours is one."""
    handlers = [h for h in _endpoints(app.routes) if h.__module__.startswith("leadworks")]
    assert len(handlers) > 50
    on_the_loop = [
        f"{h.__module__}.{h.__name__}" for h in handlers if inspect.iscoroutinefunction(h)
    ]
    assert on_the_loop == []
