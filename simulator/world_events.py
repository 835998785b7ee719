"""How a world event changes the state: one small fold per event type.

A world event is a drawn outcome whose time has come (a reply, a bounce, a meeting held).
Its fold reads nothing but the state and the event: no draws and no world lookups, so
a replayed log folds to the very same state. Learner events are folded by the appliers of
the outcomes_* modules, which also draw what those events cause.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from . import events as ev
from .events import Event, parse_iso
from .replies import POSITIVE_KINDS
from .state import ContactState, SandboxState

Fold = Callable[[SandboxState, ContactState, Mapping[str, Any], int], None]


def apply_world_event(state: SandboxState, event: Event, at: int) -> None:
    """Fold one world event (visible at ``at``, Unix seconds) into ``state``."""
    data = event.data
    cs = state.contact(data["contact_id"]) if "contact_id" in data else None
    if event.type == ev.VIOLATION:
        state.counts["violations"] += 1
        state.violations.append(dict(data, at=event.at))
        return
    fold = _FOLDS.get(event.type)
    if fold is not None and cs is not None:
        fold(state, cs, data, at)


def enter_stage(cs: ContactState, stage: str, at: int) -> None:
    """Move a contact to ``stage``, remembering when it first reached it."""
    cs.stage = stage
    if stage not in cs.stages_reached:
        cs.stages_reached.append(stage)
        cs.stage_times[stage] = at


def _counted(key: str, flag: str) -> Fold:
    """A fold that counts the event and sets one flag on the contact."""

    def fold(state: SandboxState, cs: ContactState, data: Mapping[str, Any], at: int) -> None:
        state.counts[key] += 1
        setattr(cs, flag, True)

    return fold


def _meeting(key: str, meeting: str) -> Fold:
    """A fold that counts a meeting outcome and records the meeting's new status."""

    def fold(state: SandboxState, cs: ContactState, data: Mapping[str, Any], at: int) -> None:
        state.counts[key] += 1
        cs.meeting = meeting

    return fold


def _replied(state: SandboxState, cs: ContactState, data: Mapping[str, Any], at: int) -> None:
    channel = data["channel"]
    state.counts[f"replied_{channel}"] += 1
    cs.replied = True
    cs.reply_pending = False
    cs.replied_on.add(channel)
    cs.reply_kind = data["kind"]
    if data["kind"] in POSITIVE_KINDS:
        cs.interest_at, cs.interest_source = at, data["kind"]


def _opted_out(kind: str, flag: str) -> Fold:
    def fold(state: SandboxState, cs: ContactState, data: Mapping[str, Any], at: int) -> None:
        state.counts[kind] += 1
        cs.optout_pending = False
        setattr(cs, flag, True)

    return fold


def _connected(state: SandboxState, cs: ContactState, data: Mapping[str, Any], at: int) -> None:
    state.counts["linkedin_accepted"] += 1
    cs.connection = "accepted"


def _call_result(state: SandboxState, cs: ContactState, data: Mapping[str, Any], at: int) -> None:
    state.counts["calls_connected"] += bool(data["connected"])
    if data["conversation"]:
        state.counts["conversations"] += 1
        cs.conversation = True
        cs.replied_on.add("call")
        cs.reply_kind = data["kind"]
        if data.get("meeting"):  # agreed to a meeting on the call (absent in older logs)
            state.counts["call_meetings"] += 1
            cs.interest_at, cs.interest_source = at, "call_meeting"
        elif data["kind"] in POSITIVE_KINDS:
            cs.interest_at, cs.interest_source = at, "call"


def _answers(state: SandboxState, cs: ContactState, data: Mapping[str, Any], at: int) -> None:
    for criterion in data["revealed"]:
        if criterion not in cs.revealed:
            cs.revealed.append(criterion)


def _accepted(state: SandboxState, cs: ContactState, data: Mapping[str, Any], at: int) -> None:
    state.counts["meetings_booked"] += 1
    cs.meeting = "accepted"
    cs.meeting_at = parse_iso(data["meeting_at"])
    cs.meeting_cause = data["cause"]  # the booking whose due meeting will count
    cs.meeting_prep = []


def _held(state: SandboxState, cs: ContactState, data: Mapping[str, Any], at: int) -> None:
    state.counts["meetings_held"] += 1
    cs.meeting = "held"
    cs.wants_proposal = bool(data["wants_proposal"])


def _deal(won: bool) -> Fold:
    kind = ev.DEAL_WON if won else ev.DEAL_LOST

    def fold(state: SandboxState, cs: ContactState, data: Mapping[str, Any], at: int) -> None:
        state.counts[kind] += 1
        cs.deal = "won" if won else "lost"

    return fold


def _inbound(state: SandboxState, cs: ContactState, data: Mapping[str, Any], at: int) -> None:
    state.counts["inbound_leads"] += 1
    cs.inbound = True
    cs.inbound_pending = False
    if data["wants_call"]:
        cs.interest_at, cs.interest_source = at, "inbound"
    if cs.stage is None:  # a CRM form capture enters the pipeline by itself
        enter_stage(cs, "lead", at)


def _call_ended(state: SandboxState, cs: ContactState, data: Mapping[str, Any], at: int) -> None:
    """A live call ended (a meeting agreed on it has its own accepted/held events)."""
    state.counts["live_calls_ended"] += 1
    cs.conversation = True
    cs.replied_on.add("call")
    if data.get("meeting_at") and cs.interest_at is None:  # the meeting: its own events
        cs.interest_at, cs.interest_source = at, "call"


def _dnc_requested(state: SandboxState, cs: ContactState, data: Mapping[str, Any], at: int) -> None:
    state.counts["dnc_requests"] += 1
    cs.dnc_requested = True


_FOLDS: dict[str, Fold] = {
    ev.CONVERSATION_ENDED: _call_ended,
    ev.DO_NOT_CALL_REQUESTED: _dnc_requested,
    ev.DELIVERED: _counted("delivered", "delivered"),
    ev.BOUNCED: _counted("bounced", "bounced"),
    ev.OPENED: _counted("opened", "opened"),
    ev.REPLIED: _replied,
    ev.UNSUBSCRIBED: _opted_out(ev.UNSUBSCRIBED, "unsubscribed"),
    ev.COMPLAINED: _opted_out(ev.COMPLAINED, "complained"),
    ev.CONNECTION_ACCEPTED: _connected,
    ev.CALL_RESULT: _call_result,
    ev.DISCOVERY_ANSWERS: _answers,
    ev.MEETING_ACCEPTED: _accepted,
    ev.MEETING_DECLINED: _meeting("meetings_declined", "declined"),
    ev.MEETING_HELD: _held,
    ev.MEETING_NO_SHOW: _meeting("meetings_no_show", "no_show"),
    ev.DEAL_WON: _deal(won=True),
    ev.DEAL_LOST: _deal(won=False),
    ev.INBOUND_LEAD: _inbound,
}
