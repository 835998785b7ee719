"""Counselors' job-readiness pages: a cohort's learners against the completion rule, a
one-page print-ready summary per learner to send with a referral, and revocation.

Access is the counsel domain's: a cohort or learner outside the counselor's cohorts is a
404 (``cohort_for`` / ``learner_for``), exactly like the rest of /counsel.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response

from leadworks.accounts.deps import PageCounselor
from leadworks.cohorts.service import cohort_for, cohort_learners
from leadworks.content import CatalogDep
from leadworks.core.csrf import page_router
from leadworks.core.deps import SessionDep, SettingsDep
from leadworks.core.errors import NotFound
from leadworks.core.inputs import Clean, PathId
from leadworks.core.templating import flash, render
from leadworks.core.timeutil import utcnow
from leadworks.counsel.access import learner_for
from leadworks.credentials import portfolio as folio
from leadworks.credentials import service
from leadworks.credentials.models import IssuedCredential
from leadworks.credentials.rule import evaluate, evaluate_many, parts_in_force
from leadworks.progress.models import LearnerProfile

pages = page_router("/counsel")


@pages.get("/cohorts/{cohort_id}/readiness", name="counsel_readiness")
def cohort_readiness(
    request: Request,
    cohort_id: PathId,
    session: SessionDep,
    user: PageCounselor,
    catalog: CatalogDep,
    settings: SettingsDep,
) -> Response:
    cohort = cohort_for(session=session, user=user, cohort_id=cohort_id)
    learners = cohort_learners(session=session, cohort=cohort)
    ids = [u.id for u in learners if u.id is not None]
    rules = evaluate_many(session=session, user_ids=ids, catalog=catalog, settings=settings)
    credentials = service.latest_credentials(session=session, user_ids=ids)
    rows: list[dict[str, Any]] = [
        {"learner": u, "rule": rules[u.id], "credential": credentials.get(u.id)}
        for u in learners
        if u.id is not None
    ]
    context = {
        "cohort": cohort,
        "rows": rows,
        "parts": parts_in_force(settings),
        "ready": sum(1 for r in rows if r["rule"].met),
    }
    return render(request, "credentials/readiness_cohort.html", context)


@pages.get("/learners/{learner_id}/readiness", name="counsel_readiness_summary")
def readiness_summary(
    request: Request,
    learner_id: PathId,
    session: SessionDep,
    user: PageCounselor,
    catalog: CatalogDep,
    settings: SettingsDep,
) -> Response:
    learner = learner_for(session=session, user=user, learner_id=learner_id)
    context = {
        "learner": learner,
        "rule": evaluate(session=session, user_id=learner_id, catalog=catalog, settings=settings),
        "credential": service.live_credential(session=session, user_id=learner_id),
        "share": folio.live_share(session=session, user_id=learner_id),
        "work": {s.id: (s, g) for s, g in folio.graded_work(session=session, user_id=learner_id)},
        "profile": session.get(LearnerProfile, learner_id),
        "catalog": catalog,
        "now": utcnow(),
    }
    return render(request, "credentials/readiness_summary.html", context)


@pages.post("/credentials/{credential_row}/revoke", name="counsel_revoke_credential")
def revoke_credential(
    request: Request,
    credential_row: PathId,
    session: SessionDep,
    user: PageCounselor,
    reason: Annotated[str, Form(max_length=500), Clean] = "",
) -> Response:
    row = session.get(IssuedCredential, credential_row)
    if row is None:
        raise NotFound("No such certificate.")
    learner_for(session=session, user=user, learner_id=row.user_id)  # 404 outside their cohorts
    service.revoke(session=session, row=row, by=user, reason=reason)  # a UserError is a 4xx page
    flash(request, "The certificate is revoked; verifiers now see it as revoked.", "success")
    return RedirectResponse(f"/counsel/learners/{row.user_id}/readiness", status_code=303)
