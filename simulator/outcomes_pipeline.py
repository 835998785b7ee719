"""What the pipeline actions cause: lists, qualifications, stages, paid leads, the clock.

Moving a contact to Opportunity draws the deal (won or lost, 3-10 days later); spending
draws inbound leads at the industry's cost per lead over the next week; a qualification
exercise starts with form leads mixed across the right decisions. Moving the clock
releases every outcome due before the new time.
"""

from __future__ import annotations

from grader.qualification import DECISIONS

from . import events as ev
from .events import Event, parse_iso
from .market import Contact
from .outcomes_shared import OutcomeTools
from .replies import note
from .response import deal_win_odds
from .sandbox_base import DAY, HOUR, truth_decision
from .seeds import Stream
from .voices import with_article
from .world_events import enter_stage


class PipelineOutcomes(OutcomeTools):
    """The appliers of the list, qualification, stage, spend, clock and submit events."""

    def _apply_view(self, event: Event) -> None:
        self.state.viewed.add(event.data["contact_id"])

    def _apply_add(self, event: Event) -> None:
        members = self.state.lists.setdefault(event.data["list"], [])
        for contact_id in event.data["contact_ids"]:
            if contact_id not in members:
                members.append(contact_id)

    def _apply_remove(self, event: Event) -> None:
        members = self.state.lists[event.data["list"]]
        for contact_id in event.data["contact_ids"]:
            members.remove(contact_id)

    def _apply_qualification(self, event: Event) -> None:
        cs = self._cs(event.data["contact_id"])
        cs.qualification = {k: v for k, v in event.data.items() if k != "contact_id"}

    def _apply_stage(self, event: Event) -> None:
        contact = self._contact(event.data)
        cs = self._cs(contact.id)
        stage = event.data["stage"]
        enter_stage(cs, stage, self.state.clock)
        if stage == "opportunity":
            rng = self._rng(event.seq)
            won = rng.uniform() < deal_win_odds(contact, bool(cs.wants_proposal), self.params)
            at = self.state.clock + 3 * DAY + int(rng.uniform() * 7 * DAY)
            kind = ev.DEAL_WON if won else ev.DEAL_LOST
            text = note("deals", "won" if won else "lost", rng, first_name=contact.first_name)
            cs.deal = "pending"
            self._schedule(
                at, event.seq, kind, {"contact_id": contact.id, "text": text, "cause": event.seq}
            )

    def _apply_spend(self, event: Event) -> None:
        channel = event.data["channel"]
        amount = round(float(event.data["amount"]), 2)
        self.state.spent = round(self.state.spent + amount, 2)
        spent = self.state.spent_by_channel.get(channel, 0.0)
        self.state.spent_by_channel[channel] = round(spent + amount, 2)
        cpl = self._pack.cost_per_lead[channel].usd
        rng = self._rng(event.seq)
        # a campaign's yield varies around the industry CPL (auctions, creative, season)
        noise = 1.0 + self.params.paid_noise * (2.0 * rng.uniform() - 1.0)
        expected = amount / cpl * noise
        count = int(expected) + (1 if rng.uniform() < expected - int(expected) else 0)
        self._inbound(event.seq, channel, count, rng, spread_days=7)

    def _inbound(self, cause: int, channel: str, count: int, rng: Stream, spread_days: int) -> None:
        candidates = [
            c
            for c in self.world.contacts
            if not c.truth.opted_out
            and (c.email is not None or c.phone is not None)
            and self._inbound_free(c.id)
        ]
        chosen = rng.sample(candidates, count)
        agree = (
            self.params.inbound_agree_search
            if channel == "search_ads"
            else self.params.inbound_agree_social
        )
        ad_names = {"search_ads": "search", "social_ads": "social", "form": "website"}
        for contact in chosen:
            company = self._company(contact)
            at = self.state.clock + (
                int(rng.uniform() * spread_days * DAY) + 6 * HOUR if spread_days else 0
            )
            text = note(
                "inbound",
                "need" if contact.truth.need else "no_need",  # never contradicts discovery
                rng,
                ad_channel=ad_names[channel],
                pain=contact.pain,
                a_noun=with_article(self._pack.segments[company.segment].noun),
            )
            wants_call = rng.uniform() < agree * (0.6 + 0.6 * contact.truth.interest)
            self._cs(contact.id).inbound_pending = True
            data = {
                "contact_id": contact.id,
                "channel": channel,
                "text": text,
                "wants_call": wants_call,
                "cause": cause,
            }
            self._schedule(at, cause, ev.INBOUND_LEAD, data)

    def _inbound_free(self, contact_id: str) -> bool:
        cs = self._peek(contact_id)
        return cs is None or (cs.stage is None and not cs.inbound_pending and not cs.touches)

    def _seed_inbound_leads(self, count: int) -> None:
        """Qualification exercises start with form leads, mixed across the decisions."""
        rng = self._rng(0, "setup")
        groups: dict[str, list[Contact]] = {d: [] for d in DECISIONS}
        for contact in self.world.contacts:
            if contact.phone is None or contact.truth.opted_out:
                continue
            groups[truth_decision(contact)].append(contact)
        for key in DECISIONS:
            groups[key] = rng.sample(groups[key], len(groups[key]))
        chosen: list[Contact] = []
        while len(chosen) < count and any(groups.values()):
            for key in DECISIONS:
                if groups[key] and len(chosen) < count:
                    chosen.append(groups[key].pop())
        chosen.sort(key=lambda c: c.id)
        for contact in chosen:
            company = self._company(contact)
            text = note(
                "inbound",
                "need" if contact.truth.need else "no_need",  # never contradicts discovery
                rng,
                ad_channel="website",
                pain=contact.pain,
                a_noun=with_article(self._pack.segments[company.segment].noun),
            )
            data = {
                "contact_id": contact.id,
                "channel": "form",
                "text": text,
                "wants_call": True,
                "cause": 0,
            }
            self._cs(contact.id).inbound_pending = True
            self._schedule(self.state.clock, 0, ev.INBOUND_LEAD, data)

    def _apply_clock(self, event: Event) -> None:
        target = parse_iso(event.data["until"])
        self._emit_due(target)
        self.state.clock = target

    def _apply_submit(self, event: Event) -> None:
        self.state.submitted = dict(event.data)
