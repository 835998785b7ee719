"""The database engine and sessions.

SQLite is the embedded default: WAL mode so readers never wait for the writer, foreign
keys on, and real transactions (the stdlib driver's implicit ones break SAVEPOINT, which
the tests and nested service calls rely on). PostgreSQL needs none of this.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

from leadworks.core.config import Settings
from leadworks.core.servable import servable_json

# SQLite lets many read but one write. A transaction that starts as a reader and later
# writes can fail at once with "database is locked" when another writer got in first
# (waiting cannot help it: its snapshot is stale). Transactions that mean to write start
# with BEGIN IMMEDIATE instead, taking the write lock up front and queueing politely
# behind busy_timeout. Requests with unsafe methods set this for their whole duration.
_write_intent: ContextVar[bool] = ContextVar("sqlite_write_intent", default=False)


def set_write_intent(flag: bool) -> object:
    """Mark the current context's transactions as writers; returns a reset token."""
    return _write_intent.set(flag)


def reset_write_intent(token: object) -> None:
    _write_intent.reset(token)  # type: ignore[arg-type]


@contextmanager
def write_intent(session: Session) -> Iterator[None]:
    """Run a block as a writing transaction, ending any read-only one begun before it."""
    if _write_intent.get():
        yield
        return
    if session.get_bind().dialect.name == "sqlite":
        if session.in_transaction() and not (session.new or session.dirty or session.deleted):
            session.rollback()
    token = _write_intent.set(True)
    try:
        yield
    finally:
        _write_intent.reset(token)


def make_engine(settings: Settings, **kwargs: Any) -> Engine:
    """Build the engine for ``settings.database_url`` with the per-backend setup."""
    url = make_url(settings.database_url)
    kwargs.setdefault("json_serializer", servable_json)  # nothing stored that cannot be shown
    if url.get_backend_name() != "sqlite":
        kwargs.setdefault("pool_pre_ping", True)
        return create_engine(url, echo=settings.sql_echo, **kwargs)

    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    connect_args = kwargs.pop("connect_args", {})
    connect_args.setdefault("check_same_thread", False)
    connect_args.setdefault("timeout", 30)
    engine = create_engine(url, echo=settings.sql_echo, connect_args=connect_args, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA cache_size=-65536")  # 64 MB page cache: cohort-wide aggregates
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _write_intent.get() else "BEGIN")

    return engine


def session_scope(engine: Engine) -> Iterator[Session]:
    """One session per request: committed by the service code, closed here."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


def database_answers(engine: Engine) -> bool:
    """True when a trivial query round-trips; the health check's only question."""
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
        return True
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return False
