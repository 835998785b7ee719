"""A learner makes a live call through the JSON API: start, turns, hang up, hand in."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from leadworks.accounts.models import User
from leadworks.practice.models import RunEvent
from tests.conftest import bearer

EXERCISE = "cold-call-gatekeeper"


def _key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def _rows(session: Session, run_id: int) -> int:
    return session.exec(
        select(func.count()).select_from(RunEvent).where(RunEvent.run_id == run_id)
    ).one()


def _dial(client: TestClient, headers: dict[str, str]) -> tuple[int, str, dict]:
    """A new run and a live call to its first decision maker with a phone."""
    run = client.post(f"/api/v1/exercises/{EXERCISE}/runs", headers=headers).json()
    found = client.get(
        f"/api/v1/runs/{run['id']}/prospects",
        params={"decision_maker": "yes", "has_phone": "yes"},
        headers=headers,
    ).json()
    for row in found["results"]:  # the first one who may be called (not on a do-not-call list)
        contact = row["id"]
        started = client.post(
            f"/api/v1/runs/{run['id']}/actions",
            json={"type": "start_conversation", "contact_id": contact},
            headers=headers | _key(),
        )
        if started.status_code == 200:
            break
    assert started.status_code == 200, started.text
    return run["id"], contact, started.json()


def test_a_call_through_the_api_is_answered_replayed_once_and_graded(
    client: TestClient, learner: User, session: Session
) -> None:
    headers = bearer(client, learner)
    run_id, _, started = _dial(client, headers)
    assert started["result"]["lines"][0]["speaker"] in ("gatekeeper", "buyer")
    url = f"/api/v1/runs/{run_id}/actions"
    key = _key()
    turn = {"type": "say", "text": "Hi, this is Priya from ChairFill. Is now a bad time?"}
    first = client.post(url, json=turn, headers=headers | key)
    assert first.status_code == 200, first.text
    assert first.json()["result"]["lines"], "the other side answers"
    count = _rows(session, run_id)
    again = client.post(url, json=turn, headers=headers | key)  # a double-submitted turn
    assert again.status_code == 200 and again.json()["replayed"] is True
    assert _rows(session, run_id) == count
    hung = client.post(url, json={"type": "end_conversation"}, headers=headers | _key())
    assert hung.status_code == 200, hung.text
    handed = client.post(
        f"/api/v1/runs/{run_id}/submission", json={"submission": {}}, headers=headers | _key()
    )
    assert handed.status_code == 201, handed.text
    grade = handed.json()["grade"]
    assert grade["kind"] == "call"
    quoted = [e for c in grade["checks"] for e in c["evidence"] if e.get("field")]
    assert any(e["quote"] in turn["text"] for e in quoted)


def test_bad_turns_are_refused_with_the_reason_and_change_nothing(
    client: TestClient, learner: User, session: Session
) -> None:
    headers = bearer(client, learner)
    run_id, _, _ = _dial(client, headers)
    url = f"/api/v1/runs/{run_id}/actions"
    before = _rows(session, run_id)
    empty = client.post(url, json={"type": "say", "text": "   "}, headers=headers | _key())
    assert empty.status_code == 400 and "empty" in empty.json()["detail"]
    huge = client.post(url, json={"type": "say", "text": "a" * 20_000}, headers=headers | _key())
    assert huge.status_code == 422 and "at most 2000 characters" in huge.json()["detail"]
    assert huge.json()["field"] == "text"
    assert _rows(session, run_id) == before
    client.post(url, json={"type": "end_conversation"}, headers=headers | _key())
    after = _rows(session, run_id)
    late = client.post(url, json={"type": "say", "text": "Hello?"}, headers=headers | _key())
    assert late.status_code == 400 and "no call in progress" in late.json()["detail"]
    assert _rows(session, run_id) == after


def test_another_learners_call_is_not_found(
    client: TestClient, learner: User, other_learner: User
) -> None:
    run_id, _, _ = _dial(client, bearer(client, learner))
    poke = client.post(
        f"/api/v1/runs/{run_id}/actions",
        json={"type": "say", "text": "Hello?"},
        headers=bearer(client, other_learner) | _key(),
    )
    assert poke.status_code == 404
