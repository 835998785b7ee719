"""Golden submissions: strong, borderline and weak work per kind, with their scores pinned.

Each file under golden/<kind>/ holds the submission, the context and the expected rubric
version, score and points per check. A change in any of them is a rubric change: review
the new verdicts, bump the kind's RUBRIC_VERSION (see docs/rubrics.md) and re-pin.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from grader_testkit import (
    GOLDEN,
    assert_spans_exact,
    assert_well_formed,
    golden_paths,
    read_case,
)

from grader import KINDS, RUBRIC_VERSIONS, grade

#: Percent of possible: strong work >= 85, weak work <= 40, borderline in between.
BANDS = {"strong": (85.0, 100.0), "borderline": (40.0, 85.0), "weak": (0.0, 40.0)}

PATHS = golden_paths()


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_golden_score_is_pinned(path: Path) -> None:
    case = read_case(path)
    g = grade(case["kind"], case["submission"], case["context"])
    expected = case["expected"]
    assert g.rubric_version == expected["rubric_version"] == RUBRIC_VERSIONS[case["kind"]]
    assert {c.id: c.points for c in g.checks} == expected["checks"]
    assert (g.score, g.possible) == (expected["score"], expected["possible"])
    low, high = BANDS[case["band"]]
    assert low <= g.percent <= high, f"{path.stem}: {g.percent}% is not {case['band']}"
    assert_well_formed(g)
    assert_spans_exact(g, case["submission"])


def test_every_kind_has_strong_borderline_and_weak_goldens() -> None:
    bands = {kind: Counter() for kind in KINDS}  # type: dict[str, Counter[str]]
    for path in PATHS:
        case = json.loads(path.read_text(encoding="utf-8"))
        assert path.parent.name == case["kind"]
        bands[case["kind"]][case["band"]] += 1
    for kind, counts in bands.items():
        assert set(counts) == set(BANDS), kind


def test_at_least_ten_outreach_goldens_over_every_channel_and_industry() -> None:
    cases = [
        json.loads(p.read_text(encoding="utf-8")) for p in (GOLDEN / "outreach").glob("*.json")
    ]
    assert len(cases) >= 10
    assert {c["submission"]["channel"] for c in cases} == {"email", "linkedin", "call"}
    industries = {c["context"]["prospect"]["industry"] for c in cases}
    assert industries == {
        "real_estate",
        "coaching_consulting",
        "medical_dental",
        "finance_insurance",
        "saas",
        "local_business",
    }
