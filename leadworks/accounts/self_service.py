"""The account page (name, password, API tokens) and "forgot password".

Changing a password needs the current one (checked under the login throttle); it ends
every other session and revokes every API token, and keeps this browser signed in. A
reset request answers the same whether or not an account uses the address.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, StringConstraints

from leadworks.accounts.deps import PageUser, start_session
from leadworks.accounts.links import LinkUrl, request_password_reset, reset_password
from leadworks.accounts.models import User
from leadworks.accounts.service import change_password, rename
from leadworks.accounts.tokens import live_tokens, revoke_token
from leadworks.core.config import Settings
from leadworks.core.csrf import page_router
from leadworks.core.deps import SessionDep, SettingsDep, client_address
from leadworks.core.errors import UserError
from leadworks.core.inputs import Clean, Line, PathId
from leadworks.core.templating import flash, render

account_pages = page_router("/account")
password_pages = page_router("/password")

Secret = Annotated[str, StringConstraints(max_length=256), Clean]
Email = Annotated[str, StringConstraints(max_length=254), Clean]
Token = Annotated[str, StringConstraints(max_length=100), Clean]


def absolute_url(request: Request, settings: Settings, route: str) -> str:
    """An absolute address for emails: under ``LEADWORKS_PUBLIC_URL`` when set (never from
    a forged Host header in production), else this request's own address."""
    base = settings.public_url or str(request.base_url).rstrip("/")
    return f"{base}{request.app.url_path_for(route)}"


def link_maker(request: Request, settings: Settings, route: str) -> LinkUrl:
    """``token -> absolute link`` to the page ``route`` that takes it."""
    url = absolute_url(request, settings, route)
    return lambda token: f"{url}?{urlencode({'token': token})}"


def _account_context(request: Request, session: SessionDep, user: User) -> dict[str, Any]:
    return {"tokens": live_tokens(session=session, user=user), "form": {"name": user.name}}


@account_pages.get("", name="account")
def account_page(request: Request, session: SessionDep, user: PageUser) -> Response:
    return render(request, "accounts/account.html", _account_context(request, session, user))


class RenameForm(BaseModel):
    name: Line


@account_pages.post("/name", name="account_rename")
def rename_page(
    request: Request, session: SessionDep, user: PageUser, form: Annotated[RenameForm, Form()]
) -> Response:
    try:
        rename(session=session, user=user, name=form.name)
    except UserError as error:
        session.rollback()
        context = _account_context(request, session, user)
        context |= {"error": error.message, "form": {"name": form.name}}
        return render(request, "accounts/account.html", context, status_code=error.status_code)
    flash(request, "Your name is saved.", "success")
    return RedirectResponse(request.app.url_path_for("account"), status_code=303)


@account_pages.post("/tokens/{token_id}/revoke", name="account_revoke_token")
def revoke_token_page(
    request: Request, token_id: PathId, session: SessionDep, user: PageUser
) -> Response:
    revoke_token(session=session, user=user, token_id=token_id)
    flash(request, "The API token is revoked: programs using it must log in again.", "success")
    return RedirectResponse(request.app.url_path_for("account"), status_code=303)


@account_pages.get("/password", name="account_password_form")
def password_form(request: Request, user: PageUser) -> Response:
    return render(request, "accounts/password.html", {"forced": user.must_change_password})


class PasswordForm(BaseModel):
    current_password: Secret
    new_password: Secret
    confirm_password: Secret


@account_pages.post("/password", name="account_password")
def password_change(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: PageUser,
    form: Annotated[PasswordForm, Form()],
) -> Response:
    forced = user.must_change_password
    try:
        revoked = change_password(
            session=session,
            settings=settings,
            user=user,
            address=client_address(request),
            current=form.current_password,
            new=form.new_password,
            confirm=form.confirm_password,
        )
    except UserError as error:
        context = {"forced": forced, "error": error.message, "error_field": error.field}
        response = render(request, "accounts/password.html", context, status_code=error.status_code)
        if hasattr(error, "retry_after"):
            response.headers["Retry-After"] = str(error.retry_after)
        return response
    start_session(request, user)  # this browser stays in under the new session version
    note = f" {revoked} API token(s) were revoked." if revoked else ""
    flash(
        request, f"Your password is changed; your other sessions were signed out.{note}", "success"
    )
    return RedirectResponse("/" if forced else request.app.url_path_for("account"), 303)


# ---- forgot password -----------------------------------------------------------------------


@password_pages.get("/forgot", name="password_forgot_form")
def forgot_form(request: Request) -> Response:
    return render(request, "accounts/forgot.html", {"email": ""})


class ForgotForm(BaseModel):
    email: Email


@password_pages.post("/forgot", name="password_forgot")
def forgot(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    form: Annotated[ForgotForm, Form()],
) -> Response:
    try:
        request_password_reset(
            session=session,
            settings=settings,
            email=form.email,
            address=client_address(request),
            link_url=link_maker(request, settings, "password_reset_form"),
        )
    except UserError as error:
        context = {"email": form.email, "error": error.message}
        response = render(request, "accounts/forgot.html", context, status_code=error.status_code)
        if hasattr(error, "retry_after"):
            response.headers["Retry-After"] = str(error.retry_after)
        return response
    context = {"email": form.email.strip().lower(), "outbox": not settings.sends_mail}
    return render(request, "accounts/check_inbox.html", context | {"purpose": "reset"})


@password_pages.get("/reset", name="password_reset_form")
def reset_form(request: Request, token: Token = "") -> Response:
    return render(request, "accounts/reset.html", {"token": token})


class ResetForm(BaseModel):
    token: Token
    new_password: Secret
    confirm_password: Secret


@password_pages.post("/reset", name="password_reset")
def reset(request: Request, session: SessionDep, form: Annotated[ResetForm, Form()]) -> Response:
    try:
        user = reset_password(
            session=session,
            token=form.token,
            new_password=form.new_password,
            confirm_password=form.confirm_password,
        )
    except UserError as error:
        context = {"token": form.token, "error": error.message, "error_field": error.field}
        return render(request, "accounts/reset.html", context, status_code=error.status_code)
    request.session.clear()
    flash(request, f"Your password is changed, {user.name}: log in with it now.", "success")
    return RedirectResponse(request.app.url_path_for("login_form"), status_code=303)
