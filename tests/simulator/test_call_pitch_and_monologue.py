"""The buyer's goodwill rules for pitching and monologues (call_machine.py), tested
directly: a pitch in the middle of discovery costs goodwill (until now only the
pushy_pitch golden pinned it, indirectly), a pitch before the buyer has said anything
does not, and a monologue costs goodwill whatever it says."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.buyers import Persona, persona_for
from simulator.call_machine import CallState, open_call, respond
from simulator.call_state import MONOLOGUE_WORDS
from simulator.exercises import build_world, exercise_spec
from simulator.sandbox import Sandbox
from simulator.seeds import Stream

from .test_live_calls import GATED, SEED, STRONG

PITCH = "We help practices like yours fill empty hygiene slots with our reactivation service."
QUESTION = {"acts": ["open_question"], "first_acts": ["open_question"], "targets": ["need"]}


@pytest.fixture(scope="module")
def spec():
    return exercise_spec("cold-email-dental")


@pytest.fixture(scope="module")
def persona(spec) -> Persona:
    world = build_world(spec, SEED)
    contact = world.contact(GATED)
    assert contact is not None
    return persona_for(world, contact)


def _talking(persona: Persona) -> CallState:
    """A call past the opening with no objection left to raise: only the rule under test
    can move goodwill."""
    call = open_call(persona, 0)
    call.phase, call.identified, call.objections_left = "talk", True, []
    return call


def _say(call: CallState, persona: Persona, reading: dict[str, Any]) -> list[str]:
    call.turns.append({"speaker": "learner", "text": "-"})
    reading = {"words": 12, "first_acts": reading["acts"], **reading}
    lines = respond(call, persona, reading, proposal=None, names_buyer=False, rng=Stream(1))
    return [line["line"] for line in lines]


def test_a_pitch_in_the_middle_of_discovery_costs_goodwill(persona: Persona) -> None:
    call = _talking(persona)
    _say(call, persona, QUESTION)
    assert call.asked_questions == 1
    before = call.goodwill
    said = _say(call, persona, {"acts": ["pitch"]})
    assert call.goodwill == before - 1
    assert "buyer.pitch_cut" in said


def test_a_pitch_before_any_question_is_heard_out_once(persona: Persona) -> None:
    call = _talking(persona)
    before = call.goodwill
    assert "buyer.pitch_cut" not in _say(call, persona, {"acts": ["pitch"]})
    assert call.goodwill == before
    assert "buyer.pitch_cut" in _say(call, persona, {"acts": ["pitch"]})  # a second one is not
    assert call.goodwill == before - 1


def test_a_question_with_a_pitch_in_it_is_not_cut_off(persona: Persona) -> None:
    call = _talking(persona)
    _say(call, persona, QUESTION)
    before = call.goodwill
    said = _say(call, persona, {"acts": ["pitch", "open_question"], "targets": ["timeline"]})
    assert "buyer.pitch_cut" not in said and call.goodwill == before


@pytest.mark.parametrize(("words", "cost"), [(MONOLOGUE_WORDS, 0), (MONOLOGUE_WORDS + 1, 1)])
def test_a_monologue_costs_goodwill(persona: Persona, words: int, cost: int) -> None:
    call = _talking(persona)
    _say(call, persona, QUESTION)
    before = call.goodwill
    said = _say(call, persona, {"acts": ["acknowledgement"], "words": words})
    assert call.goodwill == before - cost
    assert ("buyer.monologue_cut" in said) == bool(cost)


def test_a_pitch_mid_discovery_on_a_real_call_costs_a_point_and_is_recorded(spec) -> None:
    """Through the sandbox and the language layer: the turn's ``earned`` says so."""
    sandbox = Sandbox(build_world(spec, SEED), spec)
    sandbox.advance_clock(hours=3)
    sandbox.start_conversation(GATED)
    for text in STRONG[:4]:  # through the gatekeeper, the opener, an objection, a question
        sandbox.say(text)
    assert sandbox.state.call is not None and sandbox.state.call.pending is None
    sandbox.say(PITCH)
    call = sandbox.state.call
    assert call is not None
    mine = [t for t in call.turns if t["speaker"] == "learner"][-1]
    assert mine["text"] == PITCH and "pitch" in mine["acts"]
    assert mine["earned"]["goodwill"] == -1
    replies = [t["line"] for t in call.turns if t["speaker"] == "buyer" and t["seq"] == mine["seq"]]
    assert replies[0] == "buyer.pitch_cut"
