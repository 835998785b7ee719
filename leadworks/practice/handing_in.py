"""Handing in a practice run: the deliverable graded with what the run achieved.

A hand-in is a change of the run like any action (``service.changing_run``): the submit
event, the submission and its grade are stored together or not at all, and an
idempotency key used for a hand-in answers with the stored grade when sent again.
Rescoring (the counselor's domain) rebuilds a hand-in's grading input here too, from the
stored log alone, so it never touches a worker's cache.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlmodel import Session

from leadworks.accounts.models import User
from leadworks.core.errors import NotFound, UserError
from leadworks.core.idempotency import check_idempotency_key
from leadworks.core.timeutil import utcnow
from leadworks.practice.figures import learner_figures
from leadworks.practice.idempotency import HAND_IN, ReceiptRaced
from leadworks.practice.live import LiveSandboxes
from leadworks.practice.models import Run, RunStatus
from leadworks.practice.service import (
    ALREADY_HANDED_IN,
    _stored_answer,
    changing_run,
    run_for,
    stored_events,
)
from leadworks.submissions.grading import grading_input_with_work
from leadworks.submissions.models import GradeRecord, Submission
from leadworks.submissions.service import current_grade, graded_with, record_submission
from simulator import replay_log
from simulator.contexts import GradingInput

#: context kept with the grade of a hand-in that has a run, by kind: what its replayed log
#: cannot give back (the interview's figures come from the learner's other work)
KEPT_WITH_RUN: dict[str, tuple[str, ...]] = {"interview": ("records",)}


def hand_in(
    *,
    session: Session,
    user: User,
    run_id: int,
    payload: dict[str, Any],
    contact_id: str | None,
    idempotency_key: str | None,
    cache: LiveSandboxes,
) -> tuple[Submission, GradeRecord]:
    """Submit the deliverable, grade it, and store the submit event, submission and grade
    together. A malformed deliverable changes nothing and says which field is wrong."""
    key = check_idempotency_key(idempotency_key)
    run = run_for(session=session, user=user, run_id=run_id)
    done = _stored_answer(session, run, key, HAND_IN)
    if done is not None:
        return _handed_in(session, done)
    if not isinstance(payload, dict):
        raise UserError("The hand-in must be an object.", field="submission")
    try:
        return _hand_in(session, user, run, payload, contact_id, key, cache)
    except ReceiptRaced:
        done = _stored_answer(session, run, key, HAND_IN)
        assert done is not None
        return _handed_in(session, done)


def _handed_in(session: Session, done: dict[str, Any]) -> tuple[Submission, GradeRecord]:
    submission = session.get(Submission, done["submission_id"])
    grade = session.get(GradeRecord, done["grade_id"])
    assert submission is not None and grade is not None
    return submission, grade


def _hand_in(
    session: Session,
    user: User,
    run: Run,
    payload: dict[str, Any],
    contact_id: str | None,
    key: str,
    cache: LiveSandboxes,
) -> tuple[Submission, GradeRecord]:
    with changing_run(
        session=session,
        run=run,
        key=key,
        kind=HAND_IN,
        cache=cache,
        handed_in=ALREADY_HANDED_IN,
    ) as change:
        change.sandbox.submit(payload, contact_id=contact_id)
        graded = with_records(session, user.id, grading_input_with_work(change.sandbox))
        submission, grade = record_submission(
            session=session,
            user=user,
            exercise_id=change.run.exercise_id,
            kind=graded.kind,
            payload=graded.submission,
            context=graded.context,
            run_id=change.run.id,
            commit=False,
            keep_context=KEPT_WITH_RUN.get(graded.kind, ()),
        )
        change.run.status = RunStatus.submitted
        change.run.submitted_at = utcnow()
        change.response = {"submission_id": submission.id, "grade_id": grade.id}
        change.answer = hand_in_answer(submission, grade)
    return submission, grade


def hand_in_answer(submission: Submission, grade: GradeRecord) -> dict[str, Any]:
    """What a hand-in answers (the API sends it; checked before the hand-in commits)."""
    return {"submission_id": submission.id, "grade": grade.result, "final_score": grade.final_score}


def grading_input_for(
    *, session: Session, submission: Submission, exercises_dir: Path
) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """(kind, payload, context) for regrading: the run's stored log replayed, then the
    context rebuilt from it. The payload is the one stored at hand-in, untouched.

    The practice domain's one documented replay for others (rescoring): it folds the log
    on its own, so regrading a cohort never floods a worker's cache of live sandboxes."""
    if submission.run_id is None:
        raise NotFound("This submission has no practice run to replay.")
    run = session.get(Run, submission.run_id)
    if run is None:
        raise NotFound("The practice run behind this submission is gone.")
    assert run.id is not None
    sandbox = replay_log(stored_events(session=session, run_id=run.id), exercises_dir, checked=True)
    current = current_grade(session=session, submission_id=submission.id)
    kept = (graded_with(current) if current is not None else None) or {}
    graded = with_records(
        session, submission.user_id, grading_input_with_work(sandbox), kept.get("records")
    )
    return graded.kind, dict(submission.payload), graded.context


def with_records(
    session: Session,
    user_id: int | None,
    graded: GradingInput,
    records: dict[str, Any] | None = None,
) -> GradingInput:
    """A mock interview's context with the learner's practice figures (``records``): the
    ``interview`` grader checks every practice figure the candidate quotes against them.
    A regrade passes the figures kept with the grade, so later work cannot change it; a
    grade from before they were kept is checked against today's."""
    if graded.kind != "interview" or user_id is None:
        return graded
    if records is None:
        records = learner_figures(session, user_id)
    return GradingInput(graded.kind, graded.submission, {**graded.context, "records": records})
