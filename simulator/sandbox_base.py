"""The sandbox's shared ground: its state, its log, its outcome queue and its lookups.

``Sandbox`` (sandbox.py) is assembled from this base and its parts: the action rules
(sandbox_rules.py: what is refused), the read-only views (sandbox_views.py), and what
actions cause (outcomes_messages.py, outcomes_conversations.py, outcomes_pipeline.py,
with outcomes_shared.py). Drawn outcomes wait in the queue here and become world events,
folded by world_events.py, when the clock passes their time.
"""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from course.exercise_specs import ExerciseSpec

from . import events as ev
from .events import ActionRefused, Event, iso
from .market import Company, Contact, World
from .meetings import resolve
from .packs import IndustryPack
from .response import Params
from .seeds import Stream, derive_seed
from .signals import SignalCache
from .state import ContactState, SandboxState
from .timezones import local_hour_and_weekday
from .world_events import apply_world_event

MODEL_VERSION = 6  # 3: the law table, sender reputation and angry prospects (issue 13);
# 4: meetings are decided when due, by the preparation done (issue 14); 5: an aggrieved buyer
# picks up a live call guarded, budgets on calls in the country's currency, CASL's second
# contact method read strictly, the reference calls screen registers (issue 13); 6: every
# persona has a voice of its own on live calls (a seeded order of wordings, issue 14)
DAY = 86_400
HOUR = 3_600


class _Pending(NamedTuple):
    """A drawn outcome waiting for the clock. Tuples compare in C: (at, cause, n) is unique."""

    at: int
    cause: int
    n: int
    type: str
    data: dict[str, Any]


