"""Drill kinds (replies, activity_plan, crm_hygiene, deliverability, critique): the contract's
malformed-input errors, what weighs most, and the drill files they grade.

Golden hand-ins (strong, borderline, weak) per drill live in golden/<kind>/ and name their
drill file, so their pinned scores follow course/drills/<id>.yaml.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from grader_testkit import DRILLS, GOLDEN, assert_spans_exact, assert_well_formed, load_drill

from grader import KINDS, SubmissionError, grade

LESSONS = Path(__file__).parents[2] / "course" / "lessons"
#: drill id -> its grader kind (the drills this branch adds).
DRILL_KINDS = {
    "reply-handling-drill": "replies",
    "week-plan": "activity_plan",
    "crm-cleanup": "crm_hygiene",
    "deliverability-audit": "deliverability",
    "campaign-critique": "critique",
}
BUILT = {d: k for d, k in DRILL_KINDS.items() if (DRILLS / f"{d}.yaml").exists()}


def _lesson_ids() -> set[str]:
    found = set()
    for path in LESSONS.rglob("*.md"):
        m = re.search(r"^id: (\S+)$", path.read_text("utf-8"), re.MULTILINE)
        if m:
            found.add(m.group(1))
    return found


def _strong(kind: str) -> dict[str, Any]:
    (path,) = (GOLDEN / kind).glob("*-strong.json")
    case: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return case


def _grade(drill_id: str, submission: Any) -> Any:
    spec = load_drill(drill_id)
    return grade(spec["grader"], submission, {"drill": spec})


@pytest.mark.parametrize(("drill_id", "kind"), sorted(BUILT.items()))
def test_drill_file_follows_the_contract(drill_id: str, kind: str) -> None:
    spec = load_drill(drill_id)
    assert spec["kind"] == "drill" and spec["grader"] == kind and kind in KINDS
    assert set(spec["lessons"]) <= _lesson_ids(), "lessons must be real lesson ids"
    ids = [item["id"] for item in spec["materials"]["items"]]
    assert len(ids) == len(set(ids))
    for field in spec["fields"]:
        assert field["type"] in {"choice", "text", "number", "time"}
        assert field["type"] != "choice" or field["options"]


@pytest.mark.parametrize(("drill_id", "kind"), sorted(BUILT.items()))
def test_empty_hand_in_scores_low_but_is_not_an_error(drill_id: str, kind: str) -> None:
    # the texts a drill requires are filled with a placeholder: the rows stay empty
    required = [t["name"] for t in load_drill(drill_id).get("texts") or [] if t.get("required")]
    g = _grade(drill_id, {"rows": {}, "texts": dict.fromkeys(required, "0")})
    assert g.kind == kind and g.possible == 100
    assert g.percent < 40
    assert_well_formed(g)


@pytest.mark.parametrize(("drill_id", "kind"), sorted(BUILT.items()))
def test_strong_hand_in_is_deterministic_and_quotes_exactly(drill_id: str, kind: str) -> None:
    sub = _strong(kind)["submission"]
    first, second = _grade(drill_id, sub), _grade(drill_id, copy.deepcopy(sub))
    assert first == second
    assert_spans_exact(first, sub)


def _first_item_and_field(drill_id: str, ftype: str) -> tuple[str, dict[str, Any]]:
    spec = load_drill(drill_id)
    field = next(f for f in spec["fields"] if f["type"] == ftype)
    return spec["materials"]["items"][0]["id"], field


@pytest.mark.parametrize("drill_id", sorted(BUILT))
@pytest.mark.parametrize(
    ("make", "where"),
    [
        (lambda item, f: {"rows": {"zz-nope": {}}}, "rows.zz-nope"),
        (lambda item, f: {"rows": {item: {"nope": "x"}}}, "rows.{item}.nope"),
        (lambda item, f: {"rows": {item: {f["name"]: 3}}}, "rows.{item}.{field}"),
        (lambda item, f: {"rows": {item: {f["name"]: "not-an-option"}}}, "rows.{item}.{field}"),
        (lambda item, f: {"rows": {item: []}}, "rows.{item}"),
        (lambda item, f: {"rows": [], "texts": {}}, "rows"),
        (lambda item, f: {"rows": {}, "texts": {"nope": "x"}}, "texts.nope"),
        (lambda item, f: {"rows": {}, "extra": 1}, "extra"),
    ],
)
def test_malformed_hand_in_names_the_field(drill_id: str, make: Any, where: str) -> None:
    item, field = _first_item_and_field(drill_id, "choice")
    with pytest.raises(SubmissionError) as info:
        _grade(drill_id, make(item, field))
    assert info.value.location == "submission." + where.format(item=item, field=field["name"])


@pytest.mark.parametrize(
    "drill_id", sorted(d for d in BUILT if any(t.get("required") for t in load_drill(d)["texts"]))
)
def test_a_missing_required_text_is_refused_naming_it(drill_id: str) -> None:
    first = next(t["name"] for t in load_drill(drill_id)["texts"] if t.get("required"))
    with pytest.raises(SubmissionError) as info:
        _grade(drill_id, {"rows": {}, "texts": {}})
    assert info.value.location.startswith("submission.texts.")
    assert first in {t["name"] for t in load_drill(drill_id)["texts"]}


def _with_row_text(drill_id: str) -> bool:
    return any(f["type"] == "text" for f in load_drill(drill_id)["fields"])


@pytest.mark.parametrize("drill_id", sorted(d for d in BUILT if _with_row_text(d)))
def test_over_long_text_names_the_field(drill_id: str) -> None:
    spec = load_drill(drill_id)
    field = next(f for f in spec["fields"] if f["type"] == "text")
    item = spec["materials"]["items"][0]["id"]
    long = "x" * (field.get("max_length", 500) + 1)
    with pytest.raises(SubmissionError) as info:
        _grade(drill_id, {"rows": {item: {field["name"]: long}}})
    assert info.value.location == f"submission.rows.{item}.{field['name']}"


def test_a_drill_without_its_key_is_a_context_error() -> None:
    spec = load_drill("reply-handling-drill")
    del spec["key"]
    with pytest.raises(SubmissionError) as info:
        grade("replies", {"rows": {}}, {"drill": spec})
    assert info.value.location == "context.drill.key"


# ----------------------------------------------------------------------------- replies


def _replies(change: dict[str, dict[str, str]]) -> Any:
    sub = copy.deepcopy(_strong("replies")["submission"])
    for item, fields in change.items():
        sub["rows"][item].update(fields)
    return _grade("reply-handling-drill", sub), sub


def test_a_missed_opt_out_costs_more_than_any_other_misfiled_reply() -> None:
    spec = load_drill("reply-handling-drill")
    opt_outs = [i for i, k in spec["key"].items() if isinstance(k, dict) and k.get("opt_out")]
    others = [i for i, k in spec["key"].items() if i != "zones" and not k.get("opt_out")]
    missed_opt_out, _ = _replies({opt_outs[0]: {"crm": "lost_with_reason"}})
    for other in others:
        wrong, _ = _replies({other: {"kind": "not_interested", "crm": "lost_with_reason"}})
        assert missed_opt_out.score < wrong.score, other


def test_an_opt_out_answer_that_asks_again_is_quoted() -> None:
    g, sub = _replies({"r01": {"draft": "Understood. Could I ask what you use for scheduling?"}})
    check = g.check("one_ask")
    assert not check.full_marks
    assert any(e.field == "rows.r01.draft" and "?" in (e.quote or "") for e in check.evidence)
    assert_spans_exact(g, sub)


def test_a_time_without_the_prospects_zone_is_quoted() -> None:
    g, _ = _replies({"r07": {"draft": "Thursday at 2pm works. Ana Lopez will join."}})
    assert g.check("time_zones").points == 0
    assert g.check("time_zones").evidence[0].quote == "2pm"
    fixed, _ = _replies({"r07": {"draft": "Thursday at 2pm your time works. Ana Lopez will join."}})
    assert fixed.check("time_zones").full_marks


def test_answering_an_out_of_office_is_marked_down() -> None:
    g, _ = _replies({"r06": {"draft": "Hi Tom, just checking in."}})
    assert not g.check("answers").full_marks


# ----------------------------------------------------------------------------- activity_plan


def _week(texts: dict[str, str], rows: dict[str, str] | None = None) -> Any:
    sub = copy.deepcopy(_strong("activity_plan")["submission"])
    sub["texts"].update(texts)
    for item, activity in (rows or {}).items():
        sub["rows"][item] = {"activity": activity}
    return _grade("week-plan", sub)


def test_one_slip_in_the_chain_costs_that_step_only() -> None:
    g = _week({"bookings_needed": "14"})
    check = g.check("working_backwards")
    assert [e.field for e in check.evidence] == ["texts.bookings_needed"]
    assert check.points == pytest.approx(check.possible * 3 / 4)


def test_figures_are_recomputed_from_the_learners_own_rates() -> None:
    # A 5% reply rate instead of the given 4% costs the input check, but 120 people a
    # week then follows from it (24 replies / 5% / 4 weeks) and is credited.
    g = _week({"email_reply_rate": "5", "people_per_week": "120"})
    assert g.check("working_backwards").full_marks
    assert not g.check("inputs").full_marks
    assert _week({"email_reply_rate": "5"}).check("working_backwards").points < 35


def test_a_rate_written_as_a_fraction_reads_as_a_percentage() -> None:
    assert _week({"show_rate": "0.8"}).check("inputs").full_marks


def test_a_call_block_before_the_prospects_pick_up_is_quoted_in_their_time() -> None:
    g = _week({}, {"thu-15": "calls_pacific", "thu-16": "calls_eastern"})
    notes = {e.field: e.note for e in g.check("call_hours").evidence}
    assert "rows.thu-15.activity" not in notes  # 14:00 Pacific is fine
    assert "18:00 Eastern" in notes["rows.thu-16.activity"]


def test_a_figure_that_is_not_a_number_names_the_text() -> None:
    with pytest.raises(SubmissionError) as info:
        _week({"show_rate": "most of them"})
    assert info.value.location == "submission.texts.show_rate"


# ----------------------------------------------------------------------------- crm_hygiene


def _crm(change: dict[str, dict[str, str]]) -> Any:
    sub = copy.deepcopy(_strong("crm_hygiene")["submission"])
    sub["rows"].update(change)
    return _grade("crm-cleanup", sub)


def test_the_unsynced_opt_out_costs_more_than_any_other_single_miss() -> None:
    spec = load_drill("crm-cleanup")
    keyed = {i: k for i, k in spec["key"].items() if isinstance(k, dict)}
    opt_out = next(i for i, k in keyed.items() if k["problem"] == "opt_out")
    missed = _crm({opt_out: {"action": "keep"}})
    for other in keyed:
        if other != opt_out:
            assert missed.score < _crm({other: {"action": "keep"}}).score, other


def test_a_merge_must_carry_the_strictest_flag() -> None:
    g = _crm({"c27": {"action": "merge", "merge_into": "c08", "note": "same person"}})
    check = g.check("opt_outs")
    assert not check.full_marks and check.evidence[0].field == "rows.c27.note"
    assert g.check("duplicates").full_marks
    flagged_target = _crm(
        {
            "c27": {"action": "merge", "merge_into": "c08", "note": "same person"},
            "c08": {"action": "sync_opt_out"},
        }
    )
    assert flagged_target.check("opt_outs").full_marks
    assert flagged_target.check("clean_records").full_marks


def test_merging_into_the_newer_record_earns_half() -> None:
    g = _crm({"c19": {"action": "keep"}, "c04": {"action": "merge", "merge_into": "c19"}})
    assert g.check("duplicates").points == pytest.approx(20 * (2.5 / 3), abs=0.01)
    assert not g.check("clean_records").full_marks


def test_changing_a_clean_record_is_quoted() -> None:
    g = _crm({"c05": {"action": "stage_to_mql"}})  # SQL with a booked meeting: right as it is
    (evidence,) = g.check("clean_records").evidence
    assert evidence.field == "rows.c05.action" and evidence.quote == "stage_to_mql"


# ----------------------------------------------------------------------------- deliverability


def _audit(change: dict[str, dict[str, str]]) -> Any:
    sub = copy.deepcopy(_strong("deliverability")["submission"])
    sub["rows"].update(change)
    return _grade("deliverability-audit", sub)


def test_a_problem_found_with_the_wrong_fix_earns_half() -> None:
    g = _audit({"d09": {"status": "problem", "fix": "move_to_a_fresh_domain", "order": "2"}})
    check = g.check("rates")
    assert check.points == pytest.approx(check.possible * 0.75)
    assert check.evidence[0].quote == "move_to_a_fresh_domain"
    assert "0.3%" in check.evidence[0].note


def test_missing_one_click_unsubscribe_is_quoted_with_the_rule() -> None:
    g = _audit({"d10": {"status": "fine", "fix": "none", "order": ""}})
    (evidence,) = g.check("unsubscribe").evidence
    assert evidence.field == "rows.d10.status" and "one-click" in evidence.note


def test_fixing_authentication_before_pausing_loses_order_points() -> None:
    g = _audit(
        {
            "d01": {"status": "problem", "fix": "add_sending_tool_to_spf", "order": "1"},
            "d07": {"status": "problem", "fix": "pause_then_warm_up", "order": "3"},
        }
    )
    assert not g.check("order").full_marks
    assert g.check("authentication").full_marks


def test_an_order_that_is_not_a_number_names_the_field() -> None:
    with pytest.raises(SubmissionError) as info:
        _audit({"d07": {"status": "problem", "fix": "pause_then_warm_up", "order": "first"}})
    assert info.value.location == "submission.rows.d07.order"


def test_drill_kinds_say_so() -> None:
    for kind in set(BUILT.values()):
        assert getattr(KINDS[kind], "DRILL", False) is True, kind


# ----------------------------------------------------------------------------- critique


def _critique(change: dict[str, dict[str, str]]) -> Any:
    sub = copy.deepcopy(_strong("critique")["submission"])
    for step, fields in change.items():
        sub["rows"][step].update(fields)
    return _grade("campaign-critique", sub)


def test_a_missed_law_breaking_flaw_costs_twice_a_style_flaw() -> None:
    legal = _critique({"s2": {"flaw_1": "none", "quote_1": ""}})  # the fake "Re:"
    style = _critique({"s2": {"flaw_2": "none", "quote_2": ""}})  # the send time
    full = _critique({})
    assert full.score - legal.score == pytest.approx(2 * (full.score - style.score), abs=0.02)


def test_a_quote_from_elsewhere_in_the_step_is_not_credited() -> None:
    g = _critique({"s1": {"quote_1": "Hi Sandeep"}})
    (evidence,) = g.check("quotes").evidence
    assert evidence.field == "rows.s1.quote_1" and evidence.quote == "Hi Sandeep"
    assert _critique({"s1": {"quote_1": "  REVOLUTIONARY "}}).check("quotes").full_marks


def test_a_rewrite_that_keeps_the_flaw_is_quoted() -> None:
    g = _critique({"s3": {"fix": "Last chance, Sandeep! Worth a look?"}})
    check = g.check("fixes")
    assert not check.full_marks
    assert check.evidence[0].field == "rows.s3.fix"
    assert "pressure" in check.evidence[0].note and "missing_footer" in check.evidence[0].note


def test_an_invented_flaw_costs_points() -> None:
    g = _critique({"s2": {"flaw_2": "too_long"}})
    assert not g.check("false_flaws").full_marks
    assert g.check("false_flaws").evidence[0].quote == "too_long"


def test_a_tolerated_flaw_is_neither_credited_nor_invented() -> None:
    g = _critique({"s3": {"flaw_2": "no_personalisation", "quote_2": "Hi Sandeep"}})
    assert g.check("false_flaws").full_marks
    assert not g.check("flaws_found").full_marks  # the missing footer is no longer named


@pytest.mark.parametrize(
    ("item", "draft"),
    [
        ("r01", "Of course, Karen. You won't get any more emails from me."),
        ("r01", "Understood, I have taken you off our mailing list."),
        ("r01", "Sorry to bother you; I've stopped emailing you and unsubscribed you everywhere."),
        ("r03", "Slotwise costs 149 USD per site each month, so 447 USD for all three sites."),
        ("r05", "Thanks, Rachel. May I check back in early Sept, once the new system is in?"),
        ("r08", "I'm sorry, Gary. You will not hear from us again."),
    ],
)
def test_other_good_phrasings_of_an_answer_are_credited(item: str, draft: str) -> None:
    g, _ = _replies({item: {"draft": draft}})
    assert g.check("answers").full_marks, g.check("answers").evidence
