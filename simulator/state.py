"""The sandbox's live state: everything fold(events) produces.

Plain mutable slots classes, updated in place by one event at a time (an action costs
microseconds, not a refold). ``snapshot()`` turns the state into JSON so that tests can
compare a live sandbox with a replayed one.
"""

from __future__ import annotations

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
    wants_proposal: bool | None = None
    deal: str | None = None  # pending, won, lost
    revealed: list[str] = field(default_factory=list)
    qualification: dict[str, Any] | None = None
    explanations: list[dict[str, Any]] = field(default_factory=list)

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
    viewed: set[str] = field(default_factory=set)
    counts: Counter[str] = field(default_factory=Counter)
    violations: list[dict[str, Any]] = field(default_factory=list)
    submitted: dict[str, Any] | None = None
    call: Any = None  # the live call in progress (call_machine.CallState), if any
    calls: list[dict[str, Any]] = field(default_factory=list)  # finished calls, snapshots

    def contact(self, contact_id: str) -> ContactState:
        found = self.contacts.get(contact_id)
        if found is None:
            found = self.contacts[contact_id] = ContactState()
        return found

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
            "viewed": sorted(self.viewed),
            "counts": dict(sorted(self.counts.items())),
            "violations": list(self.violations),
            "submitted": self.submitted,
            "call": None if self.call is None else self.call.snapshot(),
            "calls": list(self.calls),
        }
