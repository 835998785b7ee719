"""The interview rubric: answers for structure and specifics, figures against records, and
the mock call on the call rubric, with evidence quoting the candidate's own turns."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from grader_testkit import assert_spans_exact, assert_well_formed, load_golden

from grader import SubmissionError, grade
from grader.interview_answers import read_answer
from grader.language import language

STRONG = load_golden("interview-dental-strong")


def _grade(submission: dict[str, Any], context: dict[str, Any]):
    graded = grade("interview", submission, context)
    assert_well_formed(graded)
    assert_spans_exact(graded, submission)
    return graded


def _learner_turns(submission: dict[str, Any]) -> set[str]:
    return {
        f"turns[{i}].text" for i, t in enumerate(submission["turns"]) if t["speaker"] == "learner"
    }


@pytest.mark.parametrize("band", ["strong", "borderline", "weak"])
def test_every_quote_is_from_the_candidates_own_turns(band: str) -> None:
    case = load_golden(f"interview-dental-{band}")
    graded = _grade(case["submission"], case["context"])
    mine = _learner_turns(case["submission"])
    spans = [e for g in (graded, *graded.parts) for c in g.checks for e in c.evidence if e.is_span]
    assert spans and {e.field for e in spans} <= mine


def test_the_mock_call_is_graded_on_the_call_rubric_as_a_part() -> None:
    graded = _grade(STRONG["submission"], STRONG["context"])
    (part,) = graded.parts
    assert part.rubric_id == "call"
    assert graded.check("mock_call").points == pytest.approx(30 * part.percent / 100, abs=0.01)


def test_a_figure_above_the_records_is_flagged_with_the_true_figure() -> None:
    context = copy.deepcopy(STRONG["context"])
    context["records"]["meetings_booked"] = 1
    check = _grade(STRONG["submission"], context).check("own_figures")
    assert check.points == 0
    assert "your records show 1 meetings booked" in check.verdict


def test_a_target_is_not_a_claim_of_work_done() -> None:
    submission = copy.deepcopy(STRONG["submission"])
    context = copy.deepcopy(STRONG["context"])
    first = next(i for i, t in enumerate(submission["turns"]) if t["speaker"] == "learner")
    submission["turns"][first]["text"] += " My weekly target would be 15 meetings."
    assert _grade(submission, context).check("own_figures").points == 10


def test_without_records_the_figure_check_is_skipped_not_failed() -> None:
    context = {k: v for k, v in STRONG["context"].items() if k != "records"}
    graded = _grade(STRONG["submission"], context)
    assert "own_figures" in dict(graded.skipped)
    assert graded.percent > 95


def test_an_interview_that_stops_before_the_mock_call_earns_nothing_for_it() -> None:
    turns = STRONG["submission"]["turns"]
    cut = next(i for i, t in enumerate(turns) if t["speaker"] == "buyer")
    graded = _grade({"turns": turns[:cut]}, STRONG["context"])
    assert graded.check("mock_call").points == 0
    assert graded.check("structure").points == 30
    assert not graded.parts


def test_the_answers_group_by_the_managers_lines_without_a_context() -> None:
    turns = STRONG["submission"]["turns"]
    graded = _grade({"turns": turns}, {})
    assert graded.check("structure").points == 30
    assert graded.check("first_time").points == 10


def test_an_empty_transcript_scores_zero_and_a_bad_speaker_is_refused() -> None:
    assert _grade({"turns": []}, {}).score == 0
    with pytest.raises(SubmissionError, match=r"turns\[0\]\.speaker"):
        grade("interview", {"turns": [{"speaker": "coach", "text": "hi"}]}, {})


@pytest.mark.parametrize(
    ("text", "vague", "parts"),
    [
        ("I like people.", True, set()),
        ("I don't miss targets and I never get rejected by anyone at all, honestly.", True, set()),
        (
            "Last March our team missed its target by 20%. I called the 30 warmest leads"
            " first and booked 5 meetings in a week.",
            False,
            {"situation", "action", "result"},
        ),
    ],
)
def test_an_answer_is_read_for_its_parts_and_specifics(
    text: str, vague: bool, parts: set[str]
) -> None:
    reading = read_answer(text, language())
    assert reading.vague is vague
    assert set(reading.parts) == parts


def test_a_routine_in_the_present_is_not_a_claim_but_the_same_figure_told_as_done_is() -> None:
    submission = copy.deepcopy(STRONG["submission"])
    context = copy.deepcopy(STRONG["context"])
    first = next(i for i, t in enumerate(submission["turns"]) if t["speaker"] == "learner")
    turn = submission["turns"][first]
    turn["text"] += " Each day I research 90 accounts."
    assert _grade(submission, context).check("own_figures").points == 10
    turn["text"] += " Last month I researched 90 accounts."
    check = _grade(submission, context).check("own_figures")
    assert check.points == 0 and "90 accounts" in check.verdict
