"""HSTS in production, the Origin check on unsafe page requests, and error pages that keep
the signed-in header and offer the way back."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from leadworks.accounts.models import User
from leadworks.app import create_app
from leadworks.cohorts.models import Cohort
from leadworks.core.config import Environment, Settings
from leadworks.core.deps import get_session
from tests.conftest import bearer, login


def _cohorts(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Cohort)).one()


def _app(settings: Settings, engine: Engine, session: Session, **changes: object):
    app = create_app(settings.model_copy(update=changes), engine=engine)
    app.state.owns_engine = False

    def test_session() -> Iterator[Session]:
        yield session

    app.dependency_overrides[get_session] = test_session
    return app


def test_hsts_only_in_production(
    client: TestClient, settings: Settings, engine: Engine, session: Session
) -> None:
    assert "strict-transport-security" not in client.get("/login").headers
    production = _app(settings, engine, session, env=Environment.production)
    with TestClient(production) as secure:
        header = secure.get("/login").headers["strict-transport-security"]
    assert header == "max-age=31536000; includeSubDomains"
    off = _app(settings, engine, session, env=Environment.production, hsts_seconds=0)
    with TestClient(off) as plain:
        assert "strict-transport-security" not in plain.get("/healthz").headers


def test_a_form_sent_from_another_site_is_refused(
    client: TestClient, session: Session, admin: User
) -> None:
    token = login(client, admin)
    before = _cohorts(session)
    for headers in (
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Referer": "https://evil.example/page"},
        {"Origin": "http://testserver.evil.example"},
    ):
        response = client.post(
            "/admin/cohorts", data={"name": "Forged", "csrf_token": token}, headers=headers
        )
        assert response.status_code == 403, headers
        assert "sent from another site" in response.text
    assert _cohorts(session) == before
    ok = client.post(
        "/admin/cohorts",
        data={"name": "Same origin", "csrf_token": token},
        headers={"Origin": "http://testserver", "Referer": "https://evil.example/"},
    )
    assert ok.status_code == 303  # Origin wins over Referer when both are sent
    referer_only = client.post(
        "/admin/cohorts",
        data={"name": "Referer only", "csrf_token": token},
        headers={"Referer": "http://testserver/admin/cohorts"},
    )
    assert referer_only.status_code == 303
    assert _cohorts(session) == before + 2


def test_the_public_url_is_an_accepted_origin(
    settings: Settings, engine: Engine, session: Session, admin: User
) -> None:
    app = _app(settings, engine, session, public_url="https://academy.example.org")
    with TestClient(app, follow_redirects=False) as client:
        token = login(client, admin)
        response = client.post(
            "/admin/cohorts",
            data={"name": "Via the proxy", "csrf_token": token},
            headers={"Origin": "https://academy.example.org"},
        )
    assert response.status_code == 303


def test_bearer_api_calls_are_not_origin_checked(client: TestClient, admin: User) -> None:
    headers = bearer(client, admin) | {"Origin": "https://tool.example"}
    response = client.post("/api/v1/cohorts", json={"name": "From a tool"}, headers=headers)
    assert response.status_code == 201


def test_error_pages_keep_the_signed_in_header(client: TestClient, learner: User) -> None:
    login(client, learner)
    for path, status in (("/no/such/page", 404), ("/admin/cohorts", 403)):
        page = client.get(path, headers={"Referer": "http://testserver/me/progress"})
        assert page.status_code == status
        assert "Lena Learner" in page.text and ">Log out<" in page.text
        assert 'href="/me/progress" data-back' in page.text  # the way back
        assert "You are still signed in" in page.text
    refused = client.post("/me/profile", data={"csrf_token": "stale"})
    assert refused.status_code == 403 and "Lena Learner" in refused.text


def test_the_way_back_never_leaves_the_site(client: TestClient, learner: User) -> None:
    login(client, learner)
    page = client.get("/no/such/page", headers={"Referer": "https://evil.example/phish"})
    assert "evil.example" not in page.text
    assert 'href="/" data-back' in page.text


def test_anonymous_error_pages_offer_to_log_in(client: TestClient) -> None:
    page = client.get("/no/such/page")
    assert page.status_code == 404 and "Log out" not in page.text


def test_a_500_page_keeps_the_header_too(app, learner: User) -> None:
    @app.get("/boom-signed-in")
    def boom() -> None:
        raise RuntimeError("internals")

    with TestClient(app, raise_server_exceptions=False, follow_redirects=False) as client:
        login(client, learner)
        page = client.get("/boom-signed-in")
    assert page.status_code == 500 and "Lena Learner" in page.text
