"""A live discovery call feeds the qualification form: what it uncovered is evidence, the
rest is a guess the grade can tell apart."""

from __future__ import annotations

from grader import grade
from simulator.contexts import grading_input
from simulator.exercises import open_exercise
from simulator.sandbox import Sandbox

EXERCISE = "discovery-call-qualify"
LEAD = "p000034"  # seed 3: an inbound broker who answers their own phone
TURNS = [
    "Hi, this is Elena from Policypoint, returning your request for a call. Is now a good time?",
    "Fair enough. You asked us to call: what made you reach out?",
    "That makes sense. How are you finding new commercial-lines clients today?",
    "Who else would be involved in choosing a partner like us?",
]


def _called() -> Sandbox:
    sandbox = open_exercise(EXERCISE, seed=3)
    assert sandbox.state.contacts[LEAD].inbound
    sandbox.start_conversation(LEAD)
    for text in TURNS:
        sandbox.say(text)
    return sandbox


def test_facts_a_live_call_uncovers_settle_bant_and_champ_criteria() -> None:
    sandbox = _called()
    revealed = sandbox.state.contacts[LEAD].revealed
    assert {"need", "challenges", "authority"} <= set(revealed)
    assert not {"budget", "money", "timeline", "prioritization"} & set(revealed)
    found = sandbox.uncovered_on_calls(LEAD)
    assert set(found) == {"need", "challenges", "authority"}
    assert found["need"]["question"] == TURNS[2]  # the open question that earned it
    assert found["need"]["answer"] and found["need"]["answer"] != found["authority"]["answer"]
    truth = sandbox.persona(sandbox.world.contact(LEAD)).truth()
    assert found["authority"]["value"] == ("yes" if truth["authority"] else "no")


def test_the_qualification_grade_tells_an_uncovered_fact_from_a_guess() -> None:
    sandbox = _called()
    found = sandbox.uncovered_on_calls(LEAD)
    contact = sandbox.world.contact(LEAD)
    truth = contact.truth
    criteria = {
        "need": {"value": found["need"]["value"], "note": found["need"]["answer"]},
        "authority": {"value": found["authority"]["value"], "note": found["authority"]["answer"]},
        # the call never reached budget or timeline: stating the truth is still a guess
        "budget": {"value": "yes" if truth.budget else "no", "note": "probably"},
        "timeline": {"value": "unknown", "note": ""},
    }
    sandbox.end_conversation()
    sandbox.record_qualification(LEAD, framework="bant", criteria=criteria, decision="nurture")
    sandbox.submit(
        {
            "framework": "bant",
            "leads": [{"contact_id": LEAD, "criteria": criteria, "decision": "nurture"}],
        }
    )
    graded = grading_input(sandbox)
    assert set(graded.context["truth"][LEAD]["revealed"]) == {"need", "authority"}
    g = grade(graded.kind, graded.submission, graded.context)
    accuracy = next(c for c in g.checks if c.id == "criteria_accuracy")
    notes = [e.note for e in accuracy.evidence if LEAD in e.record_ids]
    assert notes == [
        "budget: you said "
        + criteria["budget"]["value"]
        + ", but no call uncovered it: a guess (record unknown)"
    ]
