"""Runs of sandbox exercises: start, act, hand in, read; persisted as event logs.

Each action is one transaction: lock the run, bring its live sandbox to the stored event
count, apply the action in memory, append every new event (the action and the outcomes it
released) with a unique (run, seq), record the idempotency receipt, commit. When anything
fails after the sandbox moved, the cached sandbox is dropped so it is refolded from the
database: memory never runs ahead of what was stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from course.exercise_specs import ExerciseSpec
from simulator.accounts.models import User
from simulator.core.content import exercises_dir
from simulator.core.db import write_intent
from simulator.core.errors import Conflict, NotFound, UserError
from simulator.core.timeutil import utcnow
from simulator.sandbox.live import LiveSandboxes, live_sandboxes
from simulator.sandbox.models import (
    ActionReceipt,
    MessageTemplate,
    Run,
    RunEvent,
    RunNote,
    RunStatus,
    SequencePlan,
)
from simulator.submissions.grading import InvalidSubmission
from simulator.submissions.models import GradeRecord, Submission
from simulator.submissions.service import record_submission
from simulator.world import (
    ActionRefused,
    Event,
    Sandbox,
    exercise_spec,
    grading_input,
    open_exercise,
)
from simulator.world import learner_seed as derive_learner_seed
from simulator.world.events import iso, parse_iso

MAX_MESSAGE_CHARS = 5_000
RACED = "This attempt changed in another window at the same moment; reload and try again."
STALE = (
    "This attempt changed in another window since this page was loaded. "
    "Reload to see the latest state; nothing was applied."
)
HANDED_IN = (
    "This attempt was handed in: nothing more can change. Start a new attempt to practise again."
)
MAX_KEY_LENGTH = 100
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


def _check_key(key: str | None) -> str:
    if not key or not key.strip():
        raise UserError(
            "An Idempotency-Key (any unique string per action, e.g. a UUID) is required, so a "
            "retried request is never applied twice.",
            field="idempotency_key",
        )
    if len(key) > MAX_KEY_LENGTH:
        raise UserError(
            f"The idempotency key is longer than {MAX_KEY_LENGTH} characters.",
            field="idempotency_key",
        )
    return key.strip()


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
    key = _check_key(idempotency_key)
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
            raise Conflict(
                "This attempt changed in another window at the same moment; reload and try again."
            ) from None
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
    key = _check_key(idempotency_key)
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
            raise Conflict(
                "This attempt changed in another window at the same moment; reload and try again."
            ) from None
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


# ---- saved message templates (per learner, reused across runs) ----------------------------

TEMPLATE_CHANNELS = ("email", "linkedin", "call")


def templates_of(*, session: Session, user: User) -> list[MessageTemplate]:
    """The learner's saved templates, by name."""
    query = select(MessageTemplate).where(MessageTemplate.user_id == user.id)
    return list(session.exec(query.order_by(col(MessageTemplate.name))).all())


def template_for(*, session: Session, user: User, template_id: int) -> MessageTemplate:
    template = session.get(MessageTemplate, template_id)
    if template is None or template.user_id != user.id:
        raise NotFound("No such saved template.")
    return template


def save_template(
    *, session: Session, user: User, name: str, channel: str, subject: str | None, body: str
) -> MessageTemplate:
    """Save a draft under a name; saving the same name and channel again replaces it (so a
    double-submitted form never makes two)."""
    name = " ".join(name.split())
    if not name:
        raise UserError("Give the template a name.", field="template_name")
    if len(name) > 120:
        raise UserError("A template name holds at most 120 characters.", field="template_name")
    if channel not in TEMPLATE_CHANNELS:
        raise UserError("Templates are for email, linkedin or call.", field="channel")
    if not body.strip():
        raise UserError("The template has no text.", field="body")
    if len(body) > MAX_MESSAGE_CHARS:
        raise UserError(
            f"The body is {len(body):,} characters long; the limit is {MAX_MESSAGE_CHARS:,}.",
            field="body",
        )
    if subject and len(subject) > 200:
        raise UserError("A subject holds at most 200 characters.", field="subject")
    assert user.id is not None
    found = session.exec(
        select(MessageTemplate).where(
            MessageTemplate.user_id == user.id,
            MessageTemplate.name == name,
            MessageTemplate.channel == channel,
        )
    ).first()
    template = found or MessageTemplate(user_id=user.id, name=name, channel=channel, body=body)
    template.subject = (subject or None) if channel == "email" else None
    template.body = body
    template.updated_at = utcnow()
    session.add(template)
    session.commit()
    return template


