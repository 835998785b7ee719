"""prospect_list 2.0.0: a research hook and its source for the top contacts, graded with the
outreach language layer's personalisation reading (the hook states a fact from the
contact's profile), kept recent, and leading to the client's offer. Old hand-ins without
hooks still grade; contexts that do not ask for hooks skip the check."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from grader_testkit import assert_spans_exact, assert_well_formed

from grader import SubmissionError, grade
from grader.prospect_list import RUBRIC_VERSION

IDS = [f"p{n:06d}" for n in range(1, 21)]
PROFILE = {
    "first_name": "Dana", "last_name": "Cole", "title": "VP Sales", "company": "Ledgerly",
    "industry": "software", "facts": ["Raised a Series B round to grow its sales team"],
    "pains": ["new SDRs take months to ramp"],
}  # fmt: skip
CONTEXT: dict[str, Any] = {
    "list_size": {"min": 20, "max": 40},
    "contacts": {
        i: {
            "company": f"Co {i}",
            "fits_icp": True,
            "decision_maker": True,
            "has_email": True,
            "do_not_contact": False,
        }  # fmt: skip
        for i in IDS
    },
    "hooks": {
        "wanted": 5,
        "year": 2025,
        "offer": "a 6-week coaching programme that gets new SDRs to quota faster",
        "profiles": {i: dict(PROFILE, company=f"Co {i}") for i in IDS[:8]},
    },
}
GOOD_HOOK = (
    "Co {id} just raised a Series B round to grow its sales team, so its new SDRs will need "
    "to ramp to quota fast."
)
SOURCE = "Company news page, March 2025"


def _submission(hooks: list[dict[str, str]] | None) -> dict[str, Any]:
    out: dict[str, Any] = {"contact_ids": IDS, "notes": "hiring or funded"}
    if hooks is not None:
        out["hooks"] = hooks
    return out


def _good(n: int = 5) -> list[dict[str, str]]:
    return [{"contact_id": i, "hook": GOOD_HOOK.format(id=i), "source": SOURCE} for i in IDS[:n]]


def _grade(submission: dict[str, Any], context: dict[str, Any] = CONTEXT):
    g = grade("prospect_list", submission, context)
    assert_well_formed(g)
    assert_spans_exact(g, submission)
    return g


def _hooks(g):
    return next((c for c in g.checks if c.id == "hooks"), None)


def test_the_version_is_bumped() -> None:
    assert RUBRIC_VERSION.split(".")[0] == "2"


def test_five_good_hooks_earn_the_check_with_the_fact_quoted() -> None:
    check = _hooks(_grade(_submission(_good())))
    assert check is not None and check.full_marks, check
    assert check.evidence == ()  # full marks: nothing to point at


def test_a_generic_hook_earns_little_and_is_quoted() -> None:
    hooks = _good(4) + [{"contact_id": IDS[4], "hook": "They are a great company that is "
                         "growing.", "source": SOURCE}]  # fmt: skip
    check = _hooks(_grade(_submission(hooks)))
    assert 0.7 < check.points / check.possible < 0.95
    assert any(e.field == "hooks[4].hook" for e in check.evidence)


def test_an_old_fact_a_missing_source_and_no_link_to_the_offer_each_cost() -> None:
    base = _hooks(_grade(_submission(_good()))).points
    old = _good()
    old[0]["hook"] = "Co p000001 raised a Series B round in 2019 to grow its sales team."
    no_source = _good()
    no_source[1]["source"] = " "
    unlinked = _good()
    unlinked[2]["hook"] = "Co p000003 raised a Series B round to grow its sales team."
    for hooks in (old, no_source, unlinked):
        assert _hooks(_grade(_submission(hooks))).points < base


def test_a_hook_for_a_contact_not_on_the_list_earns_nothing() -> None:
    hooks = _good(4) + [{"contact_id": "p999999", "hook": GOOD_HOOK.format(id="X"),
                         "source": SOURCE}]  # fmt: skip
    check = _hooks(_grade(_submission(hooks)))
    assert check.points == pytest.approx(check.possible * 4 / 5, abs=0.01)


def test_old_hand_ins_without_hooks_still_grade_and_lose_only_the_hooks() -> None:
    with_hooks = _grade(_submission(_good()))
    without = _grade(_submission(None))
    assert _hooks(without).points == 0
    assert with_hooks.score - without.score == pytest.approx(_hooks(with_hooks).possible)


def test_a_context_that_asks_for_no_hooks_skips_the_check() -> None:
    context = copy.deepcopy(CONTEXT)
    del context["hooks"]
    g = _grade(_submission(_good()), context)
    assert _hooks(g) is None and "hooks" in dict(g.skipped)
    assert g.possible == 100


def test_malformed_hooks_are_refused_naming_the_field() -> None:
    with pytest.raises(SubmissionError, match=r"hooks\[0\]\.hook"):
        grade("prospect_list", _submission([{"contact_id": IDS[0], "hook": 3}]), CONTEXT)
    with pytest.raises(SubmissionError, match="hooks"):
        grade("prospect_list", _submission([{"contact_id": IDS[0]}] * 41), CONTEXT)
