"""Storing what learners hand in with its grade, and reading grades back.

Every hand-in is graded at once and kept for good: a Submission row (the learner's own
payload, exactly as sent) and a current GradeRecord. Rescoring adds a GradeRecord and flips
``is_current``; nothing is overwritten.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, col, select

from grader import Grade
from leadworks.accounts.models import User
from leadworks.core.errors import NotFound
from leadworks.submissions.grading import grade_submission
from leadworks.submissions.labels import names_in, readable
from leadworks.submissions.models import GradeRecord, Submission


def grade_record_for(
    grade: Grade,
    *,
    submission_id: int,
    reason: str = "graded",
    names: Mapping[str, str] | None = None,
    graded_with: Mapping[str, Any] | None = None,
) -> GradeRecord:
    """The stored grade: the grader's result with names and labels for people to read."""
    return GradeRecord(
        submission_id=submission_id,
        rubric_id=grade.rubric_id,
        rubric_version=str(grade.rubric_version),
        score=grade.score,
        possible=grade.possible,
        final_score=grade.score,
        result=stored_result(grade, names, graded_with),
        reason=reason,
    )


def stored_result(
    grade: Grade, names: Mapping[str, str] | None, graded_with: Mapping[str, Any] | None
) -> dict[str, Any]:
    """``Grade.to_dict()`` made readable, with the context values it was graded against
    (``graded_with``) when the hand-in has no run to rebuild them from."""
    result = readable(grade.to_dict(), names or {})
    if graded_with:
        result["graded_with"] = dict(graded_with)
    return result


def graded_with(record: GradeRecord) -> dict[str, Any] | None:
    """The context values kept with a grade (e.g. a CV's figures), None if none were kept."""
    kept = record.result.get("graded_with")
    return dict(kept) if isinstance(kept, dict) else None


def record_submission(
    *,
    session: Session,
    user: User,
    exercise_id: str,
    kind: str,
    payload: dict[str, Any],
    context: dict[str, Any],
    run_id: int | None = None,
    commit: bool = True,
    keep_context: tuple[str, ...] = (),
) -> tuple[Submission, GradeRecord]:
    """Grade a hand-in and store it with its grade in one transaction.

    A malformed payload raises InvalidSubmission before anything is written. The context
    keys named in ``keep_context`` are stored with the grade (``graded_with``): what a
    hand-in without a run was checked against, for people to see and rescoring to reuse.
    """
    grade = grade_submission(kind, payload, context)
    assert user.id is not None
    submission = Submission(
        user_id=user.id,
        run_id=run_id,
        exercise_id=exercise_id,
        kind=kind,
        payload=payload,
        actions=actions_in_run(context),
    )
    session.add(submission)
    session.flush()
    assert submission.id is not None
    kept = {k: context[k] for k in keep_context if k in context}
    record = grade_record_for(
        grade, submission_id=submission.id, names=names_in(context), graded_with=kept
    )
    session.add(record)
    if commit:
        session.commit()
    else:
        session.flush()
    return submission, record


def actions_in_run(context: dict[str, Any]) -> int | None:
    """How many actions the learner took in the run (from the work facts), if it was theirs."""
    work = context.get("work")
    if not isinstance(work, dict) or work.get("preplayed"):
        return None
    actions = work.get("actions")
    if not isinstance(actions, dict):
        return None
    return sum(int(n) for n in actions.values() if isinstance(n, int))


def current_grade(*, session: Session, submission_id: int) -> GradeRecord | None:
    query = select(GradeRecord).where(
        GradeRecord.submission_id == submission_id,
        GradeRecord.is_current == True,  # noqa: E712
    )
    return session.exec(query).first()


def submission_of_run(*, session: Session, run_id: int) -> Submission | None:
    """What a run handed in (a run is handed in once), or None while it is open."""
    return session.exec(select(Submission).where(Submission.run_id == run_id)).first()


def submission_for(*, session: Session, user: User, submission_id: int) -> Submission:
    """A learner's own submission (404 for anyone else's: other work never leaks)."""
    submission = session.get(Submission, submission_id)
    if submission is None or submission.user_id != user.id:
        raise NotFound("No such submission.")
    return submission


def submissions_with_grades(
    *, session: Session, user_id: int, exercise_id: str | None = None
) -> list[tuple[Submission, GradeRecord | None]]:
    """A learner's submissions, newest first, each with its current grade."""
    query = (
        select(Submission, GradeRecord)
        .join(
            GradeRecord,
            (GradeRecord.submission_id == Submission.id) & (GradeRecord.is_current == True),  # noqa: E712
            isouter=True,
        )
        .where(Submission.user_id == user_id)
        .order_by(col(Submission.created_at).desc(), col(Submission.id).desc())
    )
    if exercise_id is not None:
        query = query.where(Submission.exercise_id == exercise_id)
    return [(s, g) for s, g in session.exec(query).all()]


def replace_grade(
    *,
    session: Session,
    submission: Submission,
    grade: Grade,
    reason: str = "rescored",
    names: Mapping[str, str] | None = None,
    graded_with: Mapping[str, Any] | None = None,
) -> GradeRecord:
    """Make ``grade`` the current one (rescoring); the old record stays for the history."""
    assert submission.id is not None
    for old in session.exec(
        select(GradeRecord).where(
            GradeRecord.submission_id == submission.id,
            GradeRecord.is_current == True,  # noqa: E712
        )
    ):
        old.is_current = False
        session.add(old)
    record = grade_record_for(
        grade, submission_id=submission.id, reason=reason, names=names, graded_with=graded_with
    )
    session.add(record)
    session.flush()
    return record
