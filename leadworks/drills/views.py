"""The drill pages under /drills: a drill (brief, documents, the items table with one input per
field per row, the texts), its hand-in, and the grade page with the key's explanations.

The form's inputs are named like the payload's paths (``rows.c01.action``, ``texts.plan``),
so a refusal names the very input it is about. A refused hand-in re-renders the form with
everything typed (and keeps it as the learner's draft): 422, nothing graded or stored.
"Save draft" keeps the draft without handing in.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from course.drill_specs import DrillSpec
from leadworks.accounts.deps import PageLearner
from leadworks.accounts.models import User
from leadworks.content import CatalogDep, get_catalog
from leadworks.core.csrf import page_router
from leadworks.core.deps import SessionDep
from leadworks.core.errors import UserError
from leadworks.core.inputs import PathId, PathKey
from leadworks.core.templating import flash, render
from leadworks.drills import present
from leadworks.drills.service import (
    draft_of,
    drill_hand_in,
    drill_spec,
    hand_in,
    my_hand_ins,
    payload_from_form,
    save_draft,
)
from leadworks.feedback.read import feedback_for

pages = page_router("/drills")

MAX_FORM_VALUE = 20_000  # the grader's own limits give the precise, field-named message


async def _form(request: Request) -> dict[str, str]:
    """The posted form as plain strings (a drill's inputs are named by its own items)."""
    form = await request.form()
    return {k: v[:MAX_FORM_VALUE] for k, v in form.multi_items() if isinstance(v, str)}


FormDep = Annotated[dict[str, str], Depends(_form)]


def _drill_page(
    request: Request, session: Session, user: User, spec: DrillSpec, **extra: Any
) -> Response:
    catalog = get_catalog(request)
    assert user.id is not None
    values = extra.pop("values", None)
    if values is None:
        draft = draft_of(session=session, user_id=user.id, drill_id=spec.id)
        values = draft.payload if draft else {}
    context = {
        "spec": spec,
        "public": spec.public(),
        "brief": present.paragraphs(spec.brief),
        "documents": [(d, present.paragraphs(d.text)) for d in spec.materials.documents],
        "rows": present.table_rows(spec, values),
        "texts": present.text_values(values),
        "lessons": catalog.lessons_for_exercise(spec.id),
        "hand_ins": my_hand_ins(session=session, user_id=user.id, drill_ids=[spec.id]),
        "idempotency_key": uuid.uuid4().hex,
        "error": None,
        "error_field": None,
    } | extra
    status = context.pop("status_code", 200)
    return render(request, "drills/drill.html", context, status_code=status)


@pages.get("/{drill_id}", name="drill_page")
def drill_page(
    drill_id: PathKey, request: Request, session: SessionDep, user: PageLearner, catalog: CatalogDep
) -> Response:
    return _drill_page(request, session, user, drill_spec(catalog, drill_id))


@pages.post("/{drill_id}", name="drill_hand_in")
def drill_post(
    drill_id: PathKey,
    request: Request,
    session: SessionDep,
    user: PageLearner,
    catalog: CatalogDep,
    form: FormDep,
) -> Response:
    spec = drill_spec(catalog, drill_id)
    payload = payload_from_form(form)
    if form.get("intent") == "save":
        try:
            save_draft(session=session, user=user, drill_id=spec.id, payload=payload)
        except UserError as error:
            return _refused(request, session, user, spec, payload, error)
        flash(request, "Draft saved: it is here when you come back.", "success")
        return RedirectResponse(request.url_for("drill_page", drill_id=spec.id), status_code=303)
    try:
        submission, _ = hand_in(
            session=session,
            user=user,
            spec=spec,
            payload=payload,
            idempotency_key=form.get("idempotency_key") or request.headers.get("Idempotency-Key"),
        )
    except UserError as error:
        session.rollback()
        return _refused(request, session, user, spec, payload, error)
    flash(request, "Handed in and graded.", "success")
    url = request.url_for("drill_grade", drill_hand_in_id=submission.id)
    return RedirectResponse(url, status_code=303)


def _refused(
    request: Request,
    session: Session,
    user: User,
    spec: DrillSpec,
    payload: dict[str, Any],
    error: UserError,
) -> Response:
    """The form again, with everything typed and the message naming the field."""
    try:
        save_draft(session=session, user=user, drill_id=spec.id, payload=payload)
    except UserError:  # text no database takes: the form below still holds what was typed
        pass
    field = error.field.removeprefix("submission.") if error.field else None
    label = present.error_field_label(field)
    message = f"{label}: {error.message}" if label else error.message
    return _drill_page(
        request, session, user, spec, values=payload, error=message, error_field=field,
        status_code=error.status_code,
    )  # fmt: skip


@pages.get("/hand-ins/{drill_hand_in_id}", name="drill_grade")
def drill_grade(
    drill_hand_in_id: PathId,
    request: Request,
    session: SessionDep,
    user: PageLearner,
    catalog: CatalogDep,
) -> Response:
    submission, grade, spec = drill_hand_in(
        session=session, user=user, submission_id=drill_hand_in_id, catalog=catalog
    )
    context = {
        "submission": submission,
        "grade": grade,
        "spec": spec,
        "checks": present.check_view(grade.result),
        "explanations": present.explanations(spec, submission.payload),
        "percent": 100 * grade.final_score / grade.possible if grade.possible else 0.0,
        "feedback": feedback_for(session=session, submission=submission),
    }
    return render(request, "drills/grade.html", context)
