"""Schemathesis against the app's own OpenAPI document, as a learner, a counselor and an
admin: every operation, a bounded number of generated requests each (valid by the schema,
so they pass validation and reach the services), and no answer may be a 5xx, use an
undocumented status, or contradict its documented response schema.

``LEADWORKS_FUZZ_EXAMPLES`` sets the examples per operation (default 8; twice for an operation whose path ids are known); the figures
(operations, cases, 5xx) are printed per role and database (run with ``-s`` to see them).
Runs on SQLite, and on PostgreSQL when ``LEADWORKS_TEST_DATABASE_URL`` is set.
"""

from __future__ import annotations

import os
import uuid
from collections import Counter
from dataclasses import dataclass, field

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy.engine import Engine

from leadworks.accounts.models import User
from leadworks.cohorts.models import Cohort
from tests.conftest import bearer

EXAMPLES = int(os.environ.get("LEADWORKS_FUZZ_EXAMPLES", "8"))
EXERCISE = "cold-email-dental"
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
# These end the caller's own token: fuzzed last so the others run signed in.
ENDS_THE_SESSION = ("/api/v1/auth/logout", "/api/v1/auth/tokens/{token_id}")


@dataclass
class Figures:
    operations: int = 0
    cases: int = 0
    server_errors: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def line(self, role: str, database: str) -> str:
        common = ", ".join(f"{s}: {n}" for s, n in sorted(self.statuses.items()))
        return (
            f"fuzz {role} on {database}: {self.operations} operations, {self.cases} cases, "
            f"5xx: {self.server_errors}, failures: {len(self.failures)} (statuses {common})"
        )


def _known_ids(client: TestClient, learner: User, cohort: Cohort) -> dict[str, object]:
    """Real records for the path parameters (the learner's run with a few events, their
    cohort, themselves), so generated bodies reach the services and not only a 404."""
    headers = bearer(client, learner)
    run = client.post(f"/api/v1/exercises/{EXERCISE}/runs", headers=headers)
    assert run.status_code == 201, run.text
    run_id = run.json()["id"]
    client.post(
        f"/api/v1/runs/{run_id}/actions",
        json={"type": "search", "limit": 5},
        headers=headers | {"Idempotency-Key": uuid.uuid4().hex},
    )
    return {
        "run_id": run_id,
        "cohort_id": cohort.id,
        "learner_id": learner.id,
        "exercise_id": EXERCISE,
    }


def _fuzz(
    operation: object,
    headers: dict[str, str],
    figures: Figures,
    path_parameters: dict[str, object] | None = None,
) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,  # the same cases every run: a failure is reproducible
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(path_parameters=path_parameters))  # type: ignore[attr-defined]
    def one(case: schemathesis.Case) -> None:
        response = case.call(headers=headers | {"Idempotency-Key": uuid.uuid4().hex})
        figures.cases += 1
        figures.statuses[response.status_code] += 1
        if response.status_code >= 500:
            figures.server_errors += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except AssertionError as failure:  # collected, so every operation is fuzzed
            label = f"{case.method} {case.formatted_path}"
            figures.failures.append(f"{label}: {str(failure)[:600]}")

    one()


@pytest.mark.parametrize("role", ["learner", "counselor", "admin"])
def test_the_api_holds_under_fuzzing_as_each_role(
    role: str,
    app: FastAPI,
    engine: Engine,
    learner: User,
    cohort: Cohort,
    request: pytest.FixtureRequest,
) -> None:
    user: User = request.getfixturevalue(role)
    client = TestClient(app, raise_server_exceptions=False)
    known = _known_ids(client, learner, cohort)
    headers = bearer(client, user)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    operations.sort(key=lambda op: op.path in ENDS_THE_SESSION)
    figures = Figures()
    for operation in operations:
        figures.operations += 1
        _fuzz(operation, headers, figures)
        names = {p.name for p in operation.path_parameters}
        if names and names <= set(known):  # again, on the real records
            _fuzz(operation, headers, figures, {n: known[n] for n in names})
    print("\n" + figures.line(role, engine.dialect.name))
    assert figures.operations > 30 and figures.cases >= figures.operations
    assert figures.server_errors == 0, "\n".join(figures.failures)
    assert not figures.failures, "\n".join(figures.failures[:20])
