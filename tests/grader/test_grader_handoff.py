"""The handoff rubric: a note is scored against what the call revealed, never beyond it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from grader_testkit import GOLDEN, assert_spans_exact, assert_well_formed

from grader import SubmissionError, grade

CASE = json.loads((GOLDEN / "handoff" / "handoff-dental-strong.json").read_text(encoding="utf-8"))
CONTEXT: dict[str, Any] = CASE["context"]
STRONG: dict[str, Any] = CASE["submission"]


def _grade(changes: dict[str, Any], context: dict[str, Any] | None = None):
    submission = {**STRONG, **changes}
    graded = grade("handoff", submission, context or CONTEXT)
    assert_well_formed(graded)
    assert_spans_exact(graded, submission)
    return graded


def test_an_empty_note_earns_nothing() -> None:
    empty = {name: "" for name in STRONG if name != "contact_id"}
    assert _grade(empty).score == 0


def test_a_fact_the_call_never_uncovered_is_invented_when_stated() -> None:
    graded = _grade({"current_vendor": "Dentrix"})
    vendor = graded.check("current_vendor")
    assert vendor.points == 0 and "never named a vendor" in vendor.verdict
    invented = graded.check("no_invented_facts")
    assert invented.points == 0
    assert [e.quote for e in invented.evidence] == ["Dentrix"]


def test_saying_not_discussed_skips_the_fact_instead_of_costing_points() -> None:
    graded = _grade({"current_vendor": "Didn't come up."})
    assert "current_vendor" in dict(graded.skipped)
    assert graded.percent == 100


def test_a_contradiction_is_flagged_with_the_buyers_words() -> None:
    graded = _grade({"budget": "Budget is set aside for this."})
    budget = graded.check("budget")
    assert budget.points == 0 and "We can't spend on this right now." in budget.verdict
    assert graded.check("no_invented_facts").points == 0


def test_a_figure_nobody_said_is_flagged() -> None:
    graded = _grade({"notes": "About 120 patients lapse each year."})
    quotes = [e.quote for e in graded.check("no_invented_facts").evidence]
    assert quotes == ["120"]


def test_a_named_decider_is_needed_when_the_buyer_does_not_decide() -> None:
    facts = dict(CONTEXT["facts"])
    facts["authority"] = {
        "uncovered": True,
        "value": False,
        "said": "Dana Ruiz signs off on anything like that.",
        "decider": "Dana Ruiz",
    }
    context = {**CONTEXT, "facts": facts}
    assert (
        _grade({"stakeholders": "Dana Ruiz signs off."}, context).check("stakeholders").points == 10
    )
    wrong = _grade({"stakeholders": "Alejandro decides."}, context)
    assert wrong.check("stakeholders").points == 0
    assert _grade({"stakeholders": "Someone else."}, context).check("stakeholders").points == 5


def test_a_meeting_that_was_not_held_gates_everything_but_invention() -> None:
    context = {**CONTEXT, "meeting": {**CONTEXT["meeting"], "status": "no_show"}}
    graded = _grade({}, context)
    assert graded.check("pains").points == 0
    assert (
        "not held" in graded.check("pains").verdict
        or "no held meeting" in graded.check("pains").verdict
    )
    assert graded.check("no_invented_facts").points == 10


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"pains": 5}, "pains"), ({"budget": "x" * 5_001}, "budget"), ({"notes": None}, "notes")],
)
def test_malformed_notes_name_the_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(SubmissionError) as error:
        grade("handoff", {**STRONG, **changes}, CONTEXT)
    assert error.value.field == field


def test_the_capstone_counts_meetings_held_among_those_due_and_names_the_calls() -> None:
    from grader.achievement import CHECKS as WORK_CHECKS
    from grader.achievement_campaign import _show

    spec = next(s for s in WORK_CHECKS["report"] if s.id == "meetings_show")
    out = {
        "meetings_booked": 5,
        "meetings_held": 3,
        "meetings_missed": 1,
        "calls": 9,
        "live_calls": 4,
    }
    shown = _show(spec, out)
    assert shown.points == spec.points * 3 / 4
    assert "3 of the 4 meetings due were held" in shown.verdict and "4 live calls" in shown.verdict
    assert _show(spec, {"calls": 2}).points == 0
    assert _show(spec, {"meetings_booked": 2}).points == spec.points  # none due yet
