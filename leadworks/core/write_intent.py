"""Mark requests that change state as writers for the database layer (see core/db.py)."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from leadworks.core.db import reset_write_intent, set_write_intent

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class WriteIntentMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        token = set_write_intent(True)
        try:
            await self.app(scope, receive, send)
        finally:
            reset_write_intent(token)
