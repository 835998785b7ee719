"""The ``cv`` kind: truthful claims earn the truth check, inflated or unbacked ones lose it."""

from __future__ import annotations

from typing import Any

import pytest
from grader_testkit import assert_spans_exact, assert_well_formed

from grader import SubmissionError, grade
from grader.cv import BULLET_MAX_CHARS, MAX_BULLETS, SUMMARY_MAX_CHARS
from grader.cv_claims import find_claims

RECORDS = {
    "records": {
        "meetings_booked": 6,
        "reply_rate": 4.0,
        "contacts_researched": 90,
        "compliance_violations": 0,
        "runs_completed": 3,
        "exercises_completed": 12,
        "best_score": 92,
        "average_score": 78,
    }
}
SUMMARY = (
    "Aspiring SDR who researches before writing. In simulated outbound campaigns I booked "
    "6 meetings from 90 researched contacts, and I am looking for an SDR role."
)


def _cv(*bullets: str | dict[str, Any], summary: str = SUMMARY) -> dict[str, Any]:
    items = [b if isinstance(b, dict) else {"text": b} for b in bullets]
    return {"summary": summary, "bullets": items}


def _graded(sub: dict[str, Any], ctx: dict[str, Any] = RECORDS) -> Any:
    g = grade("cv", sub, ctx)
    assert_well_formed(g)
    assert_spans_exact(g, sub)
    return g


@pytest.mark.parametrize(
    ("truthful", "inflated", "true_figure"),
    [
        ("Wrote sequences with a 4% reply rate", "Wrote sequences with a 15% reply rate", "4%"),
        ("Booked 6 meetings in the sandbox", "Booked 14 meetings in the sandbox", "6 meetings"),
        ("Researched 90 contacts", "Researched 900 contacts", "90 contacts"),
        ("Ran 3 simulated campaigns", "Ran 8 simulated campaigns", "3 simulated runs"),
        ("Completed 12 exercises", "Completed 30 exercises", "12 exercises"),
        ("Scored 92/100 on the exam", "Scored 99/100 on the exam", "92 best score"),
    ],
)
def test_a_truthful_claim_passes_and_an_inflated_one_is_quoted_with_the_true_figure(
    truthful: str, inflated: str, true_figure: str
) -> None:
    good = _graded(_cv(truthful, "Booked 6 meetings", "Researched 90 contacts")).check(
        "records_match"
    )
    assert good.points == good.possible
    bad = _graded(_cv(inflated, "Booked 6 meetings", "Researched 90 contacts")).check(
        "records_match"
    )
    assert bad.points == 0
    assert f"your records show {true_figure}" in bad.verdict
    assert any(e.field == "bullets[0].text" for e in bad.evidence)
    assert any(e.record_ids for e in bad.evidence)


def test_understating_is_honest_but_claiming_a_clean_record_with_violations_is_not() -> None:
    assert _graded(_cv("Booked 5 meetings")).check("records_match").full_marks
    dirty = {"records": {**RECORDS["records"], "compliance_violations": 2}}
    check = _graded(_cv("Sent 40 emails with no compliance violations"), dirty).check(
        "records_match"
    )
    assert check.points == 0 and "2 compliance violations" in check.verdict
    clean = _graded(_cv("Stayed 100% compliant across campaigns")).check("records_match")
    assert clean.full_marks


def test_a_practice_claim_with_no_record_behind_it_is_flagged() -> None:
    g = _graded(_cv("Made 200 calls a day", "Booked 6 meetings"))
    assert g.check("claims_backed").points == 0
    assert g.check("claims_backed").evidence[0].quote == "200 calls"
    no_runs = _graded(_cv("Booked 6 meetings"), {"records": {"reply_rate": None}})
    assert no_runs.check("claims_backed").points == 0
    assert "no record of meetings booked" in no_runs.check("claims_backed").verdict


def test_figures_under_an_outside_job_heading_are_not_checked() -> None:
    job = {"text": "Booked 60 meetings a month", "section": "job", "heading": "SDR, Acme, 2022"}
    g = _graded(_cv(job, "Booked 6 meetings"))
    assert g.check("records_match").full_marks and g.check("claims_backed").full_marks
    practice = _graded(_cv({"text": "Booked 60 meetings a month"}, "Booked 6 meetings"))
    assert practice.check("records_match").points == 0


def test_the_summary_is_checked_too() -> None:
    g = _graded(_cv("Booked 6 meetings", summary=SUMMARY.replace("6 meetings", "20 meetings")))
    check = g.check("records_match")
    assert check.points == 0 and check.evidence[0].field == "summary"


def test_claims_are_found_by_figure_and_each_number_once() -> None:
    text = "Booked 6 meetings from 90 researched contacts at a 4.5% reply rate"
    found = [(c.figure, c.value) for c in find_claims(text)]
    assert found == [
        ("meetings_booked", 6.0),
        ("contacts_researched", 90.0),
        ("reply_rate", 4.5),
    ]


def test_quantified_action_and_fit_are_shares_of_bullets() -> None:
    g = _graded(_cv("Booked 6 meetings", "Responsible for the CRM", "Researched accounts"))
    assert g.check("quantified").points == pytest.approx(5.0)
    assert g.check("action_verbs").points == pytest.approx(10 * 2 / 3, abs=0.01)
    assert g.check("fits_sdr").full_marks


@pytest.mark.parametrize(
    ("sub", "field"),
    [
        (_cv("Booked 6 meetings", summary="x" * (SUMMARY_MAX_CHARS + 1)), "summary"),
        (_cv(*["Booked 6 meetings"] * (MAX_BULLETS + 1)), "bullets"),
        (_cv("x" * (BULLET_MAX_CHARS + 1)), "bullets[0].text"),
        (_cv({"text": "Sold 9 cars", "section": "job"}), "bullets[0].heading"),
        (_cv({"text": "Sold 9 cars", "section": "side"}), "bullets[0].section"),
    ],
)
def test_over_the_hard_limits_is_refused_naming_the_field(sub: dict[str, Any], field: str) -> None:
    with pytest.raises(SubmissionError) as info:
        grade("cv", sub, RECORDS)
    assert info.value.field == field


@pytest.mark.parametrize(
    ("text", "figure", "value"),
    [
        ("Reply rate: 15%", "reply_rate", 15.0),
        ("a reply rate of 12.5 percent", "reply_rate", 12.5),
        ("Lifted the response rate to 9%", "reply_rate", 9.0),
        ("Meetings booked: 7", "meetings_booked", 7.0),
        ("Contacts researched = 1,200", "contacts_researched", 1200.0),
        ("zero compliance violations", "compliance_violations", 0.0),
    ],
)
def test_claims_are_read_in_the_usual_phrasings(text: str, figure: str, value: float) -> None:
    assert [(c.figure, c.value) for c in find_claims(text)] == [(figure, value)]
