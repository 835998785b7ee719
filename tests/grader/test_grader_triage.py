"""The triage kind beyond its goldens: time-zone arithmetic in the plan, the windows that
apply on each day, field-named refusals, and evidence that quotes the learner."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from grader import SubmissionError, grade
from grader.triage import parse_plan

DRILL = yaml.safe_load(
    (Path(__file__).parents[2] / "course" / "drills" / "compliance-triage-list.yaml").read_text(
        encoding="utf-8"
    )
)
KEY = DRILL["key"]["rows"]
IDS = tuple(KEY)


def _payload(plan: str, **actions: str) -> dict[str, Any]:
    rows = {i: {"action": actions.get(i, k["action"]), "reason": "register and consent checked"}
            for i, k in KEY.items()}  # fmt: skip
    return {"rows": rows, "texts": {"plan": plan}}


def _plan_check(plan: str, **actions: str) -> Any:
    g = grade("triage", _payload(plan, **actions), {"drill": DRILL})
    return next(c for c in g.checks if c.id == "plan_in_hours")


def test_plan_lines_read_id_day_and_time_in_any_common_spelling() -> None:
    calls = parse_plan(
        "c10 Tue 16:30\n- C12, Wednesday 9.15 (call back)\nnotes\nc99 Mon 10:00", IDS
    )
    assert [(c.item_id, c.weekday, c.minute) for c in calls] == [("c10", 1, 990), ("c12", 2, 555)]


@pytest.mark.parametrize(
    ("line", "inside"),
    [
        ("c19 Mon 14:00", True),  # 09:00 Toronto, Monday: CRTC opens at 09:00
        ("c19 Mon 13:59", False),  # 08:59 Toronto
        ("c19 Sat 14:30", False),  # 09:30 Toronto on a Saturday: the weekend window opens at 10:00
        ("c19 Sat 15:00", True),
        ("c19 Sun 23:00", False),  # 18:00 Toronto on a Sunday: the weekend window has closed
        ("c12 Wed 01:30", False),  # Tue 20:30 in Florida: Florida's hours end at 20:00
        ("c10 Wed 02:30", True),  # Tue 20:30 in Texas (business line, 08:00-21:00 policy)
        ("c17 Tue 02:00", False),  # Mon 20:00 in the Florida panhandle (Central time): closed
        ("c25 Tue 17:00", True),  # 09:00 Vancouver
        ("c02 Sun 20:59", True),  # UK policy window 08:00-21:00 every day
        ("c02 Sun 21:00", False),
    ],
)
def test_each_planned_call_is_judged_in_the_contacts_own_time(line: str, inside: bool) -> None:
    check = _plan_check(line)
    flagged = [e for e in check.evidence if e.field == "texts.plan"]
    assert (not flagged) is inside, check.verdict
    if not inside:
        [evidence] = flagged
        assert evidence.quote == line and "Rule " in evidence.note


def test_a_planned_call_to_a_registered_number_costs_like_one_outside_hours() -> None:
    registered = _plan_check("c03 Tue 10:00")  # a TPS-listed partnership
    late = _plan_check("c02 Tue 22:00")
    assert registered.points == late.points < registered.possible
    assert "PECR regulations 21 and 26" in registered.evidence[0].note


def test_an_email_the_law_forbids_quotes_the_row_and_the_rule() -> None:
    g = grade("triage", _payload("c01 Tue 10:00", c08="both"), {"drill": DRILL})
    check = next(c for c in g.checks if c.id == "email_lawful")
    [evidence] = check.evidence
    assert evidence.field == "rows.c08.action" and evidence.quote == "both"
    assert "sole trader" in evidence.note and "PECR regulation 22" in evidence.note
    assert check.points < check.possible


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"rows": {"c01": {"action": "phone"}}, "texts": {"plan": "x"}}, "rows.c01.action"),
        ({"rows": {"c77": {"action": "both"}}, "texts": {"plan": "x"}}, "rows.c77"),
        ({"rows": {"c01": {"mood": "ok"}}, "texts": {"plan": "x"}}, "rows.c01.mood"),
        ({"rows": {"c01": {"reason": "x" * 301}}, "texts": {"plan": "x"}}, "rows.c01.reason"),
        ({"rows": {"c01": {"reason": ["x"]}}, "texts": {"plan": "x"}}, "rows.c01.reason"),
        ({"rows": {}, "texts": {"plan": "  "}}, "texts.plan"),
        ({"rows": {}, "texts": {"plan": "x", "memo": "y"}}, "texts.memo"),
        ({"rows": [], "texts": {"plan": "x"}}, "rows"),
        ({"answers": {}}, "answers"),
    ],
)
def test_malformed_hand_ins_name_the_field(payload: dict[str, Any], field: str) -> None:
    with pytest.raises(SubmissionError) as caught:
        grade("triage", payload, {"drill": DRILL})
    assert caught.value.field == field


def test_unanswered_rows_score_as_unanswered_not_as_errors() -> None:
    g = grade("triage", {"rows": {}, "texts": {"plan": "nothing planned"}}, {"drill": DRILL})
    checks = {c.id: c for c in g.checks}
    # Since 1.1.0 breaking no law by reaching no one earns nothing (issue #15): the lawful
    # checks count as far as the lawful channel is used, and the verdict says so.
    assert checks["email_lawful"].points == 0
    assert "No unlawful email. Emailed 0 of" in checks["email_lawful"].verdict
    assert checks["lawful_reach"].points == 0 and checks["reasons"].points == 0


def test_a_context_without_the_drill_is_the_callers_fault() -> None:
    broken = copy.deepcopy(DRILL)
    del broken["key"]
    with pytest.raises(SubmissionError) as caught:
        grade("triage", _payload("c01 Tue 10:00"), {"drill": broken})
    assert caught.value.source == "context" and caught.value.field == "drill.key"
