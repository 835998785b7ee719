"""The objection drill through the JSON API: nine objections, a turn after the drill
ended refused, and a grade with one verdict and one quote per objection."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from leadworks.accounts.models import User
from tests.conftest import bearer
from tests.simulator.test_objection_drill import STRONG

EXERCISE = "objection-drill"


def _key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def test_a_drill_through_the_api_grades_every_objection(client: TestClient, learner: User) -> None:
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
    assert len(started.json()["result"]["lines"]) == 2  # a greeting and the first objection
    for text in STRONG:
        said = client.post(url, json={"type": "say", "text": text}, headers=headers | _key())
        assert said.status_code == 200, said.text
    assert said.json()["result"]["ended"]["outcome"] == "drill_done"
    late = client.post(url, json={"type": "say", "text": "One more?"}, headers=headers | _key())
    assert late.status_code == 400 and "no call in progress" in late.json()["detail"]
    handed = client.post(
        f"/api/v1/runs/{run['id']}/submission", json={"submission": {}}, headers=headers | _key()
    )
    assert handed.status_code == 201, handed.text
    grade = handed.json()["grade"]
    objections = next(c for c in grade["checks"] if c["id"] == "objection_handling")
    assert objections["points"] == objections["possible"] == 20
    assert len(objections["evidence"]) == 9
    assert all(e["quote"] in STRONG[i] for i, e in enumerate(objections["evidence"]))
    assert {c["id"] for c in grade["checks"]} == {"objection_handling", "compliance"}
