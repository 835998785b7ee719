"""Handing in a CV or a LinkedIn profile: checked, graded with the learner's figures, stored.

Why the platform checks anything before the grader: a bullet may cite the run it comes
from (``run_id``), and only the platform knows which runs exist and whose they are. A
bullet citing a run that is not one of the learner's handed-in runs is refused (422
naming ``bullets[i].run_id``) and nothing is stored, like any malformed hand-in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from course.catalog import CAREER_EXERCISE_TITLES
from leadworks.accounts.models import User
from leadworks.career.facts import learner_figures, submitted_run_ids
from leadworks.core.errors import NotFound, UserError
from leadworks.submissions.check_rows import check_rows
from leadworks.submissions.models import GradeRecord, Submission
from leadworks.submissions.service import current_grade, record_submission, submission_for

#: career kind -> the exercise id its hand-ins are stored under
EXERCISES = {"cv": "career-cv", "profile": "career-profile"}
_BULLET = re.compile(r"bullets\[(\d+)\]\.text")
TITLES = CAREER_EXERCISE_TITLES


class InvalidCareerHandIn(UserError):
    status_code = 422


def _check_cited_runs(session: Session, user_id: int, payload: Mapping[str, Any]) -> None:
    bullets = payload.get("bullets")
    if not isinstance(bullets, list):
        return  # the grader names the malformed field
    mine: list[int] | None = None
    for i, bullet in enumerate(bullets):
        if not isinstance(bullet, dict) or bullet.get("run_id") is None:
            continue
        run_id = bullet["run_id"]
        field = f"bullets[{i}].run_id"
        if isinstance(run_id, bool) or not isinstance(run_id, int):
            raise InvalidCareerHandIn("must be the number of one of your runs", field=field)
        mine = submitted_run_ids(session, user_id) if mine is None else mine
        if run_id not in mine:
            raise InvalidCareerHandIn(
                f"no handed-in run #{run_id} of yours: cite only runs you handed in", field=field
            )


def hand_in(
    *, session: Session, user: User, kind: str, payload: dict[str, Any]
) -> tuple[Submission, GradeRecord]:
    """Grade a CV (against the learner's figures) or a profile, and store it with its grade."""
    assert user.id is not None
    if kind not in EXERCISES:
        raise NotFound("No such career exercise.")
    context: dict[str, Any] = {}
    if kind == "cv":
        _check_cited_runs(session, user.id, payload)
        context = {"records": learner_figures(session, user.id)}
    # The figures are kept with the grade: a counselor, and a later rescore, check the claims
    # against what the learner's records said when they handed the CV in.
    return record_submission(
        session=session,
        user=user,
        exercise_id=EXERCISES[kind],
        kind=kind,
        payload=payload,
        context=context,
        keep_context=("records",),
    )


def career_hand_in(
    *, session: Session, user: User, submission_id: int
) -> tuple[Submission, GradeRecord]:
    """One of the learner's own career hand-ins with its grade (404 for anything else)."""
    submission = submission_for(session=session, user=user, submission_id=submission_id)
    grade = current_grade(session=session, submission_id=submission_id)
    if submission.exercise_id not in TITLES or grade is None:
        raise NotFound("No such submission.")
    return submission, grade


def _field_name(path: str) -> str:
    """``bullets[2].text`` -> ``Bullet 3``: how the learner numbers their bullets."""
    found = _BULLET.fullmatch(path)
    return f"Bullet {int(found.group(1)) + 1}" if found else path


def check_view(payload: Mapping[str, Any], result: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A stored grade's checks in the shape ``practice/_check.html`` shows."""
    return check_rows(result, field_name=_field_name, record_name=lambda r: r.replace("_", " "))
