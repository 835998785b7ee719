"""Runs of sandbox exercises: start, act, hand in, read; persisted as event logs.

Each action is one transaction: lock the run, bring its live sandbox to the stored event
count, apply the action to a fork of it, append every new event (the action and the
outcomes it released) with a unique (run, seq), record the idempotency receipt, build and
check the answer, commit, and only then publish the fork to the cache. When anything
fails, the fork is dropped: memory never runs ahead of what was stored, and readers never
see an action half-way.

Beside this core, each a module of its own: idempotency (the key every change carries),
sequences (follow-up plans, and moving the clock that sends their steps), notes (the
learner's notes on contacts) and message_templates (saved drafts, per learner).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from course.exercise_specs import ExerciseSpec
from leadworks.accounts.models import User
from leadworks.core.db import write_intent
from leadworks.core.errors import Conflict, NotFound, UserError
from leadworks.core.idempotency import check_idempotency_key
from leadworks.core.servable import check_servable, unservable_cause
from leadworks.core.timeutil import utcnow
from leadworks.practice.action_models import parse_action
from leadworks.practice.idempotency import (
    ReceiptRaced,
    action_kind,
    check_same_kind,
    receipt_of,
)
from leadworks.practice.live import LiveSandboxes
from leadworks.practice.models import ActionReceipt, Run, RunEvent, RunStatus
from leadworks.practice.snapshots import remember_snapshot, stored_snapshot
from leadworks.practice.world_seeds import world_seed
from simulator import (
    ActionRefused,
    Event,
    Sandbox,
    exercise_spec,
    open_exercise,
)
from simulator.actions import ACTIONS, WEB_ACTIONS

MAX_MESSAGE_CHARS = ACTIONS["send_message"].param("body").max_length or 5_000
RACED = "This attempt changed in another window at the same moment; reload and try again."
STALE = (
    "This attempt changed in another window since this page was loaded. "
    "Reload to see the latest state; nothing was applied."
)
HANDED_IN = (
    "This attempt was handed in: nothing more can change. Start a new attempt to practise again."
)
ALREADY_HANDED_IN = "This attempt was already handed in. Start a new attempt to try again."
LEARNER_ACTIONS = WEB_ACTIONS  # the engine's registry says which actions the web may send


def spec_or_404(exercise_id: str, exercises_dir: Path) -> ExerciseSpec:
    try:
        return exercise_spec(exercise_id, exercises_dir)
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


def start_run(*, session: Session, user: User, exercise_id: str, cache: LiveSandboxes) -> Run:
    """A new attempt with the learner's own world: its seed is keyed with the server's
    secret (``world_seeds``), stored on the run and never shown to the learner."""
    spec_or_404(exercise_id, cache.exercises_dir)
    assert user.id is not None
    attempt = 1 + int(
        session.exec(
            select(func.coalesce(func.max(Run.attempt), 0)).where(
                Run.user_id == user.id, Run.exercise_id == exercise_id
            )
        ).one()
    )
    seed = world_seed(cache.seed_secret, user.id, exercise_id, attempt)
    sandbox = open_exercise(exercise_id, seed, exercises_dir=cache.exercises_dir)
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
    """The run's events from ``since``, as plain dicts (a Core select: no ORM objects to
    build, a few times faster on a long log)."""
    columns = (RunEvent.seq, RunEvent.type, RunEvent.at, RunEvent.actor, RunEvent.data)
    query = (
        sa_select(*columns)  # type: ignore[call-overload]
        .where(col(RunEvent.run_id) == run_id, col(RunEvent.seq) >= since)
        .order_by(col(RunEvent.seq))
    )
    if limit is not None:
        query = query.limit(limit)
    return [
        {"seq": seq, "type": type_, "at": at, "actor": actor, "data": data}
        for seq, type_, at, actor, data in session.connection().execute(query)
    ]


def live_sandbox(*, session: Session, run: Run, cache: LiveSandboxes) -> Sandbox:
    """The run's sandbox as stored (cached, or refolded from its events)."""
    assert run.id is not None
    run_id = run.id
    count = run.event_count  # exactly the events the run row says: never a later commit's

    def load(since: int) -> list[dict[str, Any]]:
        return stored_events(session=session, run_id=run_id, since=since, limit=count - since)

    return cache.get(run_id, count, load, lambda: stored_snapshot(session, run_id, count))


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


def _check_action(action: dict[str, Any]) -> dict[str, Any]:
    """The action typed by its model (the same one the API declares), or a UserError."""
    return parse_action(action)


def _stored_answer(session: Session, run: Run, key: str, kind: str) -> dict[str, Any] | None:
    """What ``key`` already did on this run, if it was used for ``kind`` (else 422)."""
    assert run.id is not None
    receipt = receipt_of(session, run.id, key)
    return None if receipt is None else check_same_kind(receipt, kind)


