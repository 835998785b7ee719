"""After hand-in: the grade page (checks with highlighted evidence, the other attempts,
the counselor's feedback) and the debrief that shows why each contact answered or not."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from sqlmodel import Session

from leadworks.core.inputs import PathId
from leadworks.feedback.read import feedback_for
from leadworks.practice import read
from leadworks.practice import service as svc
from leadworks.practice.models import Run
from leadworks.practice.present import DECISION_LABELS, REPLY_LABELS
from leadworks.practice.views.attempts import best_percent, grades_by_run, percent, scored_attempts
from leadworks.practice.views.evidence import grade_view
from leadworks.practice.views.workspace import PracticeDep, render_run_page, workspace_context
from leadworks.submissions.models import Submission
from leadworks.submissions.service import current_grade, submission_of_run

log = logging.getLogger("leadworks.sandbox")
router = APIRouter()


def _counsel_feedback(session: Session, submission: Submission) -> Any:
    """Comments, overrides and regrade answers from the counselor workspace; the grade
    itself must show even if that panel breaks."""
    try:
        return feedback_for(session=session, submission=submission)
    except Exception:  # the grade must show even if the feedback panel breaks
        log.exception("counsel feedback failed for submission %s", submission.id)
        return None


def _submission_of(session: Session, run: Run) -> Submission | None:
    assert run.id is not None
    return submission_of_run(session=session, run_id=run.id)


@router.get("/runs/{run_id}/grade", name="sandbox_grade")
def grade_page(run_id: PathId, p: PracticeDep) -> Response:
    request, session, user = p.request, p.session, p.user
    ws = p.workspace(run_id)
    submission = _submission_of(session, ws.run)
    grade = (
        current_grade(session=session, submission_id=submission.id)
        if submission is not None and submission.id is not None
        else None
    )
    extra: dict[str, Any] = {"submission": submission, "grade": grade}
    if submission is not None and grade is not None:
        extra["view"] = grade_view(
            ws.sandbox, ws.base, submission.kind, submission.payload, grade.result
        )
        extra["percent"] = percent(grade)
        assert user.id is not None
        runs = svc.runs_of(session=session, user_id=user.id, exercise_id=ws.spec.id)
        extra["attempts"] = scored_attempts(runs, grades_by_run(session, user))
        extra["best"] = best_percent(extra["attempts"])
        contact_id = (ws.sandbox.state.submitted or {}).get("contact_id")
        extra["handed_contact"] = read.contact_label(ws.sandbox, contact_id) if contact_id else None
        extra["handed_contact_id"] = contact_id
        extra["contact_name"] = lambda cid: read.contact_label(ws.sandbox, cid)
        extra["lessons"] = p.content.catalog.lessons_for_exercise(ws.spec.id)
        extra["feedback"] = _counsel_feedback(session, submission)
    context = workspace_context(request, ws, "grade", **extra)
    return render_run_page(request, "practice/grade.html", context)


@router.get("/runs/{run_id}/debrief", name="sandbox_debrief")
def debrief_page(run_id: PathId, p: PracticeDep) -> Response:
    request = p.request
    ws = p.workspace(run_id)
    rows = read.debrief_rows(ws.sandbox)
    answered = sum(1 for r in rows if r["answered"])
    context = workspace_context(
        request,
        ws,
        "grade",
        rows=rows,
        answered=answered,
        sender=read.debrief_sender(ws.sandbox),
        research_only=not ws.spec.channels,
        decisions=DECISION_LABELS,
        reply_labels=REPLY_LABELS,
    )
    return render_run_page(request, "practice/debrief.html", context)
