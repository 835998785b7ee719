"""The ``profile`` kind: a LinkedIn headline and About section for an aspiring SDR."""

from __future__ import annotations

from typing import Any

import pytest
from grader_testkit import assert_spans_exact, assert_well_formed

from grader import SubmissionError, grade
from grader.profile import HEADLINE_LIMIT

ABOUT = (
    "I book meetings for sales teams by researching before I write.\n\n"
    "In a simulated campaign I booked 6 meetings from 90 researched contacts. "
    "In a second sandbox exercise 11 of 120 gym owners replied to my sequence.\n\n"
    "I research every account, log every touch in the CRM and follow up until I hear back, "
    "because a quiet week usually means my message was about me rather than about them. "
    "I am looking for an outbound SDR role in a software team; message me here."
)


def _checks(submission: dict[str, Any]) -> dict[str, float]:
    g = grade("profile", submission, {})
    assert_well_formed(g)
    assert_spans_exact(g, submission)
    return {c.id: c.points for c in g.checks}


def test_a_profile_built_from_labelled_records_earns_everything() -> None:
    checks = _checks({"headline": "Aspiring SDR · outbound email and phone", "about": ABOUT})
    assert checks["about_proof"] == 20 and checks["about_source"] == 10
    assert checks["about_value"] == 15 and checks["about_next_step"] == 5


def test_results_that_do_not_say_where_they_happened_lose_the_source_check() -> None:
    about = ABOUT.replace("In a simulated campaign I", "I").replace(
        "In a second sandbox exercise ", ""
    )
    g = grade("profile", {"headline": "Aspiring SDR · outbound", "about": about}, {})
    source = next(c for c in g.checks if c.id == "about_source")
    assert source.points == 0 and "where" in source.verdict
    assert any("6 meetings" in e.quote for e in source.evidence)


def test_clichés_are_quoted_from_the_learners_own_words() -> None:
    g = grade("profile", {"headline": "Team player | SDR", "about": "Results-driven. " + ABOUT}, {})
    check = next(c for c in g.checks if c.id == "no_cliches")
    assert check.points == 0
    assert {e.quote for e in check.evidence} == {"Team player", "Results-driven"}


def test_a_headline_over_linkedins_limit_loses_only_the_length_check() -> None:
    headline = "Aspiring SDR · outbound email and phone · " + "x" * HEADLINE_LIMIT
    checks = _checks({"headline": headline, "about": ABOUT})
    assert checks["headline_fits"] == 0 and checks["headline_role"] == 15


def test_what_you_do_buried_at_the_end_earns_half() -> None:
    about = "Hello there, thanks for reading.\n\n" + ABOUT
    assert _checks({"headline": "Aspiring BDR", "about": about})["about_value"] == 7.5


@pytest.mark.parametrize(
    ("submission", "field"),
    [
        ({"about": ABOUT}, "headline"),
        ({"headline": 3, "about": ABOUT}, "headline"),
        ({"headline": "SDR", "about": None}, "about"),
        ({"headline": "S" * 1_001, "about": ABOUT}, "headline"),
        ({"headline": "SDR", "about": "a" * 20_001}, "about"),
    ],
)
def test_malformed_profiles_are_refused_naming_the_field(
    submission: dict[str, Any], field: str
) -> None:
    with pytest.raises(SubmissionError) as error:
        grade("profile", submission, {})
    assert error.value.field == field


def test_same_profile_same_grade() -> None:
    submission = {"headline": "Aspiring SDR · 3 campaigns", "about": ABOUT}
    assert grade("profile", submission, {}).to_dict() == grade("profile", submission, {}).to_dict()
