"""Test helpers for certificates: a learner who meets the completion rule, made from the
records the rule reads (lessons completed through the progress service, a graded capstone
hand-in with real work in its run), and the access test's placeholders."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from leadworks.accounts.models import User
from leadworks.core.config import Settings
from leadworks.credentials import portfolio, service
from leadworks.progress.service import mark_complete
from leadworks.submissions.models import GradeRecord, Submission
from tests.conftest import project_content

#: the rule parts the platform can check before the exams exist (see docs/credentials.md)
CHECKABLE_RULE = ["lessons", "capstone"]
BASE = "http://testserver"


def graded_capstone(
    session: Session,
    learner: User,
    *,
    score: float = 82.0,
    actions: int = 60,
    exercise_id: str = "capstone-local-gyms",
    kind: str = "report",
) -> Submission:
    """A capstone hand-in (or another graded exercise's) as the platform stores one."""
    assert learner.id is not None
    submission = Submission(
        user_id=learner.id,
        exercise_id=exercise_id,
        kind=kind,
        payload={"summary": "30-day campaign report"},
        actions=actions,
    )
    session.add(submission)
    session.flush()
    assert submission.id is not None
    check = {
        "id": "recommendation",
        "points": score / 10,
        "possible": 10,
        "verdict": "The recommendation follows from the figures.",
        "advice": "",
        "evidence": [{"field": "summary", "quote": "Reply rate rose to 6% in week 3"}],
    }
    session.add(
        GradeRecord(
            submission_id=submission.id,
            rubric_id=kind,
            rubric_version="1",
            score=score,
            possible=100,
            final_score=score,
            result={"score": score, "possible": 100, "checks": [check]},
        )
    )
    session.commit()
    return submission


def meet_rule(session: Session, learner: User, *, score: float = 82.0) -> Submission:
    catalog = project_content().catalog
    for lesson in catalog.lessons():
        mark_complete(session=session, user=learner, catalog=catalog, lesson_id=lesson.id)
    return graded_capstone(session, learner, score=score)


def graded_interview(session: Session, learner: User, *, score: float = 78.0) -> Submission:
    """A mock interview hand-in (exercise ``mock-interview``) as stored after grading."""
    return graded_capstone(
        session, learner, score=score, actions=14, exercise_id="mock-interview", kind="interview"
    )


def credentials_placeholders(
    session: Session, *, learner: User, settings: Settings
) -> dict[str, Any]:
    """An issued certificate and a live portfolio link for the access test's learner."""
    saved = list(settings.credential_rule)
    settings.credential_rule = CHECKABLE_RULE
    try:
        capstone = meet_rule(session, learner)
        row = service.issue(
            session=session,
            user=learner,
            catalog=project_content().catalog,
            settings=settings,
            base=BASE,
        )
    finally:
        settings.credential_rule = saved
    assert capstone.id is not None
    share = portfolio.save_share(
        session=session,
        user=learner,
        submission_ids=[capstone.id],
        show_certificate=True,
        show_profile=True,
    )
    return {
        "credential_id": row.uuid,
        "credential_row": row.id,
        "token": share.token,
        "list_no": 1,
    }
