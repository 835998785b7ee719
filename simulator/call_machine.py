"""The buyer's state machine: one learner turn in, what the gatekeeper or buyer says out.

The machine reads the turn as the grader's language layer read it (the ``reading``
stored in the turn's event: dialogue acts, the facts its questions target) and the
persona's truth (buyers.py). It never looks at the words again, so a replay of the same
log gives the same conversation without re-parsing anything.

A *mock interview* (an exercise's ``deliverable.interview``) starts in an ``interview``
phase, in which a hiring manager asks questions, then goes on from ``opening`` as a cold
call with the manager playing the prospect (call_interview.py).

A *drill* (an exercise's ``deliverable.drill``) is a call with one job: the buyer picks
up and raises each listed objection in turn, whatever the answer, and the call ends after
the last one (drill.py).

States: ``gatekeeper`` (the front desk answers) -> ``opening`` (the buyer picks up) ->
``talk`` -> ``ended``. Across them the buyer keeps *goodwill* (an integer; temperament
sets where it starts) and at most one *pending objection*.

What moves it (each rule says why, after the sources in docs/simulator.md):

- Gatekeepers put through a caller who says who they are and whom they want (a strict
  one also asks what it is about); two unhelpful turns and the caller is sent to email.
  Asking the gatekeeper for help (an open question) earns a name and a transfer.
- The opening: an unnamed caller is asked who they are (goodwill -1); asking permission
  earns +1; small talk costs a busy buyer 1. The buyer then raises their reflex
  objection, if their persona has one.
- An objection is handled well when the turn *starts* by acknowledging it (an
  acknowledgement, a label or a mirror) and then asks a question or reframes, without
  arguing or pushing: goodwill +1 and the call goes on. Acknowledging without asking, or
  asking without acknowledging, lets it pass without credit. Ignoring it (a pitch, an
  argument) costs 1 and the buyer repeats it; a second miss ends the call.
- Discovery: an open question earns the fact it targets in full; a closed one earns a
  yes or no only from a buyer with goodwill; a leading one earns a deflection and costs
  1. Asking about budget, timing or the current tool of a buyer whose truth says no
  budget, no timeline, or a vendor raises that objection instead of an answer: the
  objection *is* the answer. A pitch once the buyer has started talking costs 1, and so
  does a monologue (over 70 words).
- The close: a buyer with a need and goodwill of 1 or more agrees to meet and asks for a
  time; a day and a clock time on a weekday between 09:00 and 17:00 in the buyer's time
  zone is accepted (a meeting event with that time); other times are countered.
- Rudeness costs 3 and at -2 or below the buyer asks never to be called again (a
  do-not-call request the world honours); pushing costs 2; at -3 the buyer hangs up.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .buyers import REFLEX_OBJECTIONS, Persona
from .call_interview import greet_interview, interview_turn
from .call_objections import drill_turn, judge, objection_answer, raise_next, raise_objection
from .call_state import (
    FACT_OBJECTION,
    FACT_ORDER,
    MAX_TURNS,
    MONOLOGUE_WORDS,
    QUESTION_ACTS,
    CallState,
    Turn,
    open_call,
)
from .seeds import Stream

__all__ = ["CallState", "greet", "open_call", "respond"]


def greet(call: CallState, persona: Persona, rng: Stream) -> list[dict[str, Any]]:
    """Who picks up, and what they say."""
    turn = Turn(call, persona, rng, -1)
    if call.phase == "interview":
        greet_interview(turn)
    elif call.phase == "gatekeeper":
        turn.say("gatekeeper.greet", "gatekeeper")
    else:
        buyer_greets(turn)
    if call.drill:
        raise_objection(turn, call.objections_left.pop(0))
    return turn.lines


def buyer_greets(turn: Turn) -> None:
    """The buyer picks up: guarded, and saying why, when a rule was broken on them."""
    turn.say("buyer.greet_aggrieved" if turn.call.aggrieved else "buyer.greet")


def respond(
    call: CallState,
    persona: Persona,
    reading: Mapping[str, Any],
    *,
    proposal: Mapping[str, Any] | None,
    names_buyer: bool,
    rng: Stream,
    answer: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Answer one learner turn; updates ``call`` and returns the lines said back.
    ``answer`` is the turn read as an interview answer (only in a mock interview)."""
    acts = frozenset(reading.get("acts", ()))
    learner_turns = sum(t["speaker"] == "learner" for t in call.turns)
    turn = Turn(call, persona, rng, learner_turns - 1)
    if "identify" in acts:
        call.identified = True
    if call.phase == "interview":
        interview_turn(turn, acts, answer)
    elif "rude" in acts:
        _rude(turn)
        if call.drill and call.phase != "ended":
            drill_turn(turn, judge(turn, acts, reading))
    elif call.drill:
        drill_turn(turn, judge(turn, acts, reading))
    elif call.phase == "gatekeeper":
        _gatekeeper(turn, acts, reading, names_buyer)
    elif learner_turns > MAX_TURNS:
        turn.say("buyer.hang_up")
        turn.end("hung_up")
    else:
        _buyer(turn, acts, reading, proposal)
    return turn.lines


