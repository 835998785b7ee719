"""The objection drill: nine objections one after another, each answered and graded."""

from __future__ import annotations

import pytest

from course.exercise_specs import ExerciseSpec
from course.vocabulary import OBJECTIONS as OBJECTION_LABELS
from grader import grade
from simulator.buyers import OBJECTIONS
from simulator.contexts import grading_input
from simulator.exercises import build_world, exercise_spec
from simulator.sandbox import Sandbox

EXERCISE = "objection-drill"
#: A strong answer to each of the drill's nine objections, in the order it raises them.
STRONG = [
    "I hear you. What would make two minutes worth it for you?",
    "Fair enough. What would you want the email to cover?",
    "That makes sense. What do you like most about how it works today?",
    "I understand. What would have to change for budget to open up?",
    "Sure. What happens between now and then with the empty slots?",
    "Fair question. It's on your practice's website; is this a bad time?",
    "I get it. When would be a better time to talk?",
    "Thanks for telling me. Who looks after patient recall?",
    "That sounds frustrating. What went wrong last time?",
]


@pytest.fixture(scope="module")
def spec() -> ExerciseSpec:
    return exercise_spec(EXERCISE)


def _drill(spec: ExerciseSpec, answers: list[str], seed: int = 3) -> Sandbox:
    sandbox = Sandbox(build_world(spec, seed), spec)
    contact = next(c for c in sandbox.world.contacts if c.phone and not c.truth.do_not_call)
    sandbox.start_conversation(contact.id)
    for text in answers:
        if sandbox.say(text)["ended"]:
            break
    return sandbox


def _graded(sandbox: Sandbox):
    sandbox.submit({})
    graded = grading_input(sandbox)
    return graded, grade(graded.kind, graded.submission, graded.context)


def test_the_drill_lists_at_least_eight_known_objections(spec) -> None:
    assert len(spec.deliverable.drill) >= 8
    assert len(set(spec.deliverable.drill)) == len(spec.deliverable.drill)
    assert set(OBJECTIONS) == set(OBJECTION_LABELS)  # the course and the engine agree
    with pytest.raises(ValueError, match="unknown objections"):
        ExerciseSpec.model_validate(
            spec.model_dump(mode="json") | {"deliverable": {"description": "x", "drill": ["x"]}}
        )


def test_the_buyer_raises_each_objection_in_turn_whatever_the_answer(spec) -> None:
    sandbox = _drill(spec, ["We are the best, just buy it."] * 20)
    call = sandbox.state.calls[-1]
    assert [o["kind"] for o in call["objections"]] == list(spec.deliverable.drill)
    assert [o["turn"] for o in call["objections"]] == list(
        range(-1, len(spec.deliverable.drill) - 1)
    )
    assert call["outcome"] == "drill_done"
    assert sum(t["speaker"] == "learner" for t in call["turns"]) == len(spec.deliverable.drill)


def test_a_strong_drill_answers_every_objection_well_and_scores_full(spec) -> None:
    sandbox = _drill(spec, STRONG)
    assert [o["handled"] for o in sandbox.state.calls[-1]["objections"]] == ["well"] * 9
    graded, g = _graded(sandbox)
    assert graded.context["drill"] is True
    checks = {c.id: c for c in g.checks}
    assert set(checks) == {"objection_handling", "compliance"}
    assert {s for s, _ in g.skipped} == {
        "gatekeeper",
        "opener",
        "question_quality",
        "discovery",
        "next_step",
    }
    assert (g.score, g.possible) == (30, 30)
    learner = [t["text"] for t in graded.submission["turns"] if t["speaker"] == "learner"]
    evidence = checks["objection_handling"].evidence
    assert len(evidence) == 9  # one quote per objection, from the learner's own answer
    for quote, said in zip(evidence, learner, strict=True):
        assert quote.quote in said and "acknowledged first" in quote.note


def test_each_answer_is_graded_on_its_own(spec) -> None:
    answers = list(STRONG)
    answers[2] = "But our service is better than theirs, you should switch."  # argues
    answers[4] = "What happens between now and then?"  # asks without acknowledging
    answers[6] = "ChairFill fills empty hygiene slots with lapsed patients."  # a pitch
    sandbox = _drill(spec, answers)
    handled = [o["handled"] for o in sandbox.state.calls[-1]["objections"]]
    assert (
        handled == ["well", "well", "ignored", "well", "partly", "well", "ignored"] + ["well"] * 2
    )
    _, g = _graded(sandbox)
    check = next(c for c in g.checks if c.id == "objection_handling")
    assert check.points == round(20 * 6.5 / 9, 2)
    assert "already use: no acknowledgement first" in check.verdict
    assert "next quarter: no acknowledgement first, asked a question, no arguing (50%)" in (
        check.verdict
    )


def test_a_drill_replays_to_the_same_conversation(spec) -> None:
    first = _drill(spec, STRONG[:5])
    again = Sandbox.replay(first.world, spec, [e.to_dict() for e in first.events])
    assert again.state.call.snapshot() == first.state.call.snapshot()
