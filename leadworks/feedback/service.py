"""Counselor actions on a learner's work: comments, grade overrides and regrade requests.

The one module that writes Comment, GradeOverride and RegradeRequest rows. Every input
is checked before anything is written, so a bad form never leaves half a change behind.
Overrides are only ever added (``counsel.models`` refuses updates and deletes at flush
time); a grade's ``final_score`` moves with them, its grader ``result`` never does.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from sqlmodel import Session, col, select, update

from leadworks.accounts.models import User
from leadworks.core.errors import Conflict, UserError
from leadworks.core.timeutil import utcnow
from leadworks.feedback.digests import forget
from leadworks.feedback.grades import OverrideStep, effective_points, plan_override, refold
from leadworks.feedback.models import Comment, GradeOverride, RegradeRequest, RegradeStatus
from leadworks.submissions.models import GradeRecord, Submission
from leadworks.submissions.service import submission_for

MAX_COMMENT = 4000
MAX_REASON = 2000


def required_text(value: str | None, *, field: str, what: str, limit: int) -> str:
    """Stripped text that is present and not too long, or a message naming the field."""
    text = (value or "").strip()
    if not text:
        raise UserError(f"{what} is required.", field=field)
    if len(text) > limit:
        raise UserError(f"{what} is too long: keep it under {limit:,} characters.", field=field)
    return text


def parse_points(value: str | float | None, *, field: str = "points") -> float:
    """A finite number from a form field; forms send text, so say clearly what is wrong."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise UserError("Give the new points as a number.", field=field)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise UserError(f"'{str(value)[:20]}' is not a number.", field=field) from None
    if not math.isfinite(number):
        raise UserError("Points must be a finite number.", field=field)
    return number


# ---- comments ------------------------------------------------------------------------------


def add_comment(
    *,
    session: Session,
    author: User,
    learner: User,
    body: str,
    submission: Submission | None = None,
    turn: int | None = None,
) -> Comment:
    """A note the learner will read, on them as a whole, on one of their attempts, or on
    one turn of an attempt's call transcript (``turn``: its index in ``turns``)."""
    text = required_text(body, field="body", what="A comment", limit=MAX_COMMENT)
    if submission is not None and submission.user_id != learner.id:
        raise UserError("That attempt belongs to another learner.", field="submission_id")
    if turn is not None:
        turns = (submission.payload or {}).get("turns") if submission is not None else None
        if not isinstance(turns, list) or not turns:
            raise UserError("Only an attempt with a call transcript has turns.", field="turn")
        if not 0 <= turn < len(turns):
            raise UserError(
                f"The transcript has turns 0 to {len(turns) - 1}: there is no turn {turn}.",
                field="turn",
            )
    assert learner.id is not None
    comment = Comment(
        learner_id=learner.id,
        submission_id=submission.id if submission else None,
        author_id=author.id,
        body=text,
        turn=turn,
    )
    session.add(comment)
    session.commit()
    return comment


# ---- overrides -----------------------------------------------------------------------------


def current_record(*, session: Session, submission: Submission, lock: bool = False) -> GradeRecord:
    """The submission's current grade (locked for update when about to change it)."""
    query = select(GradeRecord).where(
        GradeRecord.submission_id == submission.id,
        GradeRecord.is_current == True,  # noqa: E712
    )
    record = session.exec(query.with_for_update() if lock else query).first()
    if record is None:
        raise Conflict("This attempt has no grade yet, so there is nothing to change.")
    return record


def overrides_of(*, session: Session, grade_ids: Sequence[int]) -> list[GradeOverride]:
    """The audit log of some grades, oldest first."""
    if not grade_ids:
        return []
    query = select(GradeOverride).where(col(GradeOverride.grade_id).in_(grade_ids))
    return list(session.exec(query.order_by(col(GradeOverride.id))).all())


def _write_step(
    session: Session, record: GradeRecord, step: OverrideStep, counselor_id: int | None, reason: str
) -> GradeOverride:
    assert record.id is not None
    override = GradeOverride(
        grade_id=record.id,
        check_id=step.check_id,
        counselor_id=counselor_id,
        reason=reason[:MAX_REASON],
        points_before=step.points_before,
        points_after=step.points_after,
        score_before=step.score_before,
        score_after=step.score_after,
    )
    record.final_score = step.score_after
    session.add(override)
    session.add(record)
    forget(session=session, grade_id=record.id)  # its failing checks may have changed
    session.flush()
    return override