class SandboxBase:
    """State, log and lookups shared by the rules, the outcomes and the public sandbox."""

    world: World
    exercise: ExerciseSpec
    params: Params
    state: SandboxState
    _signals: SignalCache
    _pack: IndustryPack
    _events: list[Event]
    _pending: list[_Pending]
    _scheduled: int
    _outcome_prefix: bytes
    _validators: dict[str, Callable[[Any, dict[str, Any]], None]]  # (sandbox, data)
    _appliers: dict[str, Callable[[Any, Event], None]]  # (sandbox, event)

    @property
    def events(self) -> tuple[Event, ...]:
        return tuple(self._events)

    @property
    def event_count(self) -> int:
        return len(self._events)

    @property
    def now(self) -> str:
        return iso(self.state.clock)

    @property
    def submitted(self) -> bool:
        return self.state.submitted is not None

    def events_since(self, seq: int) -> list[Event]:
        return self._events[seq:]

    def _schedule(self, at: int, cause: int, type_: str, data: dict[str, Any]) -> None:
        """Queue an outcome; ties on (time, cause) keep the order they were drawn in."""
        self._scheduled += 1
        heapq.heappush(self._pending, _Pending(at, cause, self._scheduled, type_, data))

    def _append_world(self, type_: str, at: int, data: dict[str, Any]) -> Event:
        event = Event(len(self._events), type_, iso(at), ev.WORLD, data)
        self._events.append(event)
        apply_world_event(self.state, event, at)
        return event

    def _emit_due(self, until: int) -> None:
        while self._pending and self._pending[0].at <= until:
            item = heapq.heappop(self._pending)
            if item.type == ev.MEETING_DUE:
                self._meeting_due(item)
                continue
            if self._void(item):
                continue
            self.state.clock = max(self.state.clock, item.at)
            if item.type == ev.SCHEDULED_DUE:
                self._fire_scheduled(item)
            else:
                self._append_world(item.type, item.at, item.data)

    def _fire_scheduled(self, item: _Pending) -> None:
        """A scheduled send's time has come (scheduled.py sends it)."""
        raise NotImplementedError

    def _meeting_due(self, item: _Pending) -> None:
        """A meeting's time has come: held (its event when it ends) or missed, by the
        preparation done for it (meetings.py)."""
        cs = self.state.contacts.get(item.data["contact_id"])
        found = resolve(item.data, cs, self.params)
        if found is None:
            return
        type_, at, data = found
        if at > item.at:
            self._schedule(at, item.cause, type_, data)
            return
        self.state.clock = max(self.state.clock, at)
        self._append_world(type_, at, data)

    def _shown_at(self, item: _Pending) -> int | None:
        """When a queued outcome becomes a visible event (a due meeting: when it is held
        or missed, as things stand), or None if it never will."""
        if item.type == ev.MEETING_DUE:
            found = resolve(
                item.data, self.state.contacts.get(item.data["contact_id"]), self.params
            )
            return None if found is None else found[1]
        return None if self._void(item) else item.at

    def _void(self, item: _Pending) -> bool:
        """Outcomes overtaken by events: a deal decided after the learner marked it lost;
        a late answer after a newer email, a reply or an opt-out."""
        if item.type in (ev.DEAL_WON, ev.DEAL_LOST):
            cs = self.state.contacts.get(item.data["contact_id"])
            return cs is None or cs.stage != "opportunity"
        if item.type == ev.REPLIED and item.data.get("late"):
            cs = self.state.contacts.get(item.data["contact_id"])
            return cs is None or cs.late_reply_cause != item.cause or _answered(cs)
        return False

    def _rng(self, seq: int, label: str = "outcome") -> Stream:
        """``Stream(derive_seed(world seed, label, seq))``, with the hashing prefix reused."""
        if label != "outcome":
            return Stream(derive_seed(self.world.seed, label, seq))
        text = self._outcome_prefix + str(seq).encode("ascii")
        return Stream(int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big"))

    def _contact(self, data: Mapping[str, Any], field_name: str = "contact_id") -> Contact:
        contact_id = data.get(field_name)
        contact = self.world.contact(contact_id) if isinstance(contact_id, str) else None
        if contact is None:
            raise ActionRefused(f"no contact with id {contact_id!r} in this market", field_name)
        return contact

    def _company(self, contact: Contact) -> Company:
        return self.world.company_of(contact)

    def _cs(self, contact_id: str) -> ContactState:
        return self.state.contact(contact_id)

    def _peek(self, contact_id: str) -> ContactState | None:
        return self.state.contacts.get(contact_id)

    def opted_out(self, contact: Contact) -> bool:
        cs = self._peek(contact.id)
        return contact.truth.opted_out or (cs is not None and (cs.unsubscribed or cs.complained))

    def do_not_call(self, contact: Contact) -> bool:
        cs = self._peek(contact.id)
        return contact.truth.do_not_call or (cs is not None and cs.dnc_requested)

    def local_time(self, contact: Contact, at: int | None = None) -> tuple[int, int, int]:
        """(hour, minute, weekday) where the contact's company is."""
        moment = self.state.clock if at is None else at
        return local_hour_and_weekday(self._company(contact).timezone, moment)

    def merge_values(self, contact: Contact) -> dict[str, str | None]:
        company = self._company(contact)
        client = self.exercise.client
        researched = contact.id in self.state.viewed or any(
            c.id in self.state.viewed for c in self.world.contacts_at(company.id)
        )
        return {
            "first_name": contact.first_name,
            "last_name": contact.last_name,
            "full_name": contact.name,
            "title": contact.title,
            "company": company.name,
            "city": company.city,
            "segment": self._pack.segments[company.segment].noun,
            "pain": contact.pain,
            "tool": company.tools[0],
            "fact": company.facts[0] if researched else None,
            "sender_name": client.sender_name,
            "sender_company": client.company,
            "sender_address": client.postal_address,
            "offer": client.offer,
        }

    def prospect_context(self, contact: Contact, channel: str = "email") -> dict[str, Any]:
        """The ``prospect`` part of the grader's outreach context for one contact."""
        company = self._company(contact)
        blocked = self.opted_out(contact) or (channel == "call" and self.do_not_call(contact))
        return {
            "first_name": contact.first_name,
            "last_name": contact.last_name,
            "title": contact.title,
            "company": company.name,
            "industry": self._pack.label,
            "facts": list(company.facts),
            "pains": list(company.pains),
            "do_not_contact": blocked,
        }

    def outreach_context(self, contact: Contact | None, channel: str = "email") -> dict[str, Any]:
        client = self.exercise.client
        context: dict[str, Any] = {
            "sender": {
                "name": client.sender_name,
                "company": client.company,
                "postal_address": client.postal_address,
            },
            "offer": client.offer,
        }
        if contact is not None:
            context["prospect"] = self.prospect_context(contact, channel)
        return context


def truth_decision(contact: Contact) -> str:
    """The right call for a lead: advance (all four BANT), nurture (need, not ready), drop."""
    truth = contact.truth
    if not truth.need:
        return "disqualify"
    if truth.budget and truth.authority and truth.timeline:
        return "advance"
    return "nurture"


def _answered(cs: ContactState) -> bool:
    """Replied, about to reply, or opted out: a late answer no longer comes."""
    return cs.replied or cs.reply_pending or cs.optout_pending or cs.unsubscribed or cs.complained


def _nothing(_: object, __: object) -> None:
    return None


Handlers = dict[str, Callable[..., None]]
_CLASS_HANDLERS: dict[type, tuple[Handlers, Handlers]] = {}


def class_handlers(
    cls: type, table: Mapping[str, tuple[str | None, str | None]]
) -> tuple[Handlers, Handlers]:
    """Each event type's validator and applier (method names in ``table``) as functions of
    (sandbox, data) and (sandbox, event), made once per class. Kept as bound methods on a
    sandbox they made it a reference cycle, so each fork an action replaced stayed in
    memory until a full collection walked it."""
    found = _CLASS_HANDLERS.get(cls)
    if found is None:
        validators = {k: getattr(cls, v) if v else _nothing for k, (v, _) in table.items()}
        appliers = {k: getattr(cls, a) if a else _nothing for k, (_, a) in table.items()}
        found = _CLASS_HANDLERS[cls] = (validators, appliers)
    return found
