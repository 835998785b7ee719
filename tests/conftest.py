"""Shared fixtures: a real database per run (SQLite, or PostgreSQL when
LEADWORKS_TEST_DATABASE_URL is set), one rolled-back transaction per test, factories for
the people and cohorts a test needs, and an app wired to that transaction."""

from __future__ import annotations

import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy.engine import Engine
from sqlmodel import Session

from leadworks.accounts.models import Role, User
from leadworks.accounts.service import create_user
from leadworks.app import create_app
from leadworks.cohorts.models import Cohort
from leadworks.cohorts.service import assign_counselor, create_cohort, enroll
from leadworks.content import Content, load_content
from leadworks.core import security
from leadworks.core.config import PROJECT_ROOT, Environment, Settings
from leadworks.core.db import make_engine
from leadworks.core.deps import get_session
from leadworks.core.migrate import upgrade
from leadworks.practice.live import LiveSandboxes
from tests.support.databases import scratch_database, server_url

# Benchmarks run only under `make bench` (which sets LEADWORKS_BENCH=1).
collect_ignore_glob = [] if os.environ.get("LEADWORKS_BENCH") else ["benchmarks/*"]

PASSWORD = "correct-horse-battery"
EXERCISES_DIR = PROJECT_ROOT / "course" / "exercises"


def project_content() -> Content:
    """The project's own course and exercises, as the app serves them by default."""
    return load_content(EXERCISES_DIR)


TEST_SECRET = "test-secret-key-" + "x" * 32


def pytest_report_header(config: pytest.Config) -> str:
    url = server_url()
    return f"leadworks database: {'PostgreSQL ' + url if url else 'SQLite (temporary file)'}"


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing() -> None:
    """Real Argon2, with test-sized cost: hundreds of accounts are created per run."""
    security._hasher = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024),))


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh database for this run, dropped afterwards (PostgreSQL) or in a tmp dir."""
    with scratch_database(tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture(scope="session")
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        env=Environment.test,
        database_url=database_url,
        secret_key=TEST_SECRET,
        data_dir=tmp_path_factory.mktemp("data"),
        course_site_dir=PROJECT_ROOT / "course" / "site",
    )


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Iterator[Engine]:
    """The schema comes from the migrations, exactly as in production."""
    engine = make_engine(settings)
    upgrade(settings, engine=engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """One transaction per test, rolled back: service commits become savepoints."""
    connection = engine.connect()
    transaction = connection.begin()
    db = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield db
    finally:
        db.close()
        transaction.rollback()
        connection.close()


@pytest.fixture
def app(settings: Settings, engine: Engine, session: Session) -> FastAPI:
    application = create_app(settings, engine=engine)
    application.state.owns_engine = False

    def test_session() -> Iterator[Session]:
        yield session

    application.dependency_overrides[get_session] = test_session
    return application


@pytest.fixture
def sandboxes(app: FastAPI) -> LiveSandboxes:
    """The test app's own cache of live sandboxes (a fresh one per test)."""
    return app.state.sandboxes  # type: ignore[no-any-return]


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


# ---- factories ----------------------------------------------------------------------------

UserFactory = Callable[..., User]


@pytest.fixture
def make_user(session: Session) -> UserFactory:
    counter = iter(range(1, 10_000))

    def factory(
        role: Role = Role.learner, *, email: str | None = None, name: str | None = None
    ) -> User:
        n = next(counter)
        return create_user(
            session=session,
            email=email or f"{role.value}{n}-{secrets.token_hex(3)}@test.example",
            name=name or f"{role.value.capitalize()} {n}",
            password=PASSWORD,
            role=role,
        )

    return factory


@pytest.fixture
def cohort(session: Session) -> Cohort:
    return create_cohort(session=session, name=f"Cohort {secrets.token_hex(3)}")


@pytest.fixture
def other_cohort(session: Session) -> Cohort:
    return create_cohort(session=session, name=f"Other cohort {secrets.token_hex(3)}")


@pytest.fixture
def learner(session: Session, make_user: UserFactory, cohort: Cohort) -> User:
    user = make_user(Role.learner, name="Lena Learner")
    enroll(session=session, cohort=cohort, learner=user)
    return user


@pytest.fixture
def other_learner(session: Session, make_user: UserFactory, other_cohort: Cohort) -> User:
    user = make_user(Role.learner, name="Otto Other")
    enroll(session=session, cohort=other_cohort, learner=user)
    return user


@pytest.fixture
def counselor(session: Session, make_user: UserFactory, cohort: Cohort) -> User:
    user = make_user(Role.counselor, name="Carmen Counselor")
    assign_counselor(session=session, cohort=cohort, counselor=user)
    return user


@pytest.fixture
def other_counselor(session: Session, make_user: UserFactory, other_cohort: Cohort) -> User:
    user = make_user(Role.counselor, name="Oscar Outsider")
    assign_counselor(session=session, cohort=other_cohort, counselor=user)
    return user


@pytest.fixture
def admin(make_user: UserFactory) -> User:
    return make_user(Role.admin, name="Ada Admin")


_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"|"X-CSRF-Token": "([^"]+)"')


def csrf_from(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "page carries no CSRF token"
    return match.group(1) or match.group(2)


def login(client: TestClient, user: User, password: str = PASSWORD) -> str:
    """Log in through the real form; returns the session's CSRF token for later posts."""
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login", data={"email": user.email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 303, response.text
    return csrf_from(client.get("/").text)


def bearer(client: TestClient, user: User, password: str = PASSWORD) -> dict[str, str]:
    response = client.post(
        "/api/v1/auth/token", data={"username": user.email, "password": password}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
NO_CHROMIUM = (
    "browser tests need Debian's Chromium at /usr/bin/chromium: run `apt install chromium`"
)


def chromium_path() -> str | None:
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One Chromium per test process (Playwright's sync API allows one driver at a time)."""
    path = chromium_path()
    if not path:
        pytest.skip(NO_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


def project_path(*parts: str) -> Path:
    return PROJECT_ROOT.joinpath(*parts)


@pytest.fixture
def generations(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    """Every world generated during the test, with a fresh process cache of worlds."""
    from simulator import exercises, world_cache

    calls: list[tuple[object, ...]] = []
    real = world_cache.generate_market

    def counting(*args: object) -> object:
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(world_cache, "generate_market", counting)
    monkeypatch.setattr(exercises, "WORLDS", world_cache.WorldCache())
    return calls
