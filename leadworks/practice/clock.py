"""The simulated clock: moving time by an hour, hours or a day, to a chosen date and time
(UTC, as the header shows it), to the next event, or to the end.

It stops at every sequence step that falls due on the way and sends it at its time, so a
follow-up goes out on its day whether the learner moves the clock a day or a month.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from leadworks.accounts.models import User
from leadworks.core.errors import UserError
from leadworks.core.idempotency import MAX_KEY_LENGTH, check_idempotency_key
from leadworks.practice.live import LiveSandboxes
from leadworks.practice.models import Run
from leadworks.practice.sequences import (
    DAY_SECONDS,
    SequenceSends,
    due_at,
    send_due_steps,
    sequences_of,
)
from leadworks.practice.service import act, live_sandbox, run_for
from simulator import Sandbox
from simulator.events import iso, parse_iso

CLOCK_MODES = ("hour", "hours", "day", "until", "next", "end")
HOUR_SECONDS = 3_600
MAX_HOURS = 24 * 60  # far beyond any exercise; a bigger number is a typo


@dataclass(frozen=True)
class ClockOutcome:
    run: Run
    events: list[dict[str, Any]]  # world events that happened meanwhile
    sends: SequenceSends
    replayed: bool = False


def next_sequence_step_at(*, session: Session, run: Run) -> int | None:
    due = [due_at(p, p.next_step) for p in sequences_of(session=session, run=run)]
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
    cache: LiveSandboxes,
    hours: str | None = None,
    until: str | None = None,
) -> ClockOutcome:
    """Move simulated time by an hour, some hours or a day, to a chosen time, to the next
    event, or to the end; sequence steps that fall due on the way are sent at their time
    (scheduled sends go out inside the world itself). The first move carries the request's
    own idempotency key, so a retried request changes nothing."""
    key = check_idempotency_key(idempotency_key)
    if mode not in CLOCK_MODES:
        raise UserError(
            "Advance the clock by an 'hour', some 'hours' or a 'day', 'until' a time, to the"
            " 'next' event or to the 'end'.",
            field="mode",
        )
    run = run_for(session=session, user=user, run_id=run_id)
    sandbox = live_sandbox(session=session, run=run, cache=cache)
    if mode == "hours":
        target = min(sandbox.state.clock + parse_hours(hours), sandbox.state.end)
    elif mode == "until":
        target = parse_until(until, sandbox.state.clock, sandbox.state.end)
    else:
        target = _target(session, run, sandbox, mode)
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
        round_ = send_due_steps(session, user, run, cache)
        sent, skipped = sent + round_.sent, skipped + round_.skipped
        lines.extend(round_.lines)
        sandbox = live_sandbox(session=session, run=run, cache=cache)
        if sandbox.state.clock >= target:
            break
    return ClockOutcome(run, events, SequenceSends(sent, skipped, lines))


def _target(session: Session, run: Run, sandbox: Sandbox, mode: str) -> int:
    """Where the clock stops: a day on, the end, or the next thing scheduled to happen."""
    start, end = sandbox.state.clock, sandbox.state.end
    if mode == "hour":
        return min(start + HOUR_SECONDS, end)
    if mode == "day":
        return min(start + DAY_SECONDS, end)
    if mode == "end":
        return end
    candidates = [next_event_at_or_none(sandbox), next_sequence_step_at(session=session, run=run)]
    upcoming = [c for c in candidates if c is not None and start < c <= end]
    if not upcoming and start < end:
        raise UserError(
            "Nothing is scheduled to happen yet: send something first, or move the "
            "clock by a day or to the end.",
            field="mode",
        )
    return min([*upcoming, end])


def parse_hours(raw: str | None) -> int:
    """A number of hours as a person types it ("3", "1.5") -> seconds, refused clearly."""
    try:
        value = float(str(raw or "").strip().replace(",", "."))
    except ValueError:
        raise UserError("Enter the hours to move as a number, e.g. 3.", field="hours") from None
    if not math.isfinite(value) or value <= 0 or value > MAX_HOURS:
        raise UserError(
            f"Move the clock by more than 0 and at most {MAX_HOURS:,} hours.", field="hours"
        )
    return max(60, round(value * HOUR_SECONDS / 60) * 60)  # whole minutes


def parse_until(raw: str | None, now: int, end: int) -> int:
    """A chosen date and time (UTC, ``2025-03-04T09:30``) -> Unix seconds, inside the run."""
    text = str(raw or "").strip()
    try:
        if not text or len(text) > 40:
            raise ValueError(text)
        target = parse_iso(text)
    except ValueError:
        raise UserError(
            "Choose the date and time to move to, e.g. 2025-03-04 09:30 (UTC).", field="until"
        ) from None
    if target <= now:
        raise UserError(f"Time only moves forward: it is already {iso(now)}.", field="until")
    if target > end:
        raise UserError(f"The exercise ends at {iso(end)}: choose a time before.", field="until")
    return target


def _world(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in events if e.get("actor") == "world"]


def next_event_at_or_none(sandbox: Sandbox) -> int | None:
    """When the world's next scheduled outcome happens, if anything is scheduled."""
    pending = [p.at for p in sandbox._pending if not sandbox._void(p)]  # noqa: SLF001
    return min(pending) if pending else None
