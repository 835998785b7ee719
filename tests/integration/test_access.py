"""Every route, called by every role, answers with the status the access table expects."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import Mount

from leadworks.accounts.models import User
from leadworks.cohorts.models import Cohort
from leadworks.practice.models import Run
from leadworks.practice.service import start_run
from tests.conftest import bearer, csrf_from, login, project_content
from tests.integration.access_table import ROLES, RULES, Rule
from tests.integration.accounts_kit import accounts_placeholders
from tests.integration.career_kit import career_placeholders
from tests.integration.counsel_kit import counsel_placeholders
from tests.integration.credentials_kit import credentials_placeholders
from tests.integration.drills_kit import drills_placeholders
from tests.integration.exams_kit import exam_placeholders

MOUNTS = {"/static", "/course"}


@dataclass
class World:
    cohort: Cohort
    learner: User
    other_learner: User
    counselor: User
    other_counselor: User
    admin: User

    run: Run
    counsel: dict[str, object]

    def placeholders(self) -> dict[str, object]:
        """Values for the {names} in rule paths: the learner's own things."""
        return {
            "cohort_id": self.cohort.id,
            "lesson_id": project_content().catalog.lessons()[0].id,
            "exercise_id": self.run.exercise_id,
            "run_id": self.run.id,
            "contact_id": "p000001",
            "exam_id": "checkpoint-career",
            **self.counsel,
        }


@pytest.fixture
def world(
    session, settings, sandboxes, cohort, learner, other_learner, counselor, other_counselor, admin
) -> World:
    run = start_run(session=session, user=learner, exercise_id="cold-email-dental", cache=sandboxes)
    counsel = counsel_placeholders(session, learner=learner, counselor=counselor)
    counsel |= accounts_placeholders(session, learner=learner, settings=settings)
    counsel |= exam_placeholders(session, learner=learner, settings=settings)
    counsel |= credentials_placeholders(session, learner=learner, settings=settings)
    counsel |= career_placeholders(session, learner=learner)
    counsel |= drills_placeholders(session, learner=learner)
    return World(cohort, learner, other_learner, counselor, other_counselor, admin, run, counsel)


def _route_keys(app: FastAPI) -> set[tuple[str, str]]:
    """Every (method, path) the app answers, through included routers too."""
    keys = set()
    for route in iter_route_contexts(app.routes):
        for method in route.methods or ():
            if method != "HEAD":
                keys.add((method, route.path))
    return keys


def test_every_route_is_in_the_access_table(app: FastAPI) -> None:
    listed = {(rule.method, rule.path) for rule in RULES}
    missing = _route_keys(app) - listed
    assert not missing, f"routes without an access rule: {sorted(missing)}"
    stale = listed - _route_keys(app)
    assert not stale, f"access rules for routes that no longer exist: {sorted(stale)}"


def test_only_known_mounts_exist(app: FastAPI) -> None:
    mounts = {route.path for route in app.routes if isinstance(route, Mount)}
    assert mounts <= MOUNTS


def _call(client: TestClient, rule: Rule, role: str, world: World):
    path = rule.path.format_map(world.placeholders())
    is_api = path.startswith("/api/")
    headers: dict[str, str] = {}
    form = rule.form(world) if rule.form else None
    token = None
    if role != "anon":
        user: User = getattr(world, role)
        if is_api:
            headers = bearer(client, user)
        else:
            token = login(client, user)
    elif not is_api and rule.method != "GET":
        token = csrf_from(client.get("/login").text)
    if rule.extra.get("idempotent"):
        headers["Idempotency-Key"] = uuid.uuid4().hex
    if token and rule.method != "GET":
        headers["X-CSRF-Token"] = token
        if form is not None:
            form |= {"csrf_token": token}
    return client.request(
        rule.method, path, headers=headers, data=form, json=rule.json(world) if rule.json else None
    )


CASES = [
    pytest.param(rule, role, id=f"{rule.method} {rule.path} as {role}")
    for rule in RULES
    for role in ROLES
]


@pytest.mark.parametrize(("rule", "role"), CASES)
def test_route_answers_each_role_as_expected(
    client: TestClient, world: World, rule: Rule, role: str
) -> None:
    response = _call(client, rule, role, world)
    expected = rule.expect[role]
    assert response.status_code == expected, (
        f"{rule.method} {rule.path} as {role}: expected {expected}, got {response.status_code}: "
        f"{response.text[:300]}"
    )
    if expected == 303 and role == "anon" and rule.method == "GET":
        assert response.headers["location"].startswith("/login")
