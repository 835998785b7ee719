"""A live call's state and the turn being answered (call_machine.py moves them).

Split from the machine so that the objection rules (call_objections.py) and the machine
share one ``CallState`` and one way of saying a line.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from .buyers import START_GOODWILL, Persona
from .call_lines import line
from .seeds import Stream

MAX_TURNS = 40  # learner turns; the buyer ends a call that goes on longer
MONOLOGUE_WORDS = 70
QUESTION_ACTS = frozenset({"open_question", "closed_question", "leading_question"})
LISTENING_ACTS = frozenset({"acknowledgement", "label", "mirror"})
#: The objection a fact raises when the truth says no (or, for vendor, names one).
FACT_OBJECTION = {"budget": "no_budget", "timeline": "next_quarter", "vendor": "already_use"}
FACT_ORDER = ("need", "budget", "authority", "timeline", "vendor")
#: A discovery fact -> the qualification criteria it settles (BANT name, CHAMP counterpart).
CRITERIA_OF = {
    "need": ("need", "challenges"),
    "budget": ("budget", "money"),
    "authority": ("authority",),
    "timeline": ("timeline", "prioritization"),
}


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
    drill: bool = False
    aggrieved: bool = False  # a rule was broken on this buyer before: they pick up guarded
    #: A mock interview (call_interview.py): the manager, questions asked and answers;
    #: None on every other call.
    interview: dict[str, Any] | None = None

    def snapshot(self) -> dict[str, Any]:
        out = {name: getattr(self, name) for name in self.__slots__}
        out["used"] = sorted(self.used)
        out["repeated"] = sorted(self.repeated)
        out["interview"] = copy.deepcopy(self.interview)
        return out


#: Goodwill a grievance costs at the start of a call, and the most it can cost.
GRIEVANCE_GOODWILL, MAX_GRIEVANCE_GOODWILL = 1, 2


def open_call(
    persona: Persona, seq: int, drill: tuple[str, ...] = (), grievances: int = 0
) -> CallState:
    """A new call: the gatekeeper answers where there is one, else the buyer. A drill
    goes straight to the buyer, who raises the drill's objections instead of their own.

    ``grievances`` counts the rules already broken on this contact (a call at 3 am, mail
    they never agreed to, a number on a register): each costs a point of goodwill, at most
    two, and the buyer says so when they pick up. A drill ignores them."""
    if drill:
        return CallState(
            contact_id=persona.contact_id,
            started_seq=seq,
            phase="talk",
            goodwill=START_GOODWILL[persona.temperament],
            objections_left=list(drill),
            identified=True,
            drill=True,
        )
    grudge = min(grievances * GRIEVANCE_GOODWILL, MAX_GRIEVANCE_GOODWILL)
    return CallState(
        contact_id=persona.contact_id,
        started_seq=seq,
        phase="gatekeeper" if persona.gatekeeper else "opening",
        goodwill=START_GOODWILL[persona.temperament] - grudge,
        objections_left=list(persona.objections),
        aggrieved=grudge > 0,
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
            "amount": p.budget_money,
            **extra,
        }
        voice = p.voice + {"gatekeeper": 7, "manager": 3}.get(speaker, 0)
        text = line(key, voice=voice, used=self.call.used, rng=self.rng, values=values)
        self.lines.append({"speaker": speaker, "text": text, "line": key})

    def end(self, outcome: str) -> None:
        self.call.phase = "ended"
        self.call.outcome = outcome
