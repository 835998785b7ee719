"""`leadworks grade` (the grader's own command line) and `leadworks rescore` (a cohort)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from sqlmodel import Session

from leadworks.cli.common import Db, fail, out
from leadworks.cohorts.models import Cohort
from leadworks.core.errors import UserError

app = typer.Typer()


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


def _rescore_phase(
    session: Session, job: RescoreJob, label: str, exercises_dir: Path
) -> RescoreJob:
    """Drive one phase of a rescoring job with a progress bar (previewing, or committing)."""
    from rich.progress import Progress

    from leadworks.counsel.rescore import run_to_end

    with Progress(console=out, transient=True) as bar:
        task = bar.add_task(label, total=job.total, completed=job.done)
        return run_to_end(
            session=session,
            job=job,
            exercises_dir=exercises_dir,
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
    from leadworks.content import content_for
    from leadworks.counsel.rescore import commit_rescore, start_rescore, tally

    summary = "{up} up, {down} down, {same} unchanged, {failed} could not be rescored."
    db = Db()
    content = content_for(db.settings)
    with db as session:
        found = session.get(Cohort, cohort)
        try:
            if found is None:
                raise UserError(f"No cohort has id {cohort}.", field="cohort")
            job = start_rescore(
                session=session,
                cohort=found,
                exercise_id=exercise,
                requested_by=None,
                catalog=content.catalog,
            )
        except UserError as error:
            raise fail(error) from None
        job = _rescore_phase(session, job, "Grading again (preview)", content.exercises_dir)
        out.print(_rescore_table(job))
        out.print("Preview: " + summary.format(**tally(job)))
        if not yes and not typer.confirm("Make these the current grades?", default=False):
            out.print(f"Nothing changed; the preview is kept as job {job.id}.")
            return
        committed = commit_rescore(session=session, job=job)
        job = _rescore_phase(session, committed, "Committing", content.exercises_dir)
        out.print(f"Rescored (job {job.id}): " + summary.format(**tally(job)))
