"""The career page: figures from the learner's own records, a CV graded against them.

Runs are stored here as the platform stores them (a Run and its RunEvent log), so the
figures are what ``leadworks.career.facts`` reads from any learner's records.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import select

from leadworks.career.facts import learner_figures
from leadworks.practice.models import Run, RunEvent, RunStatus
from leadworks.submissions.models import Submission
from tests.conftest import bearer, csrf_from, login
from tests.integration.credentials_kit import graded_capstone


def _run(session: Any, user: Any, status: RunStatus, events: list[tuple[str, str, str]]) -> Run:
    attempt = len(session.exec(select(Run).where(Run.user_id == user.id)).all()) + 1
    run = Run(user_id=user.id, exercise_id="cold-email-dental", attempt=attempt, seed="7",
              status=status)  # fmt: skip
    session.add(run)
    session.flush()
    for seq, (kind, actor, contact) in enumerate(events):
        data = {"contact_id": contact} if contact else {}
        session.add(RunEvent(run_id=run.id, seq=seq, type=kind, at="", actor=actor, data=data))
    session.commit()
    return run


def _records(session: Any, learner: Any) -> Run:
    """A handed-in run: 4 researched, 4 messaged, 1 reply, 1 meeting; an open run ignored."""
    events = [("view_profile", "learner", f"p{i}") for i in range(4)]
    events += [("message_sent", "learner", f"p{i}") for i in range(4)]
    events += [("replied", "world", "p1"), ("meeting_accepted", "world", "p1")]
    done = _run(session, learner, RunStatus.submitted, events)
    _run(session, learner, RunStatus.active, [("meeting_accepted", "world", "p9")] * 3)
    graded_capstone(session, learner, score=82)
    return done


def _stored(session: Any, learner: Any) -> int:
    query = select(Submission).where(Submission.user_id == learner.id)
    return len(session.exec(query).all())


def test_figures_count_only_handed_in_runs_and_graded_work(session, learner) -> None:
    _records(session, learner)
    figures = learner_figures(session, learner.id)
    assert figures["runs_completed"] == 1
    assert figures["contacts_researched"] == 4 and figures["contacts_contacted"] == 4
    assert figures["reply_rate"] == 25.0 and figures["meetings_booked"] == 1
    assert figures["compliance_violations"] == 0
    assert figures["exercises_completed"] == 1 and figures["best_score"] == 82.0


def test_no_runs_means_no_record_and_a_claim_is_flagged(client: TestClient, learner) -> None:
    headers = bearer(client, learner)
    figures = client.get("/api/v1/me/career/figures", headers=headers).json()["figures"]
    assert figures["meetings_booked"] is None and figures["runs_completed"] == 0
    cv = {"summary": "Aspiring SDR.", "bullets": [{"text": "Booked 12 meetings in the sandbox"}]}
    graded = client.post("/api/v1/me/career/cv", headers=headers, json=cv)
    assert graded.status_code == 201
    checks = {c["id"]: c for c in graded.json()["grade"]["checks"]}
    assert checks["claims_backed"]["points"] == 0
    assert "no record of meetings booked" in checks["claims_backed"]["verdict"]


def test_the_page_shows_the_figures_and_grades_truthful_and_inflated_cvs(
    client: TestClient, session, learner
) -> None:
    _records(session, learner)
    login(client, learner)
    page = client.get("/me/career/cv")
    assert page.status_code == 200
    assert 'data-figure="reply_rate">25<' in page.text
    assert 'data-figure="meetings_booked">1<' in page.text
    token = csrf_from(page.text)
    form = {
        "summary": "Aspiring SDR. In a simulated campaign I booked 1 meeting from 4 contacts.",
        "practice_bullets": "Wrote emails with a 25% reply rate\nResearched 4 contacts",
        "job_heading": "Waiter, Cafe Roma, 2023",
        "job_bullets": "Served 120 customers a day",
        "csrf_token": token,
    }
    truthful = client.post("/me/career/cv", data=form)
    assert truthful.status_code == 303
    grade = client.get(truthful.headers["location"])
    assert grade.status_code == 200
    assert "All 4 figure(s) about your practice match your records." in grade.text
    assert "Waiter, Cafe Roma, 2023" in grade.text

    inflated = client.post(
        "/me/career/cv", data=form | {"practice_bullets": "Wrote emails with a 60% reply rate"}
    )
    page = client.get(inflated.headers["location"])
    assert "your records show 25% reply rate" in page.text
    assert "60% reply rate" in page.text and "Bullet 1" in page.text


def test_the_api_quotes_the_true_figure_and_reads_back_only_ones_own(
    client: TestClient, session, learner, other_learner
) -> None:
    _records(session, learner)
    headers = bearer(client, learner)
    cv = {"summary": "Aspiring SDR.", "bullets": [{"text": "Booked 5 meetings in the sandbox"}]}
    graded = client.post("/api/v1/me/career/cv", headers=headers, json=cv)
    assert graded.status_code == 201
    body = graded.json()
    match = next(c for c in body["grade"]["checks"] if c["id"] == "records_match")
    assert match["points"] == 0 and "your records show 1 meetings booked" in match["verdict"]
    path = f"/api/v1/me/career/hand-ins/{body['submission_id']}"
    assert client.get(path, headers=headers).json()["score"] == body["score"]
    assert client.get(path, headers=bearer(client, other_learner)).status_code == 404


def test_bad_hand_ins_are_refused_naming_the_field_and_nothing_is_stored(
    client: TestClient, session, learner, other_learner
) -> None:
    theirs = _run(session, other_learner, RunStatus.submitted, [])
    mine_open = _run(session, learner, RunStatus.active, [])
    headers = bearer(client, learner)
    before = _stored(session, learner)
    cases = [
        ({"summary": "x" * 1_001, "bullets": []}, "summary"),
        ({"summary": "S", "bullets": [{"text": "Booked 1 meeting"}] * 13}, "bullets"),
        ({"summary": "S", "bullets": [{"text": "y" * 301}]}, "bullets[0].text"),
        ({"summary": "S", "bullets": [{"text": "Ran 1 run", "run_id": theirs.id}]}, "run_id"),
        ({"summary": "S", "bullets": [{"text": "Ran 1 run", "run_id": mine_open.id}]}, "run_id"),
        ({"summary": "S", "bullets": [{"text": "Ran 1 run", "run_id": 99_999}]}, "run_id"),
    ]
    for payload, field in cases:
        refused = client.post("/api/v1/me/career/cv", headers=headers, json=payload)
        assert refused.status_code == 422, (field, refused.text)
        assert field in refused.text
    login(client, learner)
    token = csrf_from(client.get("/me/career/cv").text)
    long_cv = {"summary": "z" * 1_001, "practice_bullets": "Booked 1 meeting", "csrf_token": token}
    page = client.post("/me/career/cv", data=long_cv)
    assert page.status_code == 422 and "summary" in page.text and "1,000" in page.text
    session.expire_all()
    assert _stored(session, learner) == before


def test_a_graded_cv_can_be_shared_in_the_portfolio(client: TestClient, session, learner) -> None:
    _records(session, learner)
    token = login(client, learner)
    token = csrf_from(client.get("/me/career/cv").text)
    form = {"summary": "Aspiring SDR.", "practice_bullets": "Researched 4 contacts",
            "csrf_token": token}  # fmt: skip
    handed = client.post("/me/career/cv", data=form)
    cv_id = int(handed.headers["location"].rsplit("/", 1)[1])
    portfolio = client.get("/me/portfolio")
    assert f'value="{cv_id}"' in portfolio.text
    shared = client.post(
        "/me/portfolio", data={"submission_ids": [str(cv_id)], "csrf_token": token}
    )
    assert shared.status_code == 303


def test_the_same_page_grades_a_linkedin_profile(client: TestClient, learner) -> None:
    login(client, learner)
    token = csrf_from(client.get("/me/career/cv").text)
    form = {"headline": "Team player", "about": "I like people.", "csrf_token": token}
    handed = client.post("/me/career/profile", data=form)
    assert handed.status_code == 303
    grade = client.get(handed.headers["location"])
    assert "LinkedIn profile" in grade.text and "Rubric <code>profile</code>" in grade.text
    assert "Team player" in grade.text  # the cliché quoted as evidence
    listed = client.get("/me/career/cv")
    assert 'href="/me/career/hand-ins/' in listed.text and "LinkedIn profile," in listed.text
