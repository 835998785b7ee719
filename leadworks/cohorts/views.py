"""Cohort pages: the dashboard (your cohorts), joining with an invite code, the admin pages
for cohorts, invites and counselors, and the cohort API (admins manage users in
``leadworks.accounts.admin_views``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field, StringConstraints

from leadworks.accounts.deps import ApiUser, OptionalPageUser, PageAdmin, start_session
from leadworks.accounts.models import Role, User, UserPublic
from leadworks.accounts.self_service import absolute_url, link_maker
from leadworks.accounts.service import get_user_by_email
from leadworks.cohorts.models import Cohort, CohortCreate, CohortPublic
from leadworks.cohorts.service import (
    all_users,
    assign_counselor,
    cohort_counselors,
    cohort_for,
    cohort_invites,
    cohort_learners,
    create_cohort,
    create_invite,
    visible_cohorts,
)
from leadworks.cohorts.signup import complete_signup, pending_signup_email, start_signup
from leadworks.core.csrf import page_router
from leadworks.core.deps import SessionDep, SettingsDep, client_address
from leadworks.core.errors import NotFound, PermissionDenied, TooManyAttempts, UserError
from leadworks.core.inputs import Clean, Key, Line, PathId
from leadworks.core.templating import flash, render

pages = page_router()
admin_pages = page_router("/admin")
api = APIRouter(prefix="/api/v1", tags=["cohorts"])


@pages.get("/", name="home")
def home(request: Request, session: SessionDep, user: OptionalPageUser) -> Response:
    if user is None:
        return render(request, "cohorts/landing.html")
    cohorts = visible_cohorts(session=session, user=user)
    return render(request, f"cohorts/dashboard_{user.role.value}.html", {"cohorts": cohorts})


@pages.get("/register", name="register_form")
def register_form(
    request: Request, code: Annotated[str, Query(max_length=100), Clean] = ""
) -> Response:
    return render(request, "cohorts/register.html", {"form": {"invite_code": code}})


class RegisterForm(BaseModel):
    invite_code: Key
    name: Line
    email: Line
    password: Annotated[str, StringConstraints(max_length=256), Clean]


@pages.post("/register", name="register")
def register(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    form: Annotated[RegisterForm, Form()],
) -> Response:
    """Answers "check your inbox" whether or not the email has an account (see signup)."""
    try:
        email = start_signup(
            session=session,
            settings=settings,
            invite_code=form.invite_code,
            email=form.email,
            name=form.name,
            password=form.password,
            address=client_address(request),
            link_url=link_maker(request, settings, "register_confirm_form"),
            login_url=absolute_url(request, settings, "login_form"),
            forgot_url=absolute_url(request, settings, "password_forgot_form"),
        )
    except UserError as error:
        kept = {"invite_code": form.invite_code, "name": form.name, "email": form.email}
        context = {"form": kept, "error": error.message, "error_field": error.field}
        response = render(request, "cohorts/register.html", context, status_code=error.status_code)
        if isinstance(error, TooManyAttempts):
            response.headers["Retry-After"] = str(error.retry_after)
        return response
    context = {"email": email, "outbox": not settings.sends_mail, "purpose": "signup"}
    return render(request, "accounts/check_inbox.html", context)


@pages.get("/register/confirm", name="register_confirm_form")
def register_confirm_form(request: Request, session: SessionDep, token: Key = "") -> Response:
    try:
        email = pending_signup_email(session=session, token=token)
    except UserError as error:
        context = {"token": token, "error": error.message}
        return render(request, "cohorts/confirm.html", context, status_code=error.status_code)
    return render(request, "cohorts/confirm.html", {"token": token, "email": email})


class ConfirmForm(BaseModel):
    token: Key


@pages.post("/register/confirm", name="register_confirm")
def register_confirm(
    request: Request, session: SessionDep, form: Annotated[ConfirmForm, Form()]
) -> Response:
    try:
        user = complete_signup(session=session, token=form.token)
    except UserError as error:
        context = {"token": form.token, "error": error.message}
        return render(request, "cohorts/confirm.html", context, status_code=error.status_code)
    start_session(request, user)
    flash(request, f"Welcome to Leadworks Academy, {user.name}! Start with the course.", "success")
    return RedirectResponse("/", status_code=303)


@admin_pages.get("/cohorts", name="admin_cohorts")
def cohorts_page(request: Request, session: SessionDep, admin: PageAdmin) -> Response:
    cohorts = visible_cohorts(session=session, user=admin)
    return render(request, "admin/cohorts.html", {"cohorts": cohorts, "form": {}})


@admin_pages.post("/cohorts", name="admin_create_cohort")
def create_cohort_page(
    request: Request,
    session: SessionDep,
    admin: PageAdmin,
    name: Annotated[str, Form(max_length=200), Clean],
    description: Annotated[str, Form(max_length=4000), Clean] = "",
) -> Response:
    try:
        cohort = create_cohort(session=session, name=name, description=description)
    except UserError as error:
        cohorts = visible_cohorts(session=session, user=admin)
        context = {"cohorts": cohorts, "form": {"name": name, "description": description}}
        context["error"] = error.message
        return render(request, "admin/cohorts.html", context, status_code=error.status_code)
    flash(
        request, f"Cohort '{cohort.name}' created. Add an invite so learners can join.", "success"
    )
    return RedirectResponse(f"/admin/cohorts/{cohort.id}", status_code=303)


def _cohort_context(session: SessionDep, cohort: Cohort) -> dict[str, object]:
    return {
        "cohort": cohort,
        "learners": cohort_learners(session=session, cohort=cohort),
        "counselors": cohort_counselors(session=session, cohort=cohort),
        "invites": cohort_invites(session=session, cohort=cohort),
        "all_counselors": all_users(session=session, role=Role.counselor),
    }


@admin_pages.get("/cohorts/{cohort_id}", name="admin_cohort")
def cohort_page(
    request: Request, cohort_id: PathId, session: SessionDep, admin: PageAdmin
) -> Response:
    cohort = cohort_for(session=session, user=admin, cohort_id=cohort_id)
    return render(request, "admin/cohort.html", _cohort_context(session, cohort))


@admin_pages.post("/cohorts/{cohort_id}/invites", name="admin_create_invite")
def create_invite_page(
    request: Request,
    cohort_id: PathId,
    session: SessionDep,
    admin: PageAdmin,
    max_uses: Annotated[int, Form(ge=1, le=10_000)] = 50,
    valid_days: Annotated[int, Form(ge=1, le=365)] = 30,
) -> Response:
    cohort = cohort_for(session=session, user=admin, cohort_id=cohort_id)
    try:
        invite = create_invite(
            session=session,
            cohort=cohort,
            created_by=admin,
            max_uses=max_uses,
            valid_days=valid_days,
        )
    except UserError as error:
        context = _cohort_context(session, cohort) | {"error": error.message}
        return render(request, "admin/cohort.html", context, status_code=error.status_code)
    flash(request, f"Invite code {invite.code} created.", "success")
    return RedirectResponse(f"/admin/cohorts/{cohort_id}", status_code=303)


@admin_pages.post("/cohorts/{cohort_id}/counselors", name="admin_assign_counselor")
def assign_counselor_page(
    request: Request,
    cohort_id: PathId,
    session: SessionDep,
    admin: PageAdmin,
    email: Annotated[Line, Form()],
) -> Response:
    cohort = cohort_for(session=session, user=admin, cohort_id=cohort_id)
    counselor = get_user_by_email(session=session, email=email)
    try:
        if counselor is None:
            raise UserError(f"No account uses the email {email.strip()[:80]}.", field="email")
        assign_counselor(session=session, cohort=cohort, counselor=counselor)
    except UserError as error:
        context = _cohort_context(session, cohort) | {"error": error.message}
        return render(request, "admin/cohort.html", context, status_code=error.status_code)
    flash(request, f"{counselor.name} now counsels {cohort.name}.", "success")
    return RedirectResponse(f"/admin/cohorts/{cohort_id}", status_code=303)


# ---- JSON API ---------------------------------------------------------------------------


class InviteCreate(BaseModel):
    max_uses: int = Field(default=50, ge=1, le=10_000)
    valid_days: int = Field(default=30, ge=1, le=365)


class InvitePublic(BaseModel):
    code: str
    cohort_id: int
    max_uses: int
    uses: int


class CohortDetail(CohortPublic):
    learners: list[UserPublic]
    counselors: list[UserPublic]


def _require_admin(user: User) -> None:
    if user.role is not Role.admin:
        raise PermissionDenied("Only admins may do this.")


@api.get("/cohorts", response_model=list[CohortPublic], summary="Cohorts the caller may see")
def list_cohorts(session: SessionDep, user: ApiUser) -> list[Cohort]:
    return visible_cohorts(session=session, user=user)


@api.post("/cohorts", response_model=CohortPublic, status_code=201, summary="Create a cohort")
def create_cohort_api(body: CohortCreate, session: SessionDep, user: ApiUser) -> Cohort:
    _require_admin(user)
    return create_cohort(session=session, name=body.name, description=body.description)


@api.get("/cohorts/{cohort_id}", response_model=CohortDetail, summary="One cohort")
def get_cohort_api(cohort_id: PathId, session: SessionDep, user: ApiUser) -> CohortDetail:
    cohort = cohort_for(session=session, user=user, cohort_id=cohort_id)
    if user.role is Role.learner:
        raise NotFound("No such cohort.")
    return CohortDetail(
        **CohortPublic.model_validate(cohort, from_attributes=True).model_dump(),
        learners=[
            UserPublic.model_validate(u, from_attributes=True)
            for u in cohort_learners(session=session, cohort=cohort)
        ],
        counselors=[
            UserPublic.model_validate(u, from_attributes=True)
            for u in cohort_counselors(session=session, cohort=cohort)
        ],
    )


@api.post(
    "/cohorts/{cohort_id}/invites",
    response_model=InvitePublic,
    status_code=201,
    summary="Create an invite code for a cohort",
)
def create_invite_api(
    cohort_id: PathId, body: InviteCreate, session: SessionDep, user: ApiUser
) -> InvitePublic:
    _require_admin(user)
    cohort = cohort_for(session=session, user=user, cohort_id=cohort_id)
    invite = create_invite(
        session=session,
        cohort=cohort,
        created_by=user,
        max_uses=body.max_uses,
        valid_days=body.valid_days,
    )
    return InvitePublic.model_validate(invite, from_attributes=True)
