"""The counselor's pages: cohort overview, learner, attempt review, regrade queue, rescoring.

Thin on purpose: parse, authorise (PageCounselor, then cohort_for / the access helpers,
which answer 404 for other cohorts), call a service, render. A refused form is shown again
with its message and a 4xx status, and nothing has been written.
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from fastapi import Form, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from leadworks.accounts.deps import PageCounselor
from leadworks.accounts.models import User
from leadworks.cohorts.models import Cohort
from leadworks.cohorts.service import cohort_for, visible_cohorts
from leadworks.content import CatalogDep, ContentDep
from leadworks.core.csrf import page_router
from leadworks.core.deps import SessionDep
from leadworks.core.downloads import attachment
from leadworks.core.errors import UserError
from leadworks.core.inputs import Clean, PathId
from leadworks.core.redirects import safe_next
from leadworks.core.templating import flash, is_htmx, render
from leadworks.counsel import charts
from leadworks.counsel.access import (
    learner_cohorts,
    learner_for,
    regrade_for_counselor,
    submission_for_counselor,
)
from leadworks.counsel.exports import Headers, export_filename, gradebook_csv, learner_record
from leadworks.counsel.highlight import anchor
from leadworks.counsel.learner import learner_attempts, weakest
from leadworks.counsel.overview import (
    FLAG_LABELS,
    arrange,
    cohort_overview,
    with_quiz_averages,
)
from leadworks.counsel.present import HELPERS
from leadworks.counsel.queue import regrade_queue
from leadworks.counsel.readiness import readiness
from leadworks.counsel.review import review_for
from leadworks.feedback.read import learner_comments
from leadworks.feedback.service import add_comment, decide_regrade, override_grade, parse_points
from leadworks.progress.models import LearnerProfile
from leadworks.progress.service import course_progress

pages = page_router("/counsel")


def render_page(request: Request, name: str, context: dict[str, Any], **options: Any) -> Response:
    """render() with the counsel templates' formatting helpers."""
    return render(request, name, HELPERS | context, **options)


Text = Annotated[str, Form(max_length=8000), Clean]
PER_PAGE = 100  # rows on one overview page; sorting, filters and charts cover the cohort


@pages.get("/", name="counsel_home")
def counsel_home(request: Request, session: SessionDep, user: PageCounselor) -> Response:
    cohorts = visible_cohorts(session=session, user=user)
    return render_page(request, "counsel/index.html", {"cohorts": cohorts})


# ---- cohort overview -----------------------------------------------------------------------


