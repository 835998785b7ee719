"""`leadworks db ...`, `demo seed` and `course build`: the schema, the demo, the course site."""

from __future__ import annotations

from typing import Annotated

import typer

from leadworks.cli.common import Db, err, out, settings_or_exit

db_app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)
demo_app = typer.Typer(help="The demo cohort for development.", no_args_is_help=True)
course_app = typer.Typer(help="The course site (mkdocs-material).", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    from leadworks.core.migrate import upgrade

    settings = settings_or_exit()
    upgrade(settings, revision=revision)
    out.print(f"Database is at revision {revision}: {settings.database_url}")


@db_app.command("current")
def db_current() -> None:
    """Print the revision the database is at."""
    from leadworks.core.migrate import current

    out.print(current(settings_or_exit()) or "empty (no migration applied)")


@db_app.command("revision")
def db_revision(
    message: Annotated[str, typer.Option("-m", "--message", help="What changed.")],
) -> None:
    """Autogenerate a migration from the models (developers)."""
    from leadworks.core.migrate import new_revision

    new_revision(settings_or_exit(), message)


@demo_app.command("seed")
def demo_seed() -> None:
    """Create the demo cohort and logins (development only; skipped if present)."""
    from leadworks.demo import DemoRefused, seed_demo

    with Db() as session:
        try:
            created = seed_demo(session=session, settings=settings_or_exit())
        except DemoRefused as refusal:
            err.print(f"error: {refusal}")
            raise typer.Exit(2) from None
    out.print("Demo cohort seeded." if created else "Demo cohort already present.")


@course_app.command("build")
def course_build(
    quiet: Annotated[bool, typer.Option(help="Only print problems.")] = False,
) -> None:
    """Build the course site with mkdocs (strict: any warning fails)."""
    from course.build import build_site

    try:
        site = build_site(strict=True, quiet=quiet, site_dir=settings_or_exit().course_site_dir)
    except Exception as error:  # noqa: BLE001 - mkdocs raises several types; show the message
        err.print(f"error: course build failed: {error}")
        raise typer.Exit(1) from None
    if not quiet:
        out.print(f"Course site built in {site}")
