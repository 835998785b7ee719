"""docs/rubrics.md stays in step with the rubrics declared in code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from grader import KINDS

#: kinds whose section title is not the capitalised kind name (an acronym).
TITLES = {"cv": "CV", "crm_hygiene": "CRM hygiene", "icp": "ICP"}

DOC = Path(__file__).parents[2] / "docs" / "rubrics.md"
ROW = re.compile(
    r"^\| `(?P<id>[^`]+)` \| (?P<points>[\d.]+) \| (?P<earns>[^|]+) \| (?P<example>[^|]+) \|$"
)


def _sections() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    parts = re.split(r"^## ", text, flags=re.MULTILINE)
    return {part.split("\n", 1)[0].strip(): part for part in parts[1:]}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_check_is_documented_with_its_points_and_an_example(kind: str) -> None:
    module = KINDS[kind]
    title = TITLES.get(kind, kind.replace("_", " ").capitalize())
    section = _sections()[title]
    assert f"Rubric `{kind}`, version {module.RUBRIC_VERSION}." in section
    rows = {m["id"]: m for m in map(ROW.match, section.splitlines()) if m}
    assert list(rows) == [spec.id for spec in module.CHECKS]
    for spec in module.CHECKS:
        row = rows[spec.id]
        assert float(row["points"]) == spec.points, spec.id
        assert row["earns"].strip() == spec.earns, spec.id
        assert " / " in row["example"], f"{spec.id}: give a good and a bad example"
