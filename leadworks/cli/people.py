"""`leadworks users ...` and `leadworks cohorts ...`: accounts, cohorts, counselors, invites."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from sqlmodel import Session

from leadworks.accounts.models import Role
from leadworks.cli.common import Db, fail, out
from leadworks.cohorts.models import Cohort
from leadworks.core.errors import UserError

users_app = typer.Typer(help="Accounts.", no_args_is_help=True)
cohorts_app = typer.Typer(help="Cohorts, counselors and invite codes.", no_args_is_help=True)


@users_app.command("create")
def users_create(
    email: Annotated[str, typer.Option(help="Login email.")],
    name: Annotated[str, typer.Option(help="Display name.")],
    role: Annotated[Role, typer.Option(help="learner, counselor or admin.")] = Role.learner,
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)
    ] = "",
    temporary: Annotated[
        bool, typer.Option(help="The owner must choose a new password at first login.")
    ] = False,
) -> None:
    """Create an account."""
    from leadworks.accounts.service import create_user

    with Db() as session:
        try:
            user = create_user(
                session=session,
                email=email,
                name=name,
                password=password,
                role=role,
                temporary=temporary,
            )
        except UserError as error:
            raise fail(error) from None
    note = " They must choose a new password at first login." if temporary else ""
    out.print(f"Created {user.role.value} {user.email} (id {user.id}).{note}")


def _switch(email: str, *, active: bool) -> None:
    from leadworks.accounts.service import deactivate, get_user_by_email, reactivate

    with Db() as session:
        user = get_user_by_email(session=session, email=email)
        try:
            if user is None:
                raise UserError(f"No account uses the email {email.strip()[:80]}.", field="email")
            if active:
                reactivate(session=session, user=user)
            else:
                deactivate(session=session, user=user)
        except UserError as error:
            raise fail(error) from None
    if active:
        out.print(f"{user.email} can log in again (old sessions and tokens stay ended).")
    else:
        out.print(f"{user.email} is deactivated: every session and API token ended.")


@users_app.command("deactivate")
def users_deactivate(email: Annotated[str, typer.Option(help="The account's email.")]) -> None:
    """Switch an account off: its sessions and API tokens stop working at once."""
    _switch(email, active=False)


@users_app.command("reactivate")
def users_reactivate(email: Annotated[str, typer.Option(help="The account's email.")]) -> None:
    """Switch a deactivated account back on."""
    _switch(email, active=True)


@cohorts_app.command("create")
def cohorts_create(
    name: Annotated[str, typer.Argument(help="Cohort name.")],
    description: Annotated[str, typer.Option(help="One line about the cohort.")] = "",
) -> None:
    """Create a cohort."""
    from leadworks.cohorts.service import create_cohort

    with Db() as session:
        try:
            cohort = create_cohort(session=session, name=name, description=description)
        except UserError as error:
            raise fail(error) from None
    out.print(f"Created cohort '{cohort.name}' (id {cohort.id}).")


@cohorts_app.command("list")
def cohorts_list() -> None:
    """List cohorts with their counselors and learner counts."""
    from leadworks.accounts.models import User
    from leadworks.cohorts.service import cohort_counselors, cohort_learners, visible_cohorts

    with Db() as session:
        admin = User(email="cli", name="cli", role=Role.admin, password_hash="")
        table = Table("id", "name", "learners", "counselors")
        for cohort in visible_cohorts(session=session, user=admin):
            counselors = ", ".join(
                u.email for u in cohort_counselors(session=session, cohort=cohort)
            )
            learners = len(cohort_learners(session=session, cohort=cohort))
            table.add_row(str(cohort.id), cohort.name, str(learners), counselors or "-")
    out.print(table)


def _cohort_by_id(session: Session, cohort_id: int) -> Cohort:
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise fail(UserError(f"No cohort has id {cohort_id}.", field="cohort_id"))
    return cohort


@cohorts_app.command("assign")
def cohorts_assign(
    cohort_id: Annotated[int, typer.Argument(help="Cohort id.")],
    email: Annotated[str, typer.Argument(help="The counselor's email.")],
) -> None:
    """Assign a counselor to a cohort."""
    from leadworks.accounts.service import get_user_by_email
    from leadworks.cohorts.service import assign_counselor

    with Db() as session:
        cohort = _cohort_by_id(session, cohort_id)
        counselor = get_user_by_email(session=session, email=email)
        try:
            if counselor is None:
                raise UserError(f"No account uses the email {email}.", field="email")
            assign_counselor(session=session, cohort=cohort, counselor=counselor)
        except UserError as error:
            raise fail(error) from None
    out.print(f"{email} now counsels cohort {cohort_id}.")


@cohorts_app.command("invite")
def cohorts_invite(
    cohort_id: Annotated[int, typer.Argument(help="Cohort id.")],
    max_uses: Annotated[int, typer.Option(help="How many learners may use it.")] = 50,
    valid_days: Annotated[int, typer.Option(help="Days before it expires.")] = 30,
) -> None:
    """Create an invite code learners register with."""
    from leadworks.cohorts.service import create_invite

    with Db() as session:
        cohort = _cohort_by_id(session, cohort_id)
        try:
            invite = create_invite(
                session=session,
                cohort=cohort,
                max_uses=max_uses,
                valid_days=valid_days,
            )
        except UserError as error:
            raise fail(error) from None
    out.print(f"Invite code: {invite.code}  (register at /register?code={invite.code})")
