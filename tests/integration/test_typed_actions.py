"""Actions are typed per action (a discriminated union built from the engine's registry):
a field of the wrong type, out of bounds or unknown is a 422 naming it, and nothing is
stored; the pages go through the same models."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from leadworks.accounts.models import User
from leadworks.core.errors import UserError
from leadworks.practice.action_models import ACTION_MODELS, parse_action
from leadworks.practice.models import ActionReceipt, RunEvent
from simulator.actions import ACTIONS, WEB_ACTIONS
from tests.conftest import bearer

EXERCISE = "cold-email-dental"

# (raw JSON body, the field the refusal must name)
MALFORMED: list[tuple[str, str]] = [
    ('{"type": "advance_clock", "days": "1e400"}', "days"),
    ('{"type": "advance_clock", "days": 1e400}', "days"),
    ('{"type": "advance_clock", "days": NaN}', "days"),
    ('{"type": "advance_clock", "hours": Infinity}', "hours"),
    ('{"type": "advance_clock", "minutes": -Infinity}', "minutes"),
    ('{"type": "advance_clock", "days": -1}', "days"),
    ('{"type": "advance_clock", "days": true}', "days"),
    ('{"type": "advance_clock", "until": 5}', "until"),
    (
        '{"type": "send_message", "contact_id": "p1", "channel": "email", "body": "hi", "subject": 5}',
        "subject",
    ),
    ('{"type": "send_message", "contact_id": "p1", "channel": "email", "body": ["hi"]}', "body"),
    ('{"type": "send_message", "contact_id": "p1", "channel": "fax", "body": "hi"}', "channel"),
    ('{"type": "send_message", "contact_id": "p1", "channel": "email"}', "body"),
    ('{"type": "call", "contact_id": "p1", "opener": 5}', "opener"),
    ('{"type": "call", "contact_id": {"a": 1}}', "contact_id"),
    ('{"type": "search", "limit": "abc"}', "limit"),
    ('{"type": "search", "limit": 1.5}', "limit"),
    ('{"type": "search", "offset": 99999999999}', "offset"),
    ('{"type": "search", "query": "x\\u0000y"}', "query"),
    ('{"type": "search", "query": "\\ud800"}', "query"),
    ('{"type": "search", "seniority": [1, 2]}', "seniority"),
    ('{"type": "search", "decision_maker": "maybe"}', "decision_maker"),
    ('{"type": "search", "colour": "red"}', "colour"),
    (
        '{"type": "record_qualification", "contact_id": "p1", "framework": [], "criteria": {}, "decision": "advance"}',
        "framework",
    ),
    (
        '{"type": "record_qualification", "contact_id": "p1", "framework": "BANT", "criteria": [], "decision": "advance"}',
        "criteria",
    ),
    ('{"type": "spend", "channel": "search", "amount": "lots"}', "amount"),
    ('{"type": "spend", "channel": "search", "amount": 1e300}', "amount"),
    ('{"type": "add_to_list", "contact_ids": "p1", "list_name": 7}', "list_name"),
    ('{"type": "add_to_list", "contact_ids": 7}', "contact_ids"),
    ('{"type": "discovery_call", "contact_id": "p1", "questions": "not-a-question"}', "questions"),
    ('{"type": "book_meeting", "contact_id": "p1"}', "at"),
    ('{"type": "change_stage", "contact_id": "p1", "stage": null}', "stage"),
    ('{"type": "teleport"}', "type"),
    ('{"type": 5}', "type"),
    ('{"type": "submit", "submission": {}}', "type"),
    ('{"days": 1}', "type"),
    ("[1, 2]", "body"),
    (
        '{"type": "view_profile", "contact_id": "p1", "expected_event_count": -1}',
        "expected_event_count",
    ),
]

OVERSIZED: list[tuple[dict[str, Any], str]] = [
    ({"type": "search", "query": "x" * 10_000_000}, "query"),
    ({"type": "search", "city": ["Paris"] * 500_000}, "city"),
    ({"type": "add_to_list", "contact_ids": ["p1"], "list_name": "n" * 1_000_000}, "list_name"),
    ({"type": "send_message", "contact_id": "p1", "channel": "email", "body": "b" * 5_001}, "body"),
    ({"type": "add_to_list", "contact_ids": ["p1"] * 10_001}, "contact_ids"),
]


def _stored(session: Session, run_id: int) -> tuple[int, int]:
    events = session.exec(
        select(func.count()).select_from(RunEvent).where(RunEvent.run_id == run_id)
    ).one()
    receipts = session.exec(
        select(func.count()).select_from(ActionReceipt).where(ActionReceipt.run_id == run_id)
    ).one()
    return events, receipts


@pytest.fixture
def api_run(client: TestClient, learner: User) -> tuple[dict[str, str], int]:
    headers = bearer(client, learner)
    response = client.post(f"/api/v1/exercises/{EXERCISE}/runs", headers=headers)
    assert response.status_code == 201, response.text
    return headers, response.json()["id"]


def _post(client: TestClient, headers: dict[str, str], run_id: int, content: str) -> Any:
    return client.post(
        f"/api/v1/runs/{run_id}/actions",
        content=content,
        headers=headers | {"Idempotency-Key": uuid.uuid4().hex, "Content-Type": "application/json"},
    )


def _fields(response: Any) -> set[str]:
    """The fields a refusal names, without item indexes (``seniority[0]`` names seniority)."""
    return {problem["field"].split("[")[0] for problem in response.json()["errors"]}


def test_every_web_action_has_its_model_and_only_those() -> None:
    assert set(ACTION_MODELS) == set(WEB_ACTIONS) and "submit" not in ACTION_MODELS
    for name, model in ACTION_MODELS.items():
        assert set(model.model_fields) == {"type", "expected_event_count"} | {
            p.name for p in ACTIONS[name].params
        }


@pytest.mark.parametrize(("raw", "field"), MALFORMED, ids=[m[0][:60] for m in MALFORMED])
def test_a_malformed_action_is_a_422_naming_the_field_and_stores_nothing(
    client: TestClient, session: Session, api_run: tuple[dict[str, str], int], raw: str, field: str
) -> None:
    headers, run_id = api_run
    before = _stored(session, run_id)
    response = _post(client, headers, run_id, raw)
    assert response.status_code == 422, response.text
    assert field in _fields(response), response.json()
    assert _stored(session, run_id) == before


@pytest.mark.parametrize(("action", "field"), OVERSIZED, ids=[o[1] for o in OVERSIZED])
def test_oversized_fields_are_refused_before_anything_is_stored(
    client: TestClient,
    session: Session,
    api_run: tuple[dict[str, str], int],
    action: dict,
    field: str,
) -> None:
    headers, run_id = api_run
    before = _stored(session, run_id)
    response = _post(client, headers, run_id, json.dumps(action))
    assert response.status_code in (413, 422), response.text[:300]
    if response.status_code == 422:
        assert field in _fields(response)
    assert _stored(session, run_id) == before


def test_the_openapi_document_lists_each_action_as_its_own_schema(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    body = spec["paths"]["/api/v1/runs/{run_id}/actions"]["post"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    assert schema.get("discriminator", {}).get("propertyName") == "type", schema
    assert len(schema["oneOf"]) == len(WEB_ACTIONS)


def test_parse_action_gives_the_engine_what_was_given_typed() -> None:
    assert parse_action({"type": "search", "limit": 5}) == {"type": "search", "limit": 5}
    assert parse_action({"type": "add_to_list", "contact_ids": "p1"})["contact_ids"] == ["p1"]
    with pytest.raises(UserError) as refused:
        parse_action({"type": "search", "limit": "5"})  # strict, like the engine
    assert refused.value.field == "limit"
    assert parse_action({"type": "advance_clock", "days": 1, "until": None}) == {
        "type": "advance_clock",
        "days": 1,
    }
