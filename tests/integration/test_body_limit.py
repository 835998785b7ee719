"""Request bodies are bounded (``Settings.max_request_bytes``) before anyone reads them:
a declared length over the limit is a 413 without a byte read, even anonymous and before
the 401; a chunked body is refused as soon as it passes the limit."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from leadworks.accounts.models import User
from leadworks.app import create_app
from leadworks.core.config import Settings
from leadworks.core.deps import get_session
from tests.conftest import bearer

LIMIT = 64 * 1024


@pytest.fixture
def small_app(settings: Settings, engine: Engine, app: FastAPI) -> FastAPI:
    limited = create_app(settings.model_copy(update={"max_request_bytes": LIMIT}), engine=engine)
    limited.state.owns_engine = False
    limited.dependency_overrides[get_session] = app.dependency_overrides[get_session]
    return limited


@pytest.fixture
def small(small_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(small_app, follow_redirects=False) as client:
        yield client


def test_the_default_limit_refuses_an_anonymous_50_mb_body_unread(app: FastAPI) -> None:
    """A raw ASGI call: the app answers 413 having pulled no part of the body."""
    pulled: list[int] = []
    sent: list[dict] = []
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/v1/runs/1/actions",
        "raw_path": b"/api/v1/runs/1/actions",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"testserver"),
            (b"content-type", b"application/json"),
            (b"content-length", str(50 * 1024 * 1024).encode()),
        ],
        "client": ("127.0.0.1", 1234),
        "server": ("testserver", 80),
    }

    async def receive() -> dict:
        pulled.append(1)
        return {"type": "http.request", "body": b"x" * 65536, "more_body": True}

    async def send(message: dict) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 413
    assert pulled == []


def test_a_declared_length_over_the_limit_is_413_before_the_401(small: TestClient) -> None:
    response = small.post(
        "/api/v1/runs/1/actions",
        content=b"{" + b" " * (LIMIT + 10) + b"}",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413 and response.json()["field"] == "body"
    page = small.post("/login", data={"email": "x" * (LIMIT + 10)})
    assert page.status_code == 413 and "Too large" in page.text


def test_a_chunked_body_is_refused_once_it_passes_the_limit(
    small: TestClient, learner: User
) -> None:
    headers = bearer(small, learner)
    sent: list[int] = []

    def chunks() -> Iterator[bytes]:
        yield b'{"type": "search", "query": "'
        for _ in range(1_000):  # 16 MB if it were all read
            sent.append(1)
            yield b"a" * 16_384
        yield b'"}'

    response = small.post(
        "/api/v1/runs/1/actions",
        content=chunks(),
        headers=headers | {"Content-Type": "application/json", "Idempotency-Key": "k" * 20},
    )
    assert response.status_code == 413, response.text[:300]
    assert "bytes" in response.json()["detail"]


def test_a_body_under_the_limit_is_served(small: TestClient, learner: User) -> None:
    headers = bearer(small, learner)
    response = small.get("/api/v1/runs", headers=headers)
    assert response.status_code == 200
