"""The learner's side of counseling: reading feedback, and disputing one check of a grade.

Learners only ever reach their own work here (``submission_for`` answers 404 for anyone
else's). The regrade form also lives in ``feedback/_learner_feedback.html``, which the
learner's grade page includes; it posts here and comes back to the page it came from.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response

from leadworks.accounts.deps import PageLearner, PageUser
from leadworks.accounts.models import User
from leadworks.content import CatalogDep
from leadworks.core.csrf import page_router
from leadworks.core.deps import SessionDep
from leadworks.core.errors import UserError
from leadworks.core.inputs import Clean, PathId
from leadworks.core.redirects import safe_next
from leadworks.core.templating import flash, render
from leadworks.feedback.read import learner_comments, learner_feedback
from leadworks.feedback.service import request_regrade

me_pages = page_router("/me")


def _feedback_page(
    request: Request, session: SessionDep, user: User, catalog: CatalogDep, **extra: object
) -> Response:
    assert user.id is not None
    status = int(str(extra.pop("status_code", 200)))
    context = {
        "comments": learner_comments(session=session, learner_id=user.id),
        "items": learner_feedback(session=session, learner_id=user.id),
        "title_of": catalog.exercise_title,
        "form": {},
    } | extra
    return render(request, "feedback/feedback.html", context, status_code=status)


@me_pages.get("/feedback", name="my_feedback")
def my_feedback(
    request: Request, session: SessionDep, user: PageUser, catalog: CatalogDep
) -> Response:
    return _feedback_page(request, session, user, catalog)


@me_pages.post("/submissions/{submission_id}/regrade", name="my_regrade_request")
def ask_for_regrade(
    request: Request,
    submission_id: PathId,
    session: SessionDep,
    user: PageLearner,
    catalog: CatalogDep,
    check_id: Annotated[str, Form(max_length=60), Clean] = "",
    message: Annotated[str, Form(max_length=8000), Clean] = "",
    next: Annotated[str, Form(max_length=300), Clean] = "",
) -> Response:
    try:
        request_regrade(
            session=session,
            learner=user,
            submission_id=submission_id,
            check_id=check_id,
            message=message,
        )
    except UserError as error:
        form = {"submission_id": submission_id, "check_id": check_id, "message": message}
        return _feedback_page(
            request,
            session,
            user,
            catalog,
            status_code=error.status_code,
            error=error.message,
            form=form,
        )
    flash(request, "Your request is with your counselor; you will see the answer here.", "success")
    target = safe_next(next, f"/me/feedback#attempt-{submission_id}")
    return RedirectResponse(target, status_code=303)
