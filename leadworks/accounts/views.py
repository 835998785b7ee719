"""Log in, log out, and the API's token endpoint (joining with an invite is in cohorts)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from leadworks.accounts.deps import ApiUser, OptionalPageUser, start_session
from leadworks.accounts.models import Role, UserPublic
from leadworks.accounts.service import authenticate, issue_api_token
from leadworks.core.csrf import page_router
from leadworks.core.deps import SessionDep, SettingsDep, client_address
from leadworks.core.errors import UserError
from leadworks.core.redirects import safe_next
from leadworks.core.templating import flash, render

pages = page_router()
api = APIRouter(prefix="/api/v1", tags=["auth"])


@pages.get("/login", name="login_form")
def login_form(request: Request, user: OptionalPageUser, next: str | None = None) -> Response:
    if user is not None:
        return RedirectResponse(safe_next(next, "/"), status_code=303)
    return render(request, "accounts/login.html", {"next": safe_next(next, "/"), "email": ""})


@pages.post("/login", name="login")
def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=256)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    try:
        user = authenticate(
            session=session,
            email=email,
            password=password,
            address=client_address(request),
            settings=settings,
        )
    except UserError as error:
        context = {"next": safe_next(next, "/"), "email": email, "error": error.message}
        return render(request, "accounts/login.html", context, status_code=error.status_code)
    assert user.id is not None
    start_session(request, user.id)
    flash(request, f"Welcome back, {user.name}.", "success")
    return RedirectResponse(safe_next(next, "/"), status_code=303)


@pages.post("/logout", name="logout")
def logout(request: Request) -> Response:
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
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
) -> Token:
    """OAuth2 password flow: `username` is the account's email."""
    user = authenticate(
        session=session,
        email=form.username,
        password=form.password,
        address=client_address(request),
        settings=settings,
    )
    access = issue_api_token(session=session, user=user, settings=settings)
    return Token(access_token=access, expires_in=settings.api_token_max_age_seconds)


@api.get("/me", response_model=UserPublic, summary="The account behind the token")
def me(user: ApiUser) -> UserPublic:
    return UserPublic.model_validate(user, from_attributes=True)


__all__ = ["api", "pages", "Role"]
