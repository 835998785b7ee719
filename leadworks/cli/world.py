"""CLI commands for authors and counselors: ``register(app)`` adds them to a Typer app.

``leadworks market``, ``simulate``, ``calibrate``, ``replay`` and ``play`` run the world
with no server and no database. JSON goes to stdout; progress bars go to stderr, so
``--json`` output can be piped.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from course.exercise_specs import ExerciseSpecError, parse_policy
from simulator.calibration import calibrate as run_calibration
from simulator.calibration import reference_policies
from simulator.contexts import grading_input
from simulator.events import ActionRefused, ReplayError, from_jsonl, to_jsonl
from simulator.exercises import build_world, exercise_spec, open_exercise, replay_log
from simulator.metrics import metrics
from simulator.runner import run_policy
from simulator.sandbox import Sandbox

ExerciseOpt = Annotated[str, typer.Option("--exercise", "-e", help="exercise id")]
SeedOpt = Annotated[int, typer.Option("--seed", "-s", help="world seed")]
JsonOpt = Annotated[bool, typer.Option("--json", help="print JSON")]


def _dump(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2, sort_keys=True))


def _spec_or_exit(exercise: str) -> Any:
    try:
        return exercise_spec(exercise)
    except KeyError as exc:
        raise typer.BadParameter(str(exc.args[0]), param_hint="--exercise") from exc


def _metrics_table(data: dict[str, Any]) -> Table:
    table = Table(title=f"{data['exercise_id']} (seed {data['seed']})")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for group in (
        "activity",
        "outcomes",
        "stage_counts",
        "conversion_rates",
        "reply_rate_by_channel",
        "violations",
    ):
        for key, value in data[group].items():
            table.add_row(f"{group}.{key}", str(value))
    for key in ("cost_per_lead", "cost_per_acquisition", "pipeline_velocity"):
        table.add_row(key, str(data[key]))
    table.add_row("spend.total", str(data["spend"]["total"]))
    return table


def market(
    exercise: ExerciseOpt,
    seed: SeedOpt,
    as_json: JsonOpt = False,
    truth: Annotated[bool, typer.Option("--truth", help="add the hidden truth")] = False,
) -> None:
    """Generate an exercise's market for a seed (public view; --truth adds hidden fields)."""
    world = build_world(_spec_or_exit(exercise), seed)
    if as_json:
        typer.echo(world.to_json(truth=truth))
        return
    table = Table(
        title=f"{exercise}: {len(world.companies)} companies, "
        f"{len(world.contacts)} contacts (seed {seed})"
    )
    for column in ("id", "name", "title", "company", "city", "fits ICP" if truth else "email"):
        table.add_column(column)
    for contact in world.contacts[:25]:
        company = world.company_of(contact)
        last = str(contact.truth.fits_icp) if truth else str(contact.email)
        table.add_row(contact.id, contact.name, contact.title, company.name, company.city, last)
    Console().print(table)


def simulate(
    exercise: ExerciseOpt,
    seed: SeedOpt,
    policy: Annotated[Path, typer.Option("--policy", "-p", help="policy YAML file")],
    as_json: JsonOpt = False,
    log: Annotated[Path | None, typer.Option("--log", help="write the event log (JSONL)")] = None,
) -> None:
    """Run a scripted outreach policy for the exercise's whole duration; print the metrics."""
    spec = _spec_or_exit(exercise)
    try:
        parsed = parse_policy(policy)
    except ExerciseSpecError as exc:
        raise typer.BadParameter(str(exc), param_hint="--policy") from exc
    sandbox = Sandbox(build_world(spec, seed), spec)
    try:
        run_policy(sandbox, parsed)
    except ActionRefused as exc:  # a policy the exercise cannot play: say why, no traceback
        hint = f"--policy ({exc.field})" if exc.field else "--policy"
        raise typer.BadParameter(exc.reason, param_hint=hint) from exc
    if log is not None:
        log.write_text(to_jsonl(sandbox.events), encoding="utf-8")
    data = metrics(sandbox)
    if as_json:
        _dump(data)
    else:
        Console().print(_metrics_table(data))


