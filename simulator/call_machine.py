"""The buyer's state machine: one learner turn in, what the gatekeeper or buyer says out.

The machine reads the turn as the grader's language layer read it (the ``reading``
stored in the turn's event: dialogue acts, the facts its questions target) and the
persona's truth (buyers.py). It never looks at the words again, so a replay of the same
log gives the same conversation without re-parsing anything.

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
from dataclasses import dataclass, field
from typing import Any

from .buyers import REFLEX_OBJECTIONS, START_GOODWILL, Persona
from .call_lines import line
from .seeds import Stream

MAX_TURNS = 40  # learner turns; the buyer ends a call that goes on longer
MONOLOGUE_WORDS = 70
QUESTION_ACTS = frozenset({"open_question", "closed_question", "leading_question"})
LISTENING_ACTS = frozenset({"acknowledgement", "label", "mirror"})
#: The objection a fact raises when the truth says no (or, for vendor, names one).
FACT_OBJECTION = {"budget": "no_budget", "timeline": "next_quarter", "vendor": "already_use"}
FACT_ORDER = ("need", "budget", "authority", "timeline", "vendor")


@dataclass(slots=True)
class CallState:
    """One live call (what fold(events) gives for the call in progress)."""

    contact_id: str
    started_seq: int
    phase: str
    goodwill: int
    objections_left: list[str]
    turns: list[dict[str, Any]] = field(default_factory=list)
    used: set[str] = field(default_factory=set)
    revealed: dict[str, int] = field(default_factory=dict)  # fact -> learner turn index
    repeated: set[str] = field(default_factory=set)
    objections: list[dict[str, Any]] = field(default_factory=list)
    pending: str | None = None
    misses: int = 0
    gatekeeper_strikes: int = 0
    gatekeeper_asked_reason: bool = False
    identified: bool = False
    asked_questions: int = 0
    pitches: int = 0
    meeting_agreed: bool = False
    meeting: dict[str, Any] | None = None
    outcome: str | None = None
    do_not_call: bool = False

    def snapshot(self) -> dict[str, Any]:
        out = {name: getattr(self, name) for name in self.__slots__}
        out["used"] = sorted(self.used)
        out["repeated"] = sorted(self.repeated)
        return out


def open_call(persona: Persona, seq: int) -> CallState:
    """A new call: the gatekeeper answers where there is one, else the buyer."""
    return CallState(
        contact_id=persona.contact_id,
        started_seq=seq,
        phase="gatekeeper" if persona.gatekeeper else "opening",
        goodwill=START_GOODWILL[persona.temperament],
        objections_left=list(persona.objections),
    )


class Turn:
    """One learner turn being answered: collects the lines said back."""

    def __init__(self, call: CallState, persona: Persona, rng: Stream, turn_index: int) -> None:
        self.call, self.persona, self.rng, self.index = call, persona, rng, turn_index
        self.lines: list[dict[str, Any]] = []

    def say(self, key: str, speaker: str = "buyer", **extra: object) -> None:
        p = self.persona
        values = {
            "first_name": p.first_name,
            "company": p.company,
            "gk": p.gatekeeper.name if p.gatekeeper else "",
            "title": p.title,
            "vendor": p.vendor,
            "pain": p.pain,
            "Pain": p.pain[:1].upper() + p.pain[1:],
            "decider": p.decider or "My boss",
            "amount": f"${p.budget_amount:,}",
            **extra,
        }
        voice = p.voice + (7 if speaker == "gatekeeper" else 0)
        text = line(key, voice=voice, used=self.call.used, rng=self.rng, values=values)
        self.lines.append({"speaker": speaker, "text": text, "line": key})

    def end(self, outcome: str) -> None:
        self.call.phase = "ended"
        self.call.outcome = outcome


def greet(call: CallState, persona: Persona, rng: Stream) -> list[dict[str, Any]]:
    """Who picks up, and what they say."""
    turn = Turn(call, persona, rng, -1)
    if call.phase == "gatekeeper":
        turn.say("gatekeeper.greet", "gatekeeper")
    else:
        turn.say("buyer.greet")
    return turn.lines


def respond(
    call: CallState,
    persona: Persona,
    reading: Mapping[str, Any],
    *,
    proposal: Mapping[str, Any] | None,
    names_buyer: bool,
    rng: Stream,
) -> list[dict[str, Any]]:
    """Answer one learner turn; updates ``call`` and returns the lines said back."""
    acts = frozenset(reading.get("acts", ()))
    learner_turns = sum(t["speaker"] == "learner" for t in call.turns)
    turn = Turn(call, persona, rng, learner_turns - 1)
    if "identify" in acts:
        call.identified = True
    if "rude" in acts:
        _rude(turn)
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
    turn.say("buyer.greet")


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
        if not _objection_answer(turn, acts, reading):
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
            if _raise_next(turn, truth_only=True):
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
        _raise(turn, call.objections_left.pop(0))
    elif QUESTION_ACTS & acts and "permission" not in acts:
        call.asked_questions += 1
        _discovery(turn, acts, {"targets": [], "open_questions": 0})
    elif not turn.lines:
        turn.say("buyer.go_on")


def _raise(turn: Turn, kind: str) -> None:
    turn.call.pending = kind
    turn.call.objections.append({"kind": kind, "turn": turn.index, "handled": None})
    if kind in ("no_budget", "next_quarter", "already_use"):
        fact = {v: k for k, v in FACT_OBJECTION.items()}[kind]
        turn.call.revealed.setdefault(fact, turn.index)
    turn.say(f"objection.{kind}")


def _raise_next(turn: Turn, truth_only: bool = False) -> bool:
    left = turn.call.objections_left
    for kind in left:
        if not truth_only or kind not in REFLEX_OBJECTIONS:
            left.remove(kind)
            _raise(turn, kind)
            return True
    return False


def _objection_answer(turn: Turn, acts: frozenset[str], reading: Mapping[str, Any]) -> bool:
    """Judge the answer to the pending objection; False when the turn ends there.

    "Acknowledged before answering" means the turn's *first* sentence listens."""
    call = turn.call
    heard = bool(LISTENING_ACTS & set(reading.get("first_acts", ())))
    asks = bool(QUESTION_ACTS & acts) or "reframe" in acts
    fights = bool({"argue", "pushy"} & acts)
    record = call.objections[-1]
    if heard and asks and not fights:
        record["handled"] = "well"
        call.goodwill += 1
        call.pending = None
        turn.say("buyer.acknowledged")
        return True
    if (heard or asks) and not fights and "pitch" not in acts:
        record["handled"] = "partly"
        call.pending = None
        return True
    record["handled"] = "ignored"
    call.goodwill -= 1
    call.misses += 1
    if call.misses >= 2 or call.goodwill <= -3:
        turn.say("buyer.hang_up")
        turn.end("hung_up")
        return False
    turn.say(f"objection.{call.pending}")
    call.objections.append({"kind": call.pending, "turn": turn.index, "handled": None})
    return False


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
            _raise(turn, kind)
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
            if _raise_next(turn):
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
