"""Live calls: personas from the truth, the buyer's state machine, refusals, exact replay."""

from __future__ import annotations

import pytest

from simulator.buyers import OBJECTIONS, TEMPERAMENTS, persona_for
from simulator.call_time import proposed_time
from simulator.events import ActionRefused, parse_iso
from simulator.exercises import build_world, exercise_spec
from simulator.sandbox import Sandbox

STRONG = [
    "Hi, this is Priya from ChairFill. Could I speak to Alejandro Kaur, please?",
    "Hi Alejandro, this is Priya Natarajan from ChairFill. I'm calling because practices like"
    " yours tell us cancellations leave gaps in the hygiene diary. Is now a bad time?",
    "I hear you. Before I go, how are you handling cancellations and recalls today?",
    "That makes sense. What happens to the gaps in the diary when a patient cancels?",
    "Who else would be involved in deciding on something like this?",
    "How much have you set aside for patient reactivation this year?",
    "Fair enough. What would need to be true for this to be worth a look next year?",
    "Would you be open to a 20-minute call on Tuesday at 10am your time?",
]
SEED = 36  # the world a busy principal dentist behind a receptionist lives in
GATED = "p000048"  # a busy principal dentist behind a receptionist (seed SEED)


@pytest.fixture(scope="module")
def spec():
    return exercise_spec("cold-email-dental")


def _sandbox(spec) -> Sandbox:
    sandbox = Sandbox(build_world(spec, SEED), spec)
    sandbox.advance_clock(hours=3)  # 13:00Z is 07:00 in Chicago: wait for calling hours
    return sandbox


def _play(sandbox: Sandbox, contact_id: str, turns: list[str]) -> list[dict]:
    said = [sandbox.start_conversation(contact_id)]
    for text in turns:
        said.append(sandbox.say(text))
        if said[-1]["ended"]:
            break
    return said


def test_personas_come_from_the_truth_and_vary(spec) -> None:
    world = build_world(spec, SEED)
    personas = [persona_for(world, c) for c in world.contacts]
    assert {p.temperament for p in personas} == set(TEMPERAMENTS)
    for persona, contact in zip(personas, world.contacts, strict=True):
        truth = contact.truth
        assert (persona.budget, persona.authority, persona.need) == (
            truth.budget,
            truth.authority,
            truth.need,
        )
        assert set(persona.objections) <= set(OBJECTIONS)
        assert ("no_budget" in persona.objections) == (not truth.budget)
    assert any(p.gatekeeper for p in personas) and not all(p.gatekeeper for p in personas)
    assert persona_for(build_world(spec, SEED), world.contacts[3]) == personas[3]


def test_calls_outside_the_contacts_hours_are_refused_with_the_reason(spec) -> None:
    sandbox = Sandbox(build_world(spec, SEED), spec)
    before = sandbox.event_count
    with pytest.raises(ActionRefused, match=r"07:00 for Alejandro Kaur.*08:00-21:00"):
        sandbox.start_conversation(GATED)
    assert sandbox.event_count == before


def test_a_strong_call_passes_the_gatekeeper_and_books_a_meeting(spec) -> None:
    sandbox = _sandbox(spec)
    said = _play(sandbox, GATED, STRONG)
    assert said[0]["lines"][0]["speaker"] == "gatekeeper"
    assert [line["speaker"] for line in said[1]["lines"]] == ["gatekeeper", "buyer"]
    ended = sandbox.end_conversation()["ended"]
    assert ended["outcome"] == "meeting_booked"
    assert ended["meeting_at"] == "2025-03-04T16:00:00Z"  # Tuesday 10:00 in Chicago
    call = sandbox.state.calls[-1]
    assert set(call["revealed"]) == {"need", "authority", "budget", "timeline"}
    assert [o["handled"] for o in call["objections"]] == ["well", "well"]
    assert sandbox.state.contacts[GATED].meeting == "accepted"
    assert sandbox.state.counts["meetings_booked"] == 1  # the pipeline counts it booked
    sandbox.advance_clock(days=2)  # past Tuesday 10:00: held or missed at the show rate
    assert sandbox.state.contacts[GATED].meeting in ("held", "no_show")


def test_no_reply_repeats_within_a_call(spec) -> None:
    sandbox = _sandbox(spec)
    _play(sandbox, GATED, STRONG[:2] + ["Okay."] * 10)
    texts = [t["text"] for t in sandbox.state.calls[-1]["turns"] if t["speaker"] != "learner"]
    assert len(texts) == len(set(texts))


def test_an_ignored_objection_twice_ends_the_call(spec) -> None:
    sandbox = _sandbox(spec)
    pitch = "We help practices like yours fill empty hygiene slots with our reactivation service."
    said = _play(sandbox, GATED, STRONG[:2] + [pitch, pitch, pitch])
    assert said[-1]["ended"]["outcome"] == "hung_up"
    assert [o["handled"] for o in sandbox.state.calls[-1]["objections"]] == ["ignored", "ignored"]


