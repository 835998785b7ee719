"""The mock interview through the JSON API: the manager's questions, the engine's own
reading of each answer (a client cannot send one), and a graded hand-in."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from leadworks.accounts.models import User
from tests.conftest import bearer
from tests.support.interview import WEAK

EXERCISE = "mock-interview"


def _key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def test_an_interview_through_the_api_is_read_by_the_engine_and_graded(
    client: TestClient, learner: User
) -> None:
    headers = bearer(client, learner)
    run = client.post(f"/api/v1/exercises/{EXERCISE}/runs", headers=headers).json()
    url = f"/api/v1/runs/{run['id']}/actions"
    found = client.get(
        f"/api/v1/runs/{run['id']}/prospects", params={"has_phone": "yes"}, headers=headers
    ).json()
    for row in found["results"]:
        started = client.post(
            url,
            json={"type": "start_conversation", "contact_id": row["id"]},
            headers=headers | _key(),
        )
        if started.status_code == 200:
            break
    assert started.status_code == 200, started.text
    lines = started.json()["result"]["lines"]
    assert [line["speaker"] for line in lines] == ["manager", "manager"]
    forged = client.post(
        url,
        json={"type": "say", "text": "Money.", "answer": {"vague": False}},
        headers=headers | _key(),
    )
    assert forged.status_code in (400, 422), forged.text
    first, _ = WEAK.answers["why_sales"]
    said = client.post(url, json={"type": "say", "text": first}, headers=headers | _key())
    assert said.status_code == 200, said.text
    (follow_up,) = said.json()["result"]["lines"]  # vague: the manager asks again
    assert follow_up["speaker"] == "manager" and "?" in follow_up["text"]
    client.post(url, json={"type": "end_conversation"}, headers=headers | _key())
    handed = client.post(
        f"/api/v1/runs/{run['id']}/submission", json={"submission": {}}, headers=headers | _key()
    )
    assert handed.status_code == 201, handed.text
    grade = handed.json()["grade"]
    assert grade["rubric_id"] == "interview"
    checks = {c["id"]: c for c in grade["checks"]}
    assert checks["mock_call"]["points"] == 0 and checks["first_time"]["points"] == 0
