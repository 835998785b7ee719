"""`leadworks backup FILE` and `leadworks restore FILE`: the whole database, online.

SQLite through its online backup API, PostgreSQL through pg_dump / pg_restore (see
``core.backup``). A restore ends by replaying every run from its log, so a copy that
cannot be trusted is reported at once, not when a learner opens their attempt.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from leadworks.cli.common import Db, err, fail, out, settings_or_exit
from leadworks.core.errors import UserError

app = typer.Typer()


@app.command("backup")
def backup_command(
    target: Annotated[Path, typer.Argument(help="The backup file to write (must not exist).")],
) -> None:
    """Copy the database to TARGET while the server runs."""
    from leadworks.core.backup import backup

    try:
        written = backup(settings_or_exit(), target)
    except UserError as error:
        raise fail(error) from None
    out.print(f"Backed up to {written} ({written.stat().st_size:,} bytes).")


@app.command("restore")
def restore_command(
    source: Annotated[Path, typer.Argument(help="A file written by `leadworks backup`.")],
    yes: Annotated[bool, typer.Option("--yes", help="Replace the database's contents.")] = False,
    verify: Annotated[bool, typer.Option(help="Replay every run afterwards.")] = True,
) -> None:
    """Replace the database with SOURCE (stop the server first), then replay every run."""
    from leadworks.core.backup import restore
    from leadworks.practice.replay_check import replay_every_run

    settings = settings_or_exit()
    if not yes:
        err.print(f"This replaces everything in {settings.database_url}: add --yes to go on.")
        raise typer.Exit(2)
    try:
        restore(settings, source)
    except UserError as error:
        raise fail(error) from None
    out.print(f"Restored {source}.")
    if not verify:
        return
    with Db() as session:
        report = replay_every_run(session=session, exercises_dir=settings.exercises_dir)
    out.print(f"Replayed {report.runs} run(s), {report.events:,} events.")
    for run_id, why in report.failed:
        err.print(f"run {run_id} does not replay: {why}")
    if report.failed:
        raise typer.Exit(1)