def delete_template(*, session: Session, user: User, template_id: int) -> None:
    session.delete(template_for(session=session, user=user, template_id=template_id))
    session.commit()


# ---- notes on contacts ------------------------------------------------------------------

MAX_NOTE_CHARS = 4_000


def note_for(*, session: Session, run: Run, contact_id: str) -> str:
    found = session.exec(
        select(RunNote).where(RunNote.run_id == run.id, RunNote.contact_id == contact_id)
    ).first()
    return found.body if found else ""


def save_note(*, session: Session, user: User, run_id: int, contact_id: str, body: str) -> RunNote:
    """Keep the learner's notes on a contact (not an event: notes are theirs, not the world's)."""
    run = run_for(session=session, user=user, run_id=run_id)
    if run.status is RunStatus.submitted:
        raise Conflict(HANDED_IN)
    if len(body) > MAX_NOTE_CHARS:
        raise UserError(
            f"Notes hold at most {MAX_NOTE_CHARS:,} characters ({len(body):,} given).",
            field="notes",
        )
    sandbox = live_sandbox(session=session, run=run)
    if sandbox.world.contact(contact_id) is None:
        raise NotFound(f"No prospect with id '{contact_id[:40]}' in this market.")
    assert run.id is not None
    note = session.exec(
        select(RunNote).where(RunNote.run_id == run.id, RunNote.contact_id == contact_id)
    ).first() or RunNote(run_id=run.id, contact_id=contact_id)
    note.body = body
    note.updated_at = utcnow()
    session.add(note)
    session.commit()
    return note


# ---- sequences --------------------------------------------------------------------------

DAY_SECONDS = 86_400
MAX_SEQUENCE_STEPS = 8
MAX_SEQUENCE_CONTACTS = 500
SEQUENCE_CHANNELS = ("email", "linkedin", "call")


def sequences_of(*, session: Session, run: Run) -> list[SequencePlan]:
    query = select(SequencePlan).where(SequencePlan.run_id == run.id)
    return list(session.exec(query.order_by(col(SequencePlan.id))).all())


def sequence_for(*, session: Session, run: Run, plan_id: int) -> SequencePlan:
    plan = session.get(SequencePlan, plan_id)
    if plan is None or plan.run_id != run.id:
        raise NotFound("No such sequence in this practice run.")
    return plan