def calibrate(
    seeds: Annotated[int, typer.Option("--seeds", help="how many seeds (1..N)")] = 10,
    companies: Annotated[int, typer.Option("--companies", help="companies per world")] = 400,
    exact: Annotated[
        bool, typer.Option("--exact-analysis", help="analyse every rendered message (slow)")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Run the reference policies over many seeds beside domain.md's published ranges."""
    total = seeds * len(reference_policies())
    err = Console(stderr=True)
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("calibrating", total=total)
        rows = run_calibration(
            range(1, seeds + 1),
            n_companies=companies,
            per_template=not exact,
            progress=lambda label: progress.update(task, advance=1, description=label),
        )
    if as_json:
        _dump(
            [
                {
                    "name": r.name,
                    "measured": r.measured,
                    "low": r.low,
                    "high": r.high,
                    "unit": r.unit,
                    "published": r.published,
                    "inside": r.inside,
                }
                for r in rows
            ]
        )
        return
    table = Table(title=f"calibration over {seeds} seeds ({companies} companies each)")
    for column in ("figure", "measured", "accepted range", "published", "inside"):
        table.add_column(column)
    for row in rows:
        measured = "-" if row.measured is None else f"{row.measured}{row.unit}"
        span = f"{row.low:g}-{row.high:g}{row.unit}"
        table.add_row(row.name, measured, span, row.published, "yes" if row.inside else "NO")
    Console().print(table)


def replay(
    log: Annotated[Path, typer.Argument(help="an exported event log (JSONL)")],
    as_json: JsonOpt = False,
) -> None:
    """Rebuild state and metrics from an exported log (and check that it is genuine)."""
    try:
        with log.open(encoding="utf-8") as handle:
            sandbox = replay_log(list(from_jsonl(handle)))
    except (OSError, ReplayError, KeyError) as exc:
        typer.echo(f"replay failed: {exc}", err=True)
        raise typer.Exit(1) from exc
    data = metrics(sandbox)
    data["events"] = len(sandbox.events)
    data["submitted"] = sandbox.submitted
    if as_json:
        _dump(data)
    else:
        Console().print(_metrics_table(data))


def play(
    exercise: ExerciseOpt,
    seed: SeedOpt,
    actions: Annotated[Path, typer.Argument(help="JSONL, one action per line, or - for stdin")],
    log: Annotated[Path | None, typer.Option("--log", help="write the event log (JSONL)")] = None,
) -> None:
    """Play an exercise from a file of actions (e.g. {"type": "advance_clock", "days": 1})."""
    _spec_or_exit(exercise)
    sandbox = open_exercise(exercise, seed=seed)
    lines = sys.stdin if str(actions) == "-" else actions.open(encoding="utf-8")
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            outcome = sandbox.apply(json.loads(line))
        except ActionRefused as exc:
            typer.echo(f"line {number}: refused: {exc}", err=True)
            continue
        except json.JSONDecodeError as exc:
            typer.echo(f"line {number}: not JSON: {exc}", err=True)
            raise typer.Exit(2) from exc
        typer.echo(json.dumps(outcome, sort_keys=True))
    if log is not None:
        log.write_text(to_jsonl(sandbox.events), encoding="utf-8")
    summary: dict[str, Any] = {"metrics": metrics(sandbox)}
    if sandbox.submitted:
        given = grading_input(sandbox)
        summary["grading_input"] = {"kind": given.kind, "submission": given.submission}
    _dump(summary)


def register(app: typer.Typer) -> None:
    """Add the world's commands to the ``leadworks`` CLI."""
    app.command("market")(market)
    app.command("simulate")(simulate)
    app.command("calibrate")(calibrate)
    app.command("replay")(replay)
    app.command("play")(play)
