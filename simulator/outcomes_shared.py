"""What the outcomes of several actions share: a touch, a violation, a referral, a reason.

The appliers of learner events (outcomes_messages, outcomes_conversations,
outcomes_pipeline) build on these. Each draws only from the stream of the event that
caused it (``self._rng(event.seq)``), so replay draws the same.
"""

from __future__ import annotations

from collections.abc import Mapping

from . import events as ev
from .events import Event
from .market import Contact
from .sandbox_base import DAY, SandboxBase
from .state import ContactState


class OutcomeTools(SandboxBase):
    """Helpers for the appliers: nothing here is called for a world event."""

    def _violation(self, event: Event, kind: str, contact: Contact, detail: str) -> None:
        data = {"kind": kind, "contact_id": contact.id, "cause": event.seq, "detail": detail}
        self._schedule(self.state.clock, event.seq, ev.VIOLATION, data)

    def _touch(self, cs: ContactState, channel: str) -> tuple[int, float | None]:
        step = cs.steps.get(channel, 0)
        last = cs.last_touch_at.get(channel)
        gap = (self.state.clock - last) / DAY if last is not None else None
        cs.steps[channel] = step + 1
        cs.last_touch_at[channel] = self.state.clock
        cs.touches += 1
        cs.channels.add(channel)
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
        cs.explanations.append(explanation)
