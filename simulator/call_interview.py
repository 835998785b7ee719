"""A mock SDR interview on the live-call machinery: a hiring manager asks, then role-plays.

The interview is a call like any other (call_machine.py): the learner "dials" the prospect
the manager will play, every turn is a ``say`` event read once by the grader's language
layer, and the same ``CallState`` carries it. What differs is a first phase, ``interview``,
in which the hiring manager (``deliverable.interview.manager`` of the exercise, speaking
for the exercise's client) asks the exercise's questions in order:

- each answer is read as an interview answer (grader.interview_answers: situation, action,
  result, numbers, named actions); the reading is stored in the turn's event, so a replay
  never parses again;
- a *vague* answer (short, or with no number and no named action, or with fewer than two
  of situation, action and result) earns one follow-up on the same question; whatever the
  second answer says, the manager then moves on;
- after the last question the manager says "call me as if I were a prospect" and names the
  prospect they play (the persona of the contact dialled: their truth, temperament and
  objections); the call then goes on from the ``opening`` phase exactly as a cold call,
  with the manager speaking as the ``buyer``.

A rude answer ends the interview. The manager's wording is seeded like every buyer's: the
persona's voice (offset for the manager) picks the phrasings, so the same seed gives the
same interview on every machine.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .buyers import START_GOODWILL, Persona
from .call_state import CallState, Turn


def open_interview(
    persona: Persona, seq: int, *, manager: str, hiring: str, questions: tuple[str, ...]
) -> CallState:
    """A mock interview: the manager answers the phone and plays ``persona`` later."""
    call = CallState(
        contact_id=persona.contact_id,
        started_seq=seq,
        phase="interview",
        goodwill=START_GOODWILL[persona.temperament],
        objections_left=list(persona.objections),
        identified=True,  # the manager knows the candidate; the prospect will not
    )
    call.interview = {
        "manager": manager,
        "hiring": hiring,
        "questions": list(questions),
        "asked": 0,  # index of the question being answered
        "answers": [],  # {"question", "turns": [learner ordinals], "follow_up": bool}
        "call_from": None,  # the first learner ordinal of the mock cold call
    }
    return call


def _say(turn: Turn, key: str) -> None:
    iv = turn.call.interview
    assert iv is not None
    turn.say(f"interview.{key}", "manager", manager=iv["manager"], hiring=iv["hiring"])


def greet_interview(turn: Turn) -> None:
    """The manager introduces themselves and asks the first question."""
    iv = turn.call.interview
    assert iv is not None
    _say(turn, "greet")
    _say(turn, f"ask_{iv['questions'][0]}")


def interview_turn(turn: Turn, acts: frozenset[str], answer: Mapping[str, Any] | None) -> None:
    """Answer one learner turn of the interview phase."""
    call = turn.call
    iv = call.interview
    assert iv is not None
    if "rude" in acts:
        _say(turn, "rude")
        turn.end("interview_ended")
        return
    question = iv["questions"][iv["asked"]]
    answers: list[dict[str, Any]] = iv["answers"]
    if not answers or answers[-1]["question"] != question:
        answers.append({"question": question, "turns": [], "follow_up": False})
    entry = answers[-1]
    entry["turns"].append(turn.index)
    vague = bool((answer or {}).get("vague", True))
    if vague and not entry["follow_up"]:
        entry["follow_up"] = True
        _say(turn, "follow_up")
        return
    if not vague:
        _say(turn, "thanks")
    iv["asked"] += 1
    if iv["asked"] < len(iv["questions"]):
        _say(turn, f"ask_{iv['questions'][iv['asked']]}")
        return
    _say(turn, "role_play")
    iv["call_from"] = turn.index + 1
    call.phase = "opening"
    call.identified = False  # the prospect does not know who is calling
    turn.say("buyer.greet")
