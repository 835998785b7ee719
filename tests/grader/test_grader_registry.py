"""The registry: kinds, rubric versions, and the three kinds of failure kept apart."""

from __future__ import annotations

import re
from types import ModuleType
from typing import Any

import pytest

import grader
from grader import KINDS, RUBRIC_VERSIONS, GradingError, SubmissionError, grade


def test_every_kind_declares_its_rubric_in_one_place() -> None:
    assert set(KINDS) == {
        "outreach",
        "sequence",
        "prospect_list",
        "qualification",
        "report",
        "quiz",
        "call",
        "profile",
        "cv",
        "handoff",
        "interview",
        "replies",
        "activity_plan",
        "crm_hygiene",
        "deliverability",
        "critique",
        "triage",
        "decisions",
        "icp",
    }
    for kind, module in KINDS.items():
        assert isinstance(module, ModuleType)
        assert module.RUBRIC_ID == kind
        assert re.fullmatch(r"\d+\.\d+\.\d+", module.RUBRIC_VERSION)
        assert RUBRIC_VERSIONS[kind] == module.RUBRIC_VERSION
        ids = [spec.id for spec in module.CHECKS]
        assert len(ids) == len(set(ids)) and all(spec.points > 0 for spec in module.CHECKS)


#: Outreach checks that only some messages have: channel_fit (LinkedIn and calls, in place
#: of the email-only subject, value and compliance parts) and language (other languages).
CHANNEL_ONLY = {"channel_fit", "language"}
#: Checks only some exercises ask for, on top of the 100: the report's meeting figures
#: (pipeline-report-salons v2; the capstone's report does not ask for them) and the prospect
#: list's research hooks (prospect-list-saas v2).
EXERCISE_ONLY = {"outreach": CHANNEL_ONLY, "report": {"meetings"}, "prospect_list": {"hooks"}}


def test_graded_rubrics_add_up_to_100_points() -> None:
    for kind, module in KINDS.items():
        if kind == "quiz":
            continue
        skip = EXERCISE_ONLY.get(kind, set())
        assert sum(spec.points for spec in module.CHECKS if spec.id not in skip) == 100, kind


def test_unknown_kind_is_a_submission_error_naming_kind() -> None:
    with pytest.raises(SubmissionError) as info:
        grade("poem", {}, {})
    assert info.value.field == "kind" and info.value.location == "kind"
    assert "outreach" in info.value.message


@pytest.mark.parametrize(
    ("submission", "context", "location"),
    [
        ("text", {}, "submission"),
        ({"channel": "email", "body": "Hi"}, [], "context"),
    ],
)
def test_top_level_shapes(submission: Any, context: Any, location: str) -> None:
    with pytest.raises(SubmissionError) as info:
        grade("outreach", submission, context)
    assert info.value.location == location


def test_context_may_be_none() -> None:
    assert grade("outreach", {"channel": "email", "body": "Hi there."}, None).possible > 0


def test_a_bug_inside_a_kind_is_a_grading_error_not_a_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(submission: Any, context: Any) -> Any:
        raise ZeroDivisionError("oops")

    monkeypatch.setattr(grader.quiz, "grade_submission", broken)
    with pytest.raises(GradingError) as info:
        grade("quiz", {"answers": {}}, {})
    assert info.value.kind == "quiz"
    assert "ZeroDivisionError: oops" in str(info.value)
    assert isinstance(info.value.__cause__, ZeroDivisionError)


def test_submission_errors_pass_through_unwrapped(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuses(submission: Any, context: Any) -> Any:
        raise SubmissionError("answers.q1", "must be an option index")

    monkeypatch.setattr(grader.quiz, "grade_submission", refuses)
    with pytest.raises(
        SubmissionError, match=r"^submission\.answers\.q1: must be an option index$"
    ):
        grade("quiz", {"answers": {}}, {})