def test_a_rude_caller_is_told_not_to_call_again_and_the_world_honours_it(spec) -> None:
    sandbox = _sandbox(spec)
    said = _play(sandbox, GATED, STRONG[:2] + ["Are you stupid? Just listen to me."] * 3)
    assert said[-1]["ended"]["outcome"] == "do_not_call"
    assert sandbox.state.contacts[GATED].dnc_requested
    assert any(e.type == "do_not_call_requested" for e in sandbox.events)
    with pytest.raises(ActionRefused, match="asked not to be called"):
        sandbox.start_conversation(GATED)


def test_a_gatekeeper_handled_badly_sends_the_caller_to_email(spec) -> None:
    sandbox = _sandbox(spec)
    said = _play(sandbox, GATED, ["Put me through to the boss.", "Just do it, it's important."])
    assert said[-1]["ended"]["outcome"] == "blocked"
    assert all(t["speaker"] != "buyer" for t in sandbox.state.calls[-1]["turns"])


def test_turns_need_a_call_and_words(spec) -> None:
    sandbox = _sandbox(spec)
    with pytest.raises(ActionRefused, match="no call in progress"):
        sandbox.say("Hello?")
    sandbox.start_conversation(GATED)
    before = sandbox.event_count
    with pytest.raises(ActionRefused, match="empty"):
        sandbox.say("   ")
    with pytest.raises(ActionRefused, match="at most 2,000"):
        sandbox.apply({"type": "say", "text": "x" * 2_001})
    assert sandbox.event_count == before
    with pytest.raises(ActionRefused, match="already in progress"):
        sandbox.start_conversation(GATED)


def test_same_seed_and_transcript_replay_to_the_same_conversation(spec) -> None:
    first, second = _sandbox(spec), _sandbox(spec)
    _play(first, GATED, STRONG)
    _play(second, GATED, STRONG)
    assert [e.to_dict() for e in first.events] == [e.to_dict() for e in second.events]
    again = Sandbox.replay(first.world, spec, [e.to_dict() for e in first.events])
    assert again.state.snapshot() == first.state.snapshot()


def test_a_proposed_time_is_read_in_the_buyers_time_zone() -> None:
    monday = parse_iso("2025-03-03T15:00:00Z")
    found = proposed_time("Tuesday at 10am?", now=monday, timezone="America/Denver")
    assert found == {
        "at": "2025-03-04T17:00:00Z",
        "local": "Tuesday 10:00",
        "weekday": 1,
        "hour": 10,
    }
    assert proposed_time("Friday?", now=monday, timezone="America/Denver") is None
    at_three = proposed_time("Thursday at 3?", now=monday, timezone="America/Denver")
    assert at_three is not None and at_three["local"] == "Thursday 15:00"
    saturday = parse_iso("2025-03-08T18:00:00Z")  # 11:00 MST; clocks go forward on Sunday
    worded = proposed_time("Monday at ten?", now=saturday, timezone="America/Denver")
    assert worded is not None and worded["at"] == "2025-03-10T16:00:00Z"  # 10:00 MDT
    assert proposed_time("a 20 minute call", now=monday, timezone="America/Denver") is None


def test_docs_name_every_temperament_and_objection() -> None:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "simulator.md").read_text()
    for name in TEMPERAMENTS + OBJECTIONS:
        assert f"`{name}`" in text, name


def test_the_laziest_hand_in_of_the_call_exercise_scores_nothing() -> None:
    from grader import grade
    from simulator.contexts import grading_input

    spec = exercise_spec("cold-call-gatekeeper")
    sandbox = Sandbox(build_world(spec, 11), spec)
    sandbox.submit({})
    graded = grading_input(sandbox)
    assert graded.kind == "call"
    assert grade(graded.kind, graded.submission, graded.context).score == 0


def test_the_call_exercise_has_gatekept_buyers_in_calling_hours() -> None:
    spec = exercise_spec("cold-call-gatekeeper")
    sandbox = Sandbox(build_world(spec, 11), spec)
    gated = [
        c
        for c in sandbox.world.contacts
        if c.decision_maker and c.phone and persona_for(sandbox.world, c).gatekeeper
    ]
    assert len(gated) >= 5
    assert all(8 <= sandbox.local_time(c)[0] < 21 for c in gated)


def test_asking_the_gatekeeper_for_help_earns_a_name_and_a_transfer(spec) -> None:
    sandbox = _sandbox(spec)
    said = _play(
        sandbox, GATED, ["Hi, this is Priya from ChairFill. Who looks after patient recalls?"]
    )
    lines = said[-1]["lines"]
    assert [line["speaker"] for line in lines] == ["gatekeeper", "buyer"]
    assert "Alejandro" in lines[0]["text"]


def test_personas_do_not_all_sound_the_same(spec) -> None:
    sandbox = _sandbox(spec)
    greetings = set()
    for contact in sandbox.world.contacts[:12]:
        if not contact.phone or sandbox.do_not_call(contact):
            continue
        if not 8 <= sandbox.local_time(contact)[0] < 21:
            continue
        greetings.add(sandbox.start_conversation(contact.id)["lines"][0]["text"])
        sandbox.end_conversation()
    assert len(greetings) >= 4
