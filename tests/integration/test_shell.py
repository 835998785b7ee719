"""The app shell: health, navigation by role, local assets only, htmx fragments."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from leadworks.accounts.models import User
from leadworks.app import create_app
from leadworks.core.config import PROJECT_ROOT, Settings
from tests.conftest import TEST_SECRET, login

EXTERNAL = re.compile(r"""(?:src|href)=["'](?:https?:)?//""")


def test_health_is_503_when_the_database_does_not_answer(tmp_path: Path) -> None:
    settings = Settings(
        env="test",
        secret_key=TEST_SECRET,
        database_url="sqlite:///" + str(tmp_path / "no" / "dir" / "x.db"),
    )
    broken = create_engine(
        "postgresql+psycopg://nobody@127.0.0.1:1/nothing", connect_args={"connect_timeout": 1}
    )
    with TestClient(create_app(settings, engine=broken)) as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


@pytest.mark.parametrize(
    ("who", "present", "absent"),
    [
        ("learner", ["Practice", "My progress"], ["/admin/cohorts", "Counsel"]),
        ("counselor", ["Cohorts", "/counsel/"], ["/admin/cohorts", "My progress"]),
        ("admin", ["/admin/cohorts", "/admin/users", "Counsel"], ["My progress"]),
    ],
)
def test_navigation_depends_on_role(
    client: TestClient,
    request: pytest.FixtureRequest,
    who: str,
    present: list[str],
    absent: list[str],
) -> None:
    user: User = request.getfixturevalue(who)
    login(client, user)
    nav = re.search(r'<nav class="mainnav".*?</nav>', client.get("/").text, re.S).group(0)
    for text in present:
        assert text in nav, f"{who} should see {text}"
    for text in absent:
        assert text not in nav, f"{who} should not see {text}"


def test_anonymous_home_offers_login_and_course(client: TestClient) -> None:
    page = client.get("/").text
    assert 'href="/login"' in page and 'href="/course/"' in page


def test_pages_load_no_external_assets(client: TestClient, admin: User) -> None:
    login(client, admin)
    for path in ("/", "/admin/cohorts", "/admin/users", "/docs", "/login"):
        body = client.get(path).text
        assert not EXTERNAL.search(body), f"{path} loads an asset from another host"


def test_templates_and_static_files_reference_no_cdn() -> None:
    for folder in ("leadworks/templates", "leadworks/static/js", "leadworks/static/css"):
        for path in (PROJECT_ROOT / folder).rglob("*"):
            if path.is_file():
                assert not EXTERNAL.search(path.read_text()), f"{path} references another host"


def test_local_assets_are_served(client: TestClient) -> None:
    for asset in (
        "/static/vendor/htmx/htmx.min.js",
        "/static/css/app.css",
        "/static/vendor/swagger-ui/swagger-ui-bundle.js",
    ):
        assert client.get(asset).status_code == 200, asset


def test_security_headers_on_app_pages(client: TestClient) -> None:
    headers = client.get("/login").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


def test_unknown_page_is_a_friendly_404(client: TestClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "nothing at this address" in response.text
    assert client.get("/api/v1/nothing").json() == {"detail": "There is nothing at this address."}


def test_openapi_lists_the_token_endpoint(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/v1/auth/token" in paths and "/api/v1/cohorts" in paths
