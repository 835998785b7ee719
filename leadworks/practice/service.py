"""Runs of sandbox exercises: start, act, hand in, read; persisted as event logs.

Each action is one transaction: lock the run, bring its live sandbox to the stored event
count, apply the action in memory, append every new event (the action and the outcomes it
released) with a unique (run, seq), record the idempotency receipt, commit. When anything
fails after the sandbox moved, the cached sandbox is dropped so it is refolded from the
database: memory never runs ahead of what was stored.

Beside this core, each a module of its own: idempotency (the key every change carries),
sequences (follow-up plans, and moving the clock that sends their steps), notes (the
learner's notes on contacts) and message_templates (saved drafts, per learner).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from course.exercise_specs import ExerciseSpec
from leadworks.accounts.models import User
from leadworks.core.content import exercises_dir
from leadworks.core.db import write_intent
from leadworks.core.errors import Conflict, NotFound, UserError
from leadworks.core.timeutil import utcnow
from leadworks.practice.idempotency import check_idempotency_key
from leadworks.practice.live import LiveSandboxes, live_sandboxes
from leadworks.practice.models import ActionReceipt, Run, RunEvent, RunStatus
from leadworks.submissions.grading import InvalidSubmission
from leadworks.submissions.models import GradeRecord, Submission
from leadworks.submissions.service import record_submission
from simulator import (
    ActionRefused,
    Event,
    Sandbox,
    exercise_spec,
    grading_input,
    open_exercise,
)
from simulator import learner_seed as derive_learner_seed

MAX_MESSAGE_CHARS = 5_000
RACED = "This attempt changed in another window at the same moment; reload and try again."
STALE = (
    "This attempt changed in another window since this page was loaded. "
    "Reload to see the latest state; nothing was applied."
)
HANDED_IN = (
    "This attempt was handed in: nothing more can change. Start a new attempt to practise again."
)
LEARNER_ACTIONS = frozenset(
    {
        "search",
        "view_profile",
        "add_to_list",
        "remove_from_list",
        "send_message",
        "call",
        "book_meeting",
        "discovery_call",
        "record_qualification",
        "change_stage",
        "spend",
        "advance_clock",
    }
)


def spec_or_404(exercise_id: str) -> ExerciseSpec:
    try:
        return exercise_spec(exercise_id, exercises_dir())
    except KeyError:
        raise NotFound(f"There is no exercise with id '{exercise_id[:100]}'.") from None


# ---- runs --------------------------------------------------------------------------------


def runs_of(*, session: Session, user_id: int, exercise_id: str | None = None) -> list[Run]:
    query = select(Run).where(Run.user_id == user_id)
    if exercise_id is not None:
        query = query.where(Run.exercise_id == exercise_id)
    return list(session.exec(query.order_by(col(Run.exercise_id), col(Run.attempt).desc())).all())


def run_for(*, session: Session, user: User, run_id: int) -> Run:
    """The caller's own run; anybody else's is 'not found' so its existence never leaks."""
    run = session.get(Run, run_id)
    if run is None or run.user_id != user.id:
        raise NotFound("No such practice run.")
    return run


def _store_events(session: Session, run: Run, events: Iterable[Event]) -> int:
    count = 0
    assert run.id is not None
    for event in events:
        session.add(
            RunEvent(
                run_id=run.id,
                seq=event.seq,
                type=event.type,
                at=event.at,
                actor=event.actor,
                data=event.data,
            )
        )
        count += 1
    return count


def start_run(
    *, session: Session, user: User, exercise_id: str, cache: LiveSandboxes = live_sandboxes
) -> Run:
    """A new attempt with the learner's own world (seed from learner, exercise, attempt)."""
    spec_or_404(exercise_id)
    assert user.id is not None
    attempt = 1 + int(
        session.exec(
            select(func.coalesce(func.max(Run.attempt), 0)).where(
                Run.user_id == user.id, Run.exercise_id == exercise_id
            )
        ).one()
    )
    seed = derive_learner_seed(user.id, exercise_id, attempt)
    sandbox = open_exercise(exercise_id, seed, exercises_dir=exercises_dir())
    run = Run(
        user_id=user.id,
        exercise_id=exercise_id,
        attempt=attempt,
        seed=str(seed),
        event_count=sandbox.event_count,
        sim_time=sandbox.now,
    )
    session.add(run)
    try:
        session.flush()
        _store_events(session, run, sandbox.events)
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict(
            "That attempt was just started in another window; open it from the list."
        ) from None
    assert run.id is not None
    cache.put(run.id, sandbox)
    return run


