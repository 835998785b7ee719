"""Rescoring one exercise for a cohort after a rubric change: preview first, then commit.

The stored submissions are graded again from their run's replayed event log (the sandbox
service rebuilds the grader's input), so nothing a learner did is re-typed or guessed. A
drill has no run: its hand-ins are graded again against the drill as the course defines it
when the job starts (its answer key, kept in the job so preview and commit agree).
A job moves previewing -> preview -> running -> done, a chunk at a time: each ``advance``
handles the next few submissions and commits them together with the job's ``done``
counter. Nothing runs in the background; whoever watches (the page's htmx poll, the CLI's
progress bar, the API) drives it, so any worker can, and a conditional update on ``done``
makes two drivers at once harmless: the slower one's chunk is rolled back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select, update

from course.catalog import CAREER_EXERCISE_TITLES, Catalog
from leadworks.accounts.models import User
from leadworks.cohorts.models import Cohort, Membership
from leadworks.core.errors import Conflict, UserError
from leadworks.core.timeutil import utcnow
from leadworks.counsel.models import RescoreJob
from leadworks.feedback.grades import refold
from leadworks.feedback.service import carry_overrides, current_record, overrides_of
from leadworks.practice.handing_in import KEPT_WITH_RUN, grading_input_for
from leadworks.submissions.grading import grade_submission
from leadworks.submissions.labels import names_in
from leadworks.submissions.models import Submission
from leadworks.submissions.service import graded_with, replace_grade, stored_result

log = logging.getLogger("leadworks.rescore")

PREVIEWING, PREVIEW, RUNNING, DONE = "previewing", "preview", "running", "done"
ACTIVE = (PREVIEWING, RUNNING)
PAGE_CHUNK = 10
#: grader kinds handed in without a practice run (the career page), and what such a hand-in
#: must have kept with its grade to be regraded: (context key, what it is, in words)
RUNLESS_KINDS = ("cv", "profile")
KEPT_CONTEXT = {"cv": ("records", "the figures its claims were checked against")}


@dataclass(frozen=True)
class Rescorable:
    id: str
    title: str


def rescorable(catalog: Catalog) -> list[Rescorable]:
    """The exercises a counselor may rescore: the course's, its drills, the career page's."""
    found = [Rescorable(x.id, x.title) for x in catalog.exercises.values()]
    found += [Rescorable(d.id, d.title) for d in catalog.drills.values()]
    found += [Rescorable(i, t) for i, t in CAREER_EXERCISE_TITLES.items()]
    return sorted(found, key=lambda x: x.title)


def start_rescore(
    *,
    session: Session,
    cohort: Cohort,
    exercise_id: str,
    requested_by: User | None,
    catalog: Catalog,
) -> RescoreJob:
    """Plan a rescoring of every attempt at the exercise by the cohort's learners."""
    drill = catalog.drills.get(exercise_id)
    known = exercise_id in catalog.exercises or exercise_id in CAREER_EXERCISE_TITLES
    if not known and drill is None:
        raise UserError(f"There is no exercise '{exercise_id[:100]}'.", field="exercise_id")
    plan = session.exec(
        select(Submission.id)
        .join(Membership, col(Membership.user_id) == Submission.user_id)
        .where(Membership.cohort_id == cohort.id, Submission.exercise_id == exercise_id)
        .order_by(col(Submission.id))
    ).all()
    if not plan:
        raise UserError(
            "Nobody in this cohort has handed this exercise in yet: nothing to rescore.",
            field="exercise_id",
        )
    busy = session.exec(
        select(RescoreJob.id).where(
            RescoreJob.cohort_id == cohort.id,
            RescoreJob.exercise_id == exercise_id,
            RescoreJob.status == RUNNING,
        )
    ).first()
    if busy is not None:
        raise Conflict(f"Rescoring job #{busy} is already committing this exercise.")
    assert cohort.id is not None
    job = RescoreJob(
        cohort_id=cohort.id,
        exercise_id=exercise_id,
        requested_by_id=requested_by.id if requested_by else None,
        status=PREVIEWING,
        total=len(plan),
        summary={"plan": list(plan), "items": []}
        | ({"context": drill.spec.grading_context()} if drill is not None else {}),
    )
    session.add(job)
    session.commit()
    return job


