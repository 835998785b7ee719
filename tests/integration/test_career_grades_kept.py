"""Career hand-ins read like the rest of the work: titled by name (not "career-cv") on the
portfolio and readiness pages, graded CVs keep the figures their claims were checked
against, and a counselor rescoring career-cv regrades against those kept figures."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from course.catalog import CAREER_EXERCISE_TITLES
from leadworks.career.facts import learner_figures
from leadworks.career.service import hand_in
from leadworks.counsel import rescore
from leadworks.credentials import portfolio
from leadworks.practice.models import Run, RunEvent, RunStatus
from leadworks.submissions.models import GradeRecord
from leadworks.submissions.service import current_grade
from tests.conftest import EXERCISES_DIR, csrf_from, login, project_content

CV_TITLE = CAREER_EXERCISE_TITLES["career-cv"]
CV = {"summary": "Aspiring SDR.", "bullets": [{"text": "Researched 4 contacts"}]}


def _handed_in_run(session: Session, user: Any, researched: int) -> Run:
    attempt = len(session.exec(select(Run).where(Run.user_id == user.id)).all()) + 1
    run = Run(user_id=user.id, exercise_id="cold-email-dental", attempt=attempt, seed="7",
              status=RunStatus.submitted)  # fmt: skip
    session.add(run)
    session.flush()
    for seq in range(researched):
        session.add(RunEvent(run_id=run.id, seq=seq, type="view_profile", at="",
                             actor="learner", data={"contact_id": f"p{seq}"}))  # fmt: skip
    session.commit()
    return run


def test_the_catalog_names_career_exercises() -> None:
    catalog = project_content().catalog
    assert catalog.exercise_title("career-cv") == CV_TITLE != "career-cv"
    assert catalog.exercise_title("career-profile") == "LinkedIn profile"
    assert catalog.exercise_title("no-such-thing") == "no-such-thing"


def test_portfolio_and_readiness_pages_show_the_title_not_the_id(
    client: TestClient, session: Session, learner, counselor
) -> None:
    _handed_in_run(session, learner, 4)
    cv, _ = hand_in(session=session, user=learner, kind="cv", payload=CV)
    login(client, learner)
    editing = client.get("/me/portfolio")
    assert CV_TITLE in editing.text and "career-cv" not in editing.text
    token = csrf_from(editing.text)
    client.post("/me/portfolio", data={"submission_ids": [str(cv.id)], "csrf_token": token})
    share = portfolio.live_share(session=session, user_id=learner.id)
    assert share is not None
    client.post("/logout", data={"csrf_token": token})
    public = client.get(f"/p/{share.token}")
    assert CV_TITLE in public.text and "career-cv" not in public.text
    login(client, counselor)
    summary = client.get(f"/counsel/learners/{learner.id}/readiness")
    assert CV_TITLE in summary.text and "career-cv" not in summary.text


def test_a_graded_cv_keeps_the_figures_it_was_checked_against(session: Session, learner) -> None:
    _handed_in_run(session, learner, 4)
    at_hand_in = learner_figures(session, learner.id)
    cv, record = hand_in(session=session, user=learner, kind="cv", payload=CV)
    _handed_in_run(session, learner, 9)  # later work changes the figures
    assert learner_figures(session, learner.id) != at_hand_in
    session.expire_all()
    stored = current_grade(session=session, submission_id=cv.id)
    assert stored is not None
    assert stored.result["graded_with"] == {"records": at_hand_in}
    assert stored.result["graded_with"]["records"]["contacts_researched"] == 4


def test_a_profile_keeps_no_figures(session: Session, learner) -> None:
    _, record = hand_in(
        session=session, user=learner, kind="profile",
        payload={"headline": "Aspiring SDR", "about": "I research before I write."},
    )  # fmt: skip
    assert "graded_with" not in record.result


def test_a_counselor_rescores_career_cv_against_the_kept_figures(
    client: TestClient, session: Session, cohort, learner, counselor
) -> None:
    _handed_in_run(session, learner, 4)
    kept, kept_record = hand_in(session=session, user=learner, kind="cv", payload=CV)
    # a CV graded before figures were kept: it cannot be checked again, and says why
    legacy, legacy_record = hand_in(session=session, user=learner, kind="cv", payload=CV)
    legacy_record.result = {k: v for k, v in legacy_record.result.items() if k != "graded_with"}
    session.add(legacy_record)
    session.commit()
    _handed_in_run(session, learner, 9)  # the claim "4 contacts" no longer matches today's total
    login(client, counselor)
    assert '<option value="career-cv"' in client.get(f"/counsel/cohorts/{cohort.id}/rescore").text
    job = rescore.start_rescore(
        session=session, cohort=cohort, exercise_id="career-cv", requested_by=counselor,
        catalog=project_content().catalog,
    )  # fmt: skip
    job = rescore.run_to_end(session=session, job=job, exercises_dir=EXERCISES_DIR)
    items = {i["submission_id"]: i for i in job.summary["items"]}
    assert items[kept.id]["error"] == "" and items[kept.id]["after"] == kept_record.final_score
    assert "figures" in items[legacy.id]["error"]
    job = rescore.commit_rescore(session=session, job=job)
    job = rescore.run_to_end(session=session, job=job, exercises_dir=EXERCISES_DIR)
    assert job.status == "done"
    records = session.exec(select(GradeRecord).where(GradeRecord.submission_id == kept.id)).all()
    assert len(records) == 1  # the same grade against the same figures: nothing new stored
    assert records[0].result["graded_with"]["records"]["contacts_researched"] == 4
