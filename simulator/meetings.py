"""Meetings in the diary: booked, prepared for, then held or missed when their time comes.

A meeting's outcome is drawn when it is booked (one uniform number for showing up, one
for whether a held meeting asks for a proposal, and both texts) but decided only when
the clock passes the meeting: the draw is compared with the show rate the preparation
done by then earns. That is why the queue holds a ``meeting_due`` item (never logged)
instead of a held or no-show event: a reminder sent or an agenda confirmed after
booking must count. The same draw is kept whatever the learner does, so preparing can
turn a no-show into a held meeting and never the other way round.

Show rates (docs/simulator.md cites them): 30% of unprepared cold-booked meetings are
missed; a reminder and a confirmed agenda each cut the no-shows by a factor, together to
about 10%.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from . import events as ev
from .events import ActionRefused
from .response import Params
from .state import ContactState

#: what a learner can do between booking and meeting, each lowering the no-show odds
PREPARATION = ("reminder", "agenda")
#: a reminder counts in the two days before the meeting (sent earlier, it is forgotten)
REMINDER_WINDOW_HOURS = 48
#: when a missed meeting is given up (15 minutes in) and a held one ends (30 minutes)
NO_SHOW_AFTER = 900
HELD_AFTER = 1800


def show_rate(params: Params, prepared: Iterable[str]) -> float:
    """The chance a booked meeting is held, given the preparation done for it."""
    done = set(prepared)
    no_show = 1.0 - params.meeting_show_rate
    if "reminder" in done:
        no_show *= params.meeting_reminder_no_show_factor
    if "agenda" in done:
        no_show *= params.meeting_agenda_no_show_factor
    return 1.0 - no_show


def due_item(
    base: dict[str, Any],
    meeting_at: int,
    draw: float,
    *,
    held: dict[str, Any],
    missed: dict[str, Any],
) -> dict[str, Any]:
    """The queue's data for a meeting due at ``meeting_at``: the draw and both outcomes."""
    return {**base, "meeting_at": meeting_at, "draw": draw, "held": held, "no_show": missed}


def resolve(
    data: dict[str, Any], cs: ContactState | None, params: Params
) -> tuple[str, int, dict[str, Any]] | None:
    """(event type, time, data) a due meeting becomes, or None if it is no longer in the
    diary (another meeting replaced it)."""
    if cs is None or cs.meeting != "accepted" or cs.meeting_cause != data["cause"]:
        return None
    at = int(data["meeting_at"])
    if data["draw"] < show_rate(params, cs.meeting_prep):
        return ev.MEETING_HELD, at + HELD_AFTER, data["held"]
    return ev.MEETING_NO_SHOW, at + NO_SHOW_AFTER, data["no_show"]


def check_preparation(cs: ContactState | None, name: str, kind: str, clock: int) -> None:
    """Refuse a reminder or an agenda unless a meeting is booked, still ahead and not
    already prepared that way (``name`` is the contact's name, for the message)."""
    if cs is None or cs.meeting not in ("accepted",) or cs.meeting_at is None:
        waiting = cs is not None and cs.meeting == "invited"
        detail = "has not accepted the invitation yet" if waiting else "has no meeting booked"
        raise ActionRefused(f"{name} {detail}: there is nothing to prepare", "contact_id")
    if cs.meeting_at <= clock:
        raise ActionRefused(f"the meeting with {name} has already started", "contact_id")
    if kind in cs.meeting_prep:
        what = "a reminder was already sent" if kind == "reminder" else "the agenda is confirmed"
        raise ActionRefused(f"{what} for the meeting with {name}", "contact_id")
    hours = (cs.meeting_at - clock) / 3600
    if kind == "reminder" and hours > REMINDER_WINDOW_HOURS:
        raise ActionRefused(
            f"too early: the meeting with {name} is {hours:.0f} hours away; a reminder works"
            f" in the {REMINDER_WINDOW_HOURS} hours before it",
            "contact_id",
        )