def check_steps(raw_steps: list[dict[str, Any]], allowed: Iterable[str]) -> list[dict[str, Any]]:
    """Validate a sequence's steps; say which step and field is wrong."""
    channels = [c for c in SEQUENCE_CHANNELS if c in set(allowed)]
    if not raw_steps:
        raise UserError("A sequence needs at least one step with a message.", field="steps")
    if len(raw_steps) > MAX_SEQUENCE_STEPS:
        raise UserError(f"A sequence holds at most {MAX_SEQUENCE_STEPS} steps.", field="steps")
    steps = []
    for index, raw in enumerate(raw_steps):
        where = f"steps[{index}]"
        channel = str(raw.get("channel") or "")
        if channel not in channels:
            names = ", ".join(channels) or "none"
            raise UserError(
                f"Step {index + 1}: this exercise's channels are {names}, not '{channel[:20]}'.",
                field=f"{where}.channel",
            )
        try:
            delay = int(raw.get("delay_days") or 0)
        except (TypeError, ValueError):
            raise UserError(
                f"Step {index + 1}: the delay must be a whole number of days.",
                field=f"{where}.delay_days",
            ) from None
        if index == 0:
            delay = 0
        elif not 0 <= delay <= 30:
            raise UserError(
                f"Step {index + 1}: wait between 0 and 30 days.", field=f"{where}.delay_days"
            )
        body = str(raw.get("body") or "")
        if not body.strip():
            raise UserError(f"Step {index + 1} has no message.", field=f"{where}.body")
        if len(body) > MAX_MESSAGE_CHARS:
            raise UserError(
                f"Step {index + 1}'s message is {len(body):,} characters long; "
                f"the limit is {MAX_MESSAGE_CHARS:,}.",
                field=f"{where}.body",
            )
        subject = str(raw.get("subject") or "").strip() or None
        if subject and len(subject) > 200:
            raise UserError(
                f"Step {index + 1}: a subject holds at most 200 characters.",
                field=f"{where}.subject",
            )
        steps.append(
            {
                "delay_days": delay,
                "channel": channel,
                "subject": subject if channel == "email" else None,
                "body": body,
            }
        )
    return steps


def create_sequence(
    *,
    session: Session,
    user: User,
    run_id: int,
    name: str,
    steps: list[dict[str, Any]],
    stop_on_reply: bool,
    stop_on_opt_out: bool,
    list_name: str | None,
    idempotency_key: str | None,
    cache: LiveSandboxes = live_sandboxes,
) -> SequencePlan:
    """Store a sequence as a draft (nothing is sent until it is started)."""
    key = _check_key(idempotency_key)
    run = run_for(session=session, user=user, run_id=run_id)
    existing = session.exec(
        select(SequencePlan).where(SequencePlan.run_id == run.id, SequencePlan.key == key)
    ).first()
    if existing is not None:
        return existing
    if run.status is RunStatus.submitted:
        raise Conflict(HANDED_IN)
    sandbox = live_sandbox(session=session, run=run, cache=cache)
    name = " ".join(name.split()) or "Untitled sequence"
    if len(name) > 120:
        raise UserError("A sequence name holds at most 120 characters.", field="name")
    checked = check_steps(steps, sandbox.exercise.channels)
    if list_name and list_name not in sandbox.state.lists:
        raise UserError(f"There is no list called '{list_name[:60]}'.", field="list_name")
    assert run.id is not None
    plan = SequencePlan(
        run_id=run.id,
        key=key,
        name=name,
        steps=checked,
        stop_on_reply=stop_on_reply,
        stop_on_opt_out=stop_on_opt_out,
        list_name=list_name or None,
    )
    session.add(plan)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict("That sequence was just saved from another window.") from None
    return plan


def delete_sequence(*, session: Session, user: User, run_id: int, plan_id: int) -> None:
    run = run_for(session=session, user=user, run_id=run_id)
    plan = sequence_for(session=session, run=run, plan_id=plan_id)
    if plan.status != "draft":
        raise Conflict("A started sequence stays in the record; only drafts can be deleted.")
    session.delete(plan)
    session.commit()


@dataclass(frozen=True)
class SequenceSends:
    """What one round of sequence steps did: sent and skipped, one line per contact."""

    sent: int
    skipped: int
    lines: list[dict[str, Any]]


def _due_at(plan: SequencePlan, step: int) -> int | None:
    if plan.status != "running" or plan.started_at is None or step >= len(plan.steps):
        return None
    days = sum(int(s.get("delay_days") or 0) for s in plan.steps[1 : step + 1])
    return parse_iso(plan.started_at) + days * DAY_SECONDS


def _step_action(step: dict[str, Any], contact_id: str) -> dict[str, Any]:
    if step["channel"] == "call":
        return {"type": "call", "contact_id": contact_id, "opener": step["body"]}
    action: dict[str, Any] = {
        "type": "send_message",
        "contact_id": contact_id,
        "channel": step["channel"],
        "body": step["body"],
    }
    if step["channel"] == "email" and step.get("subject"):
        action["subject"] = step["subject"]
    return action


