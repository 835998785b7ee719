"""Browser tests: a real server process on a free port, driven by Debian's Chromium.

The server gets its own database (a SQLite file, or a fresh PostgreSQL database when
LEADWORKS_TEST_DATABASE_URL is set), migrated and seeded through the same CLI an operator
uses. When Chromium is not installed the tests skip and say why.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from leadworks.core.config import PROJECT_ROOT
from tests.conftest import NO_CHROMIUM, TEST_SECRET, chromium_path

ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if chromium_path():
        return
    reason = NO_CHROMIUM
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.skip(reason=reason))


@dataclass(frozen=True)
class LiveServer:
    url: str
    env: dict[str, str]

    def cli(self, *args: str) -> str:
        """Run a `leadworks` command against the live server's database."""
        result = subprocess.run(
            [sys.executable, "-m", "leadworks.cli", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            cwd=PROJECT_ROOT,
        )
        assert result.returncode == 0, result.stderr + result.stdout
        return result.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def live_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    base = os.environ.get("LEADWORKS_TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path_factory.mktemp('live') / 'live.db'}"
        return
    name = f"leadworks_live_{os.getpid()}"
    admin = create_engine(make_url(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def live_server(
    live_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    if not chromium_path():
        pytest.skip("Chromium is not installed")
    port = _free_port()
    env = os.environ | {
        "LEADWORKS_ENV": "development",  # the demo cohort is what a newcomer sees
        "LEADWORKS_SECRET_KEY": TEST_SECRET,
        "LEADWORKS_DATABASE_URL": live_database_url,
        "LEADWORKS_DATA_DIR": str(tmp_path_factory.mktemp("live-data")),
    }
    server = LiveServer(url=f"http://127.0.0.1:{port}", env=env)
    server.cli("db", "upgrade")
    server.cli("demo", "seed")
    log = (tmp_path_factory.mktemp("live-log") / "server.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "leadworks.asgi:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=PROJECT_ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{server.url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None:
                raise RuntimeError(f"server exited: {Path(log.name).read_text()}")
            time.sleep(0.2)
        else:
            raise RuntimeError("server did not answer /healthz within 60 s")
        yield server
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture
def page(browser, live_server: LiveServer) -> Iterator[object]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