Regraded = tuple[Any, dict[str, str], dict[str, Any] | None]


def _regrade(
    session: Session,
    submission: Submission,
    exercises_dir: Path,
    drill_context: dict[str, Any] | None = None,
) -> Regraded:
    """The new grade, the contact names its stored form will use, and the context values
    kept with it. A hand-in with a run is regraded from its replayed log; a drill's against
    the drill's context the job kept; one without either (a CV, a profile) against the
    context kept with its current grade."""
    if submission.run_id is None and drill_context is not None:
        return grade_submission(submission.kind, dict(submission.payload), drill_context), {}, None
    if submission.run_id is None and submission.kind in RUNLESS_KINDS:
        kept = graded_with(current_record(session=session, submission=submission)) or {}
        needed = KEPT_CONTEXT.get(submission.kind)
        if needed and needed[0] not in kept:
            raise LookupError(
                f"graded before {needed[1]} were kept with the grade: "
                "it cannot be checked again against the same figures"
            )
        return grade_submission(submission.kind, dict(submission.payload), kept), {}, kept
    kind, payload, context = grading_input_for(
        session=session, submission=submission, exercises_dir=exercises_dir
    )
    kept_now = {k: context[k] for k in KEPT_WITH_RUN.get(kind, ()) if k in context}
    return grade_submission(kind, payload, context), names_in(context), kept_now or None


def _preview_item(
    session: Session, submission_id: int, exercises_dir: Path, drill: dict[str, Any] | None
) -> dict[str, Any]:
    submission = session.get(Submission, submission_id)
    assert submission is not None
    learner = session.get(User, submission.user_id)
    record = current_record(session=session, submission=submission)
    item: dict[str, Any] = {
        "submission_id": submission_id,
        "learner_id": submission.user_id,
        "learner": learner.name if learner else "?",
        "before": record.final_score,
        "possible_before": record.possible,
        "rubric_before": record.rubric_version,
        "after": None,
        "error": "",
        "committed": False,
    }
    try:
        grade, _, _ = _regrade(session, submission, exercises_dir, drill)
    except Exception as problem:  # noqa: BLE001 - one unreadable attempt must not stop a cohort
        log.warning("cannot rescore submission %s: %s", submission_id, problem)
        return item | {"error": str(problem)[:300] or type(problem).__name__}
    assert record.id is not None
    steps, dropped = refold(
        grade.to_dict(),
        overrides_of(session=session, grade_ids=[record.id]),
        possible=grade.possible,
    )
    after = steps[-1][1].score_after if steps else grade.score
    return item | {
        "after": after,
        "possible": grade.possible,
        "grader_after": grade.score,
        "rubric_after": grade.rubric_version,
        "kept": len(steps),
        "dropped": len(dropped),
    }


def _commit_item(
    session: Session, item: dict[str, Any], exercises_dir: Path, drill: dict[str, Any] | None
) -> dict[str, Any]:
    if item["error"]:
        return item
    submission = session.get(Submission, item["submission_id"])
    assert submission is not None
    old = current_record(session=session, submission=submission, lock=True)
    try:
        grade, names, kept = _regrade(session, submission, exercises_dir, drill)
    except Exception as problem:  # noqa: BLE001 - reported per attempt, like the preview
        log.warning("cannot rescore submission %s: %s", submission.id, problem)
        return item | {"error": str(problem)[:300] or type(problem).__name__}
    if stored_result(grade, names, kept) == old.result:  # the grader says what it said: keep it
        return item | {"after": old.final_score, "committed": True}
    new = replace_grade(
        session=session,
        submission=submission,
        grade=grade,
        reason="rescored",
        names=names,
        graded_with=kept,
    )
    kept, dropped = carry_overrides(session=session, old=old, new=new)
    return item | {"after": new.final_score, "kept": kept, "dropped": dropped, "committed": True}


