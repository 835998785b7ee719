"""Report v2: meetings booked and held, show rate, meeting-to-opportunity rate and pipeline
value, checked against the figures recomputed from the event log (course/glossary.yaml's
definitions). A truth without them (the capstone, old contexts) skips the check."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from grader_testkit import assert_well_formed, load_golden

from grader import SubmissionError, grade
from grader.report import MEETING_FIGURES, RUBRIC_VERSION

TRUE_MEETINGS = {
    "meetings_booked": 9,
    "meetings_held": 6,
    "show_rate": 75.0,
    "meeting_to_opportunity_rate": 50.0,
    "pipeline_value": 7200,
}


def _case(said: dict[str, Any] | None, truth: dict[str, Any] | None = TRUE_MEETINGS):
    case = copy.deepcopy(load_golden("report-salons-strong"))
    if said is not None:
        case["submission"]["figures"]["meetings"] = said
    if truth is not None:
        case["context"]["truth"]["meetings"] = truth
    return case


def _grade(case: dict[str, Any]):
    g = grade("report", case["submission"], case["context"])
    assert_well_formed(g)
    return g


def _check(g, check_id: str):
    return next((c for c in g.checks if c.id == check_id), None)


def test_the_rubric_version_is_bumped_for_the_new_check() -> None:
    assert RUBRIC_VERSION.split(".")[0] == "2"
    assert set(MEETING_FIGURES) == set(TRUE_MEETINGS)


def test_right_meeting_figures_earn_the_check() -> None:
    g = _grade(_case(dict(TRUE_MEETINGS)))
    check = _check(g, "meetings")
    assert check is not None and check.full_marks
    assert "5" in check.verdict


def test_a_wrong_show_rate_is_flagged_without_the_true_figure() -> None:
    said = dict(TRUE_MEETINGS, show_rate=100.0)  # booked, not due: the usual slip
    g = _grade(_case(said))
    check = _check(g, "meetings")
    assert check is not None and 0 < check.points < check.possible
    (evidence,) = check.evidence
    assert evidence.record_ids == ("figures.meetings.show_rate",)
    assert "too high" in evidence.note and "75" not in evidence.note


def test_amounts_use_the_relative_tolerance_and_counts_must_be_exact_here() -> None:
    close = dict(TRUE_MEETINGS, pipeline_value=TRUE_MEETINGS["pipeline_value"] * 1.04)
    assert _check(_grade(_case(close)), "meetings").full_marks
    far = dict(TRUE_MEETINGS, pipeline_value=TRUE_MEETINGS["pipeline_value"] * 1.5)
    assert not _check(_grade(_case(far)), "meetings").full_marks
    booked_as_held = dict(TRUE_MEETINGS, meetings_booked=TRUE_MEETINGS["meetings_held"])
    check = _check(_grade(_case(booked_as_held)), "meetings")
    assert [e.record_ids for e in check.evidence] == [("figures.meetings.meetings_booked",)]


def test_an_old_hand_in_without_meeting_figures_is_still_gradable_and_loses_the_check() -> None:
    old = _grade(_case(None))
    check = _check(old, "meetings")
    assert check is not None and check.points == 0
    assert {e.note for e in check.evidence} == {"not reported"}
    right = _grade(_case(dict(TRUE_MEETINGS)))
    assert right.score - old.score == pytest.approx(check.possible)


def test_no_meetings_in_the_truth_skips_the_check_and_keeps_the_old_score() -> None:
    case = _case(dict(TRUE_MEETINGS), truth=None)
    g = _grade(case)
    assert _check(g, "meetings") is None
    assert "meetings" in dict(g.skipped)
    golden = load_golden("report-salons-strong")
    assert g.score == golden["expected"]["score"]


def test_no_meeting_held_means_rates_cannot_be_computed() -> None:
    truth = dict(TRUE_MEETINGS, meetings_held=0, show_rate=0.0,
                 meeting_to_opportunity_rate=None, pipeline_value=0)  # fmt: skip
    blank = dict(truth, meeting_to_opportunity_rate=None)
    assert _check(_grade(_case(blank, truth)), "meetings").full_marks
    invented = dict(truth, meeting_to_opportunity_rate=40.0)
    check = _check(_grade(_case(invented, truth)), "meetings")
    assert not check.full_marks and "no basis" in check.evidence[0].note


def test_malformed_meeting_figures_are_refused() -> None:
    with pytest.raises(SubmissionError, match="figures.meetings.show_rate"):
        grade("report", _case(dict(TRUE_MEETINGS, show_rate=140))["submission"], {})
    with pytest.raises(SubmissionError, match="figures.meetings.meetings_held"):
        grade("report", _case(dict(TRUE_MEETINGS, meetings_held=2.5))["submission"], {})
