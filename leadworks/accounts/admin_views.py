"""Admins manage accounts: create staff accounts with a temporary password, issue a new
temporary password, deactivate and reactivate, and revoke someone's API tokens."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, StringConstraints
from sqlmodel import Session, col, select

from leadworks.accounts.deps import PageAdmin
from leadworks.accounts.models import Role, User
from leadworks.accounts.service import (
    create_user,
    deactivate,
    issue_temporary_password,
    reactivate,
)
from leadworks.accounts.tokens import live_token_counts, live_tokens, revoke_token
from leadworks.core.csrf import page_router
from leadworks.core.deps import SessionDep
from leadworks.core.errors import NotFound, UserError
from leadworks.core.inputs import Clean, Line, PathId
from leadworks.core.templating import flash, render

admin_user_pages = page_router("/admin/users")


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    return user


def _list_context(session: Session, form: dict[str, str] | None = None) -> dict[str, Any]:
    users = session.exec(select(User).order_by(col(User.name))).all()
    return {"users": users, "token_counts": live_token_counts(session=session), "form": form or {}}


@admin_user_pages.get("", name="admin_users")
def users_page(request: Request, session: SessionDep, admin: PageAdmin) -> Response:
    return render(request, "admin/users.html", _list_context(session))


class NewUserForm(BaseModel):
    name: Line
    email: Line
    password: Annotated[str, StringConstraints(max_length=256), Clean]
    role: Role = Role.counselor


@admin_user_pages.post("", name="admin_create_user")
def create_user_page(
    request: Request,
    session: SessionDep,
    admin: PageAdmin,
    form: Annotated[NewUserForm, Form()],
) -> Response:
    """The password the admin types is temporary: its owner must change it at first login."""
    try:
        user = create_user(
            session=session,
            email=form.email,
            name=form.name,
            password=form.password,
            role=form.role,
            temporary=True,
        )
    except UserError as error:
        kept = {"name": form.name, "email": form.email, "role": form.role.value}
        context = _list_context(session, kept) | {"error": error.message}
        return render(request, "admin/users.html", context, status_code=error.status_code)
    flash(
        request,
        f"{user.role.value.capitalize()} account for {user.email} created: they choose their "
        "own password at first login.",
        "success",
    )
    return RedirectResponse(request.app.url_path_for("admin_users"), status_code=303)


def _detail(request: Request, session: Session, user: User, **extra: Any) -> Response:
    status = int(extra.pop("status_code", 200))
    context = {"person": user, "tokens": live_tokens(session=session, user=user), **extra}
    return render(request, "admin/user.html", context, status_code=status)


@admin_user_pages.get("/{user_id}", name="admin_user")
def user_page(request: Request, user_id: PathId, session: SessionDep, admin: PageAdmin) -> Response:
    return _detail(request, session, _user(session, user_id))


@admin_user_pages.post("/{user_id}/deactivate", name="admin_deactivate_user")
def deactivate_page(
    request: Request, user_id: PathId, session: SessionDep, admin: PageAdmin
) -> Response:
    person = _user(session, user_id)
    try:
        deactivate(session=session, user=person, by=admin)
    except UserError as error:
        return _detail(request, session, person, error=error.message, status_code=error.status_code)
    flash(request, f"{person.name} is deactivated: their sessions and tokens ended.", "success")
    return RedirectResponse(request.app.url_path_for("admin_user", user_id=str(user_id)), 303)


@admin_user_pages.post("/{user_id}/reactivate", name="admin_reactivate_user")
def reactivate_page(
    request: Request, user_id: PathId, session: SessionDep, admin: PageAdmin
) -> Response:
    person = _user(session, user_id)
    reactivate(session=session, user=person)
    flash(request, f"{person.name} can log in again.", "success")
    return RedirectResponse(request.app.url_path_for("admin_user", user_id=str(user_id)), 303)


@admin_user_pages.post("/{user_id}/temporary-password", name="admin_temporary_password")
def temporary_password_page(
    request: Request, user_id: PathId, session: SessionDep, admin: PageAdmin
) -> Response:
    """Shown once, on this page (never stored in a cookie or a log): give it to the person,
    who must replace it at their next login."""
    person = _user(session, user_id)
    password = issue_temporary_password(session=session, user=person)
    response = _detail(request, session, person, temporary_password=password)
    response.headers["Cache-Control"] = "no-store"
    return response


@admin_user_pages.post("/{user_id}/tokens/{token_id}/revoke", name="admin_revoke_token")
def revoke_token_page(
    request: Request, user_id: PathId, token_id: PathId, session: SessionDep, admin: PageAdmin
) -> Response:
    person = _user(session, user_id)
    revoke_token(session=session, user=person, token_id=token_id)
    flash(
        request, f"Token revoked: {person.name}'s programs using it must log in again.", "success"
    )
    return RedirectResponse(request.app.url_path_for("admin_user", user_id=str(user_id)), 303)
