"""Test helpers for the counselor workspace: graded hand-ins and played runs, made the way
the platform makes them (the real grader, the real world), without the sandbox's web layer.
"""

from __future__ import annotations

import copy
import json
from datetime import timedelta
from typing import Any

from sqlmodel import Session, select

from leadworks.accounts.models import User
from leadworks.cohorts.models import Cohort, Membership
from leadworks.core.timeutil import utcnow
from leadworks.counsel.rescore import run_to_end, start_rescore
from leadworks.feedback.service import request_regrade
from leadworks.practice.models import Run, RunEvent, RunStatus
from leadworks.submissions.grading import grading_input_with_work
from leadworks.submissions.models import GradeRecord, Submission
from leadworks.submissions.service import record_submission
from simulator import open_exercise
from tests.conftest import EXERCISES_DIR, project_content, project_path

_GOLDEN = json.loads(
    project_path("tests", "grader", "golden", "outreach", "email-dental-strong.json").read_text()
)
CONTEXT: dict[str, Any] = _GOLDEN["context"]
STRONG: dict[str, Any] = _GOLDEN["submission"]
WEAK: dict[str, Any] = {
    "channel": "email",
    "subject": "FREE OFFER - ACT NOW!!!",
    "body": "Dear [Name],\n\nWe guarantee you will earn more money with our risk-free offer! "
    "Act now and book a demo!!!\n\nThanks",
}
MIDDLING: dict[str, Any] = {
    "channel": "email",
    "subject": "Quick question",
    "body": "Hi Maria,\n\nWe help dental practices with appointment reminders. Would you like "
    "to talk next week?\n\nBest,\nSam",
}


def context(**changes: Any) -> dict[str, Any]:
    """The golden outreach context, optionally with parts replaced (e.g. sender=...)."""
    out = copy.deepcopy(CONTEXT)
    out.update(changes)
    return out


def hand_in(
    session: Session,
    learner: User,
    payload: dict[str, Any] | None = None,
    *,
    exercise_id: str = "cold-email-dental",
    days_ago: float = 0,
    grading_context: dict[str, Any] | None = None,
    run_id: int | None = None,
) -> tuple[Submission, GradeRecord]:
    """A graded outreach hand-in, dated ``days_ago`` (the overview reads those dates)."""
    submission, record = record_submission(
        session=session,
        user=learner,
        exercise_id=exercise_id,
        kind="outreach",
        payload=payload or STRONG,
        context=grading_context or CONTEXT,
        run_id=run_id,
    )
    if days_ago:
        submission.created_at = utcnow() - timedelta(days=days_ago)
        session.add(submission)
        session.commit()
    return submission, record


def played_run(session: Session, learner: User, *, seed: int = 7) -> tuple[Run, Submission]:
    """A cold-email run played in the real world, stored event by event, then graded."""
    sandbox = open_exercise("cold-email-dental", seed, exercises_dir=EXERCISES_DIR)
    rows = sandbox.search(decision_maker=True)
    first, second = rows[0]["id"], rows[1]["id"]
    sandbox.view_profile(first)
    sandbox.add_to_list([first, second])
    sandbox.send_message(first, channel="email", subject="Hello", body=MIDDLING["body"])
    sandbox.advance_clock(days=2)
    sandbox.change_stage(first, "lead")
    sandbox.change_stage(first, "mql")
    sandbox.submit(MIDDLING, contact_id=first)
    assert learner.id is not None
    run = Run(
        user_id=learner.id,
        exercise_id="cold-email-dental",
        attempt=1,
        seed=str(seed),
        status=RunStatus.submitted,
        event_count=sandbox.event_count,
        sim_time=sandbox.now,
    )
    session.add(run)
    session.flush()
    assert run.id is not None
    for event in sandbox.events:
        session.add(RunEvent(run_id=run.id, **event.to_dict()))
    graded = grading_input_with_work(sandbox)
    submission, _ = record_submission(
        session=session,
        user=learner,
        exercise_id="cold-email-dental",
        kind=graded.kind,
        payload=graded.submission,
        context=graded.context,
        run_id=run.id,
    )
    return run, submission


def counsel_placeholders(session: Session, *, learner: User, counselor: User) -> dict[str, Any]:
    """The access table's counsel things, all the learner's: a graded attempt, an open
    regrade request on its 'greeting' check, and a finished rescoring preview."""
    submission, _ = hand_in(session, learner, WEAK)
    assert submission.id is not None
    request = request_regrade(
        session=session,
        learner=learner,
        submission_id=submission.id,
        check_id="greeting",
        message="I did greet them.",
    )
    cohort = session.exec(
        select(Cohort).join(Membership).where(Membership.user_id == learner.id)
    ).one()
    job = start_rescore(
        session=session,
        cohort=cohort,
        exercise_id="cold-email-dental",
        requested_by=counselor,
        catalog=project_content().catalog,
    )
    job = run_to_end(session=session, job=job, exercises_dir=EXERCISES_DIR)
    return {
        "learner_id": learner.id,
        "submission_id": submission.id,
        "request_id": request.id,
        "job_id": job.id,
    }