def advance(
    *, session: Session, job: RescoreJob, exercises_dir: Path, limit: int = PAGE_CHUNK
) -> RescoreJob:
    """Do the next ``limit`` submissions of whichever phase the job is in (``exercises_dir``:
    where the exercises the runs are replayed with are defined)."""
    if job.status not in ACTIVE:
        return job
    start = job.done
    end = min(start + limit, job.total)
    plan: list[int] = list(job.summary.get("plan", []))
    items: list[dict[str, Any]] = list(job.summary.get("items", []))
    drill = job.summary.get("context")  # a drill's grading context, kept at the start
    if job.status == PREVIEWING:
        items += [_preview_item(session, sid, exercises_dir, drill) for sid in plan[start:end]]
        status = PREVIEW if end >= job.total else PREVIEWING
    else:
        items[start:end] = [
            _commit_item(session, item, exercises_dir, drill) for item in items[start:end]
        ]
        status = DONE if end >= job.total else RUNNING
    moved = session.exec(
        update(RescoreJob)
        .where(
            col(RescoreJob.id) == job.id,
            col(RescoreJob.done) == start,
            col(RescoreJob.status) == job.status,
        )
        .values(
            done=end,
            status=status,
            summary={"plan": plan, "items": items}
            | ({"context": drill} if drill is not None else {}),
            finished_at=utcnow() if status == DONE else None,
        )
    )
    if moved.rowcount != 1:  # another driver did this chunk first: drop ours
        session.rollback()
    else:
        session.commit()
    session.refresh(job)
    return job


def commit_rescore(*, session: Session, job: RescoreJob) -> RescoreJob:
    """Start applying a finished preview; ``advance`` then does the work."""
    moved = session.exec(
        update(RescoreJob)
        .where(col(RescoreJob.id) == job.id, col(RescoreJob.status) == PREVIEW)
        .values(status=RUNNING, done=0)
    )
    if moved.rowcount != 1:
        session.rollback()
        raise Conflict("Only a finished preview can be committed, and only once.")
    session.commit()
    session.refresh(job)
    return job


def run_to_end(
    *,
    session: Session,
    job: RescoreJob,
    exercises_dir: Path,
    limit: int = 50,
    on_progress: Callable[[RescoreJob], None] | None = None,
) -> RescoreJob:
    """Drive the current phase to its end (CLI and API)."""
    while job.status in ACTIVE:
        status = job.status
        job = advance(session=session, job=job, exercises_dir=exercises_dir, limit=limit)
        if on_progress:
            on_progress(job)
        if job.status != status:
            break
    return job


def tally(job: RescoreJob) -> dict[str, int]:
    """How many attempts go up, down, stay, or could not be rescored."""
    counts = {"up": 0, "down": 0, "same": 0, "failed": 0}
    for item in job.summary.get("items", []):
        if item.get("error") or item.get("after") is None:
            counts["failed"] += 1
        elif item["after"] > item["before"] + 1e-9:
            counts["up"] += 1
        elif item["after"] < item["before"] - 1e-9:
            counts["down"] += 1
        else:
            counts["same"] += 1
    return counts


def changes(job: RescoreJob) -> list[dict[str, Any]]:
    """Items with their change, biggest moves first, failures last."""
    items = [dict(i) for i in job.summary.get("items", [])]
    for item in items:
        after = item.get("after")
        item["delta"] = None if after is None else round(after - item["before"], 2)
    return sorted(items, key=lambda i: (i["delta"] is None, -abs(i["delta"] or 0), i["learner"]))


def recent_jobs(*, session: Session, cohort: Cohort, limit: int = 10) -> list[RescoreJob]:
    query = select(RescoreJob).where(RescoreJob.cohort_id == cohort.id)
    return list(session.exec(query.order_by(col(RescoreJob.id).desc()).limit(limit)).all())