def _receipt_row(
    run: Run, key: str, kind: str, before: int, after: int, response: dict[str, Any]
) -> ActionReceipt:
    assert run.id is not None
    return ActionReceipt(
        run_id=run.id,
        key=key,
        first_seq=before,
        last_seq=after - 1,
        response={**response, "request": kind},
    )


def _locked_run(session: Session, run: Run) -> Run:
    """Re-read the run under a row lock (PostgreSQL); SQLite serialises writers anyway."""
    query = select(Run).where(Run.id == run.id).with_for_update()
    return session.exec(query.execution_options(populate_existing=True)).one()


def _refused(error: ActionRefused) -> UserError:
    status = Conflict if "submitted" in error.reason else UserError
    return status(error.reason[:1].upper() + error.reason[1:], field=error.field)


@dataclass
class RunChange:
    """A run being changed: its locked row and live sandbox; ``response`` is the receipt."""

    run: Run
    sandbox: Sandbox
    before: int
    response: dict[str, Any]
    answer: Any = None  # what the caller will send back, built before the commit


@contextmanager
def changing_run(
    *,
    session: Session,
    run: Run,
    key: str,
    kind: str,
    cache: LiveSandboxes,
    expected_count: int | None = None,
    handed_in: str = HANDED_IN,
) -> Iterator[RunChange]:
    """The one way a run changes: lock it, bring its sandbox to the stored count, let the
    caller apply its change and build its answer (``change.answer``), then append the new
    events and the receipt, check that all of it can be served, and commit.

    Commit comes last: an answer that cannot be built or sent, or a value no page could
    show (``core.servable``), rolls back with nothing stored, so a learner can never leave
    a run, a grade or a counselor's page that fails for good. The change is made on a
    fork of the cached sandbox, published only after the commit (copy-on-write): readers
    never see it half-way, and any failure just rolls back and drops the fork, so memory
    never runs ahead of the database.

    The key is looked up again once the run is locked, and a unique violation on its
    receipt is read back: either way the request that got there first won, and this one
    raises ``ReceiptRaced`` so that its caller answers with the stored result.
    """
    assert run.id is not None
    with cache.locked(run.id), write_intent(session):
        run = _locked_run(session, run)
        assert run.id is not None
        if receipt_of(session, run.id, key) is not None:
            session.rollback()  # nothing changed; let other writers in
            raise ReceiptRaced(key)
        if run.status is RunStatus.submitted:
            raise Conflict(handed_in)
        if expected_count is not None and expected_count != run.event_count:
            raise Conflict(STALE)
        # copy-on-write: readers keep the published snapshot while this fork changes
        sandbox = live_sandbox(session=session, run=run, cache=cache).fork()
        change = RunChange(run, sandbox, sandbox.event_count, {})
        try:
            yield change
            _store_events(session, run, sandbox.events_since(change.before))
            run.event_count = sandbox.event_count
            run.sim_time = sandbox.now
            run.updated_at = utcnow()
            session.add(run)
            receipt = _receipt_row(
                run, key, kind, change.before, sandbox.event_count, change.response
            )
            session.add(receipt)
            check_servable(change.answer)
            session.flush()  # JSON values are serialised (and checked) here, before commit
            session.commit()
            cache.put(run.id, sandbox)  # stored: readers may see it now
        except ActionRefused as refusal:
            session.rollback()
            raise _refused(refusal) from None
        except IntegrityError:
            session.rollback()
            if receipt_of(session, run.id, key) is not None:
                raise ReceiptRaced(key) from None  # the same request, committed first
            raise Conflict(RACED) from None
        except BaseException as error:
            session.rollback()  # the fork is dropped; the published snapshot is as stored
            cause = unservable_cause(error)
            if cause is not None and cause is not error:
                raise cause from None
            raise
    remember_snapshot(session, run.id, sandbox, cache)  # stored and unlocked: a cache only


def act(
    *,
    session: Session,
    user: User,
    run_id: int,
    action: dict[str, Any],
    idempotency_key: str | None,
    cache: LiveSandboxes,
    expected_count: int | None = None,
) -> ActionOutcome:
    """Apply one learner action and store it with the outcomes it released."""
    key = check_idempotency_key(idempotency_key)
    kind = action_kind(action)
    run = run_for(session=session, user=user, run_id=run_id)
    done = _stored_answer(session, run, key, kind)
    if done is None:
        action = _check_action(action)
        try:
            with changing_run(
                session=session,
                run=run,
                key=key,
                kind=kind,
                cache=cache,
                expected_count=expected_count,
            ) as change:
                change.response = change.sandbox.apply(action)
                outcome = ActionOutcome(
                    change.run, change.response["result"], change.response["events"]
                )
                change.answer = outcome.to_dict()
            return outcome
        except ReceiptRaced:
            run = run_for(session=session, user=user, run_id=run_id)
            done = _stored_answer(session, run, key, kind)
            assert done is not None
    return ActionOutcome(run, done.get("result"), done.get("events", []), True)
