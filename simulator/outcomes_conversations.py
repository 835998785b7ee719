"""What a conversation causes: a call's result, a meeting's answer, a discovery call's answers.

A call answers at once (no answer, a gatekeeper, a conversation, a do-not-call request);
calling outside the contact's window (calling_hours.py), a do-not-call number, a number on
a national register or past a state's cap is a violation, not a refusal, and angers the
prospect (fewer meetings). A meeting invite is accepted or declined, then held (with or
without a request for a proposal) or missed.
Discovery answers reveal exactly the criteria asked about.
"""

from __future__ import annotations

from typing import Any

from . import events as ev
from .actions import check_action
from .call_turns import CallTurns
from .calling_hours import may_call_at, window_rule, window_text
from .events import ActionRefused, Event, parse_iso
from .market import Company, Contact
from .meetings import check_preparation
from .replies import discovery_answers, note, reply_kind, reply_text
from .response import CallOdds, call_odds, meeting_accept_odds
from .sandbox_base import HOUR
from .seeds import Stream
from .signals import Signals
from .state import ContactState


class ConversationOutcomes(CallTurns):
    """The appliers of ``call``, ``book_meeting``, the meeting's preparation
    (``send_reminder``, ``confirm_agenda``) and ``discovery_call`` (and, through
    ``CallTurns``, of live calls: ``start_conversation``, ``say``, ``end_conversation``)."""

    def _apply_call(self, event: Event) -> None:
        data = event.data
        contact = self._contact(data)
        company = self._company(contact)
        cs = self._cs(contact.id)
        step, _ = self._touch(cs, "call")
        self.state.counts["calls"] += 1
        hour, minute, _ = self.local_time(contact)
        signals = Signals.from_stored(data["signals"]) if data.get("signals") else None
        legal = may_call_at(company, contact, self.state.clock, self.params)
        if not legal:
            allowed = window_text(company, contact, self.state.clock, self.params)
            self._violation(
                event,
                "call_outside_hours",
                contact,
                f"called at {hour:02d}:{minute:02d} local time (allowed {allowed})",
                window_rule(company, contact),
            )
        if self.do_not_call(contact):
            self._violation(event, "do_not_call", contact, "this number asked not to be called")
        self._call_law(event, contact, cs)
        odds = call_odds(
            contact=contact,
            company=company,
            signals=signals,
            hour=hour,
            legal=legal,
            params=self.params,
            grievances=cs.grievances,
            wrong_role=self.record_flaws(contact)[1],
        )
        rng = self._rng(event.seq)
        u = rng.many(10)
        connected = u[0] < odds.connect
        result: dict[str, Any] = {
            "contact_id": contact.id,
            "connected": connected,
            "conversation": connected and u[1] < odds.conversation,
            "kind": None,
            "meeting": False,
            "legal_hours": odds.legal_hours,
            "cause": event.seq,
            "referral_contact_id": None,
        }
        self._answer_call(result, contact, company, cs, odds, u, rng)
        p_talk = odds.connect * odds.conversation
        talked = bool(result["conversation"])
        meeting_odds = odds.meeting if talked else None
        self._explain(
            event, cs, "call", step, p_talk, odds.factors, talked, True, p_meeting=meeting_odds
        )
        self._schedule(self.state.clock, event.seq, ev.CALL_RESULT, result)

    def _answer_call(
        self,
        result: dict[str, Any],
        contact: Contact,
        company: Company,
        cs: ContactState,
        odds: CallOdds,
        u: list[float],
        rng: Stream,
    ) -> None:
        """What the person who picks up says, into ``result``: u[2] a do-not-call request
        after a late call, u[3] a meeting, u[4..5] the reply kind."""
        connected, conversation = result["connected"], result["conversation"]
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
                noun=self._pack.segments[company.segment].noun,
                spoken=True,
            )
            result.update(kind=kind, meeting=meeting, text=text, referral_contact_id=ref)
        elif connected:
            result["text"] = note("calls", "gatekeeper", rng, first_name=contact.first_name)
        else:
            result["text"] = note("calls", "no_answer", rng)

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
        if not accepted:  # someone who asked for times says why, not "the moment passed"
            asked = cs.interest_source in ("interested", "call_meeting", "inbound")
            key = "declined_after_yes" if asked else "declined"
            text = note("meetings", key, rng, first_name=contact.first_name)
            self._schedule(answer_at, event.seq, ev.MEETING_DECLINED, {**base, "text": text})
            return
        self._schedule(
            answer_at, event.seq, ev.MEETING_ACCEPTED, {**base, "meeting_at": event.data["at"]}
        )
        self._diary(event, contact, meeting_at, u[2], u[3], rng)

    def send_reminder(self, contact_id: str) -> Event:
        """Remind ``contact_id`` of the meeting booked with them."""
        check_action("send_reminder", {"contact_id": contact_id})
        return self._do(ev.SEND_REMINDER, {"contact_id": contact_id})[0]

    def confirm_agenda(self, contact_id: str, agenda: str) -> Event:
        """Send ``contact_id`` the meeting's agenda to confirm."""
        data = {"contact_id": contact_id, "agenda": agenda}
        check_action("confirm_agenda", data)
        return self._do(ev.CONFIRM_AGENDA, data)[0]

    def _check_reminder(self, data: dict[str, Any]) -> None:
        contact = self._contact(data)
        check_preparation(self._peek(contact.id), contact.name, "reminder", self.state.clock)

    def _check_agenda(self, data: dict[str, Any]) -> None:
        contact = self._contact(data)
        check_preparation(self._peek(contact.id), contact.name, "agenda", self.state.clock)
        if len(str(data.get("agenda", "")).split()) < 3:
            raise ActionRefused(
                "write the agenda: what the meeting will cover, in a few words", "agenda"
            )

    def _apply_reminder(self, event: Event) -> None:
        self._prepare(event, "reminder")

    def _apply_agenda(self, event: Event) -> None:
        self._prepare(event, "agenda")

    def _prepare(self, event: Event, kind: str) -> None:
        cs = self._cs(event.data["contact_id"])
        cs.meeting_prep = [*cs.meeting_prep, kind]
        self.state.counts[f"meeting_{kind}s"] += 1

    def _apply_discovery(self, event: Event) -> None:
        contact = self._contact(event.data)
        self._cs(contact.id)
        self.state.counts["discovery_calls"] += 1
        answers, revealed = discovery_answers(
            list(event.data["questions"]),
            contact=contact,
            decider=self._referral_for(contact),
            company=self._company(contact),
            rng=self._rng(event.seq),
        )
        data = {
            "contact_id": contact.id,
            "answers": answers,
            "revealed": revealed,
            "cause": event.seq,
        }
        self._schedule(self.state.clock, event.seq, ev.DISCOVERY_ANSWERS, data)
