"""Ids of the demo learner's records in a live server's database, for tests that visit
every page type (phones, accessibility)."""

from __future__ import annotations

from sqlalchemy import create_engine
from sqlmodel import Session, col, select

from leadworks.accounts.models import User
from leadworks.cohorts.models import Membership
from leadworks.exams.models import ExamAttempt
from leadworks.practice.models import Run
from leadworks.submissions.models import Submission
from tests.browser.conftest import LiveServer


def demo_learner_ids(server: LiveServer) -> dict[str, int]:
    """learner@example.com's id, first run, first submission, cohort and first exam attempt
    (a demo checkpoint, handed in)."""
    engine = create_engine(server.env["LEADWORKS_DATABASE_URL"])
    try:
        with Session(engine) as session:
            learner = session.exec(select(User).where(User.email == "learner@example.com")).one()
            run = session.exec(
                select(Run).where(Run.user_id == learner.id).order_by(col(Run.id))
            ).first()
            sub = session.exec(select(Submission).where(Submission.user_id == learner.id)).first()
            cohort = session.exec(
                select(Membership.cohort_id).where(Membership.user_id == learner.id)
            ).first()
            attempt = session.exec(
                select(ExamAttempt.id)
                .where(ExamAttempt.user_id == learner.id)
                .order_by(col(ExamAttempt.id))
            ).first()
            assert run and run.id and sub and sub.id and cohort and learner.id and attempt
            return {
                "learner": learner.id,
                "run": run.id,
                "submission": sub.id,
                "cohort": cohort,
                "attempt": attempt,
            }
    finally:
        engine.dispose()


def demo_runs(server: LiveServer, email: str) -> dict[str, int]:
    """exercise id -> the id of the demo learner's latest handed-in run at it."""
    engine = create_engine(server.env["LEADWORKS_DATABASE_URL"])
    try:
        with Session(engine) as session:
            user = session.exec(select(User).where(User.email == email)).one()
            runs = session.exec(
                select(Run)
                .where(Run.user_id == user.id, Run.submitted_at != None)  # noqa: E711
                .order_by(col(Run.id))
            ).all()
            return {run.exercise_id: run.id for run in runs if run.id is not None}
    finally:
        engine.dispose()