def _skip_reason(sandbox: Sandbox, plan: SequencePlan, step: dict[str, Any], cid: str) -> str:
    contact = sandbox.world.contact(cid)
    if contact is None:
        return "not in this market"
    cs = sandbox.state.contacts.get(cid)
    if plan.stop_on_reply and cs is not None and cs.replied_on:
        return "replied: the sequence stops for them"
    blocked = sandbox.opted_out(contact) or (
        step["channel"] == "call" and sandbox.do_not_call(contact)
    )
    if plan.stop_on_opt_out and blocked:
        return "opted out: the sequence stops for them"
    if step["channel"] == "email" and cs is not None and cs.bounced:
        return "their email bounced"
    return ""


def _send_due_steps(session: Session, user: User, run: Run, cache: LiveSandboxes) -> SequenceSends:
    """Send every step that is due by the run's clock, as learner actions. Each send's
    idempotency key names plan, step and contact, so no step ever reaches anyone twice."""
    sent = skipped = 0
    lines: list[dict[str, Any]] = []
    for plan in sequences_of(session=session, run=run):
        while True:
            sandbox = live_sandbox(session=session, run=run, cache=cache)
            due = _due_at(plan, plan.next_step)
            if due is None or due > sandbox.state.clock:
                break
            step_index = plan.next_step
            step = plan.steps[step_index]
            entry_lines = []
            for cid in plan.contact_ids:
                sandbox = live_sandbox(session=session, run=run, cache=cache)
                reason = _skip_reason(sandbox, plan, step, cid)
                if not reason:
                    try:
                        act(
                            session=session,
                            user=user,
                            run_id=run.id or 0,
                            action=_step_action(step, cid),
                            idempotency_key=f"plan{plan.id}:{step_index}:{cid}",
                            cache=cache,
                        )
                    except (Conflict, NotFound):
                        raise
                    except UserError as refused:
                        reason = refused.message
                line = {"step": step_index, "contact_id": cid, "skipped": reason}
                entry_lines.append(line)
                sent += not reason
                skipped += bool(reason)
            lines.extend(entry_lines)
            sandbox = live_sandbox(session=session, run=run, cache=cache)
            plan.log = [
                *plan.log,
                {
                    "step": step_index,
                    "at": sandbox.now,
                    "sent": sum(1 for x in entry_lines if not x["skipped"]),
                    "skipped": [x for x in entry_lines if x["skipped"]],
                },
            ]
            plan.next_step = step_index + 1
            if plan.next_step >= len(plan.steps):
                plan.status = "finished"
            plan.updated_at = utcnow()
            session.add(plan)
            session.commit()
    return SequenceSends(sent, skipped, lines)


def start_sequence(
    *,
    session: Session,
    user: User,
    run_id: int,
    plan_id: int,
    expected_count: int | None = None,
    cache: LiveSandboxes = live_sandboxes,
) -> SequenceSends:
    """Start a draft: snapshot its list's contacts and send step 0 to them now."""
    run = run_for(session=session, user=user, run_id=run_id)
    plan = sequence_for(session=session, run=run, plan_id=plan_id)
    if run.status is RunStatus.submitted:
        raise Conflict(HANDED_IN)
    if plan.status != "draft":
        return SequenceSends(0, 0, [])  # a retried start: it already ran
    if expected_count is not None and expected_count != run.event_count:
        raise Conflict(STALE)
    sandbox = live_sandbox(session=session, run=run, cache=cache)
    if not plan.list_name or plan.list_name not in sandbox.state.lists:
        raise UserError("Choose a lead list for this sequence before starting it.", field="list")
    members = list(sandbox.state.lists[plan.list_name])
    if not members:
        raise UserError(f"The list '{plan.list_name}' is empty.", field="list")
    if len(members) > MAX_SEQUENCE_CONTACTS:
        raise UserError(
            f"A sequence reaches at most {MAX_SEQUENCE_CONTACTS} contacts; the list has "
            f"{len(members)}.",
            field="list",
        )
    if sandbox.state.clock >= sandbox.state.end:
        raise UserError("The exercise period is over: nothing more can be sent.", field="plan")
    plan.contact_ids = members
    plan.status = "running"
    plan.started_at = sandbox.now
    plan.updated_at = utcnow()
    session.add(plan)
    session.commit()
    return _send_due_steps(session, user, run, cache)


