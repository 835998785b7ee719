"""Every integer a route takes (path, query, form or JSON field) is bounded to what every
database stores: 2^31 and 2^63 are refused with a 4xx naming the field, never a 500.

The routes are read from ``app.routes``, so a route added later is probed too.
"""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from leadworks.accounts.models import User
from tests.conftest import bearer, login
from tests.integration.route_params import IntParam, int_params

TOO_BIG = (2**31, 2**63)


def _url(param: IntParam, value: int) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1).split(":")[0]
        if name == param.name and param.where == "path":
            return str(value)
        return "1" if name in param.path_params and name.endswith("_id") else "x"

    path = re.sub(r"\{([^}]+)\}", fill, param.path)
    if param.where == "query":
        path += f"?{param.name}={value}"
    return path


Role = tuple[str, TestClient, dict[str, str]]


def _send(
    client: TestClient, headers: dict[str, str], param: IntParam, value: int
) -> tuple[int, str]:
    url = _url(param, value)
    if param.where == "form":
        data = {param.name: str(value), "csrf_token": headers["X-CSRF-Token"]}
        response = client.request(param.method, url, data=data, headers=headers)
    elif param.where == "json":
        response = client.request(
            param.method,
            url,
            json={param.name: value} | ({"type": param.tag} if param.tag else {}),
            headers=headers,
        )
    else:
        response = client.request(param.method, url, headers=headers)
    return response.status_code, response.text


@pytest.fixture
def role_clients(app: FastAPI, learner: User, counselor: User, admin: User) -> list[Role]:
    """Each role signed in twice over: a session cookie (pages) and a bearer token (API)."""
    clients = []
    for name, user in (("learner", learner), ("counselor", counselor), ("admin", admin)):
        client = TestClient(app, follow_redirects=False, raise_server_exceptions=False)
        headers = {"X-CSRF-Token": login(client, user)} | bearer(client, user)
        clients.append((name, client, headers))
    return clients


def test_the_app_has_integer_parameters_to_probe(app: FastAPI) -> None:
    found = int_params(app)
    wheres = {p.where for p in found}
    assert len(found) > 40 and {"path", "query", "form"} <= wheres, found


def test_integers_beyond_the_database_range_are_refused_naming_the_field(
    app: FastAPI, role_clients: list[Role]
) -> None:
    crashed: list[str] = []
    unnamed: list[str] = []
    for param in int_params(app):
        for value in TOO_BIG:
            refused_naming_it = False
            for role, client, headers in role_clients:
                status, text = _send(client, headers, param, value)
                if status >= 500:
                    crashed.append(f"{param} = {value} as {role}: {status}")
                if status in (400, 422) and param.name in text:
                    refused_naming_it = True
            if not refused_naming_it:
                unnamed.append(f"{param} = {value}")
    assert not crashed, "\n".join(crashed)
    assert not unnamed, "no role got a 400/422 naming the field:\n" + "\n".join(unnamed)