@pages.get("/cohorts/{cohort_id}", name="counsel_cohort")
def cohort_page(
    request: Request,
    cohort_id: PathId,
    session: SessionDep,
    user: PageCounselor,
    catalog: CatalogDep,
    sort: Annotated[str, Query(max_length=120), Clean] = "attention",
    dir: Annotated[str, Query(max_length=4), Clean] = "desc",
    flag: Annotated[str, Query(max_length=20), Clean] = "",
    q: Annotated[str, Query(max_length=120), Clean] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    cohort = cohort_for(session=session, user=user, cohort_id=cohort_id)
    by_module = sort.startswith("module:")  # only then do all rows need their quiz averages
    overview = cohort_overview(session=session, cohort=cohort, catalog=catalog, quizzes=by_module)
    matching = arrange(overview, sort=sort, direction=dir, flag=flag, q=q)
    pages = max(1, math.ceil(len(matching) / PER_PAGE))
    page = min(page, pages)
    rows = matching[(page - 1) * PER_PAGE : page * PER_PAGE]
    if not by_module:
        rows = with_quiz_averages(session=session, rows=rows, catalog=catalog)
    context = {
        "cohort": cohort,
        "overview": overview,
        "rows": rows,
        "matching": len(matching),
        "first": (page - 1) * PER_PAGE + 1,
        "pages": pages,
        "params": {"sort": sort, "dir": dir, "flag": flag, "q": q, "page": page},
        "flag_labels": FLAG_LABELS,
        "open_regrades": sum(r.open_regrades for r in overview.rows),
    }
    if not is_htmx(request):  # an htmx swap only replaces the table
        context |= charts.cohort_charts(overview)
    return render_page(request, "counsel/cohort.html", context, block="overview")


@pages.get("/cohorts/{cohort_id}/gradebook.csv", name="counsel_gradebook")
def gradebook_page(
    cohort_id: PathId,
    session: SessionDep,
    user: PageCounselor,
    catalog: CatalogDep,
    columns: Annotated[Headers, Query()] = "titles",
) -> Response:
    """The download a counselor opens in a spreadsheet: columns headed by title."""
    cohort = cohort_for(session=session, user=user, cohort_id=cohort_id)
    body = gradebook_csv(session=session, cohort=cohort, catalog=catalog, headers=columns)
    return csv_response(cohort, body)


#: UTF-8's byte-order mark: without it Excel reads a CSV as the local code page, and
#: "Ramírez" shows as "RamÃ­rez" (issue #15)
BOM = "\ufeff"


def csv_response(cohort: Cohort, body: str) -> Response:
    """Every CSV export: UTF-8 with a byte-order mark, as an attachment."""
    filename = export_filename(cohort, "gradebook")
    return Response(BOM + body, media_type="text/csv; charset=utf-8", headers=attachment(filename))


@pages.get("/cohorts/{cohort_id}/regrades", name="counsel_regrades")
def regrades_page(
    request: Request,
    cohort_id: PathId,
    session: SessionDep,
    user: PageCounselor,
    catalog: CatalogDep,
) -> Response:
    cohort = cohort_for(session=session, user=user, cohort_id=cohort_id)
    queue = regrade_queue(session=session, cohort=cohort, catalog=catalog)
    return render_page(
        request, "counsel/regrades.html", {"cohort": cohort, "queue": queue, "form": {}}
    )


# ---- one learner ---------------------------------------------------------------------------


def _learner_context(
    session: SessionDep, user: User, learner: User, catalog: CatalogDep, **extra: Any
) -> dict[str, Any]:
    assert learner.id is not None
    attempts = learner_attempts(session=session, learner_id=learner.id, catalog=catalog)
    modules = course_progress(session=session, user_id=learner.id, catalog=catalog)
    profile = session.get(LearnerProfile, learner.id)
    return {
        "learner": learner,
        "cohorts": learner_cohorts(session=session, user=user, learner_id=learner.id),
        "attempts": attempts,
        "weakest": weakest(attempts),
        "modules": modules,
        "done": sum(m.done for m in modules),
        "total": sum(m.total for m in modules),
        "readiness": readiness(profile=profile, attempts=attempts, catalog=catalog),
        "comments": learner_comments(session=session, learner_id=learner.id),
    } | extra


@pages.get("/learners/{learner_id}", name="counsel_learner")
def learner_page(
    request: Request,
    learner_id: PathId,
    session: SessionDep,
    user: PageCounselor,
    catalog: CatalogDep,
) -> Response:
    learner = learner_for(session=session, user=user, learner_id=learner_id)
    return render_page(
        request, "counsel/learner.html", _learner_context(session, user, learner, catalog)
    )


@pages.get("/learners/{learner_id}/record.json", name="counsel_learner_record")
def learner_record_page(learner_id: PathId, session: SessionDep, user: PageCounselor) -> Response:
    learner = learner_for(session=session, user=user, learner_id=learner_id)
    filename = f"learner-{learner_id}-record.json"
    return JSONResponse(
        learner_record(session=session, learner=learner),
        headers=attachment(filename),
    )


@pages.post("/learners/{learner_id}/comments", name="counsel_comment_learner")
def comment_on_learner(
    request: Request,
    learner_id: PathId,
    session: SessionDep,
    user: PageCounselor,
    catalog: CatalogDep,
    body: Text = "",
) -> Response:
    learner = learner_for(session=session, user=user, learner_id=learner_id)
    try:
        add_comment(session=session, author=user, learner=learner, body=body)
    except UserError as error:
        context = _learner_context(session, user, learner, catalog, error=error.message, body=body)
        return render_page(request, "counsel/learner.html", context, status_code=error.status_code)
    flash(request, f"Comment saved; {learner.name} will see it.", "success")
    return RedirectResponse(f"/counsel/learners/{learner_id}#comments", status_code=303)


# ---- one attempt ---------------------------------------------------------------------------


def _attempt_page(
    request: Request,
    session: SessionDep,
    submission_id: int,
    user: User,
    content: ContentDep,
    *,
    seq: int | None = None,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    submission = submission_for_counselor(session=session, user=user, submission_id=submission_id)
    review = review_for(session=session, submission=submission, content=content, seq=seq)
    cohorts = learner_cohorts(session=session, user=user, learner_id=submission.user_id)
    context = {"review": review, "anchor": anchor, "cohorts": cohorts, "form": {}} | extra
    return render_page(
        request, "counsel/attempt.html", context, block="replay", status_code=status_code
    )


@pages.get("/submissions/{submission_id}", name="counsel_attempt")
def attempt_page(
    request: Request,
    submission_id: PathId,
    session: SessionDep,
    user: PageCounselor,
    content: ContentDep,
    seq: Annotated[int | None, Query(ge=0, le=10_000_000)] = None,
) -> Response:
    return _attempt_page(request, session, submission_id, user, content, seq=seq)


@pages.post("/submissions/{submission_id}/comments", name="counsel_comment_attempt")
def comment_on_attempt(
    request: Request,
    submission_id: PathId,
    session: SessionDep,
    user: PageCounselor,
    content: ContentDep,
    body: Text = "",
    turn: Annotated[int | None, Form(ge=0, le=10_000)] = None,
) -> Response:
    submission = submission_for_counselor(session=session, user=user, submission_id=submission_id)
    learner = learner_for(session=session, user=user, learner_id=submission.user_id)
    try:
        add_comment(
            session=session,
            author=user,
            learner=learner,
            body=body,
            submission=submission,
            turn=turn,
        )
    except UserError as error:
        return _attempt_page(
            request,
            session,
            submission_id,
            user,
            content,
            status_code=error.status_code,
            error=error.message,
            form={"body": body, "turn": turn},
        )
    if turn is not None:
        flash(request, f"Comment on turn {turn} saved; {learner.name} will see it.", "success")
        where = f"/counsel/submissions/{submission_id}#turn-{turn}"
        return RedirectResponse(where, status_code=303)
    flash(request, f"Comment saved; {learner.name} will see it with this attempt.", "success")
    return RedirectResponse(f"/counsel/submissions/{submission_id}#comments", status_code=303)


@pages.post("/submissions/{submission_id}/override", name="counsel_override")
def override_page(
    request: Request,
    submission_id: PathId,
    session: SessionDep,
    user: PageCounselor,
    content: ContentDep,
    points: Annotated[str, Form(max_length=40), Clean] = "",
    reason: Text = "",
    check_id: Annotated[str, Form(max_length=60), Clean] = "",
) -> Response:
    submission = submission_for_counselor(session=session, user=user, submission_id=submission_id)
    try:
        override_grade(
            session=session,
            counselor=user,
            submission=submission,
            check_id=check_id or None,
            points=parse_points(points),
            reason=reason,
        )
    except UserError as error:
        form = {"check_id": check_id, "points": points, "reason": reason}
        return _attempt_page(
            request,
            session,
            submission_id,
            user,
            content,
            status_code=error.status_code,
            error=error.message,
            form=form,
        )
    what = f"check '{check_id}'" if check_id else "the grade"
    flash(request, f"Override of {what} saved and logged; the learner sees it.", "success")
    return RedirectResponse(f"/counsel/submissions/{submission_id}#audit", status_code=303)


@pages.post("/regrades/{request_id}/decision", name="counsel_regrade_decision")
def regrade_decision(
    request: Request,
    request_id: PathId,
    session: SessionDep,
    user: PageCounselor,
    content: ContentDep,
    decision: Annotated[str, Form(max_length=10), Clean] = "",
    response: Text = "",
    points: Annotated[str, Form(max_length=40), Clean] = "",
    next: Annotated[str, Form(max_length=300), Clean] = "",
) -> Response:
    regrade = regrade_for_counselor(session=session, user=user, request_id=request_id)
    try:
        if decision not in ("accept", "decline"):
            raise UserError("Choose to accept or to decline the request.", field="decision")
        accept = decision == "accept"
        decide_regrade(
            session=session,
            counselor=user,
            request=regrade,
            accept=accept,
            response=response,
            points=parse_points(points) if accept else None,
        )
    except UserError as error:
        form = {"request_id": request_id, "response": response, "points": points}
        return _attempt_page(
            request,
            session,
            regrade.submission_id,
            user,
            content,
            status_code=error.status_code,
            error=error.message,
            form=form,
        )
    outcome = "accepted" if decision == "accept" else "declined"
    flash(request, f"Regrade request {outcome}; the learner is told.", "success")
    target = safe_next(next, "", within="/counsel/")
    return RedirectResponse(target or f"/counsel/submissions/{regrade.submission_id}", 303)
