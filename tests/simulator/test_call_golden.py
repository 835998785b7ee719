"""Golden calls: scripted conversations through the engine and the ``call`` grader.

Each script is played against the same seeded buyer (seed 36, a busy principal dentist
behind a receptionist) and pins both what the call earned (its outcome) and its grade.
"""

from __future__ import annotations

from typing import Any

import pytest

from grader import SubmissionError, grade
from simulator.contexts import call_input
from simulator.exercises import build_world, exercise_spec
from simulator.sandbox import Sandbox

from .test_live_calls import GATED, SEED, STRONG

THROUGH = STRONG[0]  # asks the receptionist for Alejandro by name, naming the caller
PUSHY = [
    THROUGH,
    "Hi Alejandro, Priya from ChairFill. We help practices like yours fill empty hygiene slots.",
    "Our service books lapsed patients back in, and we guarantee results.",
    "You need to try it this week, it's the best deal you'll get!!",
]
IGNORED = [
    THROUGH,
    STRONG[1],
    "Our reactivation campaigns fill the diary within a month.",
    "We work with forty practices across the region.",
]
RUDE = [THROUGH, STRONG[1], "Are you stupid? Just listen.", "Don't be an idiot."]
GATE_BADLY = ["Put me through to the boss.", "Just do it, it's important."]

#: script -> (outcome, grade score, grade possible, points per check)
GOLDEN: dict[str, tuple[list[str], str, dict[str, float]]] = {
    "strong": (
        STRONG,
        "meeting_booked",
        {
            "gatekeeper": 10,
            "opener": 15,
            "question_quality": 15,
            "discovery": 20,
            "objection_handling": 20,
            "next_step": 10,
            "compliance": 10,
        },
    ),
    "pushy_pitch": (
        PUSHY,
        "hung_up",
        {
            "gatekeeper": 10,
            "opener": 8,  # named, but a pitch in place of a reason and no permission
            "question_quality": 0,
            "discovery": 0,
            "objection_handling": 0,
            "next_step": 0,
            "compliance": 7,  # the pushy turn
        },
    ),
    "ignored_objection": (
        IGNORED,
        "hung_up",
        {
            "gatekeeper": 10,
            "opener": 15,
            "question_quality": 0,
            "discovery": 0,
            "objection_handling": 0,
            "next_step": 0,
            "compliance": 10,
        },
    ),
    "rude": (
        RUDE,
        "do_not_call",
        {  # gated: nothing but compliance is credited once the buyer is lost for good
            "gatekeeper": 0,
            "opener": 0,
            "question_quality": 0,
            "discovery": 0,
            "objection_handling": 0,
            "next_step": 0,
            "compliance": 7,
        },
    ),
    "gatekeeper_badly": (
        GATE_BADLY,
        "blocked",
        {  # never reached the buyer; no objection, so that check is skipped
            "gatekeeper": 0,
            "opener": 0,
            "question_quality": 0,
            "discovery": 0,
            "next_step": 0,
            "compliance": 6,
        },
    ),
}


@pytest.fixture(scope="module")
def spec():
    return exercise_spec("cold-email-dental")


def _played(spec, turns: list[str]) -> Sandbox:
    sandbox = Sandbox(build_world(spec, SEED), spec)
    sandbox.advance_clock(hours=3)
    sandbox.start_conversation(GATED)
    for text in turns:
        if sandbox.say(text)["ended"]:
            return sandbox
    sandbox.end_conversation()
    return sandbox


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden_call(spec, name: str) -> None:
    turns, outcome, points = GOLDEN[name]
    sandbox = _played(spec, turns)
    assert sandbox.state.calls[-1]["outcome"] == outcome
    submission, context = call_input(sandbox, GATED)
    result = grade("call", submission, context)
    assert {c.id: c.points for c in result.checks} == points
    for check in result.checks:  # evidence quotes the learner's own turns, at their offsets
        for ev in check.evidence:
            if ev.is_span:
                index = int(ev.field.split("[")[1].split("]")[0])
                turn = submission["turns"][index]
                assert turn["speaker"] == "learner"
                assert turn["text"][ev.start : ev.end] == ev.quote


def test_the_debrief_of_a_strong_call_shows_what_each_question_earned(spec) -> None:
    sandbox = _played(spec, STRONG)
    discovery = grade("call", *call_input(sandbox, GATED)).check("discovery")
    notes = {ev.note: ev.quote for ev in discovery.evidence}
    assert notes["earned the authority"] == STRONG[4]


def test_the_run_debrief_says_what_each_turn_earned(spec) -> None:
    from simulator.debrief import debrief

    sandbox = _played(spec, STRONG)
    sandbox.submit({}, contact_id=GATED)
    row = next(r for r in debrief(sandbox) if r["contact_id"] == GATED)
    turns = row["calls"][0]["turns"]
    assert [t["text"] for t in turns] == STRONG
    assert turns[4]["earned"] == "uncovered the authority"
    assert "not interested objection: well; goodwill +1" in turns[2]["earned"]
    assert "open question" in turns[4]["acts"]


def test_no_call_at_all_scores_nothing(spec) -> None:
    sandbox = Sandbox(build_world(spec, SEED), spec)
    result = grade("call", *call_input(sandbox, None))
    assert result.score == 0 and result.possible == 100
    assert "Nothing was said on a call" in result.checks[0].verdict


@pytest.mark.parametrize(
    ("submission", "location"),
    [
        ({"turns": "hello"}, "submission.turns"),
        ({"turns": [{"speaker": "boss", "text": "hi"}]}, "submission.turns[0].speaker"),
        ({"turns": [{"speaker": "learner", "text": 3}]}, "submission.turns[0].text"),
    ],
)
def test_a_malformed_transcript_names_its_field(submission: dict[str, Any], location: str) -> None:
    with pytest.raises(SubmissionError) as info:
        grade("call", submission, {})
    assert info.value.location == location


def test_a_call_handed_in_before_hanging_up_is_graded_as_far_as_it_got(spec) -> None:
    sandbox = Sandbox(build_world(spec, SEED), spec)
    sandbox.advance_clock(hours=3)
    sandbox.start_conversation(GATED)
    for text in STRONG[:5]:
        sandbox.say(text)
    result = grade("call", *call_input(sandbox, None))
    assert result.check("discovery").points == 15  # need, timeline and authority so far
    assert result.check("next_step").points == 0
