"""CSRF protection for cookie-authenticated requests.

The token lives in the signed session; forms send it as ``csrf_token``, htmx and fetch
calls as the ``X-CSRF-Token`` header (set once on <body> with hx-headers). Bearer-token
API calls need none: a browser never attaches a bearer token on its own.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from leadworks.core.errors import PermissionDenied
from leadworks.core.security import new_token, tokens_match

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORM_FIELD = "csrf_token"
HEADER = "X-CSRF-Token"


def csrf_token(request: Request) -> str:
    """This session's token, created on first use."""
    token = request.session.get("csrf")
    if not token:
        token = new_token(24)
        request.session["csrf"] = token
    return str(token)


async def csrf_protect(request: Request) -> None:
    """Refuse an unsafe request whose token is missing or stale."""
    if request.method in SAFE_METHODS:
        return
    given = request.headers.get(HEADER)
    if not given:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(FORM_FIELD)
            given = value if isinstance(value, str) else None
    expected = request.session.get("csrf")
    if not given:
        raise PermissionDenied(
            "This form is missing its security token. Reload the page and try again."
        )
    if not tokens_match(expected, given):
        raise PermissionDenied(
            "This form's security token has expired (your session may have ended). "
            "Reload the page and try again."
        )


def page_router(prefix: str = "") -> APIRouter:
    """A router for HTML pages: every unsafe request checks its CSRF token, and the pages
    stay out of the OpenAPI document (they take forms with a token, not JSON)."""
    return APIRouter(prefix=prefix, dependencies=[Depends(csrf_protect)], include_in_schema=False)
