"""Live calls in the sandbox: the rules that refuse them and the appliers that answer them.

``start_conversation`` dials a contact: refused outside the contact's calling window
(calling_hours.py) and for a contact on a do-not-call list or who asked not to be called
again; a number on a national register (TPS, the DNC registry) or a call past a state's
cap is put through and recorded as a violation (law.py). The gatekeeper or the buyer
picks up at once. Each ``say`` is answered by the persona's state
machine (call_machine.py) from the reading stored in the event;
``end_conversation`` hangs up. Every line said back is a world event
(``conversation_reply``), a hang-up is a ``conversation_ended`` event with the outcome and
any meeting agreed, and a request not to be called again is a ``do_not_call_requested``
event.
"""

from __future__ import annotations

from typing import Any

from . import events as ev
from .buyers import Persona, persona_for
from .call_interview import open_interview
from .call_machine import CallState, greet, open_call, respond
from .call_state import CRITERIA_OF
from .calling_hours import may_call_at, window_text
from .events import ActionRefused, Event, parse_iso
from .market import Contact
from .meetings import NO_SHOW_AFTER, due_item
from .outcomes_shared import OutcomeTools
from .replies import note
from .response import proposal_odds
from .seeds import Stream


class CallOutcomes(OutcomeTools):
    """The rules and appliers of ``start_conversation``, ``say`` and ``end_conversation``."""

    def persona(self, contact: Contact) -> Persona:
        """The contact's persona on the phone (derived, never stored)."""
        return persona_for(self.world, contact)

    # ------------------------------------------------------------------ rules

    def _check_start_conversation(self, data: dict[str, Any]) -> None:
        contact = self._contact(data)
        if self.state.call is not None:
            raise ActionRefused("a call is already in progress: end it first", "contact_id")
        if contact.phone is None:
            raise ActionRefused(f"{contact.name} has no phone number on record", "contact_id")
        if self.do_not_call(contact):
            raise ActionRefused(
                f"{contact.name} is on a do-not-call list or asked not to be called again",
                "contact_id",
            )
        company = self._company(contact)
        if not may_call_at(company, contact, self.state.clock, self.params):
            hour, minute, _ = self.local_time(contact)
            allowed = window_text(company, contact, self.state.clock, self.params)
            raise ActionRefused(
                f"it is {hour:02d}:{minute:02d} for {contact.name}: calls are allowed "
                f"{allowed} in the contact's time zone",
                "contact_id",
            )

    def _check_say(self, data: dict[str, Any]) -> None:
        if self.state.call is None:
            raise ActionRefused("there is no call in progress: start one first", "text")
        if not str(data.get("text", "")).strip():
            raise ActionRefused("say something: the turn is empty", "text")

    def _check_end_conversation(self, data: dict[str, Any]) -> None:
        if self.state.call is None:
            raise ActionRefused("there is no call in progress", "type")

    # ------------------------------------------------------------------ appliers

    def _apply_start_conversation(self, event: Event) -> None:
        contact = self._contact(event.data)
        cs = self._cs(contact.id)
        self._touch(cs, "call")
        self._call_law(event, contact, cs)
        self.state.counts["live_calls"] += 1
        persona = self.persona(contact)
        interview = self.exercise.deliverable.interview
        if interview is not None:
            call = open_interview(
                persona,
                event.seq,
                manager=interview.manager,
                hiring=self.exercise.client.company,
                questions=interview.questions,
            )
        else:
            call = open_call(
                persona, event.seq, drill=self.exercise.deliverable.drill, grievances=cs.grievances
            )
        self.state.call = call
        self._answer(event, call, greet(call, persona, self._rng(event.seq)))

    def _apply_say(self, event: Event) -> None:
        call = self.state.call
        assert call is not None
        contact = self._contact({"contact_id": call.contact_id})
        reading = event.data["reading"]
        call.turns.append(
            {
                "speaker": "learner",
                "text": event.data["text"],
                "seq": event.seq,
                "acts": list(reading.get("acts", ())),
                "first_acts": list(reading.get("first_acts", ())),
                "targets": list(reading.get("targets", ())),
            }
        )
        revealed, goodwill, pending = set(call.revealed), call.goodwill, call.pending
        lines = respond(
            call,
            self.persona(contact),
            reading,
            proposal=event.data.get("proposal"),
            names_buyer=bool(event.data.get("names_buyer")),
            rng=self._rng(event.seq),
            answer=event.data.get("answer"),
        )
        earned: dict[str, Any] = {
            "revealed": [f for f in call.revealed if f not in revealed],
            "goodwill": call.goodwill - goodwill,
        }
        if pending is not None:
            answered = [o["handled"] for o in call.objections if o["kind"] == pending]
            handled = next((h for h in reversed(answered) if h), None) or "not answered"
            earned["objection"] = {"kind": pending, "handled": handled}
        call.turns[-1]["earned"] = earned  # what this turn earned: the debrief reads it
        cs = self._cs(contact.id)
        for fact in earned["revealed"]:  # the qualification form's criteria, settled by the call
            for name in CRITERIA_OF.get(fact, ()):
                if name not in cs.revealed:
                    cs.revealed.append(name)
        self._answer(event, call, lines)

    def _apply_end_conversation(self, event: Event) -> None:
        call = self.state.call
        assert call is not None
        call.phase = "ended"
        call.outcome = "meeting_booked" if call.meeting else "no_meeting"
        self._answer(event, call, [], by="learner")

    def _meeting_from_call(self, event: Event, contact_id: str, at: str) -> None:
        """A meeting agreed on a call is accepted at once, then held or missed when its
        time comes (meetings.py), drawn on its own stream."""
        contact = self._contact({"contact_id": contact_id})
        base = {"contact_id": contact_id, "cause": event.seq}
        now = self.state.clock
        self._schedule(now, event.seq, ev.MEETING_ACCEPTED, {**base, "meeting_at": at})
        rng = self._rng(event.seq, "call_meeting")
        shows, proposal = rng.many(2)
        self._diary(event, contact, parse_iso(at), shows, proposal, rng)

    def _diary(
        self,
        event: Event,
        contact: Contact,
        meeting_at: int,
        shows: float,
        proposal: float,
        rng: Stream,
    ) -> None:
        """Queue a booked meeting's outcome, decided when it is due: both texts and the
        draws are made now, so replays and preparation never change what is drawn."""
        base = {"contact_id": contact.id, "cause": event.seq}
        wants = proposal < proposal_odds(contact, self.params)
        key = "held_proposal" if wants else "held_no_proposal"
        held_text = note("meetings", key, rng, first_name=contact.first_name, pain=contact.pain)
        missed_text = note("meetings", "no_show", rng, first_name=contact.first_name)
        data = due_item(
            base,
            meeting_at,
            shows,
            held={**base, "wants_proposal": wants, "text": held_text},
            missed={**base, "text": missed_text},
        )
        self._schedule(meeting_at + NO_SHOW_AFTER, event.seq, ev.MEETING_DUE, data)

    def _answer(
        self,
        event: Event,
        call: CallState,
        lines: list[dict[str, Any]],
        by: str = "buyer",
    ) -> None:
        """Record the lines said back as world events; close the call if it ended."""
        for said in lines:
            call.turns.append({**said, "seq": event.seq})
            data = {"contact_id": call.contact_id, "cause": event.seq, **said}
            self._schedule(self.state.clock, event.seq, ev.CONVERSATION_REPLY, data)
        if call.phase != "ended":
            return
        if call.do_not_call:
            data = {"contact_id": call.contact_id, "cause": event.seq}
            self._schedule(self.state.clock, event.seq, ev.DO_NOT_CALL_REQUESTED, data)
        ended = {
            "contact_id": call.contact_id,
            "cause": event.seq,
            "by": by if by == "learner" else "buyer",
            "outcome": call.outcome,
            "meeting_at": call.meeting["at"] if call.meeting else None,
        }
        self._schedule(self.state.clock, event.seq, ev.CONVERSATION_ENDED, ended)
        if call.meeting:
            self._meeting_from_call(event, call.contact_id, call.meeting["at"])
        self.state.calls.append(call.snapshot())
        self.state.call = None
