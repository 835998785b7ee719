"""Exam and checkpoint attempts for the demo cohort, so the exams pages and the counselors'
readiness views show something at the first `make run`.

Each persona sits some checkpoints and perhaps the final exam through the same services a
learner uses (``start_attempt``, ``submit_attempt``: questions drawn from the server's
secret, graded with the quiz kind), answering a share of the questions right; the times are
set in the past, and one learner failed the final exam a few hours ago, so they are in the
cooling-off period when the demo starts. Idempotent: a learner with attempts is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, select

from course.catalog import Catalog
from leadworks.accounts.models import User
from leadworks.core.timeutil import utcnow
from leadworks.exams.models import ExamAttempt
from leadworks.exams.rules import FINAL_ID, ExamSpec, exam_specs
from leadworks.exams.service import start_attempt, submit_attempt


@dataclass(frozen=True)
class Sitting:
    """One attempt: which exam (a checkpoint by its position, or the final), how many of
    its questions are answered right, and how long ago it was sat."""

    exam: int | str  # index into the checkpoints, or FINAL_ID
    right: float  # share of questions answered right
    hours_ago: float


CHECKPOINTS_ALL = -1  # a marker: every checkpoint, passed comfortably, days ago

SITTINGS: dict[str, tuple[Sitting, ...]] = {
    # ready for a referral: every checkpoint and the final exam passed
    "amara@example.com": (Sitting(CHECKPOINTS_ALL, 0.9, 240), Sitting(FINAL_ID, 0.9, 50)),
    # every checkpoint passed; failed the final a few hours ago: in the cooling-off period
    "diego@example.com": (Sitting(CHECKPOINTS_ALL, 0.75, 200), Sitting(FINAL_ID, 0.6, 3)),
    # working through the course: a checkpoint failed once, then passed
    "learner@example.com": (
        Sitting(0, 0.9, 150),
        Sitting(1, 0.5, 100),
        Sitting(1, 0.8, 75),
        Sitting(2, 0.75, 30),
    ),
    # (mei@example.com has sat nothing yet: the browser journey sits her first checkpoint)
    "tom@example.com": (Sitting(0, 0.4, 300),),
    "priya@example.com": (Sitting(0, 0.8, 20),),
    "sam@example.com": (Sitting(0, 0.7, 90),),
}


def _wrong(question: dict[str, Any]) -> Any:
    """A plausible wrong answer of the question's type."""
    answer = question["answer"]
    kind = question["type"]
    if kind == "single":
        return (int(answer) + 1) % len(question["options"])
    if kind == "multiple":
        picked = list(answer)
        rest = [i for i in range(len(question["options"])) if i not in picked]
        return picked[:-1] + rest[:1]  # one right option dropped, one wrong one added
    if kind == "numeric":
        return float(answer) * 2 + 1
    return "I am not sure"


def _right(question: dict[str, Any]) -> Any:
    answer = question["answer"]
    return answer[0] if question["type"] == "text" else answer


def _sit(
    session: Session, user: User, catalog: Catalog, secret: str, spec: ExamSpec, sitting: Sitting
) -> ExamAttempt:
    started: datetime = utcnow() - timedelta(hours=sitting.hours_ago)
    attempt, _ = start_attempt(
        session=session, user=user, catalog=catalog, secret=secret, exam_id=spec.id, now=started
    )
    right = round(sitting.right * len(attempt.questions))
    answers = {
        q["id"]: _right(q) if n < right else _wrong(q) for n, q in enumerate(attempt.questions)
    }
    assert attempt.id is not None
    minutes = 25 if spec.minutes else 12
    return submit_attempt(
        session=session,
        user=user,
        attempt_id=attempt.id,
        answers=answers,
        now=started + timedelta(minutes=minutes),
    )


def seed_demo_exams(
    *, session: Session, catalog: Catalog, learners: dict[str, User], secret: str
) -> int:
    """Sit each persona's exams once; returns how many attempts were made."""
    specs = exam_specs(catalog)
    checkpoints = [s for s in specs if not s.is_final]
    final = next(s for s in specs if s.is_final)
    made = 0
    for email, sittings in SITTINGS.items():
        user = learners.get(email)
        if user is None or user.id is None:
            continue
        if session.exec(select(ExamAttempt.id).where(ExamAttempt.user_id == user.id)).first():
            continue
        for sitting in sittings:
            if sitting.exam == FINAL_ID:
                chosen = [final]
            elif sitting.exam == CHECKPOINTS_ALL:
                chosen = checkpoints
            else:
                chosen = [checkpoints[int(sitting.exam)]]
            for offset, spec in enumerate(chosen):
                later = Sitting(sitting.exam, sitting.right, sitting.hours_ago - offset)
                _sit(session, user, catalog, secret, spec, later)
                made += 1
    return made
