"""The mock interview: a hiring manager asks, follows up on vague answers, then plays a
prospect on the same call machinery (issue 17, item 2)."""

from __future__ import annotations

import pytest

from course.exercise_specs import ExerciseSpec
from grader import grade
from simulator.contexts import grading_input
from simulator.events import to_jsonl
from simulator.exercises import build_world, exercise_spec, replay_log
from simulator.sandbox import Sandbox
from tests.support.interview import BORDERLINE, STRONG, WEAK, Candidate, play

EXERCISE = "mock-interview"


@pytest.fixture(scope="module")
def spec() -> ExerciseSpec:
    return exercise_spec(EXERCISE)


def _interview(spec: ExerciseSpec, candidate: Candidate, seed: int = 3) -> Sandbox:
    sandbox = Sandbox(build_world(spec, seed), spec)
    contact = next(c for c in sandbox.world.contacts if c.phone and not c.truth.do_not_call)
    play(sandbox, contact.id, candidate)
    return sandbox


def _lines(sandbox: Sandbox, speaker: str) -> list[str]:
    return [t["text"] for t in sandbox.state.calls[-1]["turns"] if t["speaker"] == speaker]


def test_the_manager_asks_every_question_then_hands_over_to_a_prospect(spec) -> None:
    sandbox = _interview(spec, STRONG)
    call = sandbox.state.calls[-1]
    iv = call["interview"]
    assert [a["question"] for a in iv["answers"]] == list(spec.deliverable.interview.questions)
    assert not any(a["follow_up"] for a in iv["answers"])  # specific answers: no follow-up
    manager = _lines(sandbox, "manager")
    assert "call me as if i were a prospect" in manager[-1].lower()
    assert spec.deliverable.interview.manager in manager[0]
    # the prospect part is an ordinary cold call: an objection raised and a meeting booked
    assert call["objections"] and call["meeting"] is not None
    assert iv["call_from"] == len(iv["answers"])


def test_a_vague_answer_gets_one_follow_up_then_the_manager_moves_on(spec) -> None:
    sandbox = _interview(spec, WEAK)
    answers = sandbox.state.calls[-1]["interview"]["answers"]
    assert all(a["follow_up"] and len(a["turns"]) == 2 for a in answers)
    assert len(answers) == len(spec.deliverable.interview.questions)


def test_follow_ups_follow_the_answers_not_the_question(spec) -> None:
    answers = _interview(spec, BORDERLINE).state.calls[-1]["interview"]["answers"]
    follow = {a["question"]: a["follow_up"] for a in answers}
    assert follow["setback"] is False and follow["why_sales"] is True


def test_the_same_seed_gives_the_same_interview_and_a_replay_reproduces_it(spec) -> None:
    one, two = _interview(spec, BORDERLINE), _interview(spec, BORDERLINE)
    assert to_jsonl(one.events) == to_jsonl(two.events)
    again = replay_log([e.to_dict() for e in one.events])
    assert again.state.calls == one.state.calls
    other = _interview(spec, BORDERLINE, seed=4)
    assert _lines(other, "manager") != _lines(one, "manager")


def test_a_rude_answer_ends_the_interview(spec) -> None:
    sandbox = Sandbox(build_world(spec, 3), spec)
    contact = next(c for c in sandbox.world.contacts if c.phone and not c.truth.do_not_call)
    sandbox.start_conversation(contact.id)
    result = sandbox.say("Shut up, this is a stupid question.")
    assert result["ended"]["outcome"] == "interview_ended"


@pytest.mark.parametrize(
    ("candidate", "low", "high"), [(STRONG, 85, 100), (BORDERLINE, 40, 85), (WEAK, 0, 40)]
)
def test_the_interview_grades_in_its_band(spec, candidate: Candidate, low: int, high: int) -> None:
    sandbox = _interview(spec, candidate)
    sandbox.submit({})
    graded = grading_input(sandbox)
    assert graded.kind == "interview"
    g = grade(graded.kind, graded.submission, graded.context)
    assert low <= g.percent <= high


def test_an_interview_spec_needs_its_manager_and_questions(spec) -> None:
    data = spec.model_dump(mode="json")
    with pytest.raises(ValueError, match="deliverable.interview is required"):
        ExerciseSpec.model_validate(data | {"deliverable": {"description": "x"}})
    bad = {"description": "x", "interview": {"manager": "Dana", "questions": ["why_sales"] * 2}}
    with pytest.raises(ValueError, match="asked once"):
        ExerciseSpec.model_validate(data | {"deliverable": bad})
    with pytest.raises(ValueError, match="only for, an interview"):
        ExerciseSpec.model_validate(data | {"kind": "call"})
