"""The learner's career page (/me/career/cv) and its JSON API (/api/v1/me/career/...).

One page shows the learner's own figures from their records (what a CV may claim), a form
for a CV (summary, practice bullets, an outside job's bullets under its heading) and one
for a LinkedIn profile, and the career hand-ins so far. A hand-in is graded at once and
its grade page shows every check with its evidence. A refused hand-in (over a limit, a
cited run that is not theirs) re-renders the form with the message: 422, nothing stored.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import StringConstraints

from leadworks.accounts.deps import PageLearner, api_role
from leadworks.accounts.models import Role, User
from leadworks.career.facts import LABELS, learner_figures
from leadworks.career.service import TITLES, career_hand_in, check_view, hand_in
from leadworks.core.csrf import page_router
from leadworks.core.deps import SessionDep
from leadworks.core.errors import UserError
from leadworks.core.inputs import Clean, PathId
from leadworks.core.templating import flash, render
from leadworks.submissions.service import submissions_with_grades

me_pages = page_router("/me/career")
api = APIRouter(prefix="/api/v1/me/career", tags=["career"])
ApiLearner = Annotated[User, Depends(api_role(Role.learner))]

# generous form bounds: the grader's own limits give the precise, field-named message
FormText = Annotated[str, StringConstraints(max_length=20_000), Clean]
FormLine = Annotated[str, StringConstraints(max_length=500), Clean]


def _lines(text: str) -> list[str]:
    return [line.strip().lstrip("-•* ").strip() for line in text.splitlines() if line.strip()]


def cv_payload(summary: str, practice: str, job_heading: str, job: str) -> dict[str, Any]:
    """The form's fields as the ``cv`` kind's submission (one bullet per line)."""
    bullets: list[dict[str, Any]] = [{"text": t, "section": "practice"} for t in _lines(practice)]
    bullets += [{"text": t, "section": "job", "heading": job_heading} for t in _lines(job)]
    return {"summary": summary, "bullets": bullets}


def _page(request: Request, session: Any, user: User, **extra: Any) -> Response:
    assert user.id is not None
    figures = learner_figures(session, user.id)
    handed = [
        (s, g, TITLES[s.exercise_id])
        for s, g in submissions_with_grades(session=session, user_id=user.id)
        if s.exercise_id in TITLES and g is not None
    ]
    context = {"figures": figures, "labels": LABELS, "handed": handed, "form": {}} | extra
    status = context.pop("status_code", 200)
    return render(request, "career/cv.html", context, status_code=status)


@me_pages.get("/cv", name="career_cv")
def career_cv(request: Request, session: SessionDep, user: PageLearner) -> Response:
    return _page(request, session, user)


def _hand_in_page(
    request: Request, session: Any, user: User, kind: str, payload: dict[str, Any], form: Any
) -> Response:
    try:
        submission, _ = hand_in(session=session, user=user, kind=kind, payload=payload)
    except UserError as error:
        session.rollback()
        message = f"{error.field}: {error.message}" if error.field else error.message
        return _page(
            request, session, user, error=message, form=form, status_code=error.status_code
        )
    flash(request, "Handed in and graded.", "success")
    url = request.url_for("career_grade", hand_in_id=submission.id)
    return RedirectResponse(url, status_code=303)


@me_pages.post("/cv", name="career_cv_hand_in")
def career_cv_hand_in(
    request: Request,
    session: SessionDep,
    user: PageLearner,
    summary: Annotated[FormText, Form()] = "",
    practice_bullets: Annotated[FormText, Form()] = "",
    job_heading: Annotated[FormLine, Form()] = "",
    job_bullets: Annotated[FormText, Form()] = "",
) -> Response:
    form = {"summary": summary, "practice_bullets": practice_bullets,
            "job_heading": job_heading, "job_bullets": job_bullets}  # fmt: skip
    payload = cv_payload(summary, practice_bullets, job_heading, job_bullets)
    return _hand_in_page(request, session, user, "cv", payload, form)


@me_pages.post("/profile", name="career_profile_hand_in")
def career_profile_hand_in(
    request: Request,
    session: SessionDep,
    user: PageLearner,
    headline: Annotated[FormText, Form()] = "",
    about: Annotated[FormText, Form()] = "",
) -> Response:
    form = {"headline": headline, "about": about}
    return _hand_in_page(request, session, user, "profile", dict(form), form)


@me_pages.get("/hand-ins/{hand_in_id}", name="career_grade")
def career_grade(
    hand_in_id: PathId, request: Request, session: SessionDep, user: PageLearner
) -> Response:
    submission, grade = career_hand_in(session=session, user=user, submission_id=hand_in_id)
    context = {
        "submission": submission,
        "grade": grade,
        "title": TITLES[submission.exercise_id],
        "checks": check_view(submission.payload, grade.result),
        "percent": 100 * grade.final_score / grade.possible if grade.possible else 0.0,
    }
    return render(request, "career/grade.html", context)


# ----------------------------------------------------------------------------- JSON API


def _grade_json(submission: Any, grade: Any) -> dict[str, Any]:
    return {
        "submission_id": submission.id,
        "exercise_id": submission.exercise_id,
        "kind": submission.kind,
        "submission": submission.payload,
        "score": grade.final_score,
        "possible": grade.possible,
        "grade": grade.result,
    }


@api.get("/figures", summary="My figures from my records: what a CV may claim")
def api_figures(session: SessionDep, user: ApiLearner) -> dict[str, Any]:
    assert user.id is not None
    return {"figures": learner_figures(session, user.id), "labels": LABELS}


@api.post("/cv", summary="Hand in a CV, graded against my records", status_code=201)
def api_cv(
    session: SessionDep, user: ApiLearner, payload: Annotated[dict[str, Any], Body()]
) -> dict[str, Any]:
    submission, grade = hand_in(session=session, user=user, kind="cv", payload=payload)
    return _grade_json(submission, grade)


@api.post("/profile", summary="Hand in a LinkedIn headline and About", status_code=201)
def api_profile(
    session: SessionDep, user: ApiLearner, payload: Annotated[dict[str, Any], Body()]
) -> dict[str, Any]:
    submission, grade = hand_in(session=session, user=user, kind="profile", payload=payload)
    return _grade_json(submission, grade)


@api.get("/hand-ins/{hand_in_id}", summary="One of my career hand-ins with its grade")
def api_grade(hand_in_id: PathId, session: SessionDep, user: ApiLearner) -> dict[str, Any]:
    submission, grade = career_hand_in(session=session, user=user, submission_id=hand_in_id)
    return _grade_json(submission, grade)
