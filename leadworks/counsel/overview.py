"""The cohort overview: one row per learner, built from a fixed number of GROUP BY queries.

Why aggregates: a counselor opens this page many times a day and a cohort may hold a
thousand learners; a query per learner would make it slow exactly when it matters. The
statement count does not depend on the cohort's size (a test counts them for 3 and 30
learners), and sorting and filtering happen on the built rows, in memory.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from sqlmodel import Session

from course.catalog import CONTRACT_EXERCISE_IDS, Catalog
from leadworks.cohorts.models import Cohort
from leadworks.core.errors import UserError
from leadworks.core.timeutil import utcnow
from leadworks.counsel import aggregates
from leadworks.feedback.digests import repeated_failures

INACTIVE_AFTER = timedelta(days=7)
REPEATS = 2  # "repeated": this many scores under half marks, or failures of one check
#: a hand-in after fewer learner actions than this in its run was typed in, not worked for
LOW_ACTIVITY = 5
FLAG_LABELS = {
    "inactive": "Inactive 7+ days",
    "no_work": "Handed in with almost no activity",
    "low_scores": "Repeated low scores",
    "regrade": "Open regrade request",
}


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    size: int = 0  # lessons in a module


class ModuleCell(NamedTuple):
    """One learner in one module. Tuples, not dataclasses: a big cohort has tens of
    thousands of cells, and the empty ones are shared."""

    done: int
    total: int
    quiz_average: float | None  # percent, over the module's lessons with a quiz attempt


class ExerciseCell(NamedTuple):
    best: float | None  # best current final score, in percent
    attempts: int
    low: int  # attempts under LOW_SCORE_RATIO


@dataclass(frozen=True)
class Flag:
    key: str
    detail: str

    @property
    def label(self) -> str:
        return FLAG_LABELS[self.key]


@dataclass(frozen=True)
class LearnerRow:
    id: int
    name: str
    email: str
    joined_at: datetime
    modules: dict[str, ModuleCell]
    exercises: dict[str, ExerciseCell]
    last_activity: datetime | None
    open_regrades: int
    failing_checks: tuple[tuple[str, int], ...]  # (check id, attempts failing it)
    flags: tuple[Flag, ...]

    @property
    def lessons_done(self) -> int:
        return sum(cell.done for cell in self.modules.values())

    def has(self, key: str) -> bool:
        return any(flag.key == key for flag in self.flags)


@dataclass(frozen=True)
class Overview:
    cohort: Cohort
    modules: tuple[Column, ...]
    exercises: tuple[Column, ...]
    rows: tuple[LearnerRow, ...]
    now: datetime

    @property
    def lessons_total(self) -> int:
        return sum(m.size for m in self.modules)


def _percent(ratio: Any) -> float | None:
    return round(100 * float(ratio), 1) if ratio is not None else None


def _module_cells(
    done: dict[tuple[int, str], int], averages: dict[tuple[int, str], float], sizes: dict[str, int]
) -> dict[int, dict[str, ModuleCell]]:
    """Learner -> module -> cell, only where there is something (the rest share one)."""
    cells: dict[int, dict[str, ModuleCell]] = defaultdict(dict)
    for uid, module in done.keys() | averages.keys():
        if module in sizes:
            key = (uid, module)
            cells[uid][module] = ModuleCell(
                done.get(key, 0), sizes[module], _percent(averages.get(key))
            )
    return cells


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands aggregates back without a zone; every stored time is UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def exercise_columns(catalog: Catalog) -> tuple[Column, ...]:
    """Exercises in teaching order (the contract's), then any an author added, then drills."""
    ids = [x for x in CONTRACT_EXERCISE_IDS if x in catalog.exercises]
    ids += sorted(set(catalog.exercises) - set(ids))
    ids += sorted(set(catalog.drills) - set(ids))
    return tuple(Column(x, catalog.exercise_title(x)) for x in ids)


def module_columns(catalog: Catalog) -> tuple[Column, ...]:
    return tuple(
        Column(m.slug, m.short_title, len(catalog.lessons(m.slug))) for m in catalog.modules()
    )


def _flags(
    *,
    last: datetime | None,
    joined: datetime,
    now: datetime,
    exercises: dict[str, ExerciseCell],
    failing: list[tuple[str, int]],
    titles: dict[str, str],
    regrades: int,
    idle: list[tuple[str, int]] | None = None,
) -> tuple[Flag, ...]:
    flags = []
    since = last or joined
    if now - since >= INACTIVE_AFTER:
        days = (now - since).days
        flags.append(
            Flag("inactive", f"No activity for {days} days" if last else "Has not started yet")
        )
    lows = [f"{n} attempts failing '{cid}'" for cid, n in failing]  # most failed first
    lows += [
        f"{cell.low} scores under 50% on {titles.get(ex, ex)}"
        for ex, cell in exercises.items()
        if cell.low >= REPEATS
    ]
    if lows:
        flags.append(Flag("low_scores", "; ".join(lows)))
    if regrades:
        flags.append(Flag("regrade", f"{regrades} open"))
    if idle:
        shown = "; ".join(
            f"{titles.get(ex, ex)}: {n} action{'s' if n != 1 else ''} in the run" for ex, n in idle
        )
        flags.append(Flag("no_work", shown))
    return tuple(flags)


def cohort_overview(
    *,
    session: Session,
    cohort: Cohort,
    catalog: Catalog,
    now: datetime | None = None,
    quizzes: bool = True,
) -> Overview:
    """Everything the overview shows, in the same few statements whatever the cohort's size.

    ``quizzes=False`` leaves the module quiz averages out (their query is the costliest);
    the page then adds them for the rows it shows with ``with_quiz_averages``.
    """
    assert cohort.id is not None
    now = now or utcnow()
    members = aggregates.members_of(cohort.id)
    people = aggregates.learners(session, cohort.id)
    modules = module_columns(catalog)
    exercises = exercise_columns(catalog)
    module_cells = _module_cells(
        aggregates.lessons_done(session, members, catalog),
        aggregates.quiz_averages(session, members, catalog) if quizzes else {},
        {m.key: m.size for m in modules},
    )
    exercise_cells: dict[int, dict[str, ExerciseCell]] = defaultdict(dict)
    for uid, exercise_id, ratio, n, low in aggregates.exercise_scores(session, members):
        exercise_cells[uid][exercise_id] = ExerciseCell(_percent(ratio), int(n), int(low or 0))
    regrades = aggregates.open_regrades(session, members)
    idle = aggregates.low_activity(session, members, LOW_ACTIVITY)
    failing = repeated_failures(session=session, cohort_id=cohort.id, repeats=REPEATS)

    titles = {x.key: x.title for x in exercises}
    no_modules = {m.key: ModuleCell(0, m.size, None) for m in modules}
    no_scores = dict.fromkeys((x.key for x in exercises), ExerciseCell(None, 0, 0))
    rows = []
    for uid, name, email, joined, *moments in people:
        scores = no_scores | exercise_cells.get(uid, {})
        last = _aware(max((m for m in moments if m is not None), default=None))
        joined_at = _aware(joined) or now
        open_requests = regrades.get(uid, 0)
        rows.append(
            LearnerRow(
                id=uid,
                name=name,
                email=email,
                joined_at=joined_at,
                modules=no_modules | module_cells.get(uid, {}),
                exercises=scores,
                last_activity=last,
                open_regrades=open_requests,
                failing_checks=tuple(failing.get(uid, ())),
                flags=_flags(
                    last=last,
                    joined=joined_at,
                    now=now,
                    exercises=scores,
                    failing=failing.get(uid, []),
                    titles=titles,
                    regrades=open_requests,
                    idle=idle.get(uid, []),
                ),
            )
        )
    return Overview(cohort, modules, exercises, tuple(rows), now)


def with_quiz_averages(
    *, session: Session, rows: list[LearnerRow], catalog: Catalog
) -> list[LearnerRow]:
    """The same rows with each module's quiz average, from one query for just these ids."""
    averages = aggregates.quiz_averages(session, [row.id for row in rows], catalog)
    return [
        replace(
            row,
            modules={
                key: cell._replace(quiz_average=_percent(averages.get((row.id, key))))
                for key, cell in row.modules.items()
            },
        )
        for row in rows
    ]


# ---- sorting and filtering ------------------------------------------------------------------

FILTERS = ("", "attention", *FLAG_LABELS)
DIRECTIONS = ("asc", "desc")


SORTS = ("attention", "name", "activity", "progress")


def sort_choices(overview: Overview) -> tuple[str, ...]:
    """Every column the overview can sort by: fixed ones, then module:<slug>, exercise:<id>."""
    return (
        *SORTS,
        *(f"module:{m.key}" for m in overview.modules),
        *(f"exercise:{x.key}" for x in overview.exercises),
    )


def _sort_value(row: LearnerRow, sort: str) -> Any:
    if sort == "name":
        return row.name.casefold()
    if sort == "activity":
        return row.last_activity.timestamp() if row.last_activity else None
    if sort == "attention":
        return len(row.flags)
    if sort == "progress":
        return row.lessons_done
    kind, _, key = sort.partition(":")
    if kind == "module" and key in row.modules:
        cell = row.modules[key]
        return (cell.done, cell.quiz_average or 0)
    return row.exercises[key].best


def arrange(
    overview: Overview,
    *,
    sort: str = "attention",
    direction: str = "desc",
    flag: str = "",
    q: str = "",
) -> list[LearnerRow]:
    """Filter by flag and name, then sort; learners without a value always come last."""
    if sort not in sort_choices(overview):
        raise UserError(f"Cannot sort by '{sort[:60]}'.", field="sort")
    if direction not in DIRECTIONS:
        raise UserError("The direction must be 'asc' or 'desc'.", field="dir")
    if flag not in FILTERS:
        raise UserError(f"Unknown filter '{flag[:40]}'.", field="flag")
    needle = q.strip().casefold()
    chosen = [
        row
        for row in overview.rows
        if (not flag or (row.flags if flag == "attention" else row.has(flag)))
        and (not needle or needle in row.name.casefold() or needle in row.email.casefold())
    ]
    by_name = sorted(chosen, key=lambda r: (r.name.casefold(), r.id))
    keyed = [(_sort_value(row, sort), row) for row in by_name]
    present = [pair for pair in keyed if pair[0] is not None]
    missing = [row for value, row in keyed if value is None]
    present.sort(key=lambda pair: pair[0], reverse=direction == "desc")
    return [row for _, row in present] + missing
