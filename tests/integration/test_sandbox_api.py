"""A learner plays an exercise through the JSON API, and every bad input is refused."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from leadworks.accounts.models import User
from leadworks.practice.models import Run, RunEvent
from tests.conftest import bearer

EXERCISE = "cold-email-dental"


def _key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def _start(client: TestClient, headers: dict[str, str], exercise: str = EXERCISE) -> dict:
    response = client.post(f"/api/v1/exercises/{exercise}/runs", headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def _event_rows(session: Session, run_id: int) -> int:
    return session.exec(
        select(func.count()).select_from(RunEvent).where(RunEvent.run_id == run_id)
    ).one()


def test_play_send_advance_and_hand_in(client: TestClient, learner: User, session: Session) -> None:
    headers = bearer(client, learner)
    run = _start(client, headers)
    assert run["attempt"] == 1 and run["status"] == "active"
    found = client.get(
        f"/api/v1/runs/{run['id']}/prospects", params={"decision_maker": "yes"}, headers=headers
    ).json()
    assert found["total"] > 0 and all(row["decision_maker"] for row in found["results"])
    prospect = next(  # someone this learner's world lets us email
        row["id"]
        for row in found["results"]
        if (
            profile := client.get(
                f"/api/v1/runs/{run['id']}/contacts/{row['id']}", headers=headers
            ).json()
        )["email"]
        and not profile["email_opt_out"]
    )
    viewed = client.post(
        f"/api/v1/runs/{run['id']}/actions",
        json={"type": "view_profile", "contact_id": prospect},
        headers=headers | _key(),
    )
    assert viewed.status_code == 200, viewed.text
    body = (
        "Hi {{first_name}}, I saw {{fact}}. Congratulations. Many practices like {{company}} lose "
        "hours to no-shows, and our reminders help fill those gaps without extra front-desk work. "
        "Would it be worth a short look? If not, reply stop and I will not write again. "
        "{{sender_name}}, {{sender_company}}, {{sender_address}}"
    )
    sent = client.post(
        f"/api/v1/runs/{run['id']}/actions",
        json={
            "type": "send_message",
            "contact_id": prospect,
            "channel": "email",
            "subject": "Fewer no-shows",
            "body": body,
        },
        headers=headers | _key(),
    )
    assert sent.status_code == 200, sent.text
    assert sent.json()["events"][0]["type"] == "message_sent"
    clock = client.post(
        f"/api/v1/runs/{run['id']}/actions",
        json={"type": "advance_clock", "days": 2},
        headers=headers | _key(),
    )
    assert clock.status_code == 200
    state = client.get(f"/api/v1/runs/{run['id']}", headers=headers).json()
    assert state["summary"]["event_count"] == _event_rows(session, run["id"])
    handed = client.post(
        f"/api/v1/runs/{run['id']}/submission",
        json={
            "submission": {"channel": "email", "subject": "Fewer no-shows", "body": body},
            "contact_id": prospect,
        },
        headers=headers | _key(),
    )
    assert handed.status_code == 201, handed.text
    grade = handed.json()["grade"]
    assert grade["checks"] and 0 < handed.json()["final_score"] <= grade["possible"]
    assert (
        client.get(f"/api/v1/runs/{run['id']}/grade", headers=headers).json()["submission_id"]
        == handed.json()["submission_id"]
    )
    assert client.get(f"/api/v1/runs/{run['id']}/debrief", headers=headers).status_code == 200
    after = client.post(
        f"/api/v1/runs/{run['id']}/actions",
        json={"type": "advance_clock", "days": 1},
        headers=headers | _key(),
    )
    assert after.status_code == 409 and "handed in" in after.json()["detail"]


def test_same_idempotency_key_applies_once(
    client: TestClient, learner: User, session: Session
) -> None:
    headers = bearer(client, learner)
    run = _start(client, headers)
    key = _key()
    first = client.post(
        f"/api/v1/runs/{run['id']}/actions",
        json={"type": "advance_clock", "days": 1},
        headers=headers | key,
    )
    count = _event_rows(session, run["id"])
    second = client.post(
        f"/api/v1/runs/{run['id']}/actions",
        json={"type": "advance_clock", "days": 1},
        headers=headers | key,
    )
    assert first.status_code == second.status_code == 200
    assert second.json()["replayed"] is True
    assert _event_rows(session, run["id"]) == count


def test_bad_actions_are_refused_and_change_nothing(
    client: TestClient, learner: User, session: Session
) -> None:
    headers = bearer(client, learner)
    run = _start(client, headers)
    before = _event_rows(session, run["id"])
    url = f"/api/v1/runs/{run['id']}/actions"
    missing_key = client.post(url, json={"type": "advance_clock", "days": 1}, headers=headers)
    assert missing_key.status_code == 400 and missing_key.json()["field"] == "idempotency_key"
    unknown = client.post(url, json={"type": "teleport"}, headers=headers | _key())
    assert unknown.status_code == 422 and unknown.json()["field"] == "type"
    assert "teleport" in unknown.json()["detail"]
    nobody = client.post(
        url, json={"type": "view_profile", "contact_id": "nobody"}, headers=headers | _key()
    )
    assert nobody.status_code == 400 and nobody.json()["field"] == "contact_id"
    huge = client.post(
        url,
        json={"type": "send_message", "contact_id": "x", "channel": "email", "body": "a" * 6000},
        headers=headers | _key(),
    )
    assert huge.status_code == 422 and huge.json()["field"] == "body"
    assert "at most 5000 characters" in huge.json()["detail"], huge.json()
    stale = client.post(
        url,
        json={"type": "advance_clock", "days": 1, "expected_event_count": 0},
        headers=headers | _key(),
    )
    assert stale.status_code == 409 and "another window" in stale.json()["detail"]
    bad_filter = client.get(
        f"/api/v1/runs/{run['id']}/prospects", params={"seniority": "emperor"}, headers=headers
    )
    assert bad_filter.status_code == 400 and bad_filter.json()["field"] == "seniority"
    bad_page = client.get(
        f"/api/v1/runs/{run['id']}/prospects", params={"per_page": "7"}, headers=headers
    )
    assert bad_page.status_code == 400
    assert _event_rows(session, run["id"]) == before


def test_malformed_hand_in_names_the_field_and_keeps_the_run_open(
    client: TestClient, learner: User, session: Session
) -> None:
    headers = bearer(client, learner)
    run = _start(client, headers)
    before = _event_rows(session, run["id"])
    response = client.post(
        f"/api/v1/runs/{run['id']}/submission",
        json={"submission": {"channel": "email", "body": 42}},
        headers=headers | _key(),
    )
    assert response.status_code == 422, response.text
    assert "body" in response.json()["detail"]
    assert session.get(Run, run["id"]).status.value == "active"
    assert _event_rows(session, run["id"]) == before


def test_other_learners_runs_are_not_found(
    client: TestClient, learner: User, other_learner: User
) -> None:
    run = _start(client, bearer(client, learner))
    intruder = bearer(client, other_learner)
    assert client.get(f"/api/v1/runs/{run['id']}", headers=intruder).status_code == 404
    poke = client.post(
        f"/api/v1/runs/{run['id']}/actions",
        json={"type": "advance_clock", "days": 1},
        headers=intruder | _key(),
    )
    assert poke.status_code == 404
    assert "No such practice run" in poke.json()["detail"]


def test_a_run_survives_a_restart_exactly(
    client: TestClient, learner: User, session: Session
) -> None:
    headers = bearer(client, learner)
    run = _start(client, headers)
    client.post(
        f"/api/v1/runs/{run['id']}/actions",
        json={"type": "advance_clock", "days": 3},
        headers=headers | _key(),
    )
    before = client.get(f"/api/v1/runs/{run['id']}", headers=headers).json()
    client.app.state.sandboxes.forget(run["id"])  # what a restart does: nothing in memory
    after = client.get(f"/api/v1/runs/{run['id']}", headers=headers).json()
    assert after == before


def test_unknown_exercise_is_404(client: TestClient, learner: User) -> None:
    response = client.post("/api/v1/exercises/no-such-thing/runs", headers=bearer(client, learner))
    assert response.status_code == 404 and "no exercise" in response.json()["detail"]