def _rude(turn: Turn) -> None:
    call = turn.call
    if call.phase == "gatekeeper":
        turn.say("gatekeeper.stop", "gatekeeper")
        turn.end("blocked")
        return
    call.goodwill -= 3
    if call.goodwill <= -2:
        turn.say("buyer.dnc")
        call.do_not_call = True
        turn.end("do_not_call")
    else:
        turn.say("buyer.rude")


def _gatekeeper(
    turn: Turn, acts: frozenset[str], reading: Mapping[str, Any], names_buyer: bool
) -> None:
    call, gk = turn.call, turn.persona.gatekeeper
    assert gk is not None
    if "pushy" in acts:
        call.gatekeeper_strikes += 2
    asks_help = "open_question" in acts and call.identified
    wants = names_buyer or "transfer" in acts or asks_help
    reason = bool({"reason", "pitch", "open_question"} & acts) or reading.get("words", 0) >= 8
    if not call.identified:
        call.gatekeeper_strikes += 1
        _strike(turn, "gatekeeper.who_calling")
        return
    if not wants and not call.gatekeeper_asked_reason:
        call.gatekeeper_strikes += 1
        _strike(turn, "gatekeeper.what_regarding")
        return
    if gk.strict and not reason:
        if call.gatekeeper_asked_reason:
            turn.say("gatekeeper.refuse", "gatekeeper")
            turn.end("blocked")
        else:
            call.gatekeeper_asked_reason = True
            turn.say("gatekeeper.what_regarding", "gatekeeper")
        return
    turn.say("gatekeeper.helpful" if asks_help else "gatekeeper.put_through", "gatekeeper")
    call.phase = "opening"
    call.identified = False  # the buyer did not hear the caller's name
    buyer_greets(turn)


def _strike(turn: Turn, key: str) -> None:
    """The gatekeeper asks again, or after a second unhelpful turn sends the caller away."""
    if turn.call.gatekeeper_strikes >= 2:
        turn.say("gatekeeper.refuse", "gatekeeper")
        turn.end("blocked")
    else:
        turn.say(key, "gatekeeper")


def _buyer(
    turn: Turn, acts: frozenset[str], reading: Mapping[str, Any], proposal: Mapping[str, Any] | None
) -> None:
    call = turn.call
    if call.pending is not None:
        if not objection_answer(turn, acts, reading):
            return
    if "pushy" in acts:
        call.goodwill -= 2
        if call.goodwill <= -3:
            turn.say("buyer.hang_up")
            turn.end("hung_up")
            return
        turn.say("buyer.pushy")
    if call.phase == "opening":
        _opening(turn, acts)
        return
    if "pitch" in acts and not QUESTION_ACTS & acts:
        call.pitches += 1
        if call.asked_questions or call.pitches > 1:
            call.goodwill -= 1
            turn.say("buyer.pitch_cut")
            if raise_next(turn, truth_only=True):
                return
    if reading.get("words", 0) > MONOLOGUE_WORDS:
        call.goodwill -= 1
        turn.say("buyer.monologue_cut")
    if "next_step" in acts or (call.meeting_agreed and "time_proposal" in acts):
        _close(turn, proposal)
        return
    if QUESTION_ACTS & acts:
        call.asked_questions += 1
        _discovery(turn, acts, reading)
    if not turn.lines:
        turn.say("buyer.go_on")