def override_grade(
    *,
    session: Session,
    counselor: User | None,
    submission: Submission,
    check_id: str | None,
    points: float,
    reason: str,
    commit: bool = True,
) -> GradeOverride:
    """Change a whole grade or one check, with a reason; the log keeps before and after."""
    why = required_text(reason, field="reason", what="A reason", limit=MAX_REASON)
    record = current_record(session=session, submission=submission, lock=True)
    assert record.id is not None
    step = plan_override(
        record.result,
        overrides_of(session=session, grade_ids=[record.id]),
        score=record.final_score,
        possible=record.possible,
        check_id=check_id or None,
        points=points,
    )
    override = _write_step(session, record, step, counselor.id if counselor else None, why)
    if commit:
        session.commit()
    return override


def carry_overrides(*, session: Session, old: GradeRecord, new: GradeRecord) -> tuple[int, int]:
    """Re-apply a replaced grade's overrides to its successor; returns (kept, dropped).

    A counselor's decision survives a rubric change unless the new rubric lost the check.
    The copies are new rows that quote the original reason, so the log stays complete.
    """
    assert old.id is not None
    steps, dropped = refold(
        new.result, overrides_of(session=session, grade_ids=[old.id]), possible=new.possible
    )
    for source, step in steps:
        assert isinstance(source, GradeOverride)
        reason = f"Kept after rescoring (override #{source.id}): {source.reason}"
        _write_step(session, new, step, source.counselor_id, reason)
    return len(steps), len(dropped)


# ---- regrade requests ----------------------------------------------------------------------


def request_regrade(
    *, session: Session, learner: User, submission_id: int, check_id: str, message: str
) -> RegradeRequest:
    """A learner disputes one check of their own attempt, saying why."""
    submission = submission_for(session=session, user=learner, submission_id=submission_id)
    text = required_text(message, field="message", what="A message", limit=MAX_COMMENT)
    record = current_record(session=session, submission=submission)
    assert record.id is not None and learner.id is not None
    points = effective_points(record.result, overrides_of(session=session, grade_ids=[record.id]))
    check_id = (check_id or "").strip()
    if check_id not in points:
        raise UserError("Choose one of the checks of this grade to dispute.", field="check_id")
    already = session.exec(
        select(RegradeRequest.id).where(
            RegradeRequest.submission_id == submission.id,
            RegradeRequest.check_id == check_id,
            RegradeRequest.status == RegradeStatus.open,
        )
    ).first()
    if already is not None:
        raise Conflict(
            f"You already asked about '{check_id}' on this attempt; your counselor will answer.",
            field="check_id",
        )
    request = RegradeRequest(
        submission_id=submission_id,
        grade_id=record.id,
        check_id=check_id,
        learner_id=learner.id,
        message=text,
    )
    session.add(request)
    session.commit()
    return request


def decide_regrade(
    *,
    session: Session,
    counselor: User,
    request: RegradeRequest,
    accept: bool,
    response: str,
    points: float | None = None,
) -> RegradeRequest:
    """Accept (the new points become an override) or decline (with a reason); once only."""
    what = "A note for the learner" if accept else "A reason"
    text = required_text(response, field="response", what=what, limit=MAX_COMMENT)
    if request.status is not RegradeStatus.open:
        raise Conflict("This request has already been answered.")
    submission = session.get(Submission, request.submission_id)
    assert submission is not None
    if accept:
        if points is None:
            raise UserError("Give the new points for the check.", field="points")
        override_grade(
            session=session,
            counselor=counselor,
            submission=submission,
            check_id=request.check_id,
            points=points,
            reason=f"Regrade request #{request.id} accepted: {text}",
            commit=False,
        )
    claimed = session.exec(
        update(RegradeRequest)
        .where(col(RegradeRequest.id) == request.id, col(RegradeRequest.status) == "open")
        .values(
            status=RegradeStatus.accepted if accept else RegradeStatus.declined,
            response=text,
            new_points=points if accept else None,
            decided_by_id=counselor.id,
            decided_at=utcnow(),
        )
    )
    if claimed.rowcount != 1:  # someone answered it meanwhile: keep their answer, undo ours
        session.rollback()
        raise Conflict("This request has already been answered.")
    session.commit()
    session.refresh(request)
    return request