def stored_events(
    *, session: Session, run_id: int, since: int = 0, limit: int | None = None
) -> list[dict[str, Any]]:
    query = (
        select(RunEvent)
        .where(RunEvent.run_id == run_id, RunEvent.seq >= since)
        .order_by(col(RunEvent.seq))
    )
    if limit is not None:
        query = query.limit(limit)
    return [
        {"seq": e.seq, "type": e.type, "at": e.at, "actor": e.actor, "data": e.data}
        for e in session.exec(query)
    ]


def live_sandbox(*, session: Session, run: Run, cache: LiveSandboxes = live_sandboxes) -> Sandbox:
    """The run's sandbox as stored (cached, or refolded from its events)."""
    assert run.id is not None
    run_id = run.id
    return cache.get(run_id, run.event_count, lambda: stored_events(session=session, run_id=run_id))


# ---- actions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionOutcome:
    run: Run
    result: Any
    events: list[dict[str, Any]]
    replayed: bool = False  # True when an idempotency key had already done this

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run.id,
            "event_count": self.run.event_count,
            "sim_time": self.run.sim_time,
            "result": self.result,
            "events": self.events,
            "replayed": self.replayed,
        }


def _check_action(action: dict[str, Any]) -> None:
    kind = action.get("type")
    if not isinstance(kind, str) or kind not in LEARNER_ACTIONS:
        known = ", ".join(sorted(LEARNER_ACTIONS))
        raise UserError(f"Unknown action {str(kind)[:40]!r}; use one of: {known}.", field="type")
    for name in ("body", "opener", "subject"):
        value = action.get(name)
        if isinstance(value, str) and len(value) > MAX_MESSAGE_CHARS:
            raise UserError(
                f"The {name} is {len(value):,} characters long; "
                f"the limit is {MAX_MESSAGE_CHARS:,}.",
                field=name,
            )


def _receipt(session: Session, run: Run, key: str) -> ActionReceipt | None:
    return session.exec(
        select(ActionReceipt).where(ActionReceipt.run_id == run.id, ActionReceipt.key == key)
    ).first()


def _receipt_row(
    run: Run, key: str, before: int, after: int, response: dict[str, Any]
) -> ActionReceipt:
    assert run.id is not None
    return ActionReceipt(
        run_id=run.id, key=key, first_seq=before, last_seq=after - 1, response=response
    )


def _locked_run(session: Session, run: Run) -> Run:
    """Re-read the run under a row lock (PostgreSQL); SQLite serialises writers anyway."""
    query = select(Run).where(Run.id == run.id).with_for_update()
    return session.exec(query.execution_options(populate_existing=True)).one()


def _refused(error: ActionRefused) -> UserError:
    status = Conflict if "submitted" in error.reason else UserError
    return status(error.reason[:1].upper() + error.reason[1:], field=error.field)


