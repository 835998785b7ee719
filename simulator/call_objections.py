"""Objections on a live call: raising them, judging the answer, and the drill.

An answer is judged ``well`` when its first sentence acknowledges the objection (an
acknowledgement, a label or a mirror) and the turn then asks a question or reframes,
without arguing, pushing or being rude; ``partly`` when it does one of the two without
fighting or pitching; ``ignored`` otherwise. On an ordinary call an ignored objection is
repeated (and a second miss ends the call); in a drill the buyer moves on to the next
objection whatever the answer, so every objection on the list gets its own answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .buyers import REFLEX_OBJECTIONS
from .call_state import FACT_OBJECTION, LISTENING_ACTS, QUESTION_ACTS, Turn


def raise_objection(turn: Turn, kind: str) -> None:
    turn.call.pending = kind
    turn.call.objections.append({"kind": kind, "turn": turn.index, "handled": None})
    if kind in ("no_budget", "next_quarter", "already_use"):
        fact = {v: k for k, v in FACT_OBJECTION.items()}[kind]
        turn.call.revealed.setdefault(fact, turn.index)
    turn.say(f"objection.{kind}")


def raise_next(turn: Turn, truth_only: bool = False) -> bool:
    left = turn.call.objections_left
    for kind in left:
        if not truth_only or kind not in REFLEX_OBJECTIONS:
            left.remove(kind)
            raise_objection(turn, kind)
            return True
    return False


def judge(turn: Turn, acts: frozenset[str], reading: Mapping[str, Any]) -> str | None:
    """How the turn answered the pending objection (well, partly, ignored), recorded on
    the objection; None when none is pending. A good answer earns goodwill +1.

    "Acknowledged before answering" means the turn's *first* sentence listens."""
    call = turn.call
    if call.pending is None:
        return None
    heard = bool(LISTENING_ACTS & set(reading.get("first_acts", ())))
    asks = bool(QUESTION_ACTS & acts) or "reframe" in acts
    fights = bool({"argue", "pushy", "rude"} & acts)
    if heard and asks and not fights:
        handled = "well"
        call.goodwill += 1
        turn.say("buyer.acknowledged")
    elif (heard or asks) and not fights and "pitch" not in acts:
        handled = "partly"
    else:
        handled = "ignored"
    call.objections[-1]["handled"] = handled
    call.pending = None
    return handled


def drill_turn(turn: Turn, handled: str | None) -> None:
    """A drill moves on whatever the answer: the next objection, or the end of the drill."""
    call = turn.call
    if call.phase == "ended":
        return
    if handled == "ignored":
        turn.say("drill.missed")
    if call.objections_left:
        raise_objection(turn, call.objections_left.pop(0))
    else:
        turn.say("drill.done")
        turn.end("drill_done")


def objection_answer(turn: Turn, acts: frozenset[str], reading: Mapping[str, Any]) -> bool:
    """Judge the answer to the pending objection; False when the turn ends there."""
    call = turn.call
    pending = call.pending
    handled = judge(turn, acts, reading)
    if handled != "ignored":
        return True
    call.pending = pending
    call.goodwill -= 1
    call.misses += 1
    if call.misses >= 2 or call.goodwill <= -3:
        turn.say("buyer.hang_up")
        turn.end("hung_up")
        return False
    turn.say(f"objection.{call.pending}")
    call.objections.append({"kind": call.pending, "turn": turn.index, "handled": None})
    return False
