"""The triage drill's hidden key agrees with the sandbox's law table, row by row.

The key is written in the YAML (so a reader sees it), and this test asks the engine
(``simulator.law``, ``simulator.calling_hours``, ``simulator.timezones``) the same questions
for every contact: may we email, may we call, which rule decides, which hours apply, what is
the UTC offset that week. A change to the law table that the drill does not follow fails here.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from grader.triage import ACTIONS
from tests.course.triage_law import engine_answer, rule_text

DRILL = Path(__file__).parents[2] / "course" / "drills" / "compliance-triage-list.yaml"
SPEC = yaml.safe_load(DRILL.read_text(encoding="utf-8"))
KEY = SPEC["key"]
ITEMS = SPEC["materials"]["items"]


@pytest.mark.parametrize("item", ITEMS, ids=[i["id"] for i in ITEMS])
def test_every_row_of_the_key_is_what_the_engine_says(item: dict) -> None:
    row = KEY["rows"][item["id"]]
    engine = engine_answer(item, date.fromisoformat(KEY["today"]))
    assert {k: row[k] for k in engine} == engine
    assert ACTIONS[row["action"]] == (row["email"], row["call"])


def test_every_rule_quoted_is_the_engine_rule_word_for_word() -> None:
    used = {r[k] for r in KEY["rows"].values() for k in ("email_rule", "call_rule")}
    assert set(KEY["rules"]) == used
    for rule_id, text in KEY["rules"].items():
        assert text == rule_text(rule_id), rule_id


def test_the_list_covers_every_trap_the_drill_teaches() -> None:
    """UK sole traders with and without consent, each register, lapsed CASL consent,
    Florida's shorter hours, the CRTC weekend window and more than three time zones."""
    rows = KEY["rows"]
    by = {i["id"]: i for i in ITEMS}
    assert 24 <= len(ITEMS) <= 30
    assert {by[i]["country"] for i in rows} == {"UK", "US", "Canada"}
    assert {by[i]["register"] for i in rows} >= {"TPS", "CTPS", "National DNC", "DNCL", "none"}
    uk_sole = [
        i for i in rows if by[i]["country"] == "UK" and by[i]["legal_form"] != "limited company"
    ]
    assert {rows[i]["email"] for i in uk_sole} == {True, False}
    assert any(r["hours"]["weekdays"] == "08:00-20:00" for r in rows.values())  # Florida
    assert any(r["hours"]["saturday"] == "10:00-18:00" for r in rows.values())  # CRTC weekend
    assert len({r["utc_offset"] for r in rows.values()}) >= 4
    assert {r["action"] for r in rows.values()} == set(ACTIONS)


def test_the_brief_states_the_offsets_the_key_uses() -> None:
    """The learner converts London time by hand: the brief must give the same offsets."""
    brief = SPEC["brief"]
    for hours, zones in {5: ("New York", "Toronto"), 6: ("Chicago",), 7: ("Denver", "Edmonton"),
                         8: ("Los Angeles", "Vancouver")}.items():  # fmt: skip
        assert f"{hours}" in brief and all(z in brief for z in zones)
    for item in ITEMS:
        assert KEY["rows"][item["id"]]["utc_offset"] in (0, -300, -360, -420, -480)
