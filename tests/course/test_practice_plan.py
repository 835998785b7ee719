"""docs/practice-plan.md's "Where practice stands" table agrees with the catalog.

Why: the table went stale once (it still said "all" for lessons that had drills), because it
was written by hand. Now every lesson of the catalog must have exactly one row whose sandbox
exercises and drills are the ones its front matter names. Print the generated columns with
``python -m tests.course.test_practice_plan`` and keep the last column (the gaps) by hand.
"""

from __future__ import annotations

import re
from pathlib import Path

from course.catalog import Catalog, load_catalog
from grader import KINDS

PLAN = Path(__file__).parents[2] / "docs" / "practice-plan.md"
_ROW = re.compile(
    r"^\| `?(?P<lesson>[a-z0-9-]+)`? \| (?P<module>[a-z0-9-]+) \| (?P<ex>[^|]*) \| (?P<dr>[^|]*) \|"
)


def _ids(cell: str) -> tuple[str, ...]:
    cell = cell.strip()
    return () if cell in {"", "-"} else tuple(i.strip().strip("`") for i in cell.split(","))


def expected(catalog: Catalog) -> dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """lesson id -> (module, sandbox exercises, drills), in the order the lesson names them."""
    rows = {}
    for lesson in catalog.lessons():
        ex = tuple(e for e in lesson.exercises if not catalog.is_drill(e))
        dr = tuple(e for e in lesson.exercises if catalog.is_drill(e))
        rows[lesson.id] = (lesson.module, ex, dr)
    return rows


def _table() -> dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]]:
    text = PLAN.read_text(encoding="utf-8")
    section = text.split("## Where practice stands", 1)[1].split("\n## ", 1)[0]
    found: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {}
    for line in section.splitlines():
        m = _ROW.match(line)
        if m and m["lesson"] != "lesson":
            assert m["lesson"] not in found, f"{m['lesson']} has two rows"
            found[m["lesson"]] = (m["module"], _ids(m["ex"]), _ids(m["dr"]))
    return found


def test_the_practice_table_lists_every_lesson_with_its_exercises_and_drills() -> None:
    want = expected(load_catalog(drill_kinds=KINDS))
    got = _table()
    assert set(got) == set(want), sorted(set(got) ^ set(want))
    for lesson, (module, ex, dr) in want.items():
        assert got[lesson][0] == module, lesson
        assert set(got[lesson][1]) == set(ex), (lesson, "exercises", got[lesson][1], ex)
        assert set(got[lesson][2]) == set(dr), (lesson, "drills", got[lesson][2], dr)


if __name__ == "__main__":
    for lesson, (module, ex, dr) in expected(load_catalog(drill_kinds=KINDS)).items():
        print(f"| {lesson} | {module} | {', '.join(ex) or '-'} | {', '.join(dr) or '-'} |")
