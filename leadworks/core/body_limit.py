"""A bound on request bodies, enforced before anything reads them.

Outermost in the stack (before sessions, authentication and routing): a request that
declares a ``Content-Length`` over the limit is answered 413 at once, without one byte of
its body read; a body sent without a length (chunked) is counted as it arrives and refused
with 413 as soon as it passes the limit, so it is never held in full. Without this an
anonymous client could make the server read any amount before answering 401.
"""

from __future__ import annotations

from fastapi import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from leadworks.core.errors_http import wants_json


def _too_large(limit: int) -> str:
    return f"The request body is larger than {limit:,} bytes, the most this server accepts."


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` once a streamed body passes the limit: the app's own error
    handlers answer it (413, JSON or page), like any refused request."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, _too_large(limit))


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        await self.app(scope, counted, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        message = _too_large(self.max_bytes)
        response: Response
        if wants_json(request):
            response = JSONResponse({"detail": message, "field": "body"}, status_code=413)
        else:
            page = f"<!doctype html><title>Too large</title><h1>Too large</h1><p>{message}</p>"
            response = HTMLResponse(page, status_code=413)
        response.headers["Connection"] = "close"  # the unread body must not be taken as a request
        await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    """The declared body length; an unreadable one counts as unbounded (refused)."""
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else 1 << 62
    return None
