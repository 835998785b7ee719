"""Schema migrations through Alembic, configured in code so no ini file can disagree."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

from leadworks.core.config import Settings

MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "migrations"


def alembic_config(settings: Settings) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", settings.database_url.replace("%", "%%"))
    return config


def upgrade(settings: Settings, *, engine: Engine | None = None, revision: str = "head") -> None:
    """Bring the database to ``revision``; with ``engine``, reuse its connection."""
    config = alembic_config(settings)
    if engine is None:
        command.upgrade(config, revision)
        return
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def new_revision(settings: Settings, message: str) -> None:
    """Autogenerate a migration from the difference between models and the database.

    Revisions are numbered 0001, 0002, ... so the folder reads in the order they apply.
    """
    numbers = [
        int(p.name[:4]) for p in (MIGRATIONS_DIR / "versions").glob("[0-9][0-9][0-9][0-9]_*.py")
    ]
    rev_id = f"{max(numbers, default=0) + 1:04d}"
    command.revision(alembic_config(settings), message=message, autogenerate=True, rev_id=rev_id)


def current(settings: Settings) -> str | None:
    from alembic.runtime.migration import MigrationContext

    from leadworks.core.db import make_engine

    engine = make_engine(settings)
    with engine.connect() as connection:
        revision = MigrationContext.configure(connection).get_current_revision()
    engine.dispose()
    return revision
