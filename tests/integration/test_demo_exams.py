"""The demo cohort sits checkpoints and the final exam, so the exams pages and the
counselors' readiness views have something on them at the first `make run`."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from leadworks.accounts.models import Role, User
from leadworks.cohorts.models import Cohort
from leadworks.cohorts.service import enroll
from leadworks.demo.exams import SITTINGS, seed_demo_exams
from leadworks.exams.models import ExamAttempt
from leadworks.exams.service import exam_overview, exam_statuses
from tests.conftest import UserFactory, login, project_content


def _demo_learners(make_user: UserFactory, session: Session, cohort: Cohort) -> dict[str, User]:
    learners = {}
    for email in SITTINGS:
        user = make_user(Role.learner, email=email, name=email.split("@")[0].title())
        enroll(session=session, cohort=cohort, learner=user)
        learners[email] = user
    return learners


def test_demo_learners_have_passed_failed_and_cooling_off_attempts(
    session: Session, make_user: UserFactory, cohort: Cohort, settings
) -> None:
    catalog = project_content().catalog
    learners = _demo_learners(make_user, session, cohort)
    made = seed_demo_exams(
        session=session, catalog=catalog, learners=learners, secret=settings.secret_key
    )
    assert made > len(SITTINGS)
    assert seed_demo_exams(
        session=session, catalog=catalog, learners=learners, secret=settings.secret_key
    ) == 0  # fmt: skip
    attempts = session.exec(select(ExamAttempt)).all()
    assert len(attempts) == made
    assert all(a.submitted_at is not None and a.grade for a in attempts)  # graded, none open
    assert {a.passed for a in attempts} == {True, False}
    ids = {email: u.id for email, u in learners.items()}
    statuses = exam_statuses(session, list(ids.values()), catalog)
    ready = [e for e, uid in ids.items() if statuses[uid].final_exam_passed]
    assert len(ready) >= 1 and all(statuses[ids[e]].all_checkpoints_passed for e in ready)
    cooling = []
    for email, uid in ids.items():
        final = next(s for s in exam_overview(session=session, user_id=uid, catalog=catalog)
                     if s.spec.is_final)  # fmt: skip
        if final.state == "failed" and final.retake_from is not None:
            cooling.append(email)
    assert len(cooling) == 1
    partial = [e for e, uid in ids.items() if 0 < len(statuses[uid].passed_checkpoints)
               < len(statuses[uid].all_checkpoints)]  # fmt: skip
    assert len(partial) >= 3


def test_the_counselors_readiness_view_shows_the_demo_exams(
    client: TestClient,
    session: Session,
    make_user: UserFactory,
    cohort: Cohort,
    counselor,
    settings,
) -> None:
    catalog = project_content().catalog
    learners = _demo_learners(make_user, session, cohort)
    seed_demo_exams(session=session, catalog=catalog, learners=learners, secret=settings.secret_key)
    login(client, counselor)
    page = client.get(f"/counsel/cohorts/{cohort.id}/readiness")
    assert page.status_code == 200
    every = len(exam_statuses(session, [learners["amara@example.com"].id], catalog)[
        learners["amara@example.com"].id].all_checkpoints)  # fmt: skip
    assert f"{every} of {every} module checkpoints passed" in page.text
    assert "(passed)" in page.text and "Best attempt" in page.text
