"""The learner's exam pages (/exams) and the exam JSON API (/api/v1/exams, /exam-attempts).

Views stay thin: parse, call the service, render. Every attempt route goes through
``own_attempt``, so another person's attempt is a 404 for everyone, admins included.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Form, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import ConfigDict, Field, StringConstraints, create_model

from leadworks.accounts.deps import ApiUser, PageUser
from leadworks.content import CatalogDep
from leadworks.core.csrf import page_router
from leadworks.core.deps import SessionDep, SettingsDep
from leadworks.core.errors import UserError
from leadworks.core.inputs import Clean, PathId, PathKey
from leadworks.core.templating import flash, render
from leadworks.exams.models import ExamAttempt
from leadworks.exams.rules import exam_spec
from leadworks.exams.service import (
    attempt_view,
    exam_overview,
    own_attempt,
    start_attempt,
    submit_attempt,
)

pages = page_router("/exams")
api = APIRouter(prefix="/api/v1", tags=["exams"])

MAX_FORM_QUESTIONS = 60  # above any exam's size: the form model's fields a_0 .. a_59
Choice = Annotated[str, StringConstraints(max_length=60, strip_whitespace=True), Clean]
AnswerForm: Any = create_model(  # type: ignore[call-overload]
    "AnswerForm",
    __config__=ConfigDict(extra="ignore"),
    **{
        f"a_{i}": (Annotated[list[Choice], Field(max_length=20)], [])
        for i in range(MAX_FORM_QUESTIONS)
    },
)


def answers_from_form(attempt: ExamAttempt, fields: dict[str, list[str]]) -> dict[str, Any]:
    """The form's a_<n> fields as the quiz kind's answers (question id -> answer)."""
    answers: dict[str, Any] = {}
    for n, question in enumerate(attempt.questions):
        given = [v for v in fields.get(f"a_{n}", []) if v != ""]
        if not given:
            continue
        if question["type"] in ("single", "multiple"):
            if not all(v.isdigit() for v in given):
                raise UserError(f"Question {n + 1}: pick one of the options.", field=f"a_{n}")
            picks = [int(v) for v in given]
            answers[question["id"]] = picks[0] if question["type"] == "single" else picks
        else:
            answers[question["id"]] = given[0]
    return answers


# ----------------------------------------------------------------------------- pages


@pages.get("/", name="exams_home")
def exams_home(
    request: Request, session: SessionDep, user: PageUser, catalog: CatalogDep
) -> Response:
    assert user.id is not None
    summaries = exam_overview(session=session, user_id=user.id, catalog=catalog)
    return render(request, "exams/home.html", {"summaries": summaries})


@pages.post("/{exam_id}/attempts", name="exam_start")
def exam_start(
    exam_id: PathKey,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: PageUser,
    catalog: CatalogDep,
) -> Response:
    attempt, _ = start_attempt(
        session=session, user=user, catalog=catalog, secret=settings.secret_key, exam_id=exam_id
    )
    return RedirectResponse(request.url_for("exam_attempt", attempt_id=attempt.id), status_code=303)


@pages.get("/attempts/{attempt_id}", name="exam_attempt")
def exam_attempt(
    attempt_id: PathId, request: Request, session: SessionDep, user: PageUser, catalog: CatalogDep
) -> Response:
    attempt = own_attempt(session=session, user=user, attempt_id=attempt_id)
    spec = exam_spec(catalog, attempt.exam_id)
    context = {"a": attempt_view(attempt), "title": spec.title if spec else attempt.exam_id}
    return render(request, "exams/attempt.html", context)


@pages.post("/attempts/{attempt_id}/submit", name="exam_submit")
def exam_submit(
    attempt_id: PathId,
    request: Request,
    form: Annotated[AnswerForm, Form()],
    session: SessionDep,
    user: PageUser,
) -> Response:
    attempt = own_attempt(session=session, user=user, attempt_id=attempt_id)
    answers = answers_from_form(attempt, form.model_dump())
    done = submit_attempt(session=session, user=user, attempt_id=attempt_id, answers=answers)
    verdict = "passed" if done.passed else "not passed"
    flash(request, f"Submitted: {done.score:g} of {done.possible:g} ({verdict}).", "success")
    return RedirectResponse(request.url_for("exam_attempt", attempt_id=attempt_id), status_code=303)


# ----------------------------------------------------------------------------- JSON API


@api.get("/exams", summary="Every checkpoint and the final exam, with the caller's record")
def list_exams(session: SessionDep, user: ApiUser, catalog: CatalogDep) -> list[dict[str, Any]]:
    assert user.id is not None
    return [s.to_dict() for s in exam_overview(session=session, user_id=user.id, catalog=catalog)]


@api.post(
    "/exams/{exam_id}/attempts",
    status_code=201,
    summary="Start an attempt (or get the open one back, with 200)",
)
def api_start(
    exam_id: PathKey, session: SessionDep, settings: SettingsDep, user: ApiUser, catalog: CatalogDep
) -> JSONResponse:
    attempt, created = start_attempt(
        session=session, user=user, catalog=catalog, secret=settings.secret_key, exam_id=exam_id
    )
    body = _json(attempt_view(attempt))
    return JSONResponse(body, status_code=201 if created else 200)


@api.get("/exam-attempts/{attempt_id}", summary="One of the caller's attempts")
def api_attempt(attempt_id: PathId, session: SessionDep, user: ApiUser) -> dict[str, Any]:
    return attempt_view(own_attempt(session=session, user=user, attempt_id=attempt_id))


@api.post("/exam-attempts/{attempt_id}/submission", summary="Submit the answers and get the grade")
def api_submit(
    attempt_id: PathId,
    session: SessionDep,
    user: ApiUser,
    answers: Annotated[Any, Body(embed=True)],
) -> dict[str, Any]:
    attempt = submit_attempt(session=session, user=user, attempt_id=attempt_id, answers=answers)
    return attempt_view(attempt)


def _json(view: dict[str, Any]) -> Any:
    return jsonable_encoder(view)
