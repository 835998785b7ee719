"""`leadworks backup` and `leadworks restore`: an online copy that restores whole, and
every run replays from its log afterwards (SQLite here; PostgreSQL below when a server is
configured for the tests)."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from leadworks.cli import app

runner = CliRunner()


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LEADWORKS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("LEADWORKS_DATABASE_URL", f"sqlite:///{tmp_path / 'live.db'}")
    monkeypatch.delenv("LEADWORKS_ENV", raising=False)
    monkeypatch.delenv("LEADWORKS_SECRET_KEY", raising=False)
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    seeded = runner.invoke(app, ["demo", "seed"])  # learners who played real exercises
    assert seeded.exit_code == 0, seeded.output
    return tmp_path


def _count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as connection:
        return int(connection.execute(f"select count(*) from {table}").fetchone()[0])


def test_backup_then_restore_brings_everything_back_and_every_run_replays(cli_env: Path) -> None:
    live, copy = cli_env / "live.db", cli_env / "backups" / "monday.db"
    runs, events = _count(live, "run"), _count(live, "run_event")
    assert runs > 0 and events > runs
    made = runner.invoke(app, ["backup", str(copy)])
    assert made.exit_code == 0, made.output
    assert _count(copy, "run_event") == events  # WAL included: nothing acknowledged is lost
    assert runner.invoke(app, ["backup", str(copy)]).exit_code == 2  # never overwrites
    created = runner.invoke(app, ["cohorts", "create", "After the backup"])
    assert created.exit_code == 0
    refused = runner.invoke(app, ["restore", str(copy)])
    assert refused.exit_code == 2 and "--yes" in refused.output
    restored = runner.invoke(app, ["restore", str(copy), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert re.search(rf"Replayed {runs} run\(s\), {events:,} events", restored.output)
    assert "After the backup" not in runner.invoke(app, ["cohorts", "list"]).output


def test_a_restored_copy_whose_log_was_tampered_with_is_reported(cli_env: Path) -> None:
    copy = cli_env / "copy.db"
    assert runner.invoke(app, ["backup", str(copy)]).exit_code == 0
    with sqlite3.connect(copy) as connection:
        seq, run_id, data = connection.execute(
            "select seq, run_id, data from run_event where actor = 'world' "
            "and type = 'replied' order by id limit 1"
        ).fetchone()
        changed = json.loads(data) | {"kind": "edited-by-hand"}
        connection.execute(
            "update run_event set data = ? where run_id = ? and seq = ?",
            (json.dumps(changed), run_id, seq),
        )
    restored = runner.invoke(app, ["restore", str(copy), "--yes"])
    assert restored.exit_code == 1
    assert f"run {run_id} does not replay" in restored.output


def test_a_missing_backup_file_is_a_clear_error(cli_env: Path) -> None:
    result = runner.invoke(app, ["restore", str(cli_env / "nope.db"), "--yes"])
    assert result.exit_code == 2 and "no backup file" in result.output
