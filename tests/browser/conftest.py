"""Browser tests: a real server process on a free port, driven by Debian's Chromium.

The server gets its own database (a SQLite file, or a fresh PostgreSQL database when
LEADWORKS_TEST_DATABASE_URL is set), migrated and seeded through the same CLI an operator
uses. When Chromium is not installed the tests skip and say why.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from leadworks.core.config import PROJECT_ROOT
from tests.conftest import NO_CHROMIUM, TEST_SECRET, chromium_path
from tests.support.databases import scratch_database
from tests.support.servers import running_server

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
            # a guard against a hang, not a speed target: seeding the demo takes ~45 s idle
            # and went past 120 s on a loaded machine, erroring every browser test
            timeout=600,
            cwd=PROJECT_ROOT,
        )
        assert result.returncode == 0, result.stderr + result.stdout
        return result.stdout


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    if not chromium_path():
        pytest.skip("Chromium is not installed")
    with scratch_database(tmp_path_factory.mktemp("live"), "leadworks_live") as database_url:
        env = os.environ | {
            "LEADWORKS_ENV": "development",  # the demo cohort is what a newcomer sees
            "LEADWORKS_SECRET_KEY": TEST_SECRET,
            "LEADWORKS_DATABASE_URL": database_url,
            "LEADWORKS_DATA_DIR": str(tmp_path_factory.mktemp("live-data")),
        }
        setup = LiveServer(url="", env=env)
        setup.cli("db", "upgrade")
        setup.cli("demo", "seed")
        log = tmp_path_factory.mktemp("live-log") / "server.log"
        with running_server(env, log) as server:
            yield LiveServer(url=server.url, env=env)


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
