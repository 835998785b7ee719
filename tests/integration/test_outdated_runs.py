"""A stored run the engine can no longer rebuild answers 409 with what happened, never 500.

After an upgrade of the practice engine (a new ``MODEL_VERSION``) a run recorded with the
old one does not replay; a log edited by hand does not follow from its world. Either way
the person reads why and what to do, and nothing stored changes."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session, col, select

from leadworks.accounts.models import User
from leadworks.practice.models import RunEvent
from simulator.sandbox_base import MODEL_VERSION
from tests.conftest import bearer, login

EXERCISE = "cold-email-dental"


def _run(client: TestClient, learner: User) -> tuple[int, dict[str, str]]:
    headers = bearer(client, learner)
    started = client.post(f"/api/v1/exercises/{EXERCISE}/runs", headers=headers)
    assert started.status_code == 201, started.text
    return int(started.json()["id"]), headers


def _edit_event(session: Session, run_id: int, seq: int, **changes: object) -> None:
    event = session.exec(
        select(RunEvent).where(col(RunEvent.run_id) == run_id, col(RunEvent.seq) == seq)
    ).one()
    event.data = {**event.data, **changes}
    flag_modified(event, "data")
    session.add(event)
    session.commit()


def test_a_run_of_an_earlier_engine_says_so_and_changes_nothing(
    client: TestClient, session: Session, learner: User
) -> None:
    run_id, headers = _run(client, learner)
    _edit_event(session, run_id, 0, model_version=MODEL_VERSION - 1)
    client.app.state.sandboxes.clear()  # type: ignore[attr-defined]  # a new worker, say
    answer = client.get(f"/api/v1/runs/{run_id}", headers=headers)
    assert answer.status_code == 409, answer.text
    assert f"model {MODEL_VERSION - 1}" in answer.json()["detail"]
    assert "start a new attempt" in answer.json()["detail"]
    acted = client.post(
        f"/api/v1/runs/{run_id}/actions",
        json={"type": "advance_clock", "hours": 1},
        headers=headers | {"Idempotency-Key": "k-outdated"},
    )
    assert acted.status_code == 409, acted.text
    stored = session.exec(select(RunEvent).where(col(RunEvent.run_id) == run_id)).all()
    assert len(stored) >= 1 and all(e.type != "advance_clock" for e in stored)
    login(client, learner)
    page = client.get(f"/sandbox/runs/{run_id}")
    assert page.status_code == 409 and "earlier version of the practice engine" in page.text


def test_a_log_that_does_not_follow_from_its_world_is_a_409_not_a_500(
    client: TestClient, session: Session, learner: User
) -> None:
    run_id, headers = _run(client, learner)
    _edit_event(session, run_id, 0, budget=123456.0)  # the world would open it otherwise
    client.app.state.sandboxes.clear()  # type: ignore[attr-defined]
    answer = client.get(f"/api/v1/runs/{run_id}", headers=headers)
    assert answer.status_code == 409, answer.text
    assert "cannot be rebuilt from its stored log" in answer.json()["detail"]
