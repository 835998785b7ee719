"""FastAPI dependencies shared by every domain, as named aliases (STYLE.md section 2)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from leadworks.core.config import Settings
from leadworks.core.db import session_scope


def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def get_session(request: Request) -> Iterator[Session]:
    yield from session_scope(request.app.state.engine)


@contextmanager
def open_session(request: Request) -> Iterator[Session]:
    """A database session outside a route's dependencies (error pages): the same source a
    route would get, so an app whose ``get_session`` is overridden (tests) is honoured."""
    provider = request.app.dependency_overrides.get(get_session)
    sessions = provider() if provider is not None else get_session(request)
    try:
        yield next(sessions)
    finally:
        sessions.close()


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
SessionDep = Annotated[Session, Depends(get_session)]


def client_address(request: Request) -> str:
    """The caller's address for rate limiting (behind a proxy, configure uvicorn's
    --forwarded-allow-ips so this is the real client)."""
    return request.client.host if request.client else "unknown"
