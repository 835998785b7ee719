"""How errors reach people: JSON for API callers, a friendly page for browsers.

No stack trace ever leaves the server: unexpected errors are logged with an id that the
page shows, so a person can report it and an operator can find it.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import StatementError
from starlette.exceptions import HTTPException as StarletteHTTPException

from leadworks.core.errors import (
    LoginRequired,
    PasswordChangeRequired,
    TooManyAttempts,
    UserError,
)
from leadworks.core.inputs import field_name
from leadworks.core.redirects import safe_next
from leadworks.core.servable import unservable_cause
from leadworks.core.templating import render

log = logging.getLogger("leadworks.errors")
JSON_PREFIXES = ("/api/", "/learn/")
_TITLES = {
    400: "That request could not be used",
    401: "Please log in",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed",
    409: "Already exists",
    503: "Not available just now",
    413: "Too large",
    422: "Some fields need attention",
    429: "Too many attempts",
    500: "Something went wrong on our side",
}


def wants_json(request: Request) -> bool:
    if request.url.path.startswith(JSON_PREFIXES):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _error_response(
    request: Request,
    status: int,
    message: str,
    *,
    field: str | None = None,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    if wants_json(request):
        body: dict[str, Any] = {"detail": message}
        if field:
            body["field"] = field
        body.update(extra or {})
        return JSONResponse(body, status_code=status, headers=headers)
    title = _TITLES.get(status, "Something is not right")
    _identify(request)
    context = {"status": status, "title": title, "message": message, "field": field}
    response = render(
        request, "errors/error.html", context | _way_back(request), status_code=status
    )
    if headers:
        response.headers.update(headers)
    return response


def _identify(request: Request) -> None:
    """Put the signed-in user on an error page whose route never looked them up (an
    unknown address, a refused form), through the loader the app installs; a page that
    shows the logged-out header makes people think they were signed out."""
    if getattr(request.state, "user", None) is not None:
        return
    loader = getattr(request.app.state, "error_page_user", None)
    if loader is None or request.scope.get("type") != "http":
        return
    try:
        request.state.user = loader(request)
    except Exception:  # noqa: BLE001 - the database may be why we are here: show the page
        log.warning("could not identify the user for an error page", exc_info=True)
        request.state.user = None


def _way_back(request: Request) -> dict[str, str | None]:
    """Where "Go back" leads: the page the person came from when it is on this site (the
    Referer's path, checked like any ``next``), else nothing (the page offers home)."""
    referer = urlsplit(request.headers.get("referer", ""))
    same_site = referer.netloc == request.url.netloc and referer.scheme in ("http", "https")
    path = referer.path + (f"?{referer.query}" if referer.query else "")
    back = safe_next(path, "") if same_site else ""
    if back == request.url.path or not back:
        back = None
    return {"back": back, "login_next": request.url.path}


def _validation_message(exc: RequestValidationError) -> tuple[str, list[dict[str, Any]]]:
    body = exc.body
    tag = body.get("type") if isinstance(body, dict) else None  # an action's type
    problems = [
        {"field": field_name(error, tag=tag), "message": str(error.get("msg", ""))}
        for error in exc.errors()
    ]
    text = "; ".join(f"{p['field']}: {p['message']}" for p in problems) or "Invalid request."
    return text, problems


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(UserError)
    async def user_error(request: Request, exc: UserError) -> Response:
        headers = (
            {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyAttempts) else None
        )
        return _error_response(
            request, exc.status_code, exc.message, field=exc.field, headers=headers
        )

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if wants_json(request):
            return JSONResponse(
                {"detail": exc.message}, status_code=401, headers={"WWW-Authenticate": "Bearer"}
            )
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(PasswordChangeRequired)
    async def password_change_required(request: Request, exc: PasswordChangeRequired) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": exc.message}, status_code=403)
        return RedirectResponse(exc.location, status_code=303)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        text, problems = _validation_message(exc)
        status = 422 if wants_json(request) else 400
        field = problems[0]["field"] if problems else None
        return _error_response(request, status, text, field=field, extra={"errors": problems})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else "Request refused."
        if exc.status_code == 404 and detail == "Not Found":
            detail = "There is nothing at this address."
        return _error_response(request, exc.status_code, detail, headers=exc.headers)

    @app.exception_handler(StatementError)
    async def database_refused(request: Request, exc: StatementError) -> Response:
        cause = unservable_cause(exc)  # a JSON value no answer could carry: nothing stored
        if cause is not None:
            return await user_error(request, cause)
        return await unexpected(request, exc)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        incident = secrets.token_hex(4)
        log.exception("unhandled error %s on %s %s", incident, request.method, request.url.path)
        return _error_response(
            request,
            500,
            f"An unexpected error occurred (reference {incident}). Nothing you submitted "
            "was lost; please try again, and tell your counselor the reference if it repeats.",
        )
