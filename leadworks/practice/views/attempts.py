"""A learner's attempts at the exercises with the percent each one scored.

Shared by the exercise list, the exercise page and the grade page (which lists the other
attempts at the same exercise).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from leadworks.accounts.models import User
from leadworks.practice.models import Run
from leadworks.submissions.models import GradeRecord
from leadworks.submissions.service import submissions_with_grades


def grades_by_run(session: Session, user: User) -> dict[int, GradeRecord]:
    """Current grade per handed-in run of this learner."""
    assert user.id is not None
    out: dict[int, GradeRecord] = {}
    for submission, grade in submissions_with_grades(session=session, user_id=user.id):
        if submission.run_id is not None and grade is not None:
            out[submission.run_id] = grade
    return out


def percent(grade: GradeRecord | None) -> float | None:
    """The grade's final score as a percent of what was possible (None: not graded)."""
    if grade is None or not grade.possible:
        return None
    return round(100 * grade.final_score / grade.possible, 1)


def scored_attempts(runs: list[Run], grades: dict[int, GradeRecord]) -> list[dict[str, Any]]:
    """Each run with its percent, in the order given."""
    return [{"run": r, "percent": percent(grades.get(r.id or 0))} for r in runs]


def best_percent(attempts: list[dict[str, Any]]) -> float | None:
    percents = [a["percent"] for a in attempts if a["percent"] is not None]
    return max(percents) if percents else None
