"""One learner seen by their counselor: every attempt with its grade, and how they stand.

Attempts are numbered per exercise in the order they were handed in, carry their checks
with overrides folded in, and the weakest one is named so a counselor can open it first.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session

from course.catalog import Catalog
from leadworks.feedback.read import SubmissionFeedback, learner_feedback


@dataclass(frozen=True)
class Attempt:
    number: int
    exercise_title: str
    feedback: SubmissionFeedback

    @property
    def submission_id(self) -> int:
        assert self.feedback.submission.id is not None
        return self.feedback.submission.id

    @property
    def percent(self) -> float | None:
        return self.feedback.percent

    @property
    def grader_percent(self) -> float | None:
        record = self.feedback.record
        if record is None or not record.possible:
            return None
        return round(100 * record.score / record.possible, 1)


def learner_attempts(*, session: Session, learner_id: int, catalog: Catalog) -> list[Attempt]:
    """Every attempt, newest first, numbered per exercise (1 = the first hand-in)."""
    items = learner_feedback(session=session, learner_id=learner_id)
    oldest_first = sorted(items, key=lambda f: (f.submission.created_at, f.submission.id or 0))
    counter: dict[str, int] = defaultdict(int)
    numbers: dict[int | None, int] = {}
    for item in oldest_first:
        counter[item.submission.exercise_id] += 1
        numbers[item.submission.id] = counter[item.submission.exercise_id]
    return [
        Attempt(
            number=numbers[f.submission.id],
            exercise_title=catalog.exercise_title(f.submission.exercise_id),
            feedback=f,
        )
        for f in items
    ]


def weakest(attempts: list[Attempt]) -> Attempt | None:
    """The graded attempt with the lowest final score (the first one on a tie)."""
    graded = [a for a in attempts if a.percent is not None]
    if not graded:
        return None
    return min(graded, key=lambda a: (a.percent, a.feedback.submission.created_at, a.submission_id))


def latest_per_exercise(attempts: list[Attempt]) -> dict[str, Attempt]:
    """Each exercise's newest graded attempt: the learner's current level, not their past."""
    latest: dict[str, Attempt] = {}
    for attempt in attempts:  # newest first
        if attempt.feedback.record is not None:
            latest.setdefault(attempt.feedback.submission.exercise_id, attempt)
    return latest


def best_per_exercise(attempts: list[Attempt]) -> dict[str, float]:
    best: dict[str, float] = {}
    for attempt in attempts:
        if attempt.percent is not None:
            key = attempt.feedback.submission.exercise_id
            best[key] = max(best.get(key, 0.0), attempt.percent)
    return best
