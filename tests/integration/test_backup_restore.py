"""`leadworks backup` and `leadworks restore`: an online copy that restores whole, and
every run replays from its log afterwards (SQLite here; PostgreSQL below when a server is
configured for the tests)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from leadworks.cli import app
from tests.support.databases import scratch_database

runner = CliRunner()


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A database of its own (SQLite, or a scratch PostgreSQL database when the suite runs
    against a server) with the demo cohort: learners who played real exercises."""
    with scratch_database(tmp_path, "leadworks_backup") as url:
        monkeypatch.setenv("LEADWORKS_DATA_DIR", str(tmp_path))
        monkeypatch.setenv("LEADWORKS_DATABASE_URL", url)
        monkeypatch.delenv("LEADWORKS_ENV", raising=False)
        monkeypatch.delenv("LEADWORKS_SECRET_KEY", raising=False)
        assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
        seeded = runner.invoke(app, ["demo", "seed"])
        assert seeded.exit_code == 0, seeded.output
        yield tmp_path


def _count(table: str) -> int:
    engine = create_engine(os.environ["LEADWORKS_DATABASE_URL"])
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(f"select count(*) from {table}")).scalar_one())
    finally:
        engine.dispose()


def test_backup_then_restore_brings_everything_back_and_every_run_replays(cli_env: Path) -> None:
    copy = cli_env / "backups" / "monday.db"
    runs, events = _count("run"), _count("run_event")
    assert runs > 0 and events > runs
    made = runner.invoke(app, ["backup", str(copy)])
    assert made.exit_code == 0, made.output
    assert runner.invoke(app, ["backup", str(copy)]).exit_code == 2  # never overwrites
    created = runner.invoke(app, ["cohorts", "create", "After the backup"])
    assert created.exit_code == 0
    refused = runner.invoke(app, ["restore", str(copy)])
    assert refused.exit_code == 2 and "--yes" in refused.output
    restored = runner.invoke(app, ["restore", str(copy), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert re.search(rf"Replayed {runs} run\(s\), {events:,} events", restored.output)
    assert "After the backup" not in runner.invoke(app, ["cohorts", "list"]).output
    assert (_count("run"), _count("run_event")) == (runs, events)  # WAL included


def test_a_backup_of_a_log_edited_by_hand_is_reported_when_restored(cli_env: Path) -> None:
    engine = create_engine(os.environ["LEADWORKS_DATABASE_URL"])
    try:
        with engine.begin() as connection:
            seq, run_id, data = connection.execute(
                text(
                    "select seq, run_id, data from run_event where actor = 'world' "
                    "and type = 'replied' order by id limit 1"
                )
            ).one()
            stored = json.loads(data) if isinstance(data, str) else data
            connection.execute(
                text("update run_event set data = :data where run_id = :run and seq = :seq"),
                {
                    "data": json.dumps(stored | {"kind": "edited-by-hand"}),
                    "run": run_id,
                    "seq": seq,
                },
            )
    finally:
        engine.dispose()
    copy = cli_env / "copy.db"
    assert runner.invoke(app, ["backup", str(copy)]).exit_code == 0
    restored = runner.invoke(app, ["restore", str(copy), "--yes"])
    assert restored.exit_code == 1
    assert f"run {run_id} does not replay" in restored.output


def test_a_missing_backup_file_is_a_clear_error(cli_env: Path) -> None:
    result = runner.invoke(app, ["restore", str(cli_env / "nope.db"), "--yes"])
    assert result.exit_code == 2 and "no backup file" in result.output
