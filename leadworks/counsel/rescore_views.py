"""The counselor's rescoring pages: choose an exercise, watch the preview fill in (htmx polls
one chunk at a time), then commit. The work itself is ``leadworks.counsel.rescore``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response

from leadworks.accounts.deps import PageCounselor
from leadworks.accounts.models import User
from leadworks.cohorts.models import Cohort
from leadworks.cohorts.service import cohort_for
from leadworks.content import CatalogDep, ContentDep
from leadworks.core.csrf import page_router
from leadworks.core.deps import SessionDep
from leadworks.core.errors import UserError
from leadworks.core.inputs import Clean, PathId
from leadworks.core.templating import flash
from leadworks.counsel import rescore
from leadworks.counsel.access import job_for
from leadworks.counsel.views import render_page

pages = page_router("/counsel")


def _rescore_context(session: SessionDep, cohort: Cohort, catalog: CatalogDep) -> dict[str, Any]:
    return {
        "cohort": cohort,
        "exercises": rescore.rescorable(catalog),
        "jobs": rescore.recent_jobs(session=session, cohort=cohort),
        "form": {},
    }


@pages.get("/cohorts/{cohort_id}/rescore", name="counsel_rescore")
def rescore_page(
    request: Request,
    cohort_id: PathId,
    session: SessionDep,
    user: PageCounselor,
    catalog: CatalogDep,
) -> Response:
    cohort = cohort_for(session=session, user=user, cohort_id=cohort_id)
    return render_page(request, "counsel/rescore.html", _rescore_context(session, cohort, catalog))


@pages.post("/cohorts/{cohort_id}/rescore", name="counsel_rescore_start")
def rescore_start(
    request: Request,
    cohort_id: PathId,
    session: SessionDep,
    user: PageCounselor,
    catalog: CatalogDep,
    exercise_id: Annotated[str, Form(max_length=100), Clean] = "",
) -> Response:
    cohort = cohort_for(session=session, user=user, cohort_id=cohort_id)
    try:
        job = rescore.start_rescore(
            session=session,
            cohort=cohort,
            exercise_id=exercise_id,
            requested_by=user,
            catalog=catalog,
        )
    except UserError as error:
        context = _rescore_context(session, cohort, catalog) | {
            "error": error.message,
            "form": {"exercise_id": exercise_id},
        }
        return render_page(request, "counsel/rescore.html", context, status_code=error.status_code)
    return RedirectResponse(f"/counsel/rescore/{job.id}", status_code=303)


def _job_page(
    request: Request, session: SessionDep, job_id: int, user: User, catalog: CatalogDep
) -> Response:
    job = job_for(session=session, user=user, job_id=job_id)
    context = {
        "job": job,
        "cohort": cohort_for(session=session, user=user, cohort_id=job.cohort_id),
        "exercise_title": catalog.exercise_title(job.exercise_id),
        "tally": rescore.tally(job),
        "changes": rescore.changes(job),
    }
    return render_page(request, "counsel/rescore_job.html", context, block="progress")


@pages.get("/rescore/{job_id}", name="counsel_rescore_job")
def rescore_job_page(
    request: Request, job_id: PathId, session: SessionDep, user: PageCounselor, catalog: CatalogDep
) -> Response:
    return _job_page(request, session, job_id, user, catalog)


@pages.post("/rescore/{job_id}/step", name="counsel_rescore_step")
def rescore_step(
    request: Request,
    job_id: PathId,
    session: SessionDep,
    user: PageCounselor,
    content: ContentDep,
) -> Response:
    """One chunk of work, then the progress block again (htmx polls this until done)."""
    job = job_for(session=session, user=user, job_id=job_id)
    rescore.advance(
        session=session, job=job, exercises_dir=content.exercises_dir, limit=rescore.PAGE_CHUNK
    )
    return _job_page(request, session, job_id, user, content.catalog)


@pages.post("/rescore/{job_id}/commit", name="counsel_rescore_commit")
def rescore_commit(
    request: Request, job_id: PathId, session: SessionDep, user: PageCounselor
) -> Response:
    job = job_for(session=session, user=user, job_id=job_id)
    rescore.commit_rescore(session=session, job=job)
    flash(request, "Rescoring started: keep this page open until it finishes.", "info")
    return RedirectResponse(f"/counsel/rescore/{job_id}", status_code=303)
