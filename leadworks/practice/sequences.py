"""Follow-up sequences: plans of timed steps a learner builds, starts on a lead list, and
that send themselves as the clock moves (``leadworks.practice.clock`` stops at every step
that falls due and calls ``send_due_steps``).

A plan is stored beside the run (a draft changes no sandbox); each step it sends is an
ordinary learner action through ``act``, with an idempotency key naming plan, step and
contact.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from leadworks.accounts.models import User
from leadworks.core.errors import Conflict, NotFound, UserError
from leadworks.core.idempotency import check_idempotency_key
from leadworks.core.timeutil import utcnow
from leadworks.practice.live import LiveSandboxes
from leadworks.practice.models import Run, RunStatus, SequencePlan
from leadworks.practice.send_time import as_scheduled, next_local, parse_hhmm
from leadworks.practice.service import (
    HANDED_IN,
    MAX_MESSAGE_CHARS,
    STALE,
    act,
    live_sandbox,
    run_for,
)
from simulator import Sandbox
from simulator.calling_hours import may_call_at, next_allowed
from simulator.events import parse_iso

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
        send_time = parse_hhmm(str(raw.get("send_time") or ""), f"{where}.send_time")
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
                "send_time": send_time,
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
    cache: LiveSandboxes,
) -> SequencePlan:
    """Store a sequence as a draft (nothing is sent until it is started)."""
    key = check_idempotency_key(idempotency_key)
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


def due_at(plan: SequencePlan, step: int) -> int | None:
    """When step ``step`` of a running plan falls due (None when it never will): the
    start plus the delays of the steps after the first, up to this one."""
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


def _timed_step(
    sandbox: Sandbox, plan: SequencePlan, step: dict[str, Any], cid: str
) -> tuple[dict[str, Any], int | None]:
    """The step's action for one contact, timed: at the step's send time in the contact's
    own zone (the first such moment from now), and a call never outside their hours (the
    next allowed slot instead). A later time becomes a scheduled send (which skips them if
    they reply meanwhile, when the plan stops on replies); None: after the exercise ends."""
    action = _step_action(step, cid)
    contact = sandbox.world.contact(cid)
    now = sandbox.state.clock
    if contact is None:
        return action, now
    company = sandbox.world.company_of(contact)
    at = next_local(company.timezone, now, step["send_time"]) if step.get("send_time") else now
    if step["channel"] == "call" and not may_call_at(company, contact, at):
        try:
            at = next_allowed(company, contact, at)
        except ValueError:
            return action, now  # never callable: the world records the call as it is
    if at > sandbox.state.end:
        return action, None
    if at == now:
        return action, now
    return as_scheduled(action, at, unless_replied=plan.stop_on_reply), at


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


def send_due_steps(session: Session, user: User, run: Run, cache: LiveSandboxes) -> SequenceSends:
    """Send every step that is due by the run's clock, as learner actions. Each send's
    idempotency key names plan, step and contact, so no step ever reaches anyone twice."""
    sent = skipped = 0
    lines: list[dict[str, Any]] = []
    for plan in sequences_of(session=session, run=run):
        while True:
            sandbox = live_sandbox(session=session, run=run, cache=cache)
            due = due_at(plan, plan.next_step)
            if due is None or due > sandbox.state.clock:
                break
            step_index = plan.next_step
            step = plan.steps[step_index]
            entry_lines = []
            for cid in plan.contact_ids:
                sandbox = live_sandbox(session=session, run=run, cache=cache)
                reason = _skip_reason(sandbox, plan, step, cid)
                action, at = _timed_step(sandbox, plan, step, cid)
                if not reason and at is None:
                    reason = "its time falls after the exercise ends"
                if not reason:
                    try:
                        act(
                            session=session,
                            user=user,
                            run_id=run.id or 0,
                            action=action,
                            idempotency_key=f"plan{plan.id}:{step_index}:{cid}",
                            cache=cache,
                        )
                    except (Conflict, NotFound):
                        raise
                    except UserError as refused:
                        reason = refused.message
                line = {"step": step_index, "contact_id": cid, "skipped": reason}
                if action["type"] == "schedule_send" and not reason:
                    line["scheduled"] = action["at"]
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
    cache: LiveSandboxes,
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
    return send_due_steps(session, user, run, cache)
