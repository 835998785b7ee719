"""The decisions kind, for every drill in course/drills graded by it (and a small made-up one):
the key's answers score full marks, an empty hand-in scores nothing without being an error,
the heaviest row costs the most, and a refusal names the field."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from course.drill_specs import load_drills
from grader import KINDS, SubmissionError, grade

MADE_UP: dict[str, Any] = {
    "title": "Made-up decisions drill",
    "kind": "drill",
    "grader": "decisions",
    "materials": {
        "columns": [{"name": "scenario", "label": "Scenario"}],
        "items": [
            {"id": "s01", "scenario": "A prospect says stop emailing me on a call."},
            {"id": "s02", "scenario": "A meeting is booked for Thursday."},
            {"id": "s03", "scenario": "An address hard-bounces."},
        ],
    },
    "fields": [
        {"name": "choice", "label": "Where", "type": "choice", "options": ["crm", "sheet", "none"]},
        {"name": "reason", "label": "Why", "type": "text", "max_length": 300},
    ],
    "key": {
        "rows": {
            "s01": {"answer": ["crm"], "why": "an opt-out lives in the CRM", "weight": 3,
                    "reason_terms": ["opt-out", "opt out"]},
            "s02": {"answer": ["crm"], "why": "the stage changes", "weight": 1},
            "s03": {"answer": ["crm", "sheet"], "why": "suppress it", "weight": 1,
                    "reason_terms": ["suppress"]},
        }
    },
}  # fmt: skip


def _drills() -> dict[str, dict[str, Any]]:
    found = {
        drill_id: spec.grading_context()["drill"]
        for drill_id, spec in load_drills(kinds=KINDS).items()
        if spec.grader == "decisions"
    }
    return {"made-up": MADE_UP, **found}


DRILLS = _drills()


def _key(drill: dict[str, Any]) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = drill["key"]["rows"]
    return rows


def _has_reason(drill: dict[str, Any]) -> bool:
    return any(f["name"] == "reason" for f in drill["fields"])


def _options(drill: dict[str, Any]) -> list[str]:
    field = next(f for f in drill["fields"] if f["name"] == "choice")
    options: list[str] = field["options"]
    return options


def _best(drill: dict[str, Any]) -> dict[str, Any]:
    rows = {}
    for item_id, k in _key(drill).items():
        row = {"choice": k["answer"][0]}
        if _has_reason(drill):
            row["reason"] = f"because of the {(k.get('reason_terms') or ['facts'])[0]}"
        rows[item_id] = row
    return {"rows": rows, "texts": {}}


def _wrong(drill: dict[str, Any], item_id: str) -> str:
    return next(o for o in _options(drill) if o not in _key(drill)[item_id]["answer"])


@pytest.mark.parametrize("drill_id", sorted(DRILLS))
def test_the_keys_first_answers_score_full_marks(drill_id: str) -> None:
    drill = DRILLS[drill_id]
    g = grade("decisions", _best(drill), {"drill": drill})
    assert g.percent == 100
    assert all(c.full_marks for c in g.checks)


@pytest.mark.parametrize("drill_id", sorted(DRILLS))
def test_an_empty_hand_in_scores_nothing_and_is_not_an_error(drill_id: str) -> None:
    g = grade("decisions", {"rows": {}, "texts": {}}, {"drill": DRILLS[drill_id]})
    assert g.score == 0


@pytest.mark.parametrize("drill_id", sorted(DRILLS))
def test_a_wrong_choice_on_the_heaviest_row_costs_the_most(drill_id: str) -> None:
    drill = DRILLS[drill_id]
    losses = {}
    for item_id in _key(drill):
        hand = _best(drill)
        hand["rows"][item_id]["choice"] = _wrong(drill, item_id)
        g = grade("decisions", hand, {"drill": drill})
        losses[item_id] = g.possible - g.score
        quoted = g.check("decisions").evidence[0]
        assert quoted.field == f"rows.{item_id}.choice"
        assert _key(drill)[item_id]["answer"][0] in quoted.note
    heaviest = max(_key(drill).items(), key=lambda kv: kv[1].get("weight", 1))[0]
    assert all(losses[heaviest] >= loss > 0 for loss in losses.values())
    lightest = min(_key(drill).values(), key=lambda k: k.get("weight", 1)).get("weight", 1)
    if _key(drill)[heaviest].get("weight", 1) > lightest:
        assert losses[heaviest] > min(losses.values())


@pytest.mark.parametrize("drill_id", sorted(DRILLS))
def test_an_unknown_choice_is_refused_naming_the_field(drill_id: str) -> None:
    drill = DRILLS[drill_id]
    item_id = next(iter(_key(drill)))
    hand = _best(drill)
    hand["rows"][item_id]["choice"] = "telepathy"
    with pytest.raises(SubmissionError) as err:
        grade("decisions", hand, {"drill": drill})
    assert err.value.field == f"rows.{item_id}.choice"


def test_a_right_choice_with_a_reason_missing_every_term_loses_reason_points_only() -> None:
    hand = _best(MADE_UP)
    hand["rows"]["s01"]["reason"] = "seems right"
    g = grade("decisions", hand, {"drill": MADE_UP})
    assert g.check("decisions").full_marks
    reasons = g.check("reasons")
    assert 0 < reasons.points < reasons.possible
    assert reasons.evidence[0].field == "rows.s01.reason"
    # A wrong choice earns nothing for its reason, even when the reason names a term.
    hand = _best(MADE_UP)
    hand["rows"]["s01"]["choice"] = "none"
    assert grade("decisions", hand, {"drill": MADE_UP}).check("reasons").points < 20 * 0.5


def test_without_reason_terms_the_grade_is_out_of_the_decisions_points() -> None:
    drill = copy.deepcopy(MADE_UP)
    for row in drill["key"]["rows"].values():
        row.pop("reason_terms", None)
    g = grade("decisions", _best(drill), {"drill": drill})
    assert [s[0] for s in g.skipped] == ["reasons"] and g.possible == 80 and g.percent == 100


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["key"]["rows"].pop("s02"), "drill.key.rows.s02"),
        (lambda d: d["key"]["rows"]["s01"].update(answer=["maybe"]), "drill.key.rows.s01.answer[0]"),
        (lambda d: d["key"]["rows"]["s03"].update(answer=["crm", "sheet", "none"]),
         "drill.key.rows.s03.answer"),
        (lambda d: d["key"]["rows"]["s01"].update(weight=0), "drill.key.rows.s01.weight"),
        (lambda d: d["key"]["rows"].update(s09={"answer": ["crm"], "why": "x"}),
         "drill.key.rows.s09"),
    ],
)  # fmt: skip
def test_a_key_that_does_not_fit_the_drill_names_the_key_field(change: Any, field: str) -> None:
    drill = copy.deepcopy(MADE_UP)
    change(drill)
    with pytest.raises(SubmissionError) as err:
        grade("decisions", _best(MADE_UP), {"drill": drill})
    assert err.value.field == field


def test_grading_is_deterministic() -> None:
    hand = _best(MADE_UP)
    hand["rows"]["s02"]["choice"] = "none"
    first = grade("decisions", hand, {"drill": MADE_UP}).to_dict()
    assert all(grade("decisions", hand, {"drill": MADE_UP}).to_dict() == first for _ in range(3))
