"""What the outcomes of several actions share: a touch, a violation, a referral, a reason.

The appliers of learner events (outcomes_messages, outcomes_conversations,
outcomes_pipeline) build on these. Each draws only from the stream of the event that
caused it (``self._rng(event.seq)``), so replay draws the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import events as ev
from .events import Event
from .law import Rule, call_cap, registry_rule
from .market import Contact
from .sandbox_base import DAY, SandboxBase
from .state import ContactState


class OutcomeTools(SandboxBase):
    """Helpers for the appliers: nothing here is called for a world event."""

    def _violation(
        self,
        event: Event,
        kind: str,
        contact: Contact,
        detail: str,
        rule: Rule | None = None,
        *,
        angers: bool = True,
    ) -> None:
        """Record a broken rule (with its source from the law table); one the prospect feels
        (a call at night, mail they never agreed to) angers them: their later odds, and this
        touch's if drawn after, read ``grievances``."""
        data: dict[str, Any] = {
            "kind": kind,
            "contact_id": contact.id,
            "cause": event.seq,
            "detail": detail,
        }
        if rule is not None:
            data.update(rule=rule.id, basis=rule.basis, source=rule.source)
        if angers:
            self._cs(contact.id).grievances += 1
        self._schedule(self.state.clock, event.seq, ev.VIOLATION, data)

    def _call_law(self, event: Event, contact: Contact, cs: ContactState) -> None:
        """The rules a call breaks whatever its hour: a do-not-call register the contact's
        number is on, a cap on calls to one person (``_touch`` has logged this call)."""
        company = self._company(contact)
        registered = registry_rule(contact)
        if registered is not None:
            registry, rule = registered
            detail = f"{contact.phone} is on {registry.name}: screen numbers before calling"
            self._violation(event, "call_registered_number", contact, detail, rule)
        cap = call_cap(company)
        if cap is not None:
            calls, hours, rule = cap
            recent = [t for t in cs.call_times if t > self.state.clock - hours * 3600]
            if len(recent) > calls:
                detail = f"call {len(recent)} to {contact.name} in {hours} hours (at most {calls})"
                self._violation(event, "call_cap_exceeded", contact, detail, rule)

    def record_flaws(self, contact: Contact) -> tuple[bool, bool]:
        """(stale email, wrong role) of the learner's record (list_sources.ListOutcomes)."""
        return False, False

    def _touch(self, cs: ContactState, channel: str) -> tuple[int, float | None]:
        step = cs.steps.get(channel, 0)
        last = cs.last_touch_at.get(channel)
        gap = (self.state.clock - last) / DAY if last is not None else None
        cs.steps[channel] = step + 1
        cs.last_touch_at[channel] = self.state.clock
        cs.touches += 1
        cs.channels.add(channel)
        if channel == "call":
            cs.call_times.append(self.state.clock)
        return step, gap

    def _referral_for(self, contact: Contact) -> Contact | None:
        makers = [c for c in self.world.colleagues(contact) if c.truth.authority]
        return makers[0] if makers else None

    def _explain(
        self,
        event: Event,
        cs: ContactState,
        channel: str,
        step: int,
        probability: float,
        factors: Mapping[str, float],
        answered: bool,
        inbox: bool,
        p_late: float | None = None,
        p_meeting: float | None = None,
    ) -> None:
        explanation = {
            "seq": event.seq,
            "channel": channel,
            "step": step,
            "inbox": inbox,
            "p_reply": probability,
            "factors": dict(factors),
            "replied": answered,
        }
        if p_late is not None:  # an email: the chance of an answer days later
            explanation["p_late"] = p_late
        if p_meeting is not None:  # a call that reached a conversation: its meeting odds
            explanation["p_meeting"] = p_meeting
        cs.explanations.append(explanation)
