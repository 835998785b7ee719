"""Log in, log out, and the API's token endpoints (joining with an invite is in cohorts;
the account page and password resets are in ``self_service``)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, StringConstraints

from leadworks.accounts.deps import ApiCaller, ApiUser, OptionalPageUser, start_session
from leadworks.accounts.models import ApiTokenPublic, Role, UserPublic
from leadworks.accounts.service import authenticate, logout_everywhere
from leadworks.accounts.tokens import issue_api_token, live_tokens, revoke_token
from leadworks.core.csrf import page_router
from leadworks.core.deps import SessionDep, SettingsDep, client_address
from leadworks.core.errors import PermissionDenied, UserError
from leadworks.core.inputs import Clean, Line, PathId
from leadworks.core.redirects import safe_next
from leadworks.core.templating import flash, render

pages = page_router()
api = APIRouter(prefix="/api/v1", tags=["auth"])

Secret = Annotated[str, StringConstraints(max_length=256), Clean]


class TokenForm(BaseModel):
    """The OAuth2 password grant's form (``username`` is the account's email), each field
    bounded and clean like every other form."""

    grant_type: Literal["password"] | None = None
    username: Annotated[str, StringConstraints(max_length=254), Clean]
    password: Secret
    scope: Line = ""
    client_id: Line | None = None
    client_secret: Secret | None = None


class LoginForm(BaseModel):
    email: Annotated[str, StringConstraints(max_length=254), Clean]
    password: Secret
    next: Line = "/"


@pages.get("/login", name="login_form")
def login_form(
    request: Request,
    user: OptionalPageUser,
    next: Annotated[str, Query(max_length=2000), Clean] = "",
) -> Response:
    if user is not None:
        return RedirectResponse(safe_next(next, "/"), status_code=303)
    return render(request, "accounts/login.html", {"next": safe_next(next, "/"), "email": ""})


@pages.post("/login", name="login")
def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    form: Annotated[LoginForm, Form()],
) -> Response:
    try:
        user = authenticate(
            session=session,
            email=form.email,
            password=form.password,
            address=client_address(request),
            settings=settings,
        )
    except UserError as error:
        context = {"next": safe_next(form.next, "/"), "email": form.email, "error": error.message}
        response = render(request, "accounts/login.html", context, status_code=error.status_code)
        if hasattr(error, "retry_after"):
            response.headers["Retry-After"] = str(error.retry_after)
        return response
    start_session(request, user)
    if user.must_change_password:
        flash(request, "Your password was set by an administrator: choose your own.", "info")
        return RedirectResponse(request.app.url_path_for("account_password_form"), 303)
    flash(request, f"Welcome back, {user.name}.", "success")
    return RedirectResponse(safe_next(form.next, "/"), status_code=303)


@pages.post("/logout", name="logout")
def logout(request: Request, session: SessionDep, user: OptionalPageUser) -> Response:
    """Ends every session of this user, on every device (a copied cookie dies too)."""
    if user is not None:
        logout_everywhere(session=session, user=user)
    request.session.clear()
    flash(request, "You are logged out.", "info")
    return RedirectResponse("/login", status_code=303)


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


@api.post("/auth/token", response_model=Token, summary="Exchange email and password for a token")
def token(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    form: Annotated[TokenForm, Form()],
) -> Token:
    """OAuth2 password flow: `username` is the account's email. Failed logins are
    throttled (429 with `Retry-After`)."""
    user = authenticate(
        session=session,
        email=form.username,
        password=form.password,
        address=client_address(request),
        settings=settings,
    )
    if user.must_change_password:
        raise PermissionDenied(
            "Your password was set by an administrator: log in to the website and choose "
            "your own before using the API."
        )
    access = issue_api_token(session=session, user=user, settings=settings)
    return Token(access_token=access, expires_in=settings.api_token_max_age_seconds)


@api.get("/me", response_model=UserPublic, summary="The account behind the token")
def me(user: ApiUser) -> UserPublic:
    return UserPublic.model_validate(user, from_attributes=True)


@api.get(
    "/auth/tokens",
    response_model=list[ApiTokenPublic],
    summary="Your live API tokens (`current` marks the one you are using)",
)
def list_tokens(session: SessionDep, caller: ApiCaller) -> list[ApiTokenPublic]:
    user, used = caller
    return live_tokens(session=session, user=user, current_id=used.id)


@api.delete(
    "/auth/tokens/{token_id}",
    status_code=204,
    summary="Revoke one of your API tokens",
    responses={404: {"description": "Not one of your tokens"}},
)
def delete_token(token_id: PathId, session: SessionDep, user: ApiUser) -> Response:
    revoke_token(session=session, user=user, token_id=token_id)
    return Response(status_code=204)


@api.post("/auth/logout", status_code=204, summary="Revoke the token this request uses")
def api_logout(session: SessionDep, caller: ApiCaller) -> Response:
    user, used = caller
    assert used.id is not None
    revoke_token(session=session, user=user, token_id=used.id)
    return Response(status_code=204)


__all__ = ["api", "pages", "Role"]
