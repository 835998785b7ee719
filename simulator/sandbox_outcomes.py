"""What actions cause: outcome draws, their scheduling, and each event's effect on state.

Learner appliers run right after their event is appended and draw outcomes from the
event's own stream; world appliers update the state when an outcome becomes an event.
Replay runs exactly this code again, so nothing here may depend on anything but the state
and the event.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from typing import Any

from grader.qualification import DECISIONS

from . import events as ev
from .events import Event, iso, parse_iso
from .market import Company, Contact
from .replies import POSITIVE_KINDS, discovery_answers, note, reply_kind, reply_text
from .response import (
    call_odds,
    deal_win_odds,
    email_odds,
    linkedin_accept_odds,
    linkedin_quality,
    linkedin_reply_odds,
    meeting_accept_odds,
    message_quality,
    proposal_odds,
)
from .sandbox_base import DAY, HOUR, SandboxBase, _Pending, truth_decision
from .seeds import Stream
from .signals import Signals
from .state import ContactState


class WorldOutcomes(SandboxBase):
    """Appliers for learner events (with their draws) and for world events."""

    def _append_world(self, type_: str, at: int, data: dict[str, Any]) -> Event:
        event = Event(len(self._events), type_, iso(at), ev.WORLD, data)
        self._events.append(event)
        self._apply_world(event, at)
        return event

    def _emit_due(self, until: int) -> None:
        while self._pending and self._pending[0].at <= until:
            item = heapq.heappop(self._pending)
            if self._void(item):
                continue
            self.state.clock = max(self.state.clock, item.at)
            self._append_world(item.type, item.at, item.data)

    def _void(self, item: _Pending) -> bool:
        """Outcomes overtaken by events: a deal decided after the learner marked it lost."""
        if item.type in (ev.DEAL_WON, ev.DEAL_LOST):
            cs = self.state.contacts.get(item.data["contact_id"])
            return cs is None or cs.stage != "opportunity"
        return False

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

    def _apply_message(self, event: Event) -> None:
        data = event.data
        contact = self._contact(data)
        company = self._company(contact)
        cs = self._cs(contact.id)
        channel = data["channel"]
        signals = Signals.from_stored(data["signals"])
        step, gap = self._touch(cs, channel)
        self.state.counts[f"sent_{channel}"] += 1
        rng = self._rng(event.seq)
        u = rng.many(10)
        now = self.state.clock
        if channel == "email":
            if not signals.has_opt_out:
                self._violation(
                    event, "email_without_opt_out", contact, "CAN-SPAM needs a clear way to opt out"
                )
            if not signals.has_postal_address:
                self._violation(
                    event,
                    "email_without_postal_address",
                    contact,
                    "CAN-SPAM needs a valid postal address",
                )
            self._email_outcomes(event, contact, company, cs, signals, step, gap, u, rng, now)
        else:
            self._linkedin_outcomes(event, contact, company, cs, signals, step, gap, u, rng, now)

    def _email_outcomes(
        self,
        event: Event,
        contact: Contact,
        company: Company,
        cs: ContactState,
        signals: Signals,
        step: int,
        gap: float | None,
        u: list[float],
        rng: Stream,
        now: int,
    ) -> None:
        cid = contact.id
        if not contact.truth.email_valid:
            self._schedule(
                now + 60 + int(u[9] * 240),
                event.seq,
                ev.BOUNCED,
                {"contact_id": cid, "cause": event.seq},
            )
            return
        self._schedule(now + 60, event.seq, ev.DELIVERED, {"contact_id": cid, "cause": event.seq})
        hour, _, weekday = self.local_time(contact)
        quality = self._thread_quality(cs, "email", step, message_quality(signals, self.params))
        odds = email_odds(
            contact=contact,
            company=company,
            signals=signals,
            quality=quality,
            has_subject=bool(event.data.get("subject")),
            step=step,
            gap_days=gap,
            touch_number=cs.touches,
            hour=hour,
            weekday=weekday,
            industry_factor=self._pack.reply_factor,
            params=self.params,
        )
        inbox = u[0] < odds.inbox
        may_reply = not (cs.replied or cs.reply_pending or cs.optout_pending or cs.unsubscribed)
        replied = inbox and may_reply and u[1] < odds.reply
        opened = inbox and (replied or u[2] < odds.open)
        self._explain(event, cs, "email", step, odds.reply, odds.factors, replied, inbox)
        open_at = now + 300 + int(u[3] * u[3] * 36 * HOUR)
        if opened and not cs.opened:
            self._schedule(open_at, event.seq, ev.OPENED, {"contact_id": cid, "cause": event.seq})
        if replied:
            self._schedule_reply(event, contact, company, cs, "email", open_at, u, rng)
        elif inbox and may_reply:  # unsubscribing needs no tracked open
            if u[7] < odds.unsubscribe:
                cs.optout_pending = True
                self._schedule(
                    open_at + 120,
                    event.seq,
                    ev.UNSUBSCRIBED,
                    {"contact_id": cid, "channel": "email", "cause": event.seq},
                )
            elif u[8] < odds.complaint:
                cs.optout_pending = True
                self._schedule(
                    open_at + 60,
                    event.seq,
                    ev.COMPLAINED,
                    {"contact_id": cid, "channel": "email", "cause": event.seq},
                )

    def _linkedin_outcomes(
        self,
        event: Event,
        contact: Contact,
        company: Company,
        cs: ContactState,
        signals: Signals,
        step: int,
        gap: float | None,
        u: list[float],
        rng: Stream,
        now: int,
    ) -> None:
        cid = contact.id
        reply_from = now
        if cs.connection is None:
            self.state.counts["linkedin_requests"] += 1
            cs.connection = "pending"
            accept = u[0] < linkedin_accept_odds(contact, self.params)
            if not accept:
                self._explain(event, cs, "linkedin", step, 0.0, {"accepted": 0.0}, False, True)
                return
            reply_from = now + 2 * HOUR + int(u[3] * u[3] * 4 * DAY)
            self._schedule(
                reply_from,
                event.seq,
                ev.CONNECTION_ACCEPTED,
                {"contact_id": cid, "cause": event.seq},
            )
            step = 0
        quality = self._thread_quality(cs, "linkedin", step, linkedin_quality(signals, self.params))
        odds = linkedin_reply_odds(
            contact=contact,
            company=company,
            quality=quality,
            step=step,
            gap_days=gap,
            touch_number=cs.touches,
            params=self.params,
        )
        may_reply = not (cs.replied or cs.reply_pending or cs.optout_pending or cs.unsubscribed)
        replied = may_reply and u[1] < odds.reply
        self._explain(event, cs, "linkedin", step, odds.reply, odds.factors, replied, True)
        if replied:
            self._schedule_reply(event, contact, company, cs, "linkedin", reply_from, u, rng)
        elif may_reply and u[7] < odds.unsubscribe:
            cs.optout_pending = True
            self._schedule(
                reply_from + HOUR,
                event.seq,
                ev.UNSUBSCRIBED,
                {"contact_id": cid, "channel": "linkedin", "cause": event.seq},
            )

    @staticmethod
    def _thread_quality(cs: ContactState, channel: str, step: int, own: float) -> float:
        """A follow-up brings the first message back up: the better of the two counts."""
        if step == 0 or channel not in cs.thread_quality:
            cs.thread_quality[channel] = own
            return own
        return max(own, cs.thread_quality[channel])

    def _referral_for(self, contact: Contact) -> Contact | None:
        makers = [c for c in self.world.colleagues(contact) if c.truth.authority]
        return makers[0] if makers else None

    def _schedule_reply(
        self,
        event: Event,
        contact: Contact,
        company: Company,
        cs: ContactState,
        channel: str,
        after: int,
        u: list[float],
        rng: Stream,
    ) -> None:
        kind = reply_kind(contact.truth, u[4], u[5])
        at = after + 600 + int(u[6] * u[6] * 48 * HOUR)
        text, ref = reply_text(
            kind,
            contact=contact,
            company=company,
            referral=self._referral_for(contact),
            sender_name=self.exercise.client.sender_name,
            at=at,
            rng=rng,
        )
        cs.reply_pending = True
        data = {
            "contact_id": contact.id,
            "channel": channel,
            "kind": kind,
            "text": text,
            "referral_contact_id": ref,
            "cause": event.seq,
        }
        self._schedule(at, event.seq, ev.REPLIED, data)

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
    ) -> None:
        cs.explanations.append(
            {
                "seq": event.seq,
                "channel": channel,
                "step": step,
                "inbox": inbox,
                "p_reply": probability,
                "factors": dict(factors),
                "replied": answered,
            }
        )

    def _apply_call(self, event: Event) -> None:
        data = event.data
        contact = self._contact(data)
        company = self._company(contact)
        cs = self._cs(contact.id)
        step, _ = self._touch(cs, "call")
        self.state.counts["calls"] += 1
        hour, minute, _ = self.local_time(contact)
        signals = Signals.from_stored(data["signals"]) if data.get("signals") else None
        odds = call_odds(
            contact=contact, company=company, signals=signals, hour=hour, params=self.params
        )
        if not odds.legal_hours:
            self._violation(
                event,
                "call_outside_hours",
                contact,
                f"called at {hour:02d}:{minute:02d} local time (allowed 08:00-21:00)",
            )
        if self.do_not_call(contact):
            self._violation(event, "do_not_call", contact, "this number asked not to be called")
        rng = self._rng(event.seq)
        u = rng.many(10)
        connected = u[0] < odds.connect
        conversation = connected and u[1] < odds.conversation
        result: dict[str, Any] = {
            "contact_id": contact.id,
            "connected": connected,
            "conversation": conversation,
            "kind": None,
            "legal_hours": odds.legal_hours,
            "cause": event.seq,
            "referral_contact_id": None,
        }
        if self.do_not_call(contact) and connected:
            result["text"] = note("calls", "do_not_call", rng)
            result["conversation"] = False
            cs.dnc_requested = True
        elif not odds.legal_hours and connected and not conversation:
            result["text"] = note("calls", "out_of_hours", rng)
            if u[2] < self.params.call_out_of_hours_dnc_request:
                cs.dnc_requested = True
        elif conversation:
            meeting = u[3] < odds.meeting
            kind = "interested" if meeting else reply_kind(contact.truth, u[4], u[5])
            if kind == "interested" and not meeting:
                kind = "curious"
            text, ref = reply_text(
                kind,
                contact=contact,
                company=company,
                referral=self._referral_for(contact),
                sender_name=self.exercise.client.sender_name,
                at=self.state.clock,
                rng=rng,
            )
            result.update(kind=kind, text=text, referral_contact_id=ref)
        elif connected:
            result["text"] = note("calls", "gatekeeper", rng, first_name=contact.first_name)
        else:
            result["text"] = note("calls", "no_answer", rng)
        self._explain(
            event,
            cs,
            "call",
            step,
            odds.connect * odds.conversation,
            odds.factors,
            bool(result["conversation"]),
            True,
        )
        self._schedule(self.state.clock, event.seq, ev.CALL_RESULT, result)

    def _apply_meeting(self, event: Event) -> None:
        contact = self._contact(event.data)
        cs = self._cs(contact.id)
        assert cs.interest_at is not None
        cs.meeting = "invited"
        meeting_at = parse_iso(event.data["at"])
        delay = (self.state.clock - cs.interest_at) / HOUR
        rng = self._rng(event.seq)
        u = rng.many(4)
        accepted = u[0] < meeting_accept_odds(contact, cs.interest_source or "", delay, self.params)
        answer_at = min(self.state.clock + 600 + int(u[1] * 2 * HOUR), meeting_at - 60)
        base = {"contact_id": contact.id, "cause": event.seq}
        if not accepted:
            text = note("meetings", "declined", rng, first_name=contact.first_name)
            self._schedule(answer_at, event.seq, ev.MEETING_DECLINED, {**base, "text": text})
            return
        self._schedule(
            answer_at, event.seq, ev.MEETING_ACCEPTED, {**base, "meeting_at": event.data["at"]}
        )
        if u[2] < self.params.meeting_show_rate:
            proposal = u[3] < proposal_odds(contact, self.params)
            key = "held_proposal" if proposal else "held_no_proposal"
            text = note("meetings", key, rng, first_name=contact.first_name, pain=contact.pain)
            self._schedule(
                meeting_at + 1800,
                event.seq,
                ev.MEETING_HELD,
                {**base, "wants_proposal": proposal, "text": text},
            )
        else:
            text = note("meetings", "no_show", rng, first_name=contact.first_name)
            self._schedule(meeting_at + 900, event.seq, ev.MEETING_NO_SHOW, {**base, "text": text})

    def _apply_discovery(self, event: Event) -> None:
        contact = self._contact(event.data)
        self._cs(contact.id)
        self.state.counts["discovery_calls"] += 1
        answers, revealed = discovery_answers(
            list(event.data["questions"]), contact=contact, decider=self._referral_for(contact)
        )
        data = {
            "contact_id": contact.id,
            "answers": answers,
            "revealed": revealed,
            "cause": event.seq,
        }
        self._schedule(self.state.clock, event.seq, ev.DISCOVERY_ANSWERS, data)

    def _apply_qualification(self, event: Event) -> None:
        cs = self._cs(event.data["contact_id"])
        cs.qualification = {k: v for k, v in event.data.items() if k != "contact_id"}

    def _enter_stage(self, cs: ContactState, stage: str, at: int) -> None:
        cs.stage = stage
        if stage not in cs.stages_reached:
            cs.stages_reached.append(stage)
            cs.stage_times[stage] = at

    def _apply_stage(self, event: Event) -> None:
        contact = self._contact(event.data)
        cs = self._cs(contact.id)
        stage = event.data["stage"]
        self._enter_stage(cs, stage, self.state.clock)
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
        expected = amount / cpl
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
                "",
                rng,
                ad_channel=ad_names[channel],
                pain=contact.pain,
                segment_noun=self._pack.segments[company.segment].noun,
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
                "",
                rng,
                ad_channel="website",
                pain=contact.pain,
                segment_noun=self._pack.segments[company.segment].noun,
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

    def _apply_world(self, event: Event, at: int) -> None:
        data = event.data
        counts = self.state.counts
        kind = event.type
        cs = self._cs(data["contact_id"]) if "contact_id" in data else None
        if kind == ev.DELIVERED and cs:
            counts["delivered"] += 1
            cs.delivered = True
        elif kind == ev.BOUNCED and cs:
            counts["bounced"] += 1
            cs.bounced = True
        elif kind == ev.OPENED and cs:
            counts["opened"] += 1
            cs.opened = True
        elif kind == ev.REPLIED and cs:
            channel = data["channel"]
            counts[f"replied_{channel}"] += 1
            cs.replied = True
            cs.reply_pending = False
            cs.replied_on.add(channel)
            cs.reply_kind = data["kind"]
            if data["kind"] in POSITIVE_KINDS:
                cs.interest_at, cs.interest_source = at, data["kind"]
        elif kind in (ev.UNSUBSCRIBED, ev.COMPLAINED) and cs:
            counts[kind] += 1
            cs.optout_pending = False
            if kind == ev.UNSUBSCRIBED:
                cs.unsubscribed = True
            else:
                cs.complained = True
        elif kind == ev.CONNECTION_ACCEPTED and cs:
            counts["linkedin_accepted"] += 1
            cs.connection = "accepted"
        elif kind == ev.CALL_RESULT and cs:
            counts["calls_connected"] += bool(data["connected"])
            if data["conversation"]:
                counts["conversations"] += 1
                cs.conversation = True
                cs.replied_on.add("call")
                cs.reply_kind = data["kind"]
                if data["kind"] in POSITIVE_KINDS:
                    cs.interest_at, cs.interest_source = at, "call"
        elif kind == ev.DISCOVERY_ANSWERS and cs:
            for criterion in data["revealed"]:
                if criterion not in cs.revealed:
                    cs.revealed.append(criterion)
        elif kind == ev.MEETING_ACCEPTED and cs:
            counts["meetings_booked"] += 1
            cs.meeting = "accepted"
            cs.meeting_at = parse_iso(data["meeting_at"])
        elif kind == ev.MEETING_DECLINED and cs:
            counts["meetings_declined"] += 1
            cs.meeting = "declined"
        elif kind == ev.MEETING_HELD and cs:
            counts["meetings_held"] += 1
            cs.meeting = "held"
            cs.wants_proposal = bool(data["wants_proposal"])
        elif kind == ev.MEETING_NO_SHOW and cs:
            counts["meetings_no_show"] += 1
            cs.meeting = "no_show"
        elif kind in (ev.DEAL_WON, ev.DEAL_LOST) and cs:
            counts[kind] += 1
            cs.deal = "won" if kind == ev.DEAL_WON else "lost"
        elif kind == ev.INBOUND_LEAD and cs:
            counts["inbound_leads"] += 1
            cs.inbound = True
            cs.inbound_pending = False
            if data["wants_call"]:
                cs.interest_at, cs.interest_source = at, "inbound"
            if cs.stage is None:
                self._enter_stage(cs, "lead", at)
        elif kind == ev.VIOLATION:
            counts["violations"] += 1
            self.state.violations.append(dict(data, at=event.at))
