"""The `leadworks` command: run the platform, manage the database, people and content.

Every command reads the same Settings as the server (LEADWORKS_* variables), and answers
bad input with a message naming the field and exit code 2, never a traceback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlmodel import Session

from leadworks.accounts.models import Role
from leadworks.cli.world import register as register_world_commands
from leadworks.cohorts.models import Cohort
from leadworks.core.config import Settings
from leadworks.core.db import make_engine
from leadworks.core.errors import UserError

app = typer.Typer(
    help="Leadworks Academy: career training for lead generators.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
db_app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)
demo_app = typer.Typer(help="The demo cohort for development.", no_args_is_help=True)
users_app = typer.Typer(help="Accounts.", no_args_is_help=True)
cohorts_app = typer.Typer(help="Cohorts, counselors and invite codes.", no_args_is_help=True)
course_app = typer.Typer(help="The course site (mkdocs-material).", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(demo_app, name="demo")
app.add_typer(users_app, name="users")
app.add_typer(cohorts_app, name="cohorts")
app.add_typer(course_app, name="course")

out = Console()
err = Console(stderr=True)


def _settings() -> Settings:
    try:
        return Settings()
    except ValueError as error:
        err.print(f"[red]error:[/red] configuration: {error}")
        raise typer.Exit(2) from None


def _fail(error: UserError) -> typer.Exit:
    field = f"{error.field}: " if error.field else ""
    err.print(f"error: {field}{error.message}")
    return typer.Exit(2)


class _Db:
    """A session for one CLI command, with the engine disposed afterwards."""

    def __init__(self) -> None:
        self.settings = _settings()
        self.engine = make_engine(self.settings)

    def __enter__(self) -> Session:
        self.session = Session(self.engine, expire_on_commit=False)
        return self.session

    def __exit__(self, *exc: object) -> None:
        self.session.close()
        self.engine.dispose()


# ---- server -----------------------------------------------------------------------------


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option(help="Port (the Makefile passes $PORT).", min=1, max=65535)
    ] = 8000,
    workers: Annotated[
        int, typer.Option(help="Worker processes (use PostgreSQL for more than one).", min=1)
    ] = 1,
    reload: Annotated[bool, typer.Option(help="Restart on code changes (development).")] = False,
) -> None:
    """Serve the whole platform (pages, API, course site)."""
    import uvicorn

    from leadworks.demo import DEMO_PASSWORD, demo_logins

    settings = _settings()
    if workers > 1 and settings.is_sqlite:
        err.print("warning: several workers on SQLite serialise writes; prefer PostgreSQL.")
    if not (settings.course_site_dir / "index.html").exists():
        err.print("note: the course site is not built; run `leadworks course build` for /course/.")
    out.print(f"\nLeadworks Academy is starting at [bold]http://{host}:{port}[/bold]")
    if settings.is_development:
        table = Table(title=f"Demo logins (password: {DEMO_PASSWORD})", show_edge=False)
        table.add_column("role")
        table.add_column("email")
        for role, email in demo_logins():
            table.add_row(role, email)
        out.print(table)
    out.print(f"Database: {settings.database_url}\n")
    uvicorn.run(
        "leadworks.asgi:app",
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        proxy_headers=True,
        log_level="info",
    )


# ---- database ---------------------------------------------------------------------------


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    from leadworks.core.migrate import upgrade

    settings = _settings()
    upgrade(settings, revision=revision)
    out.print(f"Database is at revision {revision}: {settings.database_url}")


@db_app.command("current")
def db_current() -> None:
    """Print the revision the database is at."""
    from leadworks.core.migrate import current

    out.print(current(_settings()) or "empty (no migration applied)")


@db_app.command("revision")
def db_revision(
    message: Annotated[str, typer.Option("-m", "--message", help="What changed.")],
) -> None:
    """Autogenerate a migration from the models (developers)."""
    from leadworks.core.migrate import new_revision

    new_revision(_settings(), message)


# ---- demo -------------------------------------------------------------------------------


@demo_app.command("seed")
def demo_seed() -> None:
    """Create the demo cohort and logins (development only; skipped if present)."""
    from leadworks.demo import DemoRefused, seed_demo

    with _Db() as session:
        try:
            created = seed_demo(session=session, settings=_settings())
        except DemoRefused as refusal:
            err.print(f"error: {refusal}")
            raise typer.Exit(2) from None
    out.print("Demo cohort seeded." if created else "Demo cohort already present.")


# ---- people -----------------------------------------------------------------------------


@users_app.command("create")
def users_create(
    email: Annotated[str, typer.Option(help="Login email.")],
    name: Annotated[str, typer.Option(help="Display name.")],
    role: Annotated[Role, typer.Option(help="learner, counselor or admin.")] = Role.learner,
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)
    ] = "",
) -> None:
    """Create an account."""
    from leadworks.accounts.service import create_user

    with _Db() as session:
        try:
            user = create_user(
                session=session, email=email, name=name, password=password, role=role
            )
        except UserError as error:
            raise _fail(error) from None
    out.print(f"Created {user.role.value} {user.email} (id {user.id}).")


@cohorts_app.command("create")
def cohorts_create(
    name: Annotated[str, typer.Argument(help="Cohort name.")],
    description: Annotated[str, typer.Option(help="One line about the cohort.")] = "",
) -> None:
    """Create a cohort."""
    from leadworks.cohorts.service import create_cohort

    with _Db() as session:
        try:
            cohort = create_cohort(session=session, name=name, description=description)
        except UserError as error:
            raise _fail(error) from None
    out.print(f"Created cohort '{cohort.name}' (id {cohort.id}).")


@cohorts_app.command("list")
def cohorts_list() -> None:
    """List cohorts with their counselors and learner counts."""
    from leadworks.accounts.models import User
    from leadworks.cohorts.service import cohort_counselors, cohort_learners, visible_cohorts

    with _Db() as session:
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
        raise _fail(UserError(f"No cohort has id {cohort_id}.", field="cohort_id"))
    return cohort


@cohorts_app.command("assign")
def cohorts_assign(
    cohort_id: Annotated[int, typer.Argument(help="Cohort id.")],
    email: Annotated[str, typer.Argument(help="The counselor's email.")],
) -> None:
    """Assign a counselor to a cohort."""
    from leadworks.accounts.service import get_user_by_email
    from leadworks.cohorts.service import assign_counselor

    with _Db() as session:
        cohort = _cohort_by_id(session, cohort_id)
        counselor = get_user_by_email(session=session, email=email)
        try:
            if counselor is None:
                raise UserError(f"No account uses the email {email}.", field="email")
            assign_counselor(session=session, cohort=cohort, counselor=counselor)
        except UserError as error:
            raise _fail(error) from None
    out.print(f"{email} now counsels cohort {cohort_id}.")


@cohorts_app.command("invite")
def cohorts_invite(
    cohort_id: Annotated[int, typer.Argument(help="Cohort id.")],
    max_uses: Annotated[int, typer.Option(help="How many learners may use it.")] = 50,
    valid_days: Annotated[int, typer.Option(help="Days before it expires.")] = 30,
) -> None:
    """Create an invite code learners register with."""
    from leadworks.cohorts.service import create_invite

    with _Db() as session:
        cohort = _cohort_by_id(session, cohort_id)
        try:
            invite = create_invite(
                session=session,
                cohort=cohort,
                max_uses=max_uses,
                valid_days=valid_days,
            )
        except UserError as error:
            raise _fail(error) from None
    out.print(f"Invite code: {invite.code}  (register at /register?code={invite.code})")


# ---- course and grader --------------------------------------------------------------------


@course_app.command("build")
def course_build(
    quiet: Annotated[bool, typer.Option(help="Only print problems.")] = False,
) -> None:
    """Build the course site with mkdocs (strict: any warning fails)."""
    from course.build import build_site

    try:
        site = build_site(strict=True, quiet=quiet, site_dir=_settings().course_site_dir)
    except Exception as error:  # noqa: BLE001 - mkdocs raises several types; show the message
        err.print(f"error: course build failed: {error}")
        raise typer.Exit(1) from None
    if not quiet:
        out.print(f"Course site built in {site}")


@app.command(
    add_help_option=False,
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
)
def grade(ctx: typer.Context) -> None:
    """Grade a submission file (same options as `python -m grader`); `grade eval` measures
    the outreach rubric on its evaluation set."""
    from grader.cli import main

    raise typer.Exit(main(list(ctx.args)))


# ---- counselor workspace: rescoring ---------------------------------------------------------

if TYPE_CHECKING:  # the command imports its domain lazily, like the others
    from leadworks.counsel.models import RescoreJob


def _rescore_phase(session: Session, job: RescoreJob, label: str) -> RescoreJob:
    """Drive one phase of a rescoring job with a progress bar (previewing, or committing)."""
    from rich.progress import Progress

    from leadworks.counsel.rescore import run_to_end

    with Progress(console=out, transient=True) as bar:
        task = bar.add_task(label, total=job.total, completed=job.done)
        return run_to_end(
            session=session,
            job=job,
            on_progress=lambda j: bar.update(task, completed=j.done),
        )


def _rescore_table(job: RescoreJob) -> Table:
    from leadworks.counsel.rescore import changes

    table = Table("learner", "submission", "before", "after", "change", "note")
    for item in changes(job):
        after, delta = item["after"], item["delta"]
        table.add_row(
            item["learner"],
            str(item["submission_id"]),
            f"{item['before']:g}",
            "-" if after is None else f"{after:g}",
            "" if delta is None else f"{delta:+g}",
            item["error"],
        )
    return table


@app.command()
def rescore(
    cohort: Annotated[int, typer.Option("--cohort", help="Cohort id.")],
    exercise: Annotated[str, typer.Option("--exercise", help="Exercise id.")],
    yes: Annotated[bool, typer.Option("--yes", help="Commit without asking.")] = False,
) -> None:
    """Grade an exercise again for a whole cohort: preview who goes up and down, then commit."""
    from leadworks.cohorts.models import Cohort
    from leadworks.core.content import course_catalog
    from leadworks.counsel.rescore import commit_rescore, start_rescore, tally

    summary = "{up} up, {down} down, {same} unchanged, {failed} could not be rescored."
    with _Db() as session:
        found = session.get(Cohort, cohort)
        try:
            if found is None:
                raise UserError(f"No cohort has id {cohort}.", field="cohort")
            job = start_rescore(
                session=session,
                cohort=found,
                exercise_id=exercise,
                requested_by=None,
                catalog=course_catalog(),
            )
        except UserError as error:
            raise _fail(error) from None
        job = _rescore_phase(session, job, "Grading again (preview)")
        out.print(_rescore_table(job))
        out.print("Preview: " + summary.format(**tally(job)))
        if not yes and not typer.confirm("Make these the current grades?", default=False):
            out.print(f"Nothing changed; the preview is kept as job {job.id}.")
            return
        job = _rescore_phase(session, commit_rescore(session=session, job=job), "Committing")
        out.print(f"Rescored (job {job.id}): " + summary.format(**tally(job)))


# The engine's author commands (market, simulate, calibrate, replay, play): leadworks/cli/world.py.
register_world_commands(app)
