"""Every HTML page type of the app, read from its routes, with one URL and the roles that see it.

The axe test (issue #15, item 8) visits each page type once per role that can open it. The
page types are not typed in by hand: they are the app's GET routes left out of the OpenAPI
document (``core.csrf.page_router`` keeps HTML pages out of it), minus ``NOT_PAGES``, the
routes that answer with something other than a page (a file, JSON, a redirect), each with
its reason. Who sees a page comes from the access table (``tests/integration/access_table``:
the roles that get 200), so a new page route fails the coverage guard until it is filled in
here, and a new role's access is checked without touching this file.

The records a page needs (a credential, a CV hand-in, an open checkpoint...) are made for
one demo learner through the same services the platform uses, in the live server's
database, so the pages show real content rather than their empty states.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from sqlalchemy import create_engine
from sqlmodel import Session, col, select

from leadworks.accounts.models import Role, User
from leadworks.career.service import hand_in as career_hand_in
from leadworks.cohorts.models import Cohort, Membership
from leadworks.core.config import Settings
from leadworks.counsel.rescore import start_rescore
from leadworks.credentials import portfolio
from leadworks.credentials import service as credentials
from leadworks.drills.service import drill_spec
from leadworks.drills.service import hand_in as drill_hand_in
from leadworks.exams.service import start_attempt
from leadworks.mail.service import Letter, send
from leadworks.practice.models import Run
from leadworks.submissions.models import Submission
from tests.browser.conftest import LiveServer
from tests.conftest import project_content
from tests.integration.access_table import RULES
from tests.integration.career_kit import CV
from tests.integration.credentials_kit import BASE, CHECKABLE_RULE, meet_rule
from tests.integration.drills_kit import DRILL_ID, triage_payload

#: the roles a browser signs in as (the access table's other_* roles see the same pages)
ROLES = ("anon", "learner", "counselor", "admin")
#: whose records the learner's pages show: a demo learner no other browser journey drives
PAGE_LEARNER = "diego@example.com"

#: GET routes outside the OpenAPI document that are not pages, and why axe skips them
NOT_PAGES: dict[str, str] = {
    "/openapi.json": "the API's JSON document",
    "/counsel/cohorts/{cohort_id}/gradebook.csv": "a CSV download",
    "/counsel/learners/{learner_id}/record.json": "a JSON download",
    "/credentials/{credential_id}/credential.json": "the certificate as a JSON download",
    "/credentials/{credential_id}/credential.jwt": "the certificate as a JWT download",
    "/.well-known/jwks.json": "the issuer's public keys (JSON)",
    "/credentials/issuer": "the issuer's Open Badges profile (JSON)",
    "/credentials/status/{list_no}": "a status list credential (JSON)",
    "/sandbox/runs/{run_id}/compose/preview": "a redirect to the composer (a reload target)",
    "/register/confirm": "without an emailed token it is the error page (visited below)",
}

#: pages the access table does not open with 200, visited for what they show anyway
EXTRA_VISITS: dict[str, tuple[tuple[str, str], ...]] = {
    # the error page keeps the signed-in header: seen signed out and signed in
    "anon": (("error page (dead confirmation link)", "/register/confirm?token=dead"),),
    "learner": (("error page (404)", "/sandbox/runs/999999999"),),
}


#: the {placeholders} page_records fills (the fast guard checks every page path uses only these)
PLACEHOLDERS = frozenset(
    {"user_id", "learner_id", "cohort_id", "run_id", "exercise_id", "contact_id"}
    | {"submission_id", "job_id", "attempt_id", "hand_in_id", "drill_id", "drill_hand_in_id"}
    | {"message_id", "credential_id", "token"}
)


@dataclass(frozen=True)
class PageType:
    path: str  # the route's path template
    roles: tuple[str, ...]  # who gets the page (200)


def html_get_routes(app: FastAPI) -> set[str]:
    """Every GET route kept out of the OpenAPI document: pages, and what NOT_PAGES lists."""
    return {
        route.path
        for route in iter_route_contexts(app.routes)
        if "GET" in (route.methods or ()) and not route.include_in_schema
    }


def page_types(app: FastAPI) -> list[PageType]:
    """One entry per HTML page route, with the roles the access table lets open it."""
    expected = {rule.path: rule.expect for rule in RULES if rule.method == "GET"}
    found = []
    for path in sorted(html_get_routes(app) - set(NOT_PAGES)):
        statuses = expected.get(path, {})
        roles = tuple(role for role in ROLES if statuses.get(role) == 200)
        found.append(PageType(path, roles))
    return found


def _settings(server: LiveServer) -> Settings:
    env = server.env
    return Settings(
        env=env["LEADWORKS_ENV"],
        secret_key=env["LEADWORKS_SECRET_KEY"],
        database_url=env["LEADWORKS_DATABASE_URL"],
        data_dir=env["LEADWORKS_DATA_DIR"],
    )


def _one(session: Session, email: str) -> User:
    return session.exec(select(User).where(User.email == email)).one()


def page_records(server: LiveServer) -> dict[str, Any]:
    """Values for every {placeholder} of the page routes: PAGE_LEARNER's own records, made
    through the platform's services where the demo seed has none (run once per server)."""
    settings = _settings(server)
    catalog = project_content().catalog
    engine = create_engine(settings.database_url)
    try:
        with Session(engine) as session:
            learner = _one(session, PAGE_LEARNER)
            counselor = _one(session, "counselor@example.com")
            assert learner.id is not None and counselor.role is Role.counselor
            run = session.exec(
                select(Run).where(Run.user_id == learner.id).order_by(col(Run.id))
            ).first()
            graded = session.exec(
                select(Submission).where(Submission.user_id == learner.id)
            ).first()
            cohort_id = session.exec(
                select(Membership.cohort_id).where(Membership.user_id == learner.id)
            ).one()
            assert run and graded
            job = start_rescore(
                session=session,
                cohort=_cohort(session, cohort_id),
                exercise_id=run.exercise_id,
                requested_by=counselor,
                catalog=catalog,
            )
            attempt, _ = start_attempt(
                session=session,
                user=learner,
                catalog=catalog,
                secret=settings.secret_key,
                exam_id="checkpoint-career",
            )
            cv, _ = career_hand_in(session=session, user=learner, kind="cv", payload=CV)
            drill, _ = drill_hand_in(
                session=session,
                user=learner,
                spec=drill_spec(catalog, DRILL_ID),
                payload=triage_payload(),
                idempotency_key=uuid.uuid4().hex,
            )
            message = send(
                session=session,
                settings=settings,
                letter=Letter(learner.email, "Welcome", "A message in the outbox."),
            )
            credential, share = _certificate_and_portfolio(session, learner, settings)
            return {
                "user_id": learner.id,
                "learner_id": learner.id,
                "cohort_id": cohort_id,
                "run_id": run.id,
                "exercise_id": run.exercise_id,
                "contact_id": "p000001",
                "submission_id": graded.id,
                "job_id": job.id,
                "attempt_id": attempt.id,
                "hand_in_id": cv.id,
                "drill_id": DRILL_ID,
                "drill_hand_in_id": drill.id,
                "message_id": message.id,
                "credential_id": credential,
                "token": share,
            }
    finally:
        engine.dispose()


def _cohort(session: Session, cohort_id: int) -> Cohort:
    cohort = session.get(Cohort, cohort_id)
    assert cohort is not None
    return cohort


def _certificate_and_portfolio(
    session: Session, learner: User, settings: Settings
) -> tuple[str, str]:
    """An issued certificate (under the rule parts the platform checks) and a shared
    portfolio with it, so the public pages show what an employer sees."""
    settings.credential_rule = CHECKABLE_RULE
    capstone = meet_rule(session, learner)
    row = credentials.issue(
        session=session,
        user=learner,
        catalog=project_content().catalog,
        settings=settings,
        base=BASE,
    )
    assert capstone.id is not None
    share = portfolio.save_share(
        session=session,
        user=learner,
        submission_ids=[capstone.id],
        show_certificate=True,
        show_profile=True,
    )
    return str(row.uuid), share.token
