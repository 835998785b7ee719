"""The LinkedIn message after a connection is accepted (context ``thread.note``): it picks
up the note's thread, adds one useful thing, asks one interest question, sends no meeting
link, and stays short. Without a thread, a LinkedIn message is still a connection note."""

from __future__ import annotations

from typing import Any

import pytest
from grader_testkit import assert_spans_exact, assert_well_formed

from grader import grade

CONTEXT: dict[str, Any] = {
    "prospect": {
        "first_name": "Priya", "last_name": "Shah", "title": "Founder",
        "company": "Northstar Coaching", "industry": "coaching_consulting",
        "facts": ["Launched a group programme for new managers"],
        "pains": ["filling group programmes", "inconsistent referral flow"],
    },
    "sender": {"name": "Tom Reid", "company": "Clearpath Leads"},
    "offer": "LinkedIn lead generation for coaches",
    "thread": {
        "note": "Hi Priya, I saw you launched a group programme for new managers. I write "
        "about how coaches fill group programmes and would be glad to connect. Tom",
    },
}  # fmt: skip

GOOD = (
    "Thanks for connecting, Priya. Since your group programme for new managers is new, here "
    "is a short checklist I wrote on filling a first cohort from LinkedIn posts. Is filling "
    "the next cohort something you are working on this spring?"
)
MEETING = (
    "Thanks for connecting, Priya. Since your group programme for new managers is new, here "
    "is a short checklist on filling a first cohort. Could we book a 30-minute call? Grab a "
    "slot here: https://calendly.com/tomreid/30min"
)
OFF_THREAD = (
    "Hi Priya, hope your week is going well. Is growing your practice something you are "
    "thinking about?"
)
LONG = (
    GOOD
    + " "
    + (
        "We work with many coaches across the UK and the US, and our clients often tell us that "
        "their biggest problem is the time it takes to write posts every week, which is why we "
        "built a service that writes and schedules posts, answers comments and books calls for "
        "them, so they can focus on coaching and on the clients they already have."
    )
)


def _grade(body: str, context: dict[str, Any] = CONTEXT):
    submission = {"channel": "linkedin", "subject": None, "body": body}
    g = grade("outreach", submission, context)
    assert_well_formed(g)
    assert_spans_exact(g, submission)
    return g


def _check(g, check_id: str):
    return next(c for c in g.checks if c.id == check_id)


def test_a_good_follow_up_earns_the_channel_fit_and_length() -> None:
    g = _grade(GOOD)
    assert _check(g, "channel_fit").full_marks, _check(g, "channel_fit").verdict
    assert _check(g, "length").full_marks
    assert "after" in _check(g, "channel_fit").verdict.lower()


def test_a_meeting_link_costs_points_and_is_quoted() -> None:
    g = _grade(MEETING)
    fit = _check(g, "channel_fit")
    assert fit.points < _check(_grade(GOOD), "channel_fit").points
    quotes = " ".join(e.quote or "" for e in fit.evidence)
    assert "calendly.com" in quotes or "book a 30-minute call" in quotes


def test_a_message_that_ignores_the_note_loses_the_thread() -> None:
    fit = _check(_grade(OFF_THREAD), "channel_fit")
    assert not fit.full_marks and "thread" in (fit.verdict + fit.advice).lower()


def test_a_long_follow_up_is_not_short_but_is_not_refused_like_a_note() -> None:
    g = _grade(LONG)
    assert len(LONG) > 300
    length = _check(g, "length")
    assert not length.full_marks and "400" in length.verdict + length.advice
    # no 300-character gate: the other checks are still scored
    assert _check(g, "personalization").points > 0


@pytest.mark.parametrize("body", [GOOD, MEETING])
def test_without_a_thread_the_message_is_graded_as_a_connection_note(body: str) -> None:
    note = {k: v for k, v in CONTEXT.items() if k != "thread"}
    fit = _check(_grade(body, note), "channel_fit")
    assert "after" not in fit.verdict.lower()


def test_two_questions_are_one_too_many() -> None:
    two = GOOD + " And how do you find clients today?"
    fit = _check(_grade(two), "channel_fit")
    assert not fit.full_marks and "one question" in (fit.verdict + fit.advice).lower()
