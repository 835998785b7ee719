"""Everything a counselor needs to review one attempt, gathered in one place.

The grade with its evidence marked in the learner's text, the full grade history (first
grade, rescorings) with every override, the comments and regrade requests, and the run
behind the attempt: its timeline and a replay at a chosen event.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, col, func, select

from leadworks.accounts.models import User
from leadworks.content import Content
from leadworks.counsel.highlight import MarkedField, marked_fields
from leadworks.counsel.replay import ReplayView, TimelineRow, replay_at, run_events, timeline
from leadworks.feedback.read import (
    OverrideView,
    SubmissionFeedback,
    feedback_for,
    override_views,
)
from leadworks.feedback.service import overrides_of
from leadworks.submissions.models import GradeRecord, Submission


@dataclass(frozen=True)
class Review:
    submission: Submission
    learner: User
    exercise_title: str
    number: int
    feedback: SubmissionFeedback
    history: list[GradeRecord]
    audit: list[OverrideView]
    fields: list[MarkedField]
    timeline: list[TimelineRow]
    replay: ReplayView | None


def attempt_number(*, session: Session, submission: Submission) -> int:
    """1 for the learner's first hand-in of this exercise, 2 for the next, ..."""
    query = select(func.count()).where(
        Submission.user_id == submission.user_id,
        Submission.exercise_id == submission.exercise_id,
        col(Submission.id) <= submission.id,
    )
    return int(session.exec(query).one())


def grade_history(*, session: Session, submission_id: int) -> list[GradeRecord]:
    query = select(GradeRecord).where(GradeRecord.submission_id == submission_id)
    return list(session.exec(query.order_by(col(GradeRecord.id))).all())


def replay_for(
    *, session: Session, submission: Submission, exercises_dir: Path, seq: int | None
) -> tuple[list[TimelineRow], ReplayView | None]:
    if submission.run_id is None:
        return [], None
    events = run_events(session=session, run_id=submission.run_id)
    replay = replay_at(events, exercises_dir, seq)
    return timeline(events, replay.names), replay


def review_for(
    *, session: Session, submission: Submission, content: Content, seq: int | None = None
) -> Review:
    assert submission.id is not None
    learner = session.get(User, submission.user_id)
    assert learner is not None
    feedback = feedback_for(session=session, submission=submission)
    history = grade_history(session=session, submission_id=submission.id)
    audit = overrides_of(session=session, grade_ids=[g.id for g in history if g.id is not None])
    events, replay = replay_for(
        session=session, submission=submission, exercises_dir=content.exercises_dir, seq=seq
    )
    return Review(
        submission=submission,
        learner=learner,
        exercise_title=content.catalog.exercise_title(submission.exercise_id),
        number=attempt_number(session=session, submission=submission),
        feedback=feedback,
        history=history,
        audit=override_views(session, audit),
        fields=marked_fields(submission.payload, feedback.checks),
        timeline=events,
        replay=replay,
    )
