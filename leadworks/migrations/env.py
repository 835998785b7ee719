"""Alembic environment: the URL comes from Settings (or the caller), never from an ini file."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from leadworks.core.config import Settings
from leadworks.core.db import make_engine
from leadworks.models import metadata

config = context.config


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER much
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or Settings().database_url
    engine = make_engine(Settings(database_url=url))
    with engine.connect() as connection:
        run(connection)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline SQL generation is not supported; run `leadworks db upgrade`.")
main()
