"""The pure pieces of the counselor workspace (override arithmetic, evidence marking,
charts, formatting) and the demo seeding."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlmodel import func, select

from grader import grade
from leadworks.accounts.models import Role
from leadworks.cohorts.service import assign_counselor, create_cohort, enroll
from leadworks.core.errors import UserError
from leadworks.core.timeutil import utcnow
from leadworks.counsel.charts import histogram
from leadworks.counsel.highlight import Span, mark, marked_fields, resolve
from leadworks.counsel.present import ago, band
from leadworks.demo.counsel import seed_counsel_demo
from leadworks.feedback.grades import check_views, plan_override, refold
from leadworks.feedback.models import Comment, GradeOverride, RegradeRequest, RegradeStatus
from tests.integration.counsel_kit import CONTEXT, STRONG, WEAK, hand_in

RESULT = {
    "score": 12.0,
    "checks": [
        {"id": "a", "points": 2.0, "possible": 10.0, "verdict": "weak", "evidence": []},
        {"id": "b", "points": 10.0, "possible": 10.0, "verdict": "fine", "evidence": []},
    ],
}


@dataclass
class Override:
    check_id: str | None
    points_after: float


def test_plan_override_moves_the_score_by_the_check_difference() -> None:
    step = plan_override(RESULT, [], score=12, possible=20, check_id="a", points=7)
    assert (step.points_before, step.points_after, step.score_before, step.score_after) == (
        2,
        7,
        12,
        17,
    )
    later = plan_override(RESULT, [Override("a", 7)], score=17, possible=20, check_id="a", points=9)
    assert (later.points_before, later.score_after) == (7, 19)
    whole = plan_override(RESULT, [], score=12, possible=20, check_id=None, points=15)
    assert (whole.points_before, whole.score_after) == (12, 15)


@pytest.mark.parametrize(
    ("check_id", "points", "field"),
    [
        ("a", 11, "points"),
        ("a", -0.5, "points"),
        ("zz", 1, "check_id"),
        ("a", 2, "points"),
        (None, 21, "points"),
    ],
)
def test_plan_override_refuses_what_makes_no_sense(check_id, points, field) -> None:
    with pytest.raises(UserError) as caught:
        plan_override(RESULT, [], score=12, possible=20, check_id=check_id, points=points)
    assert caught.value.field == field


def test_refold_carries_decisions_and_drops_lost_checks() -> None:
    new = {
        "score": 15.0,
        "checks": [
            {"id": "a", "points": 5.0, "possible": 10.0},
            {"id": "b", "points": 10.0, "possible": 10.0},
        ],
    }
    overrides = [Override("a", 8), Override("gone", 3), Override("b", 10), Override(None, 19)]
    steps, dropped = refold(new, overrides, possible=20)
    assert [s.check_id for _, s in steps] == ["a", None]  # 'b' already agrees
    assert [s.score_after for _, s in steps] == [18, 19]
    assert [o.check_id for o in dropped] == ["gone"]
    views = {v.id: v for v in check_views(new, [Override("a", 8)])}
    assert views["a"].overridden and views["a"].points == 8 and not views["b"].overridden


def test_mark_handles_overlapping_spans_and_escapes() -> None:
    html = mark("<b>Hi Maria</b>", [Span(3, 10, "greeting", "g0"), Span(6, 12, "name", "n0")])
    assert html == (
        '&lt;b&gt;<span class="ev-anchor" id="g0"></span>'
        '<mark class="evidence" data-checks="greeting" title="greeting">Hi </mark>'
        '<span class="ev-anchor" id="n0"></span>'
        '<mark class="evidence" data-checks="greeting name" title="greeting, name">Mari</mark>'
        '<mark class="evidence" data-checks="name" title="name">a&lt;</mark>/b&gt;'
    )


def test_marked_fields_follow_the_graders_evidence() -> None:
    result = grade("outreach", WEAK, CONTEXT).to_dict()
    fields = {f.path: f for f in marked_fields(WEAK, check_views(result, []))}
    assert list(fields) == ["subject", "body"]
    assert fields["body"].marks > 0
    assert re.search(r"<mark[^>]*>\[Name\]</mark>", fields["body"].html)


def test_stale_offsets_are_refound_by_the_quote_and_junk_is_ignored() -> None:
    result = {
        "checks": [
            {
                "id": "x",
                "points": 0,
                "possible": 1,
                "evidence": [
                    {"field": "body", "start": 0, "end": 3, "quote": "Bob"},  # moved
                    {"field": "body", "start": 50, "end": 60, "quote": "nowhere"},
                    {"field": "steps[9].body", "start": 0, "end": 1, "quote": "x"},
                    {"record_ids": ["p1"]},
                ],
            }
        ]
    }
    payload = {"body": "Hi Bob", "steps": [{"body": "Step one"}]}
    fields = {f.path: f for f in marked_fields(payload, check_views(result, []))}
    assert fields["body"].marks == 1 and "<mark" in fields["body"].html
    assert "Bob</mark>" in fields["body"].html
    assert fields["steps[0].body"].marks == 0
    assert resolve(payload, "steps[0].body") == "Step one" and resolve(payload, "steps[1]") is None


def test_histogram_counts_each_band() -> None:
    svg = str(histogram([5, 95, 100, 55, 51], label="Scores"))
    assert svg.startswith("<svg") and 'aria-label="Scores: 5 scores"' in svg
    assert "0-9%: 1 learner<" in svg and "90-100%: 2 learners" in svg
    assert "50-59%: 2 learners" in svg and "http" not in svg.replace("http://www.w3.org", "")


def test_formatting_helpers() -> None:
    now = utcnow()
    assert ago(None) == "never" and ago(now, now) == "today"
    assert ago(now - timedelta(days=1), now) == "yesterday"
    assert ago(now - timedelta(days=9), now) == "9 days ago"
    assert [band(x) for x in (None, 20, 50, 80)] == [
        "score-none",
        "score-low",
        "score-fair",
        "score-good",
    ]


def test_demo_seeding_adds_comments_an_override_and_a_regrade_once(session, make_user) -> None:
    counselor = make_user(Role.counselor, email="counselor@example.com", name="Carmen Counselor")
    cohort = create_cohort(session=session, name="Autumn 2026 bootcamp")
    assign_counselor(session=session, cohort=cohort, counselor=counselor)
    tom = make_user(Role.learner, name="Tom Becker")
    amara = make_user(Role.learner, name="Amara Okafor")
    for learner in (tom, amara):
        enroll(session=session, cohort=cohort, learner=learner)
    weakest, _ = hand_in(session, tom, WEAK)
    hand_in(session, tom, STRONG)
    hand_in(session, amara, STRONG | {"subject": "NEW CLINIC"})

    seed_counsel_demo(session=session)
    seed_counsel_demo(session=session)

    comments = session.exec(select(Comment)).all()
    assert len(comments) == 3 and {c.learner_id for c in comments} == {tom.id, amara.id}
    (request,) = session.exec(select(RegradeRequest)).all()
    assert (request.learner_id, request.submission_id, request.status) == (
        tom.id,
        weakest.id,
        RegradeStatus.open,
    )
    assert request.check_id == "relevance"
    (override,) = session.exec(select(GradeOverride)).all()
    assert override.counselor_id == counselor.id and override.points_after > override.points_before
    assert session.exec(select(func.count()).select_from(Comment)).one() == 3


def test_demo_seeding_without_the_demo_does_nothing(session) -> None:
    seed_counsel_demo(session=session)
    assert session.exec(select(Comment)).all() == []
