"""A mock interview through the pages: start it from a prospect's call page, answer the
hiring manager, play the mock cold call, hang up, hand it in and read the grade."""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from leadworks.accounts.models import User
from leadworks.career.facts import learner_figures
from leadworks.cohorts.models import Cohort
from leadworks.counsel import rescore
from leadworks.practice.models import Run, RunEvent, RunStatus
from leadworks.submissions.models import GradeRecord, Submission
from leadworks.submissions.service import current_grade
from tests.conftest import EXERCISES_DIR, project_content
from tests.integration.test_sandbox_pages import Played, _play
from tests.support.interview import STRONG, play

EXERCISE = "mock-interview"


@pytest.fixture
def interview(client: TestClient, session: Session, learner: User) -> Played:
    return _play(client, session, learner, EXERCISE)


def _scripted(played: Played) -> tuple[str, list[str]]:
    """(prospect, the learner's turns): the strong candidate played on a fork of the run."""
    fork = played.sandbox().fork()
    contact = next(c for c in fork.world.contacts if c.phone and not c.truth.do_not_call)
    play(fork, contact.id, STRONG)
    turns = [t["text"] for t in fork.state.calls[-1]["turns"] if t["speaker"] == "learner"]
    return contact.id, turns


def test_a_learner_interviews_plays_the_call_and_is_graded(interview: Played) -> None:
    contact, turns = _scripted(interview)
    path = f"/prospects/{contact}/conversation"
    page = html.unescape(interview.client.get(interview.base + path).text)
    assert "Start the interview" in page and "Mock interview with Dana Whitfield" in page
    interview.post(path + "/start")
    first = html.unescape(interview.client.get(interview.base + path).text)
    assert "Dana Whitfield:" in first  # the manager speaks under their name
    for text in turns:
        interview.post(path + "/say", {"text": text})
    after = html.unescape(interview.client.get(interview.base + path).text)
    assert "call me as if I were a prospect" in after.lower().replace("i were", "I were")
    interview.post(path + "/end")
    hand_in = html.unescape(interview.client.get(interview.base + "/hand-in").text)
    assert "Hand in this interview" in hand_in
    graded = interview.post("/hand-in", {"contact_id": contact}, follow_redirects=True)
    assert graded.status_code == 200 and "Handed in and graded" in html.unescape(graded.text)
    grade = html.unescape(interview.client.get(interview.base + "/grade").text)
    assert "The mock call on the call rubric" in grade and "You, turn 1" in grade
    submission = interview.session.exec(
        select(Submission).where(Submission.run_id == interview.run.id)
    ).one()
    record = interview.session.exec(
        select(GradeRecord).where(GradeRecord.submission_id == submission.id)
    ).one()
    checks = {c["id"]: c for c in record.result["checks"]}
    assert submission.kind == "interview" and set(checks) >= {"structure", "mock_call"}
    # the learner's records were passed in: the figure check is graded, not skipped
    assert "own_figures" in checks
    assert checks["structure"]["points"] == 30


def test_an_interview_grade_keeps_the_figures_it_checked_and_a_rescore_uses_them(
    interview: Played, cohort: Cohort, counselor: User
) -> None:
    """Later work changes the learner's figures; the interview's grade was checked against
    those of its hand-in, keeps them, and a counselor's rescore checks against them again."""
    session, learner = interview.session, interview.run.user_id
    contact, turns = _scripted(interview)
    path = f"/prospects/{contact}/conversation"
    interview.post(path + "/start")
    for text in turns:
        interview.post(path + "/say", {"text": text})
    interview.post(path + "/end")
    interview.post("/hand-in", {"contact_id": contact}, follow_redirects=True)
    submission = session.exec(select(Submission).where(Submission.run_id == interview.run.id)).one()
    first = current_grade(session=session, submission_id=submission.id)
    assert first is not None
    at_hand_in = first.result["graded_with"]["records"]
    assert at_hand_in["exercises_completed"] == 0  # as they were before this hand-in
    later = Run(user_id=learner, exercise_id="cold-email-dental", attempt=9, seed="7",
                status=RunStatus.submitted)  # fmt: skip
    session.add(later)
    session.flush()
    for seq in range(6):
        session.add(RunEvent(run_id=later.id, seq=seq, type="view_profile", at="",
                             actor="learner", data={"contact_id": f"p{seq}"}))  # fmt: skip
    session.commit()
    assert learner_figures(session, learner) != at_hand_in
    job = rescore.start_rescore(
        session=session, cohort=cohort, exercise_id=EXERCISE, requested_by=counselor,
        catalog=project_content().catalog,
    )  # fmt: skip
    job = rescore.run_to_end(session=session, job=job, exercises_dir=EXERCISES_DIR)
    job = rescore.commit_rescore(session=session, job=job)
    job = rescore.run_to_end(session=session, job=job, exercises_dir=EXERCISES_DIR)
    (item,) = job.summary["items"]
    assert item["error"] == "" and item["after"] == first.final_score
    session.expire_all()
    now = current_grade(session=session, submission_id=submission.id)
    assert now is not None and now.result["graded_with"]["records"] == at_hand_in
