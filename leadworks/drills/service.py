"""Handing in a drill: checked, graded, stored as a Submission with its grade, once per key.

A drill hand-in has no practice run: it is a Submission (``exercise_id`` = the drill id,
``kind`` = the drill's grader kind, ``payload`` = ``{"rows": ..., "texts": ...}`` exactly as
sent) with its GradeRecord, like the career hand-ins, so the learner's feedback page, the
counselor's submission pages, regrade requests, overrides and exports read it unchanged.

Like a sandbox hand-in it carries an idempotency key: the same key sent again answers with
the stored grade (a double click or a retried request hands in once); a key already used
for another drill is refused (422). A malformed hand-in (an option that is not offered, an
unknown row, a missing required text) is a 422 naming the field and stores nothing but the
learner's draft, so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from course.catalog import Catalog
from course.drill_specs import DrillSpec
from leadworks.accounts.models import User
from leadworks.core.errors import NotFound, UserError
from leadworks.core.idempotency import check_idempotency_key
from leadworks.core.inputs import clean_text
from leadworks.core.timeutil import utcnow
from leadworks.drills.models import DrillDraft, DrillReceipt
from leadworks.submissions.models import GradeRecord, Submission
from leadworks.submissions.service import current_grade, record_submission, submission_for


class InvalidDrillHandIn(UserError):
    status_code = 422


def drill_spec(catalog: Catalog, drill_id: str) -> DrillSpec:
    """A drill's definition; an unknown id is a 404 that names it."""
    drill = catalog.drills.get(drill_id)
    if drill is None:
        raise NotFound(f"There is no drill with id '{drill_id[:100]}'.")
    return drill.spec


def payload_from_form(form: Mapping[str, Any]) -> dict[str, Any]:
    """The page form's ``rows.<id>.<field>`` and ``texts.<name>`` inputs as the payload.

    Empty inputs are left out (an unanswered row is the kind's to score); names the drill
    does not know are kept, so the grader refuses them naming the field."""
    rows: dict[str, dict[str, str]] = {}
    texts: dict[str, str] = {}
    for name, value in form.items():
        if not isinstance(value, str) or not value.strip():
            continue
        if name.startswith("rows."):
            item_id, _, field = name.removeprefix("rows.").partition(".")
            rows.setdefault(item_id, {})[field] = value
        elif name.startswith("texts."):
            texts[name.removeprefix("texts.")] = value
    return {"rows": rows, "texts": texts}


def _clean(payload: object) -> dict[str, Any]:
    """The payload's shape and text, checked before anything is graded or stored."""
    if not isinstance(payload, dict):
        raise InvalidDrillHandIn("The hand-in must be an object with rows and texts.")
    for part in ("rows", "texts"):
        value = payload.get(part, {})
        if not isinstance(value, dict):
            raise InvalidDrillHandIn("must be an object", field=part)
    for item_id, row in payload.get("rows", {}).items():
        for field, value in row.items() if isinstance(row, dict) else ():
            _clean_value(value, f"rows.{item_id}.{field}")
    for name, value in payload.get("texts", {}).items():
        _clean_value(value, f"texts.{name}")
    return payload


def _clean_value(value: object, field: str) -> None:
    if isinstance(value, str):
        try:
            clean_text(value)
        except ValueError as problem:
            raise InvalidDrillHandIn(str(problem), field=field) from None


def _receipt(session: Session, user_id: int, key: str) -> DrillReceipt | None:
    query = select(DrillReceipt).where(DrillReceipt.user_id == user_id, DrillReceipt.key == key)
    return session.exec(query).first()


def _answer(
    session: Session, receipt: DrillReceipt, drill_id: str
) -> tuple[Submission, GradeRecord]:
    if receipt.drill_id != drill_id:
        raise InvalidDrillHandIn(
            f"This Idempotency-Key was already used to hand in another drill "
            f"({receipt.drill_id}); use a new key for this one. Nothing was changed.",
            field="idempotency_key",
        )
    submission = session.get(Submission, receipt.submission_id)
    grade = current_grade(session=session, submission_id=receipt.submission_id)
    assert submission is not None and grade is not None
    return submission, grade


