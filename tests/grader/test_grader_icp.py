"""The ICP drill (kind ``icp``, course/drills/icp-from-interview.yaml): blind, generic and
copied hand-ins score low, a good profile scores high, and each mechanism (groups named,
ruled-out segments, size overlap, copying, evidence from the interview) does what
docs/rubrics.md ("ICP") says.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from grader_testkit import assert_spans_exact, assert_well_formed, load_drill, load_golden

from grader import SubmissionError, grade

DRILL = "icp-from-interview"
ROWS = ("industry", "size", "region", "buyer", "pains", "triggers", "disqualifiers")
GENERIC = "small businesses, owners, they want growth"
LOW, GOOD = 30.0, 80.0


def _spec() -> dict[str, Any]:
    return load_drill(DRILL)


def _interview() -> str:
    (doc,) = [d for d in _spec()["materials"]["documents"] if d["id"] == "interview"]
    text: str = doc["text"]
    return text


def _lines() -> dict[int, str]:
    found = re.findall(r"^\[(\d+)\] (.+)$", _interview(), re.MULTILINE)
    return {int(n): said for n, said in found}


def _grade(submission: dict[str, Any], spec: dict[str, Any] | None = None) -> Any:
    return grade("icp", submission, {"drill": spec or _spec()})


def _hand_in(rows: dict[str, str], why: str = "") -> dict[str, Any]:
    return {"rows": {r: {"answer": v} for r, v in rows.items()}, "texts": {"why": why}}


def _strong() -> dict[str, Any]:
    sub: dict[str, Any] = copy.deepcopy(load_golden(f"{DRILL}-strong")["submission"])
    return sub


def _limit(row: str | None = None) -> int:
    spec = _spec()
    if row is None:
        return int(next(t for t in spec["texts"] if t["name"] == "why")["max_length"])
    return int(next(f for f in spec["fields"] if f["name"] == "answer")["max_length"])


def _lazy_hand_ins() -> dict[str, dict[str, Any]]:
    interview, lines = _interview(), _lines()
    # the line behind each part, pasted whole (what a learner copying the notes would do)
    behind = {
        "industry": [2],
        "size": [4, 6],
        "region": [8],
        "buyer": [10, 12],
        "pains": [20, 21, 22],
        "triggers": [28, 29, 30],
        "disqualifiers": [16, 17, 18],
    }
    return {
        "empty": {"rows": {}, "texts": {}},
        "generic": _hand_in(dict.fromkeys(ROWS, GENERIC), GENERIC),
        "interview pasted": _hand_in(
            {r: interview[: _limit(r)] for r in ROWS}, interview[: _limit()]
        ),
        "interview lines pasted per part": _hand_in(
            {r: " ".join(lines[n] for n in ns)[: _limit(r)] for r, ns in behind.items()},
            " ".join(lines[n] for n in (4, 6, 8, 34))[: _limit()],
        ),
    }


@pytest.mark.parametrize("how", sorted(_lazy_hand_ins()))
def test_icp_blind_generic_or_copied_hand_ins_score_at_most_30_percent(how: str) -> None:
    g = _grade(_lazy_hand_ins()[how])
    assert g.percent <= LOW, (how, {c.id: c.points for c in g.checks})
    assert_well_formed(g)


def test_icp_a_good_profile_in_own_words_scores_at_least_80_percent() -> None:
    good = _hand_in(
        {
            "industry": "Plumbing, heating and electrical firms; facilities management companies",
            "size": "roughly 50 to 300 employees",
            "region": "England & Wales",
            "buyer": "Director of operations (ops manager in small firms), fleet managers as allies",
            "pains": "Missed MOTs put vans off the road; overtime claims nobody can check; "
            "their customers chasing arrival times",
            "triggers": "Insurer asks for tracking at renewal; wins a contract that adds vans",
            "disqualifiers": "Fleets under 15 vans, councils and housing associations, couriers, "
            "leased vans that come with a tracker",
        },
        "Her happiest customers renew for years, and below 15 vans the savings do not cover "
        "the fee.",
    )
    g = _grade(good)
    assert g.percent >= GOOD, {c.id: (c.points, c.verdict) for c in g.checks}
    assert_spans_exact(g, good)


def test_icp_the_keys_model_profile_earns_every_parts_points() -> None:
    """The model answer shown after a hand-in must pass its own grader, row by row."""
    keyed = _spec()["key"]["rows"]
    g = _grade(_hand_in({r: keyed[r]["answer"] for r in ROWS}))
    assert all(g.check(r).full_marks for r in ROWS), {c.id: c.verdict for c in g.checks}


def test_icp_including_a_ruled_out_segment_costs_points_unless_written_as_an_exclusion() -> None:
    base = _strong()
    clean = _grade(base).check("industry").points
    included = copy.deepcopy(base)
    included["rows"]["industry"]["answer"] += ", and parcel couriers"
    excluded = copy.deepcopy(base)
    excluded["rows"]["industry"]["answer"] += "; not couriers or councils"
    g = _grade(included)
    assert g.check("industry").points < clean
    assert any("ruled out" in e.note and "line 17" in e.note for e in g.check("industry").evidence)
    assert _grade(excluded).check("industry").points == clean


@pytest.mark.parametrize(
    ("answer", "low", "high"),
    [
        ("50-300 staff", 1.0, 1.0),
        ("20 to 120 vans", 1.0, 1.0),
        ("60-250 employees", 1.0, 1.0),
        ("5-5000 staff", 0.0, 0.5),  # overlaps, but cannot say no to anyone
        ("10-120 vans", 0.0, 0.5),  # starts below the 15 vans the client rules out
        ("50+ staff", 0.5, 0.5),  # no top end
        ("small and medium businesses", 0.0, 0.0),
    ],
)
def test_icp_size_is_scored_by_overlap_with_the_clients_range(
    answer: str, low: float, high: float
) -> None:
    sub = _strong()
    sub["rows"]["size"]["answer"] = answer
    check = _grade(sub).check("size")
    assert low <= check.points / check.possible <= high, (answer, check)


def test_icp_copied_words_earn_nothing_but_the_same_facts_in_own_words_do() -> None:
    pasted = _strong()
    pasted["rows"]["pains"]["answer"] = _lines()[20]
    own = _strong()
    own["rows"]["pains"]["answer"] = "Vans off the road after a missed MOT"
    copied_check = _grade(pasted).check("pains")
    assert copied_check.points == 0
    assert any("copied from the interview" in e.note for e in copied_check.evidence)
    assert _grade(own).check("pains").points > 0


def test_icp_terms_match_by_stem_within_a_clause() -> None:
    sub = _strong()
    sub["rows"]["buyer"]["answer"] = "The director of operations; fleet managers"
    assert _grade(sub).check("buyer").full_marks
    split = _strong()
    split["rows"]["buyer"]["answer"] = "The director, then operations staff"
    assert not _grade(split).check("buyer").full_marks


def test_icp_evidence_quotes_the_interview_line_behind_each_point_and_each_miss() -> None:
    lines = _lines()
    strong = _grade(_strong())
    for check in strong.checks:
        for e in check.evidence:
            m = re.search(r"interview line (\d+): \"([^\"]+)\"", e.note)
            assert m, (check.id, e)
            said = m.group(2).rstrip("…")
            assert " ".join(lines[int(m.group(1))].split()).startswith(said)
    weak = _grade(load_golden(f"{DRILL}-weak")["submission"])
    missed = [e for e in weak.check("pains").evidence if e.note.startswith("missed")]
    assert {e.record_ids for e in missed} == {("line 20",), ("line 21",), ("line 22",)}
    assert weak.check("pains").advice


def test_icp_a_key_citing_a_line_the_interview_lacks_is_a_context_error() -> None:
    spec = _spec()
    spec["key"]["rows"]["pains"]["groups"][0]["line"] = 99
    with pytest.raises(SubmissionError) as info:
        _grade({"rows": {}}, spec)
    assert info.value.location == "context.drill.key.rows.pains.groups[0].line"


@pytest.mark.parametrize(
    ("submission", "where"),
    [
        ({"rows": {"nope": {"answer": "x"}}}, "rows.nope"),
        ({"rows": {"size": {"range": "x"}}}, "rows.size.range"),
        ({"rows": {"size": {"answer": "x" * 301}}}, "rows.size.answer"),
        ({"rows": {}, "texts": {"why": "x" * 601}}, "texts.why"),
    ],
)
def test_icp_malformed_hand_in_names_the_field(submission: dict[str, Any], where: str) -> None:
    with pytest.raises(SubmissionError) as info:
        _grade(submission)
    assert info.value.location == "submission." + where


def test_icp_grade_is_deterministic() -> None:
    sub = _strong()
    assert _grade(sub) == _grade(copy.deepcopy(sub))


@pytest.mark.parametrize(
    ("row", "answer"),
    [
        ("industry", "Trade and facilities maintenance contractors"),
        ("size", "50–300 staff"),
        ("buyer", "Head of Ops; fleet manager"),
        ("triggers", "Winning contracts that add vans; insurer demands tracking"),
        ("triggers", "New ops leader; insurance renewal"),
        (
            "disqualifiers",
            "Fleets below 15; public-sector bodies; couriers; vans on leases with trackers",
        ),
    ],
)
def test_icp_other_wordings_of_a_right_answer_earn_the_part(row: str, answer: str) -> None:
    sub = _strong()
    sub["rows"][row]["answer"] = answer
    assert _grade(sub).check(row).full_marks, answer
