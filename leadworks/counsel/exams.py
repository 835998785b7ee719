"""A counselor's view of a learner's checkpoints and final-exam attempts (page and JSON).

Same rule as the rest of the workspace: a learner of a cohort the counselor is assigned to
(admins: anyone); everyone else is a 404, so other cohorts' people never leak. Counselors see
every attempt, its questions, answers and grade; never the seed that drew the questions.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from leadworks.accounts.deps import PageCounselor
from leadworks.content import CatalogDep
from leadworks.core.csrf import page_router
from leadworks.core.deps import SessionDep
from leadworks.core.inputs import PathId
from leadworks.core.templating import render
from leadworks.counsel.access import learner_for
from leadworks.counsel.api import ApiCounselor
from leadworks.exams.service import attempt_view, exam_overview, exam_status

pages = page_router("/counsel")
api = APIRouter(prefix="/api/v1", tags=["counsel"])


def _record(session: SessionDep, learner_id: int, catalog: CatalogDep) -> dict[str, Any]:
    summaries = exam_overview(session=session, user_id=learner_id, catalog=catalog)
    return {
        "status": exam_status(session, learner_id, catalog).to_dict(),
        "exams": [
            s.to_dict() | {"attempt_records": [attempt_view(a) for a in s.attempts]}
            for s in summaries
        ],
    }


@pages.get("/learners/{learner_id}/exams", name="counsel_learner_exams")
def learner_exams_page(
    request: Request,
    learner_id: PathId,
    session: SessionDep,
    user: PageCounselor,
    catalog: CatalogDep,
) -> Response:
    learner = learner_for(session=session, user=user, learner_id=learner_id)
    summaries = exam_overview(session=session, user_id=learner_id, catalog=catalog)
    context = {
        "learner": learner,
        "summaries": summaries,
        "views": {a.id: attempt_view(a) for s in summaries for a in s.attempts},
        "status": exam_status(session, learner_id, catalog),
    }
    return render(request, "counsel/exams.html", context)


@api.get("/learners/{learner_id}/exam-attempts", summary="A learner's checkpoints and final exam")
def learner_exams_api(
    learner_id: PathId, session: SessionDep, user: ApiCounselor, catalog: CatalogDep
) -> dict[str, Any]:
    learner_for(session=session, user=user, learner_id=learner_id)
    return _record(session, learner_id, catalog)
