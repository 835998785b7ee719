"""The OpenAPI document describes what the API answers: the error shape actually sent,
every error status an operation can give, and no HTML page routes."""

from __future__ import annotations

import uuid

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from leadworks.accounts.models import User
from tests.conftest import bearer

ERROR = {"$ref": "#/components/schemas/ErrorOut"}


def _operations(spec: dict) -> list[tuple[str, str, dict]]:
    return [(p, m, op) for p, ops in spec["paths"].items() for m, op in ops.items()]


def test_page_routes_are_left_out_and_json_routes_are_in(app: FastAPI, client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    documented = {(p, m.upper()) for p, m, _ in _operations(spec)}
    for route in iter_route_contexts(app.routes):
        if not isinstance(route.original_route, APIRoute):
            continue
        for method in route.methods - {"HEAD"}:
            html = route.original_route.include_in_schema is False or not route.include_in_schema
            assert ((route.path, method) in documented) is (not html), (route.path, method)
    assert not any(
        p.startswith(("/sandbox", "/counsel", "/admin", "/login")) for p in spec["paths"]
    )


def test_every_operation_documents_its_errors_with_the_shape_sent(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "HTTPValidationError" not in str(spec)
    for path, method, op in _operations(spec):
        if path == "/healthz":
            continue
        wanted = {"400", "401", "403", "404", "413", "422"} | (
            {"409"} if method != "get" else set()
        )
        assert wanted <= set(op["responses"]), (path, method)
        for status in wanted:
            assert op["responses"][status]["content"]["application/json"]["schema"] == ERROR


def test_a_422_matches_the_documented_error_schema(client: TestClient, learner: User) -> None:
    spec = client.get("/openapi.json").json()
    error = spec["components"]["schemas"]["ErrorOut"]
    headers = bearer(client, learner)
    run = client.post("/api/v1/exercises/cold-email-dental/runs", headers=headers).json()
    response = client.post(
        f"/api/v1/runs/{run['id']}/actions",
        json={"type": "advance_clock", "days": "soon"},
        headers=headers | {"Idempotency-Key": uuid.uuid4().hex},
    )
    assert response.status_code == 422
    body = response.json()
    assert set(body) <= set(error["properties"]) and set(error["required"]) <= set(body)
    assert isinstance(body["detail"], str) and body["field"] == "days"
    assert body["errors"][0] == {"field": "days", "message": body["errors"][0]["message"]}