def _opening(turn: Turn, acts: frozenset[str]) -> None:
    call, persona = turn.call, turn.persona
    if not call.identified and not call.repeated & {"who"}:
        call.repeated.add("who")
        call.goodwill -= 1
        turn.say("buyer.who_is_this")
        return
    call.phase = "talk"
    if "permission" in acts:
        call.goodwill += 1
        turn.say("buyer.permission_yes")
    if "small_talk" in acts:
        if persona.temperament == "busy":
            call.goodwill -= 1
            turn.say("buyer.small_talk_busy")
        else:
            turn.say("buyer.small_talk_warm")
        return
    if call.objections_left and call.objections_left[0] in REFLEX_OBJECTIONS:
        raise_objection(turn, call.objections_left.pop(0))
    elif QUESTION_ACTS & acts and "permission" not in acts:
        call.asked_questions += 1
        _discovery(turn, acts, {"targets": [], "open_questions": 0})
    elif not turn.lines:
        turn.say("buyer.go_on")


def _discovery(turn: Turn, acts: frozenset[str], reading: Mapping[str, Any]) -> None:
    call, persona = turn.call, turn.persona
    targets = [f for f in FACT_ORDER if f in set(reading.get("targets", ()))]
    is_open = "open_question" in acts and "small_talk" not in acts
    if "leading_question" in acts:
        call.goodwill -= 1
        turn.say("buyer.deflect")
        return
    if not targets:
        if is_open and "need" not in call.revealed:
            targets = ["need"]
        elif "small_talk" in acts:
            turn.say("buyer.small_talk_warm" if call.goodwill > 0 else "buyer.small_talk_busy")
            return
        else:
            turn.say("buyer.vague")
            return
    fresh = [f for f in targets if f not in call.revealed]
    if not fresh:
        if targets[0] not in call.repeated:
            call.repeated.add(targets[0])
            turn.say("buyer.again")
        else:
            turn.say("buyer.vague")
        return
    for fact in fresh:
        if not is_open and call.goodwill < 1:
            turn.say("buyer.deflect")
            return
        kind = FACT_OBJECTION.get(fact)
        says_no = fact == "vendor" or not getattr(persona, fact)
        if kind in call.objections_left and says_no:
            call.objections_left.remove(kind)
            raise_objection(turn, kind)
            return
        call.revealed[fact] = turn.index
        if fact == "vendor":
            turn.say("answer.vendor")
        elif is_open:
            turn.say(f"answer.{fact}_{'yes' if getattr(persona, fact) else 'no'}")
        else:
            turn.say(f"buyer.closed_{'yes' if getattr(persona, fact) else 'no'}")


def _close(turn: Turn, proposal: Mapping[str, Any] | None) -> None:
    call, persona = turn.call, turn.persona
    if not call.meeting_agreed:
        if call.goodwill < 1 or not persona.need:
            if raise_next(turn):
                return
            turn.say("meeting.decline")
            return
        call.meeting_agreed = True
    if proposal is None:
        turn.say("meeting.ask_time")
        return
    weekday, hour = int(proposal["weekday"]), int(proposal["hour"])
    if weekday >= 5 or not 9 <= hour < 17:
        turn.say("meeting.counter")
        return
    call.meeting = {"at": proposal["at"], "local": proposal["local"], "turn": turn.index}
    turn.say("meeting.agree", when=proposal["local"])
