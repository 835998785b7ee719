"""Text is refused at the input layer when it holds what no database or encoder takes: NUL
bytes (PostgreSQL refuses them) and lone surrogates (stored, they break every page that
shows them). Every text field of every route carries the check; a few are probed live."""

from __future__ import annotations

import uuid

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from leadworks.accounts.models import User
from leadworks.core.inputs import clean_text
from leadworks.practice.models import RunEvent
from tests.conftest import PASSWORD, bearer, csrf_from, login
from tests.integration.route_params import fields, is_text, validators

NUL = "a\x00b"
SURROGATE_JSON = '"x\\ud800y"'  # a lone surrogate, as JSON escapes carry it


def _clean(validator: object) -> bool:
    qualname = getattr(validator, "__qualname__", "")
    return validator is clean_text or qualname.startswith("_one_of")  # a closed choice


def test_every_text_field_of_every_route_is_checked_for_nul_and_surrogates(app: FastAPI) -> None:
    texts = [f for f in fields(app) if is_text(f.annotation)]
    unchecked = [
        str(f.param)
        for f in texts
        if not any(_clean(v) for v in validators(f.annotation, f.metadata))
    ]
    assert len(texts) > 60
    assert not unchecked, "\n".join(unchecked)


def test_a_non_ascii_csrf_token_is_refused_not_a_crash(client: TestClient) -> None:
    client.get("/login")
    response = client.post(
        "/login",
        data={"email": "a@b.example", "password": "x", "csrf_token": "jeton-été"},
    )
    assert response.status_code == 403, response.text[:300]
    header = client.post("/logout", headers={"X-CSRF-Token": "été".encode()})
    assert header.status_code == 403


def test_a_nul_in_the_login_email_is_a_400(client: TestClient, learner: User) -> None:
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login", data={"email": learner.email + "\x00", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 400 and "NUL" in response.text


def test_a_nul_in_a_name_or_a_comment_changes_nothing(
    client: TestClient, session: Session, learner: User, counselor: User
) -> None:
    token = login(client, learner)
    renamed = client.post("/account/name", data={"name": NUL, "csrf_token": token})
    assert renamed.status_code == 400, renamed.text[:300]
    session.refresh(learner)
    assert "\x00" not in learner.name
    headers = bearer(client, counselor)
    comment = client.post(
        f"/api/v1/learners/{learner.id}/comments",
        content='{"body": ' + SURROGATE_JSON + "}",
        headers=headers | {"Content-Type": "application/json"},
    )
    assert comment.status_code == 422 and comment.json()["field"] == "body"
    listed = client.get(f"/api/v1/learners/{learner.id}/comments", headers=headers)
    assert listed.status_code == 200 and listed.json() == []


def test_a_lone_surrogate_in_a_hand_in_is_refused_and_the_run_stays_readable(
    client: TestClient, session: Session, learner: User
) -> None:
    headers = bearer(client, learner)
    run = client.post("/api/v1/exercises/cold-email-dental/runs", headers=headers).json()
    raw = '{"submission": {"channel": "email", "subject": ' + SURROGATE_JSON + ', "body": "hi"}}'
    handed = client.post(
        f"/api/v1/runs/{run['id']}/submission",
        content=raw,
        headers=headers | {"Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex},
    )
    assert 400 <= handed.status_code < 500, handed.text[:300]
    assert "surrogate" in handed.text
    stored = session.exec(
        select(func.count()).select_from(RunEvent).where(RunEvent.run_id == run["id"])
    ).one()
    events = client.get(f"/api/v1/runs/{run['id']}/events", headers=headers)
    assert events.status_code == 200 and len(events.json()["events"]) == stored


def test_a_nul_in_a_query_text_is_a_400(
    client: TestClient, counselor: User, cohort: object
) -> None:
    login(client, counselor)
    response = client.get(f"/counsel/cohorts/{cohort.id}", params={"q": NUL})  # type: ignore[attr-defined]
    assert response.status_code == 400 and "NUL" in response.text