def hand_in(
    *,
    session: Session,
    user: User,
    spec: DrillSpec,
    payload: object,
    idempotency_key: str | None,
) -> tuple[Submission, GradeRecord]:
    """Grade the hand-in and store it, its grade and its receipt together (the draft goes)."""
    assert user.id is not None
    key = check_idempotency_key(idempotency_key, per="hand-in", twice="handed in")
    done = _receipt(session, user.id, key)
    if done is not None:
        return _answer(session, done, spec.id)
    clean = _clean(payload)
    submission, grade = record_submission(
        session=session,
        user=user,
        exercise_id=spec.id,
        kind=spec.grader,
        payload=clean,
        context=spec.grading_context(),
        commit=False,
    )
    assert submission.id is not None
    session.add(
        DrillReceipt(user_id=user.id, key=key, drill_id=spec.id, submission_id=submission.id)
    )
    draft = draft_of(session=session, user_id=user.id, drill_id=spec.id)
    if draft is not None:
        session.delete(draft)
    try:
        session.commit()
    except IntegrityError:  # the same key raced us: answer with what the other request stored
        session.rollback()
        done = _receipt(session, user.id, key)
        if done is None:
            raise
        return _answer(session, done, spec.id)
    return submission, grade


# ----------------------------------------------------------------------------- drafts


def draft_of(*, session: Session, user_id: int, drill_id: str) -> DrillDraft | None:
    query = select(DrillDraft).where(DrillDraft.user_id == user_id, DrillDraft.drill_id == drill_id)
    return session.exec(query).first()


def save_draft(*, session: Session, user: User, drill_id: str, payload: dict[str, Any]) -> None:
    """Keep what the learner typed; an empty draft is forgotten, not stored. Text no database
    takes (a NUL byte) is refused naming the field, like a hand-in."""
    assert user.id is not None
    payload = _clean(payload)
    found = draft_of(session=session, user_id=user.id, drill_id=drill_id)
    if not payload.get("rows") and not payload.get("texts"):
        if found is not None:
            session.delete(found)
            session.commit()
        return
    draft = found or DrillDraft(user_id=user.id, drill_id=drill_id, payload={})
    draft.payload, draft.updated_at = payload, utcnow()
    session.add(draft)
    session.commit()


# ----------------------------------------------------------------------------- reading


def drill_hand_in(
    *, session: Session, user: User, submission_id: int, catalog: Catalog
) -> tuple[Submission, GradeRecord, DrillSpec]:
    """One of the learner's own drill hand-ins with its grade (404 for anything else)."""
    submission = submission_for(session=session, user=user, submission_id=submission_id)
    grade = current_grade(session=session, submission_id=submission_id)
    drill = catalog.drills.get(submission.exercise_id)
    if drill is None or grade is None:
        raise NotFound("No such drill hand-in.")
    return submission, grade, drill.spec


def my_hand_ins(
    *, session: Session, user_id: int, drill_ids: list[str]
) -> list[tuple[Submission, GradeRecord]]:
    """The learner's drill hand-ins, newest first, each with its current grade."""
    if not drill_ids:
        return []
    query = (
        select(Submission, GradeRecord)
        .join(GradeRecord, col(GradeRecord.submission_id) == col(Submission.id))
        .where(
            Submission.user_id == user_id,
            col(Submission.exercise_id).in_(drill_ids),
            GradeRecord.is_current == True,  # noqa: E712
        )
        .order_by(col(Submission.created_at).desc(), col(Submission.id).desc())
    )
    return [(s, g) for s, g in session.exec(query).all()]


def best_percents(hand_ins: list[tuple[Submission, GradeRecord]]) -> dict[str, int]:
    """drill id -> the best score in percent (what the practice home shows)."""
    best: dict[str, int] = {}
    for submission, grade in hand_ins:
        percent = round(100 * grade.final_score / grade.possible) if grade.possible else 0
        best[submission.exercise_id] = max(best.get(submission.exercise_id, 0), percent)
    return best
