"""The sandbox's live state: everything fold(events) produces.

Plain mutable slots classes, updated in place by one event at a time (an action costs
microseconds, not a refold). ``snapshot()`` turns the state into JSON so that tests can
compare a live sandbox with a replayed one.
"""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from course.vocabulary import ALL_STAGES, STAGES

__all__ = ["ALL_STAGES", "STAGES", "ContactState", "SandboxState"]


@dataclass(slots=True)
class ContactState:
    """What has happened to one contact (created on first contact with the world)."""

    touches: int = 0
    steps: dict[str, int] = field(default_factory=dict)  # channel -> messages sent
    last_touch_at: dict[str, int] = field(default_factory=dict)  # channel -> time
    channels: set[str] = field(default_factory=set)  # channels touched (incl. call)
    thread_quality: dict[str, float] = field(default_factory=dict)  # channel -> first message
    delivered: bool = False
    bounced: bool = False
    opened: bool = False
    replied: bool = False
    replied_on: set[str] = field(default_factory=set)
    reply_kind: str | None = None
    reply_pending: bool = False
    late_reply_cause: int | None = None  # the email whose "answer later" is still live
    optout_pending: bool = False
    unsubscribed: bool = False
    complained: bool = False
    dnc_requested: bool = False
    connection: str | None = None  # None, "pending", "accepted", "ignored"
    conversation: bool = False
    interest_at: int | None = None
    interest_source: str | None = None
    inbound: bool = False
    inbound_pending: bool = False
    stage: str | None = None
    stages_reached: list[str] = field(default_factory=list)
    stage_times: dict[str, int] = field(default_factory=dict)
    meeting: str | None = None  # invited, accepted, declined, held, no_show
    meeting_at: int | None = None
    meeting_cause: int | None = None  # the event that booked the meeting in the diary
    meeting_prep: list[str] = field(default_factory=list)  # reminder, agenda (meetings.py)
    wants_proposal: bool | None = None
    deal: str | None = None  # pending, won, lost
    revealed: list[str] = field(default_factory=list)
    qualification: dict[str, Any] | None = None
    explanations: list[dict[str, Any]] = field(default_factory=list)
    grievances: int = 0  # rules broken on this contact: each makes them angrier
    call_times: list[int] = field(default_factory=list)  # when each call was made (caps)

    def copy(self) -> ContactState:
        """An independent copy: every container one level down is copied (the values in
        them, event data and drawn texts, are never changed in place). Written out field
        by field: a loop over the slots costs ten times as much."""
        return ContactState(
            touches=self.touches,
            steps=self.steps.copy(),
            last_touch_at=self.last_touch_at.copy(),
            channels=self.channels.copy(),
            thread_quality=self.thread_quality.copy(),
            delivered=self.delivered,
            bounced=self.bounced,
            opened=self.opened,
            replied=self.replied,
            replied_on=self.replied_on.copy(),
            reply_kind=self.reply_kind,
            reply_pending=self.reply_pending,
            late_reply_cause=self.late_reply_cause,
            optout_pending=self.optout_pending,
            unsubscribed=self.unsubscribed,
            complained=self.complained,
            dnc_requested=self.dnc_requested,
            connection=self.connection,
            conversation=self.conversation,
            interest_at=self.interest_at,
            interest_source=self.interest_source,
            inbound=self.inbound,
            inbound_pending=self.inbound_pending,
            stage=self.stage,
            stages_reached=self.stages_reached.copy(),
            stage_times=self.stage_times.copy(),
            meeting=self.meeting,
            meeting_at=self.meeting_at,
            meeting_cause=self.meeting_cause,
            meeting_prep=self.meeting_prep.copy(),
            wants_proposal=self.wants_proposal,
            deal=self.deal,
            revealed=self.revealed.copy(),
            qualification=self.qualification,  # replaced whole, never changed in place
            explanations=self.explanations.copy(),
            grievances=self.grievances,
            call_times=self.call_times.copy(),
        )

    def snapshot(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in self.__slots__:
            value = getattr(self, name)
            out[name] = sorted(value) if isinstance(value, set) else value
        return out


@dataclass(slots=True)
class SandboxState:
    start: int
    end: int
    clock: int
    budget: float
    spent: float = 0.0
    spent_by_channel: dict[str, float] = field(default_factory=dict)
    contacts: dict[str, ContactState] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)
    record_sources: dict[str, str] = field(default_factory=dict)  # contact -> list bought
    viewed: set[str] = field(default_factory=set)
    counts: Counter[str] = field(default_factory=Counter)
    violations: list[dict[str, Any]] = field(default_factory=list)
    submitted: dict[str, Any] | None = None
    call: Any = None  # the live call in progress (call_machine.CallState), if any
    calls: list[dict[str, Any]] = field(default_factory=list)  # finished calls, snapshots
    #: contacts whose state another copy holds too: copied here on their first change
    shared: set[str] = field(default_factory=set, repr=False, compare=False)

    def contact(self, contact_id: str) -> ContactState:
        """A contact's state to change (created on first contact; this copy's own)."""
        found = self.contacts.get(contact_id)
        if found is None:
            found = self.contacts[contact_id] = ContactState()
        elif contact_id in self.shared:
            found = self.contacts[contact_id] = found.copy()
            self.shared.discard(contact_id)
        return found

    def copy(self) -> SandboxState:
        """An independent copy (for copy-on-write: see ``Sandbox.fork``).

        Contact states are shared until one side changes one (``contact`` copies it
        then), so a copy costs a dict of pointers, not a copy of every touched contact:
        every change to a contact's state goes through ``contact``; reads use ``contacts``.
        """
        everyone = set(self.contacts)
        self.shared = everyone.copy()
        return SandboxState(
            start=self.start,
            end=self.end,
            clock=self.clock,
            budget=self.budget,
            spent=self.spent,
            spent_by_channel=dict(self.spent_by_channel),
            contacts=dict(self.contacts),
            lists={k: list(v) for k, v in self.lists.items()},
            record_sources=dict(self.record_sources),
            viewed=set(self.viewed),
            counts=Counter(self.counts),
            violations=list(self.violations),
            submitted=self.submitted,
            call=copy.deepcopy(self.call),
            calls=list(self.calls),
            shared=everyone,
        )

    @property
    def remaining_budget(self) -> float:
        return round(self.budget - self.spent, 2)

    def snapshot(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "clock": self.clock,
            "budget": self.budget,
            "spent": self.spent,
            "spent_by_channel": dict(sorted(self.spent_by_channel.items())),
            "contacts": {k: self.contacts[k].snapshot() for k in sorted(self.contacts)},
            "lists": {k: list(v) for k, v in sorted(self.lists.items())},
            "record_sources": dict(sorted(self.record_sources.items())),
            "viewed": sorted(self.viewed),
            "counts": dict(sorted(self.counts.items())),
            "violations": list(self.violations),
            "submitted": self.submitted,
            "call": None if self.call is None else self.call.snapshot(),
            "calls": list(self.calls),
        }
