"""An answer is built and checked before its change commits: a failure stores nothing.

A value that the database would take but no page could show (a lone surrogate, NaN) and an
answer that breaks after the fact (the presenter raising) both roll back: the run, its
events, its receipt and any hand-in stay as they were, and every page keeps rendering.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import StatementError
from sqlmodel import Session, func, select

from leadworks.accounts.models import User
from leadworks.core.servable import Unservable, servable_json, unservable_cause
from leadworks.practice import handing_in
from leadworks.practice import service as svc
from leadworks.practice.live import LiveSandboxes
from leadworks.practice.models import ActionReceipt, Run, RunEvent, RunStatus
from leadworks.submissions.models import GradeRecord, Submission
from tests.conftest import bearer, login

EXERCISE = "cold-email-dental"


@pytest.fixture
def lenient(app: FastAPI) -> Iterator[TestClient]:
    """A client that sees a 500 as a browser would, instead of re-raising it."""
    with TestClient(app, follow_redirects=False, raise_server_exceptions=False) as client:
        yield client


def _stored(session: Session, run_id: int) -> tuple[int, int, int, int]:
    """(event rows, receipts, submissions, grades) of one run, counted in the database."""
    session.expire_all()

    def count(model: type, *where: object) -> int:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()

    subs = session.exec(select(Submission.id).where(Submission.run_id == run_id)).all()
    grades = count(GradeRecord, GradeRecord.submission_id.in_(subs)) if subs else 0  # type: ignore[union-attr]
    return (
        count(RunEvent, RunEvent.run_id == run_id),
        count(ActionReceipt, ActionReceipt.run_id == run_id),
        len(subs),
        grades,
    )


def _pages_render(client: TestClient, headers: dict[str, str], run_id: int) -> None:
    for path in (f"/api/v1/runs/{run_id}", f"/api/v1/runs/{run_id}/events"):
        assert client.get(path, headers=headers).status_code == 200, path
    login(client, _owner(client, headers))
    for path in (f"/sandbox/runs/{run_id}", f"/sandbox/runs/{run_id}/hand-in"):
        assert client.get(path).status_code == 200, path


def _owner(client: TestClient, headers: dict[str, str]) -> User:
    return client.app.state.test_owner  # type: ignore[attr-defined,no-any-return]


def _start(client: TestClient, learner: User) -> tuple[dict[str, str], int]:
    headers = bearer(client, learner)
    client.app.state.test_owner = learner  # type: ignore[attr-defined]
    started = client.post(f"/api/v1/exercises/{EXERCISE}/runs", headers=headers)
    assert started.status_code == 201, started.text
    return headers, started.json()["id"]


def test_an_answer_that_breaks_after_the_action_stores_nothing(
    lenient: TestClient, learner: User, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers, run_id = _start(lenient, learner)
    before = _stored(session, run_id)
    key = {"Idempotency-Key": str(uuid.uuid4())}

    def broken(self: svc.ActionOutcome) -> dict:
        raise RuntimeError("the presenter broke")

    monkeypatch.setattr(svc.ActionOutcome, "to_dict", broken)
    action = {"type": "advance_clock", "days": 1}
    failed = lenient.post(f"/api/v1/runs/{run_id}/actions", json=action, headers=headers | key)
    assert failed.status_code == 500
    assert _stored(session, run_id) == before
    monkeypatch.undo()
    _pages_render(lenient, headers, run_id)
    # the same key was never used: the retry applies the action, once
    retried = lenient.post(f"/api/v1/runs/{run_id}/actions", json=action, headers=headers | key)
    assert retried.status_code == 200 and not retried.json()["replayed"]
    assert _stored(session, run_id)[0] > before[0]


def test_a_hand_in_whose_answer_breaks_stores_no_submission(
    lenient: TestClient, learner: User, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers, run_id = _start(lenient, learner)
    before = _stored(session, run_id)

    def broken(*_: object) -> dict:
        raise RuntimeError("the presenter broke")

    monkeypatch.setattr(handing_in, "hand_in_answer", broken)
    body = {"submission": {"channel": "email", "subject": "Hello", "body": "A short note."}}
    key = {"Idempotency-Key": str(uuid.uuid4())}
    failed = lenient.post(f"/api/v1/runs/{run_id}/submission", json=body, headers=headers | key)
    assert failed.status_code == 500
    assert _stored(session, run_id) == before
    run = session.get(Run, run_id)
    assert run is not None and run.status is RunStatus.active
    monkeypatch.undo()
    _pages_render(lenient, headers, run_id)
    done = lenient.post(f"/api/v1/runs/{run_id}/submission", json=body, headers=headers | key)
    assert done.status_code == 201, done.text


@pytest.mark.parametrize("answer", [{"n": float("nan")}, {"text": "x\ud800"}])
def test_a_change_whose_answer_cannot_be_sent_rolls_back(
    client: TestClient,
    learner: User,
    session: Session,
    sandboxes: LiveSandboxes,
    answer: dict,
) -> None:
    """``changing_run`` checks the caller's answer before it commits."""
    headers, run_id = _start(client, learner)
    run = session.get(Run, run_id)
    assert run is not None
    before = _stored(session, run_id)
    with pytest.raises(Unservable):
        with svc.changing_run(
            session=session, run=run, key="k-1", kind="action:advance_clock", cache=sandboxes
        ) as change:
            change.response = change.sandbox.apply({"type": "advance_clock", "days": 1})
            change.answer = answer
    assert _stored(session, run_id) == before
    _pages_render(client, headers, run_id)


@pytest.mark.parametrize("payload", [{"subject": "x\ud800"}, {"score": float("inf")}])
def test_no_json_column_stores_what_no_page_could_show(
    learner: User, session: Session, payload: dict
) -> None:
    """The engine's JSON serialiser is the guard: every table, every writer."""
    assert learner.id is not None
    count = session.exec(select(func.count()).select_from(Submission)).one()
    # SQLite's driver wraps the serialiser's error in a StatementError, psycopg does not
    with pytest.raises((StatementError, Unservable)) as raised, session.begin_nested():
        session.add(
            Submission(user_id=learner.id, exercise_id=EXERCISE, kind="outreach", payload=payload)
        )
        session.flush()
    assert isinstance(unservable_cause(raised.value), Unservable)
    assert session.exec(select(func.count()).select_from(Submission)).one() == count


def test_the_api_refuses_a_lone_surrogate_with_a_4xx_and_stores_nothing(
    client: TestClient, learner: User, session: Session
) -> None:
    headers, run_id = _start(client, learner)
    before = _stored(session, run_id)
    raw = '{"type": "search", "query": "dent\\ud800"}'
    refused = client.post(
        f"/api/v1/runs/{run_id}/actions",
        content=raw,
        headers=headers
        | {"Idempotency-Key": str(uuid.uuid4()), "Content-Type": "application/json"},
    )
    assert 400 <= refused.status_code < 500, refused.text
    assert _stored(session, run_id) == before
    _pages_render(client, headers, run_id)


@pytest.mark.parametrize("value", ["\ud800", float("nan"), float("inf"), {"x": [1, "\udc00"]}])
def test_servable_json_refuses_what_no_answer_can_carry(value: object) -> None:
    with pytest.raises(Unservable):
        servable_json(value)


def test_servable_json_keeps_every_real_character() -> None:
    assert servable_json({"name": "Zoë 東京 😀", "n": 1.5}) == '{"name": "Zoë 東京 😀", "n": 1.5}'
