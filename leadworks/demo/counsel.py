"""Counselor activity for the demo cohort: comments, an override, an open regrade request.

Called by ``leadworks.demo.seed_demo`` after the demo learners' runs and submissions exist,
so every counsel page has something real on it at the first `make run`. Written through
the same services a counselor and a learner use; idempotent (a second call adds nothing);
it does nothing when the demo cohort or its work is missing.
"""

from __future__ import annotations

from collections import defaultdict

from sqlmodel import Session, col, select

from leadworks.accounts.models import User
from leadworks.cohorts.models import Cohort, Membership
from leadworks.feedback.models import Comment
from leadworks.feedback.service import add_comment, override_grade, request_regrade
from leadworks.submissions.models import GradeRecord, Submission

COUNSELOR_EMAIL = "counselor@example.com"
COHORT_NAME = "Autumn 2026 bootcamp"
DISPUTED_CHECKS = ("relevance", "value", "call_to_action")  # the kind learners argue about


def _graded(session: Session, cohort: Cohort) -> list[tuple[Submission, GradeRecord]]:
    rows = session.exec(
        select(Submission, GradeRecord)
        .join(Membership, col(Membership.user_id) == Submission.user_id)
        .join(GradeRecord, col(GradeRecord.submission_id) == Submission.id)
        .where(Membership.cohort_id == cohort.id, GradeRecord.is_current == True)  # noqa: E712
        .order_by(col(Submission.id))
    ).all()
    return [(s, g) for s, g in rows]


def _ratio(record: GradeRecord) -> float:
    return record.final_score / record.possible if record.possible else 0.0


def _open_check(record: GradeRecord, preferred: tuple[str, ...] = ()) -> dict[str, float] | None:
    """A check that lost points, preferring the given ids."""
    lost = [c for c in record.result.get("checks", []) if c["points"] < c["possible"]]
    lost.sort(
        key=lambda c: (
            c["id"] not in preferred,
            preferred.index(c["id"]) if c["id"] in preferred else 0,
        )
    )
    return lost[0] if lost else None


Graded = list[tuple[Submission, GradeRecord]]


def seed_counsel_demo(*, session: Session) -> None:
    """Add the demo's counselor activity once."""
    counselor = session.exec(select(User).where(User.email == COUNSELOR_EMAIL)).first()
    cohort = session.exec(select(Cohort).where(Cohort.name == COHORT_NAME)).first()
    if counselor is None or cohort is None:
        return
    if session.exec(select(Comment.id).where(Comment.author_id == counselor.id)).first():
        return  # already seeded
    graded = _graded(session, cohort)
    if not graded:
        return
    struggling_id = _coach_the_struggler(session, counselor, graded)
    _raise_one_check(session, counselor, [(s, g) for s, g in graded if s.user_id != struggling_id])


def _coach_the_struggler(session: Session, counselor: User, graded: Graded) -> int:
    """Two comments for the learner with the lowest average, and their regrade request on
    their weakest attempt (the one their learner page opens first); returns their id."""
    by_learner: dict[int, Graded] = defaultdict(list)
    for submission, record in graded:
        by_learner[submission.user_id].append((submission, record))

    def average(uid: int) -> float:
        return sum(_ratio(g) for _, g in by_learner[uid]) / len(by_learner[uid])

    struggling_id = min(by_learner, key=lambda uid: (average(uid), uid))
    struggling = session.get(User, struggling_id)
    assert struggling is not None
    weakest_submission, weakest_record = min(
        by_learner[struggling_id],
        key=lambda pair: (_ratio(pair[1]), pair[0].created_at, pair[0].id or 0),
    )
    first_name = struggling.name.split()[0]
    add_comment(
        session=session,
        author=counselor,
        learner=struggling,
        body=(
            f"Hi {first_name}, I have not seen you in the sandbox for a while. Could we book "
            "twenty minutes this week? We will rewrite one cold email together, line by line."
        ),
    )
    add_comment(
        session=session,
        author=counselor,
        learner=struggling,
        submission=weakest_submission,
        body=(
            "Three quick wins here: replace the placeholder with the prospect's name, drop the "
            "all-capitals subject, and end with one easy question instead of three demands."
        ),
    )
    disputed = _open_check(weakest_record, DISPUTED_CHECKS)
    if disputed is not None:
        request_regrade(
            session=session,
            learner=struggling,
            submission_id=weakest_submission.id or 0,
            check_id=str(disputed["id"]),
            message=(
                "The placeholder was a slip, but the email does talk about booking a demo and "
                "earning more, which is what a practice owner cares about. Could this check "
                "get partial credit?"
            ),
        )
    return struggling_id


def _raise_one_check(session: Session, counselor: User, others: Graded) -> None:
    """One override with its reason (an outreach check first), and a comment saying so."""
    for submission, record in sorted(
        others, key=lambda pair: (pair[0].kind != "outreach", pair[0].id)
    ):
        check = _open_check(record, ("relevance", "subject"))
        if check is None:
            continue
        override_grade(
            session=session,
            counselor=counselor,
            submission=submission,
            check_id=str(check["id"]),
            points=min(float(check["possible"]), float(check["points"]) + 2),
            reason=(
                "Raised by hand: the hand-in ties the offer to this prospect's situation in "
                "words the automatic check does not recognise."
            ),
        )
        learner = session.get(User, submission.user_id)
        if learner is not None:
            add_comment(
                session=session,
                author=counselor,
                learner=learner,
                submission=submission,
                body="Good work. I raised one check by hand; the reason is shown with the score.",
            )
        return
