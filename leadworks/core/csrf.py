"""CSRF protection for cookie-authenticated requests.

Two checks on every unsafe request: the ``Origin`` header (or, when a browser sent none,
the ``Referer``) must name this site, and the form's token must match the session's.
A request with neither header passes the first check (old clients and privacy tools
strip them) and still needs the token.

The token lives in the signed session; forms send it as ``csrf_token``, htmx and fetch
calls as the ``X-CSRF-Token`` header (set once on <body> with hx-headers). Bearer-token
API calls need none: a browser never attaches a bearer token on its own.
"""

from __future__ import annotations

from urllib.parse import urlsplit

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


_DEFAULT_PORTS = {"http": "80", "https": "443"}


def _site(url: str) -> str | None:
    """``host[:port]`` of an absolute URL, default ports dropped, lower case; the scheme is
    left out so a TLS proxy that does not forward it cannot make every form fail."""
    parts = urlsplit(url)
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    port = parts.port
    host = parts.hostname.lower()
    return host if port is None or str(port) == _DEFAULT_PORTS[parts.scheme] else f"{host}:{port}"


def foreign_origin(request: Request) -> str | None:
    """The other site an unsafe request came from, or None when it came from this one."""
    claimed = request.headers.get("origin")
    if claimed is None:
        referer = request.headers.get("referer")
        if not referer:
            return None
        claimed = referer
    ours = {_site(str(request.base_url))}
    public_url = getattr(getattr(request.app.state, "settings", None), "public_url", "")
    if public_url:
        ours.add(_site(public_url))
    site = _site(claimed)
    if site is not None and site in ours:
        return None
    return claimed.strip()[:100] or "an unknown site"


async def csrf_protect(request: Request) -> None:
    """Refuse an unsafe request from another site, or whose token is missing or stale."""
    if request.method in SAFE_METHODS:
        return
    origin = foreign_origin(request)
    if origin is not None:
        raise PermissionDenied(
            f"This form was sent from another site ({origin}), so it was refused. Open the "
            "page on this site and send it from there."
        )
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
