"""The `leadworks` command and the migrations, on a throwaway SQLite file."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from leadworks.cli import app
from leadworks.core.config import Settings
from leadworks.core.migrate import alembic_config
from leadworks.models import metadata

runner = CliRunner()


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LEADWORKS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("LEADWORKS_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.delenv("LEADWORKS_ENV", raising=False)
    monkeypatch.delenv("LEADWORKS_SECRET_KEY", raising=False)
    return tmp_path


def test_help_lists_every_command() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("serve", "db", "demo", "users", "cohorts", "course", "grade"):
        assert re.search(rf"^\s+{command}\s", result.output, re.M), command


def test_migrations_match_the_models(engine: Engine) -> None:
    """No model change may ship without its migration."""
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    assert diff == []


def test_upgrade_seed_and_manage_cohorts(cli_env: Path) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    head = ScriptDirectory.from_config(alembic_config(Settings())).get_current_head()
    assert runner.invoke(app, ["db", "current"]).output.strip() == head
    seeded = runner.invoke(app, ["demo", "seed"])
    assert seeded.exit_code == 0 and "seeded" in seeded.output
    again = runner.invoke(app, ["demo", "seed"])
    assert "already present" in again.output
    created = runner.invoke(app, ["cohorts", "create", "Spring 2027"])
    assert created.exit_code == 0
    cohort_id = re.search(r"id (\d+)", created.output).group(1)
    assert (
        runner.invoke(app, ["cohorts", "assign", cohort_id, "counselor@example.com"]).exit_code == 0
    )
    invite = runner.invoke(app, ["cohorts", "invite", cohort_id, "--max-uses", "3"])
    assert invite.exit_code == 0 and re.search(r"Invite code: [A-Z2-9]{8}", invite.output)
    listing = runner.invoke(app, ["cohorts", "list"]).output
    assert "Spring 2027" in listing and "counselor@example.com" in listing


def test_bad_cli_input_names_the_field_and_exits_2(cli_env: Path) -> None:
    runner.invoke(app, ["db", "upgrade"])
    bad_email = runner.invoke(
        app,
        [
            "users",
            "create",
            "--email",
            "not-an-email",
            "--name",
            "X",
            "--password",
            "long-enough-pw",
        ],
    )
    assert bad_email.exit_code == 2
    assert "email" in bad_email.output
    weak = runner.invoke(
        app, ["users", "create", "--email", "a@b.org", "--name", "X", "--password", "short"]
    )
    assert weak.exit_code == 2 and "password: Password is too short" in weak.output
    assert runner.invoke(app, ["cohorts", "assign", "999", "x@y.org"]).exit_code == 2


def test_demo_is_never_seeded_in_production(cli_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner.invoke(app, ["db", "upgrade"])
    monkeypatch.setenv("LEADWORKS_ENV", "production")
    monkeypatch.setenv("LEADWORKS_SECRET_KEY", "p" * 40)
    result = runner.invoke(app, ["demo", "seed"])
    assert result.exit_code == 2
    assert "only created in development" in result.output


def test_production_refuses_the_demo_secret(cli_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEADWORKS_ENV", "production")
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 2
    assert "demo key" in result.output


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).with_name("leadworks")
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "Leadworks Academy" in result.stdout
