"""Result types: frozen, validated, and round-tripping through JSON unchanged."""

from __future__ import annotations

import dataclasses
import json

import pytest

from grader import Check, Evidence, Grade


def _grade() -> Grade:
    body = "Hi Maria, quick one."
    return Grade(
        rubric_id="outreach",
        rubric_version="1.0.0",
        kind="outreach",
        checks=(
            Check(
                "greeting",
                10,
                10,
                "Greets Maria by name.",
                "",
                (Evidence.span("body", body, 0, 8),),
            ),
            Check(
                "value",
                2.5,
                10,
                "No value statement.",
                "Add one sentence on the result.",
                (Evidence.records(["c-1", "c-2"], "looked at"),),
            ),
        ),
        skipped=(("subject", "a linkedin message has no subject line"),),
    )


def test_score_and_possible_are_sums_rounded_to_two_decimals() -> None:
    g = _grade()
    assert g.score == 12.5
    assert g.possible == 20.0
    assert g.percent == 62.5


def test_points_are_always_floats() -> None:
    c = Check("x", 1, 2, "v", "a")
    assert isinstance(c.points, float) and isinstance(c.possible, float)


def test_to_dict_round_trips_through_json() -> None:
    g = _grade()
    data = json.loads(json.dumps(g.to_dict()))
    again = Grade.from_dict(data)
    assert again == g
    assert json.dumps(again.to_dict()) == json.dumps(g.to_dict())


def test_to_dict_shape() -> None:
    data = _grade().to_dict()
    assert list(data) == [
        "kind",
        "rubric_id",
        "rubric_version",
        "score",
        "possible",
        "percent",
        "checks",
        "skipped",
        "parts",
    ]
    assert data["checks"][0]["evidence"] == [
        {"field": "body", "start": 0, "end": 8, "quote": "Hi Maria"}
    ]
    assert data["checks"][1]["evidence"] == [{"record_ids": ["c-1", "c-2"], "note": "looked at"}]
    assert data["skipped"] == [
        {"id": "subject", "reason": "a linkedin message has no subject line"}
    ]


def test_from_dict_accepts_skipped_pairs() -> None:
    data = _grade().to_dict()
    data["skipped"] = [["subject", "n/a"]]
    assert Grade.from_dict(data).skipped == (("subject", "n/a"),)


def test_grades_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        _grade().kind = "quiz"  # type: ignore[misc]


@pytest.mark.parametrize(("points", "possible"), [(-1, 10), (10.5, 10), (0, 0)])
def test_check_refuses_points_outside_its_range(points: float, possible: float) -> None:
    with pytest.raises(ValueError):
        Check("x", points, possible, "v")


def test_grade_refuses_duplicate_check_ids() -> None:
    c = Check("x", 1, 1, "v")
    with pytest.raises(ValueError, match="unique"):
        Grade("r", "1", "k", (c, c))


def test_check_lookup() -> None:
    g = _grade()
    assert g.check("value").points == 2.5
    with pytest.raises(KeyError):
        g.check("subject")


def test_evidence_moved_to_keeps_offsets() -> None:
    e = Evidence.span("body", "Hello there", 6, 11)
    moved = e.moved_to("steps[2].body")
    assert (moved.field, moved.start, moved.end, moved.quote) == ("steps[2].body", 6, 11, "there")
    records = Evidence.records(["a"])
    assert records.moved_to("x") is records
