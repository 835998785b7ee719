"""The debrief of a live call: what each learner turn earned, and why.

Every learner turn carries what the buyer's state machine gave it (``earned``: facts
uncovered, goodwill won or lost, the objection it answered) and how the grader's language
layer read it (dialogue acts, the facts its questions targeted). Here both become plain
words: "uncovered the budget", and the reason, such as an open question earning the
answer in the buyer's own words where a leading one earned a deflection.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

QUESTIONS = frozenset({"open_question", "closed_question", "leading_question"})
#: Objection verdicts (call_objections.judge) -> why the buyer reacted so.
OBJECTION_WHY = {
    "well": "you acknowledged the objection before answering it, then asked or reframed,"
    " so the buyer felt heard and warmed to you",
    "partly": "you only half answered the objection: acknowledge it first, then ask a"
    " question about it",
    "ignored": "you went past the objection (or argued with it), so the buyer dug in",
    "not answered": "the call ended before the objection was answered",
}


def call_opening(call: Mapping[str, Any]) -> str:
    """Why the buyer picked up as they did, when it was not a fresh start (else empty)."""
    if not call.get("aggrieved"):
        return ""
    return (
        "The buyer picked up guarded, with less goodwill than their temperament gives: a rule"
        " had already been broken on them (see the compliance consequences above), and"
        " people remember being called at night or mailed without consent."
    )


def call_turns(call: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A live call's learner turns, each with what it earned in words and why."""
    out = []
    for turn in call["turns"]:
        if turn["speaker"] != "learner":
            continue
        earned = turn.get("earned", {})
        words = [f"uncovered the {fact}" for fact in earned.get("revealed", ())]
        if earned.get("objection"):
            o = earned["objection"]
            words.append(f"{o['kind'].replace('_', ' ')} objection: {o['handled']}")
        change = earned.get("goodwill", 0)
        if change:
            words.append(f"goodwill {change:+d}")
        acts = ", ".join(a.replace("_", " ") for a in turn.get("acts", ()))
        out.append(
            {
                "text": turn["text"],
                "acts": acts,
                "earned": "; ".join(words) or "nothing",
                "why": why(turn.get("acts", ()), turn.get("targets", ()), earned),
            }
        )
    return out


def why(acts: Sequence[str], targets: Sequence[str], earned: Mapping[str, Any]) -> str:
    """Why a turn earned what it did, in a sentence or two (empty when there is no lesson)."""
    kinds = set(acts)
    revealed = [f for f in earned.get("revealed", ()) if f != "vendor"]
    facts = " and the ".join(revealed)
    wanted = " and the ".join(t for t in targets if t != "vendor") or "anything"
    reasons: list[str] = []
    objection = earned.get("objection")
    if objection:
        reasons.append(OBJECTION_WHY.get(objection["handled"], ""))
    if "leading_question" in kinds:
        reasons.append(
            "a leading question tells the buyer the answer you want, so they deflected and"
            f' trusted you less; asked openly ("What...?", "How...?") it would have earned'
            f" the {wanted if wanted != 'anything' else 'answer'} in their own words"
        )
    elif "open_question" in kinds and revealed:
        reasons.append(
            f"an open question lets the buyer answer in their own words: it earned the {facts}"
            " in full"
        )
    elif "closed_question" in kinds and revealed:
        reasons.append(
            f"a closed question earned only a yes or no about the {facts}; an open one"
            " would have earned the detail in the buyer's words"
        )
    elif "closed_question" in kinds and targets and not objection:
        reasons.append(
            f"a closed question about the {wanted} to a buyer not yet warm to you earned a"
            " shrug; an open question about their situation earns more"
        )
    elif kinds & QUESTIONS and targets and not revealed and not objection:
        reasons.append(f"the buyer had already told you about the {wanted}")
    if "pitch" in kinds and not kinds & QUESTIONS:
        reasons.append("a pitch is telling, not asking: it uncovers nothing")
    if "rude" in kinds or "pushy" in kinds:
        reasons.append("pressure or rudeness costs the buyer's goodwill at once")
    text = "; ".join(r for r in reasons if r)
    return text[:1].upper() + text[1:] + "." if text else ""
