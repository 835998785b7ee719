"""No drill hand-in without real work scores above 30% (issue #15, item 1), for every drill.

Every drill in course/drills is handed in the laziest ways its fields allow, built from the
drill's own spec (never written per drill), so a drill added tomorrow is covered the day it
is added:

* nothing: no rows, the required texts filled with a placeholder;
* the same answer on every row: every combination of the choice fields' options (and "left
  empty" when a row has more than one choice field), each tried as the constant answer;
* with that, every free-text field filled the same three ways: left empty, a stock sentence
  that fits any row, or the row's own material copied back (a drill text gets the brief);
  number fields get the same number on every row or the table's order, time fields 09:00.

The grade comes from the platform's own grading input (``DrillSpec.grading_context``). The
strong golden hand-in of each drill (tests/grader/golden) is graded the same way, to show that
real work still scores well. ``python -m tests.unit.test_zero_effort_drills`` prints the
laziest score per drill.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from course.drill_specs import DRILLS_DIR, DrillSpec, parse_drill
from grader import KINDS, SubmissionError, grade

DRILLS = sorted(p.stem for p in DRILLS_DIR.glob("*.yaml"))
GOLDEN = Path(__file__).parents[1] / "grader" / "golden"
STOCK = "I would follow up and check this carefully."
LIMIT = 30.0
#: A strong golden hand-in scores at least this (the golden bands' floor for strong work).
STRONG = 85.0


def _spec(drill_id: str) -> DrillSpec:
    return parse_drill(DRILLS_DIR / f"{drill_id}.yaml", KINDS)


def _copied(item: dict[str, Any]) -> str:
    """The row's material as a learner would paste it back: every shown value but the id."""
    return " ".join(str(v) for k, v in item.items() if k != "id")


def _texts(spec: DrillSpec, fill: str) -> dict[str, str]:
    texts = {}
    for t in spec.texts:
        value = {"blank": "0", "stock": STOCK, "copy": spec.brief}[fill]
        if t.required or fill != "blank":
            texts[t.name] = value[: t.max_length]
    return texts


def _row(
    spec: DrillSpec,
    index: int,
    item: dict[str, Any],
    choices: dict[str, str],
    fill: str,
    numbers: str,
) -> dict[str, str]:
    row = {}
    for f in spec.fields:
        if f.type == "choice":
            value = choices[f.name]
        elif f.type == "text":
            limit = f.max_length or 500
            value = {"blank": "", "stock": STOCK, "copy": _copied(item)}[fill][:limit]
        elif f.type == "number":
            value = {"none": "", "same": "1", "table order": str(index + 1)}[numbers]
        else:
            value = "09:00"
        if value:
            row[f.name] = value
    return row


def lazy_hand_ins(spec: DrillSpec) -> Iterator[tuple[str, dict[str, Any]]]:
    """(how it was made, the hand-in) for every lazy way the drill's fields allow."""
    yield "nothing", {"rows": {}, "texts": _texts(spec, "blank")}
    choice = [f for f in spec.fields if f.type == "choice"]
    extra = [""] if len(choice) > 1 else []
    has_number = any(f.type == "number" for f in spec.fields)
    number_ways = ("none", "same", "table order") if has_number else ("none",)
    items = [dict(i) for i in spec.materials.items]
    for combo in itertools.product(*[list(f.options) + extra for f in choice]):
        choices = {f.name: v for f, v in zip(choice, combo, strict=True)}
        for fill in ("blank", "stock", "copy"):
            for numbers in number_ways:
                rows = {
                    str(item["id"]): _row(spec, n, item, choices, fill, numbers)
                    for n, item in enumerate(items)
                }
                how = f"every row {choices}, texts {fill}, numbers {numbers}"
                yield how, {"rows": rows, "texts": _texts(spec, fill)}


def laziest(drill_id: str) -> tuple[float, str]:
    """The highest percent any lazy hand-in of the drill earns, and how it was made."""
    spec = _spec(drill_id)
    context = spec.grading_context()
    best = (-1.0, "")
    for how, hand_in in lazy_hand_ins(spec):
        try:
            percent = grade(spec.grader, hand_in, context).percent
        except SubmissionError:  # refused with a 422: nothing is stored, nothing scored
            continue
        best = max(best, (percent, how))
    return best


def strong_hand_ins(spec: DrillSpec, drill_id: str) -> list[tuple[str, dict[str, Any]]]:
    """The drill's strong golden hand-ins (named by drill id, or carrying the drill inline)."""
    found = []
    for path in sorted(GOLDEN.glob("*/*.json")):
        case = json.loads(path.read_text("utf-8"))
        inline = (case.get("context") or {}).get("drill") or {}
        named = case.get("drill") == drill_id or inline.get("title") == spec.title
        if named and case["band"] == "strong":
            found.append((path.stem, case["submission"]))
    return found


@pytest.mark.parametrize("drill_id", DRILLS)
def test_the_laziest_hand_in_of_every_drill_scores_at_most_30_percent(drill_id: str) -> None:
    percent, how = laziest(drill_id)
    assert percent <= LIMIT, f"{drill_id}: {percent}% for {how}"


@pytest.mark.parametrize("drill_id", DRILLS)
def test_real_work_on_every_drill_still_scores_well(drill_id: str) -> None:
    spec = _spec(drill_id)
    strong = strong_hand_ins(spec, drill_id)
    assert strong, f"{drill_id}: no strong golden hand-in under tests/grader/golden: add one"
    for name, submission in strong:
        g = grade(spec.grader, submission, spec.grading_context())
        assert g.percent >= STRONG, (name, g.to_dict())


def test_a_stock_sentence_alone_is_among_the_lazy_hand_ins() -> None:
    """The generator really fills free text: a drill with a text field gets the stock line."""
    spec = _spec("reply-handling-drill")
    made = dict(lazy_hand_ins(spec))
    stock = next(h for how, h in made.items() if "texts stock" in how)
    assert any(STOCK in row.values() for row in stock["rows"].values())


if __name__ == "__main__":  # the before/after table of the issue #15 audit
    print(f"{'drill':28} {'laziest %':>9}  how")
    for d in DRILLS:
        p, h = laziest(d)
        print(f"{d:28} {p:9.1f}  {h}")
