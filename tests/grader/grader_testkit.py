"""Helpers shared by the grader tests (plain functions, so hypothesis tests can use them).

Imported as ``from grader_testkit import ...``: pytest puts this folder on ``sys.path``.
There is deliberately no ``__init__.py`` here: it would make this folder a package named
``grader`` and shadow the real one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from grader import Grade

GOLDEN = Path(__file__).parent / "golden"
DRILLS = Path(__file__).parents[2] / "course" / "drills"

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def resolve(submission: Any, path: str) -> Any:
    """The value at an evidence field path: ``body``, ``steps[1].body``, ``answers.q3``."""
    value = submission
    for name, index in _STEP.findall(path):
        value = value[int(index)] if index else value[name]
    return value


def all_grades(grade: Grade) -> Iterator[Grade]:
    """A grade and, recursively, its parts."""
    yield grade
    for part in grade.parts:
        yield from all_grades(part)


def assert_spans_exact(grade: Grade, submission: Any) -> None:
    """Every quoted span is exactly ``submission[field][start:end]``."""
    for g in all_grades(grade):
        for check in g.checks:
            for e in check.evidence:
                if e.is_span:
                    assert e.field is not None and e.start is not None and e.end is not None
                    text = resolve(submission, e.field)
                    assert text[e.start : e.end] == e.quote, (check.id, e)


def assert_well_formed(grade: Grade) -> None:
    """Scores within bounds, and advice present exactly when points were lost."""
    assert 0 <= grade.score <= grade.possible
    for g in all_grades(grade):
        for c in g.checks:
            assert 0 <= c.points <= c.possible, c
            assert c.verdict.strip(), c
            assert "\n" not in c.verdict and "\n" not in c.advice, c
            if c.full_marks:
                assert c.advice == "", c
            else:
                assert c.advice.strip(), c


def golden_paths() -> list[Path]:
    return sorted(GOLDEN.glob("*/*.json"))


def load_golden(name: str) -> dict[str, Any]:
    """A golden case by file stem, e.g. ``"email-dental-strong"``."""
    (path,) = GOLDEN.glob(f"*/{name}.json")
    return read_case(path)


def read_case(path: Path) -> dict[str, Any]:
    """A golden case; a drill case names its drill (``"drill": "<id>"``) instead of giving a
    context, and gets ``{"drill": <the parsed course/drills/<id>.yaml>}``, so the pinned
    score always follows the drill file the learner is shown."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if "drill" in data:
        data["context"] = {"drill": load_drill(data["drill"])}
    return data


def load_drill(drill_id: str) -> dict[str, Any]:
    """The whole parsed drill file (key included), as the platform passes it to the grader."""
    spec: dict[str, Any] = yaml.safe_load((DRILLS / f"{drill_id}.yaml").read_text("utf-8"))
    return spec
