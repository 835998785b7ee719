"""Backups and restores of the whole database, online, for SQLite and PostgreSQL.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies a consistent
snapshot while the server runs, WAL included (a plain file copy without the ``-wal`` file
loses the latest actions). PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore
--clean``; the password goes through ``PGPASSWORD``, never the command line, which other
users of the machine can read. ``practice.replay_check`` then proves a restored copy
whole: every run replays from its log.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from leadworks.core.config import Settings
from leadworks.core.errors import UserError


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise UserError("An in-memory SQLite database cannot be backed up.", field="database_url")
    return Path(url.database)


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """The URL as pg_dump reads it (no driver, no password) and the environment to run in."""
    plain = url.set(drivername="postgresql", password=None)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return plain.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise UserError(
            f"{command[0]} is not installed: install the PostgreSQL client tools "
            "(Debian: apt install postgresql-client) matching the server's version."
        ) from None
    if done.returncode != 0:
        raise UserError(f"{command[0]} failed: {done.stderr.strip()[-500:]}")


def backup(settings: Settings, target: Path) -> Path:
    """Write a consistent copy of the database to ``target`` while the server runs."""
    url = make_url(settings.database_url)
    if target.exists():
        raise UserError(f"{target} already exists: choose a new file.", field="target")
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_path(url))
        copy = sqlite3.connect(target)
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
        return target
    if url.get_backend_name() == "postgresql":
        dsn, env = _libpq(url)
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}", dsn], env)
        return target
    raise UserError(f"No backup procedure for {url.get_backend_name()}.", field="database_url")


def restore(settings: Settings, source: Path) -> None:
    """Replace the database's contents with the backup in ``source`` (stop the server)."""
    url = make_url(settings.database_url)
    if not source.is_file():
        raise UserError(f"There is no backup file at {source}.", field="source")
    if url.get_backend_name() == "sqlite":
        path = _sqlite_path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        live = sqlite3.connect(path)
        try:
            with live:
                backup_db.backup(live)
        finally:
            live.close()
            backup_db.close()
        return
    if url.get_backend_name() == "postgresql":
        dsn, env = _libpq(url)
        command = ["pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={dsn}"]
        _run([*command, str(source)], env)
        return
    raise UserError(f"No restore procedure for {url.get_backend_name()}.", field="database_url")
