"""A scripted caller who books a meeting: the turns a test says, found by playing them.

Worlds differ per learner (the seed is keyed with the server's secret), so a test cannot
know in advance whom to call. ``find_booking`` plays a fixed, courteous policy on a fork
of the run's sandbox (gatekeeper: name and whom; buyer: opener with permission and a
reason; an objection: acknowledge, then ask; then discovery questions and a close for
tomorrow at 10am) against each callable decision maker behind a front desk, and returns
the first whose call books a meeting after a handled objection and whose meeting, once
reminded and given an agenda, is held. Replaying the returned turns in the same order on
the real run gives the same conversation: the same seed, the same log, the same draws.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.calling_hours import may_call_at
from simulator.sandbox import Sandbox

OPENER = (
    "Hi {first}, this is Priya Natarajan from ChairFill. I'm calling because practices like"
    " yours tell us cancellations leave gaps in the hygiene diary. Is now a bad time?"
)
GATEKEEPER = (
    "Hi, this is Priya Natarajan from ChairFill. Could I speak to {first} {last}, please?",
    "It's about the gaps cancellations leave in the hygiene diary. Could you put me through"
    " to {first}, please?",
)
ACKNOWLEDGE = (
    "I hear you. Before I go, how are you handling cancellations and recalls today?",
    "That's fair. What would need to be true for this to be worth a look later on?",
    "Understood, thanks for being straight with me. How do you usually review new tools?",
    "Fair enough. What does a good month look like for your hygiene diary?",
)
QUESTIONS = (
    "How are you handling cancellations and recalls today?",
    "Who else would be involved in deciding on something like this?",
    "How much have you set aside for patient reactivation this year?",
    "When would you want to have something like this in place?",
    "What are you using for recalls at the moment?",
)
CLOSE = "Would you be open to a 20-minute call tomorrow at 10am your time?"
AGENDA = "How cancellations and recalls work today, your diary gaps, and whether a pilot fits."
MAX_TURNS = 16


@dataclass(frozen=True)
class Booking:
    contact_id: str
    turns: tuple[str, ...]


def play(sandbox: Sandbox, contact_id: str) -> tuple[str, ...]:
    """Call ``contact_id`` with the policy on ``sandbox`` (changed in place); the turns said."""
    contact = sandbox.world.contact(contact_id)
    assert contact is not None
    names = {"first": contact.first_name, "last": contact.last_name}
    said: list[str] = []
    sandbox.start_conversation(contact_id)
    gatekeeper = acks = asked = 0
    while sandbox.state.call is not None and len(said) < MAX_TURNS:
        call = sandbox.state.call
        if call.meeting:
            break
        if call.phase == "gatekeeper":
            text = GATEKEEPER[min(gatekeeper, 1)].format(**names)
            gatekeeper += 1
        elif call.phase == "opening":
            text = OPENER.format(**names)
        elif call.pending is not None:
            text = ACKNOWLEDGE[acks % len(ACKNOWLEDGE)]
            acks += 1
        elif asked < len(QUESTIONS):
            text = QUESTIONS[asked]
            asked += 1
        else:
            text = CLOSE
            asked += 1
            if asked > len(QUESTIONS) + 2:
                break
        said.append(text)
        sandbox.say(text)
    if sandbox.state.call is not None:
        sandbox.end_conversation()
    return tuple(said)


def find_booking(sandbox: Sandbox, *, prepare: bool = True, strict: bool = True) -> Booking:
    """The first prospect behind a gatekeeper the policy books after a handled objection
    (and, prepared, holds); ``strict=False``: anyone the policy books a meeting with."""
    for contact in sandbox.world.contacts:
        company = sandbox.world.company_of(contact)
        if not (contact.decision_maker and contact.phone) or sandbox.do_not_call(contact):
            continue
        if not may_call_at(company, contact, sandbox.state.clock, sandbox.params):
            continue
        persona = sandbox.persona(contact)
        if not persona.need or (strict and persona.gatekeeper is None):
            continue
        trial = sandbox.fork()
        trial.view_profile(contact.id)
        turns = play(trial, contact.id)
        call = trial.state.calls[-1]
        handled = any(o["handled"] == "well" for o in call["objections"])
        if not call.get("meeting") or (strict and not handled):
            continue
        if not strict:
            return Booking(contact.id, turns)
        if prepare:
            trial.send_reminder(contact.id)
            trial.confirm_agenda(contact.id, AGENDA)
        trial.advance_clock(days=2)
        if trial.state.contacts[contact.id].meeting == "held":
            return Booking(contact.id, turns)
    raise AssertionError("the policy books no meeting that is held in this world")
