"""A scratch database per use: a SQLite file in a temporary folder, or, when
LEADWORKS_TEST_DATABASE_URL points at a PostgreSQL server, a fresh database created there
and dropped afterwards (whatever happened in between)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

POSTGRES_URL_VARIABLE = "LEADWORKS_TEST_DATABASE_URL"


def server_url() -> str | None:
    """The PostgreSQL server the suite runs against, or None for SQLite."""
    return os.environ.get(POSTGRES_URL_VARIABLE) or None


@contextmanager
def scratch_database(folder: Path, prefix: str = "leadworks_test") -> Iterator[str]:
    """The URL of an empty database that exists only inside the ``with`` block."""
    base = server_url()
    if not base:
        yield f"sqlite:///{folder / f'{prefix}.db'}"
        return
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = create_engine(make_url(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