# ---- the clock, with sequence steps sent on their day -----------------------------------

CLOCK_MODES = ("day", "next", "end")


@dataclass(frozen=True)
class ClockOutcome:
    run: Run
    events: list[dict[str, Any]]  # world events that happened meanwhile
    sends: SequenceSends
    replayed: bool = False


def next_sequence_step_at(*, session: Session, run: Run) -> int | None:
    due = [_due_at(p, p.next_step) for p in sequences_of(session=session, run=run)]
    found = [d for d in due if d is not None]
    return min(found) if found else None


def advance_clock(
    *,
    session: Session,
    user: User,
    run_id: int,
    mode: str,
    idempotency_key: str | None,
    expected_count: int | None = None,
    cache: LiveSandboxes = live_sandboxes,
) -> ClockOutcome:
    """Move simulated time by a day, to the next event, or to the end; sequence steps that
    fall due on the way are sent at their time. The first move carries the request's own
    idempotency key, so a retried request changes nothing."""
    key = _check_key(idempotency_key)
    if mode not in CLOCK_MODES:
        raise UserError("Advance the clock by 'day', to the 'next' event or to the 'end'.")
    run = run_for(session=session, user=user, run_id=run_id)
    sandbox = live_sandbox(session=session, run=run, cache=cache)
    start, end = sandbox.state.clock, sandbox.state.end
    if mode == "day":
        target = min(start + DAY_SECONDS, end)
    elif mode == "end":
        target = end
    else:
        candidates = [
            next_event_at_or_none(sandbox),
            next_sequence_step_at(session=session, run=run),
        ]
        upcoming = [c for c in candidates if c is not None and start < c <= end]
        if not upcoming and start < end:
            raise UserError(
                "Nothing is scheduled to happen yet: send something first, or move the "
                "clock by a day or to the end.",
                field="mode",
            )
        target = min([*upcoming, end])
    events: list[dict[str, Any]] = []
    sent = skipped = 0
    lines: list[dict[str, Any]] = []
    legs = 0
    while True:
        sandbox = live_sandbox(session=session, run=run, cache=cache)
        now = sandbox.state.clock
        due = next_sequence_step_at(session=session, run=run)
        stop = due if due is not None and now < due < target else target
        if stop > now or legs == 0:
            outcome = act(
                session=session,
                user=user,
                run_id=run_id,
                action={"type": "advance_clock", "until": iso(stop)},
                idempotency_key=key if legs == 0 else f"{key}:{legs}"[:MAX_KEY_LENGTH],
                expected_count=expected_count if legs == 0 else None,
                cache=cache,
            )
            if legs == 0 and outcome.replayed:
                return ClockOutcome(
                    outcome.run, _world(outcome.events), SequenceSends(0, 0, []), True
                )
            events.extend(_world(outcome.events))
            legs += 1
        round_ = _send_due_steps(session, user, run, cache)
        sent, skipped = sent + round_.sent, skipped + round_.skipped
        lines.extend(round_.lines)
        sandbox = live_sandbox(session=session, run=run, cache=cache)
        if sandbox.state.clock >= target:
            break
    return ClockOutcome(run, events, SequenceSends(sent, skipped, lines))


def _world(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in events if e.get("actor") == "world"]


def next_event_at_or_none(sandbox: Sandbox) -> int | None:
    """When the world's next scheduled outcome happens, if anything is scheduled."""
    pending = [p.at for p in sandbox._pending if not sandbox._void(p)]  # noqa: SLF001
    return min(pending) if pending else None