def act(
    *,
    session: Session,
    user: User,
    run_id: int,
    action: dict[str, Any],
    idempotency_key: str | None,
    expected_count: int | None = None,
    cache: LiveSandboxes = live_sandboxes,
) -> ActionOutcome:
    """Apply one learner action and store it with the outcomes it released."""
    key = check_idempotency_key(idempotency_key)
    run = run_for(session=session, user=user, run_id=run_id)
    done = _receipt(session, run, key)
    if done is not None:
        return ActionOutcome(
            run, done.response.get("result"), done.response.get("events", []), True
        )
    _check_action(action)
    assert run.id is not None
    with cache.locked(run.id), write_intent(session):
        run = _locked_run(session, run)
        if run.status is RunStatus.submitted:
            raise Conflict(HANDED_IN)
        if expected_count is not None and expected_count != run.event_count:
            raise Conflict(STALE)
        sandbox = live_sandbox(session=session, run=run, cache=cache)
        before = sandbox.event_count
        try:
            applied = sandbox.apply(action)
        except ActionRefused as refusal:
            raise _refused(refusal) from None
        try:
            new = sandbox.events_since(before)
            _store_events(session, run, new)
            run.event_count = sandbox.event_count
            run.sim_time = sandbox.now
            run.updated_at = utcnow()
            session.add(run)
            session.add(_receipt_row(run, key, before, sandbox.event_count, applied))
            session.commit()
        except IntegrityError:
            session.rollback()
            cache.forget(run.id)
            raise Conflict(RACED) from None
        except Exception:
            session.rollback()
            cache.forget(run.id)
            raise
    return ActionOutcome(run, applied["result"], applied["events"])


# ---- hand-in -----------------------------------------------------------------------------


def hand_in(
    *,
    session: Session,
    user: User,
    run_id: int,
    payload: dict[str, Any],
    contact_id: str | None,
    idempotency_key: str | None,
    cache: LiveSandboxes = live_sandboxes,
) -> tuple[Submission, GradeRecord]:
    """Submit the deliverable, grade it, and store the submit event, submission and grade
    together. A malformed deliverable changes nothing and says which field is wrong."""
    key = check_idempotency_key(idempotency_key)
    run = run_for(session=session, user=user, run_id=run_id)
    done = _receipt(session, run, key)
    if done is not None:
        submission = session.get(Submission, done.response["submission_id"])
        grade = session.get(GradeRecord, done.response["grade_id"])
        assert submission is not None and grade is not None
        return submission, grade
    if not isinstance(payload, dict):
        raise UserError("The hand-in must be an object.", field="submission")
    assert run.id is not None
    with cache.locked(run.id), write_intent(session):
        run = _locked_run(session, run)
        if run.status is RunStatus.submitted:
            raise Conflict("This attempt was already handed in. Start a new attempt to try again.")
        sandbox = live_sandbox(session=session, run=run, cache=cache)
        before = sandbox.event_count
        try:
            sandbox.submit(payload, contact_id=contact_id)
        except ActionRefused as refusal:
            raise _refused(refusal) from None
        try:
            graded = grading_input(sandbox)
            submission, grade = record_submission(
                session=session,
                user=user,
                exercise_id=run.exercise_id,
                kind=graded.kind,
                payload=graded.submission,
                context=graded.context,
                run_id=run.id,
                commit=False,
            )
            _store_events(session, run, sandbox.events_since(before))
            run.event_count = sandbox.event_count
            run.sim_time = sandbox.now
            run.status = RunStatus.submitted
            run.submitted_at = run.updated_at = utcnow()
            session.add(run)
            response = {"submission_id": submission.id, "grade_id": grade.id}
            session.add(_receipt_row(run, key, before, sandbox.event_count, response))
            session.commit()
        except InvalidSubmission:
            session.rollback()
            cache.forget(run.id)
            raise
        except IntegrityError:
            session.rollback()
            cache.forget(run.id)
            raise Conflict(RACED) from None
        except Exception:
            session.rollback()
            cache.forget(run.id)
            raise
    return submission, grade


def grading_input_for(
    *, session: Session, submission: Submission, cache: LiveSandboxes = live_sandboxes
) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """(kind, payload, context) for regrading: the run's stored log replayed, then the
    context rebuilt from it. The payload is the one stored at hand-in, untouched."""
    if submission.run_id is None:
        raise NotFound("This submission has no practice run to replay.")
    run = session.get(Run, submission.run_id)
    if run is None:
        raise NotFound("The practice run behind this submission is gone.")
    sandbox = live_sandbox(session=session, run=run, cache=cache)
    graded = grading_input(sandbox)
    return graded.kind, dict(submission.payload), graded.context
