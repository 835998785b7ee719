"""Checkpoints and the final exam: drawn per learner, timed by the server, cooling-off
before a retake, graded with the quiz kind, every attempt kept; bad input changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from leadworks.accounts.models import User
from leadworks.core.config import Settings
from leadworks.core.errors import Conflict, NotFound
from leadworks.exams.models import ExamAttempt
from leadworks.exams.rules import (
    CHECKPOINT_QUESTIONS,
    FINAL_COOLING_OFF,
    FINAL_ID,
    FINAL_MINUTES,
    GRACE,
    draw_questions,
    exam_seed,
    exam_spec,
    exam_specs,
)
from leadworks.exams.service import exam_status, start_attempt, submit_attempt
from tests.conftest import bearer, csrf_from, login, project_content


def _catalog():
    return project_content().catalog


def _right(attempt: ExamAttempt) -> dict[str, Any]:
    return {
        q["id"]: q["answer"][0] if q["type"] == "text" else q["answer"] for q in attempt.questions
    }


def _start(session: Session, user: User, settings: Settings, exam_id: str = FINAL_ID, **kw: Any):
    return start_attempt(
        session=session,
        user=user,
        catalog=_catalog(),
        secret=settings.secret_key,
        exam_id=exam_id,
        **kw,
    )


def _count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(ExamAttempt)).one()


def test_one_checkpoint_per_module_and_a_final_exam_from_every_module() -> None:
    catalog = _catalog()
    specs = exam_specs(catalog)
    modules = [m.slug for m in catalog.modules() if m.lesson_ids]
    assert [s.module for s in specs[:-1]] == modules
    final = specs[-1]
    assert final.id == FINAL_ID and final.minutes == FINAL_MINUTES
    drawn = draw_questions(catalog, final, 12345)
    assert len(drawn) == final.questions
    lesson_module = {lesson.id: lesson.module for lesson in catalog.lessons()}
    assert {lesson_module[q["lesson"]] for q in drawn} == set(modules)
    assert len({q["id"] for q in drawn}) == len(drawn)
    # each question names the lesson objective it checks
    for q in drawn:
        assert q["objective_text"] in catalog.lesson(q["lesson"]).objectives
    for spec in specs[:-1]:
        lessons = catalog.lessons(spec.module)
        pool = sum(len(lesson.quiz.questions) for lesson in lessons)
        assert spec.questions == min(CHECKPOINT_QUESTIONS, pool)
        questions = draw_questions(catalog, spec, 7)
        assert len(questions) == spec.questions
        assert {lesson_module[q["lesson"]] for q in questions} == {spec.module}
        # every lesson of the module is represented before any gives a second question
        assert len({q["lesson"] for q in questions}) == min(len(lessons), spec.questions)


def test_the_draw_is_seeded_per_learner_and_attempt_and_keyed_with_the_secret() -> None:
    catalog = _catalog()
    final = exam_spec(catalog, FINAL_ID)
    assert final is not None
    seed = exam_seed("secret-a", 1, FINAL_ID, 1)
    assert seed == exam_seed("secret-a", 1, FINAL_ID, 1)
    others = {
        exam_seed("secret-b", 1, FINAL_ID, 1),
        exam_seed("secret-a", 2, FINAL_ID, 1),
        exam_seed("secret-a", 1, FINAL_ID, 2),
    }
    assert seed not in others and len(others) == 3
    ids = [q["id"] for q in draw_questions(catalog, final, seed)]
    assert ids == [q["id"] for q in draw_questions(catalog, final, seed)]
    assert any(ids != [q["id"] for q in draw_questions(catalog, final, other)] for other in others)


def test_a_final_exam_is_timed_graded_and_every_attempt_kept(
    session: Session, learner: User, settings: Settings
) -> None:
    first, created = _start(session, learner, settings)
    assert created and first.deadline_at is not None
    again, created_again = _start(session, learner, settings)
    assert again.id == first.id and not created_again  # the open attempt continues
    failed = submit_attempt(session=session, user=learner, attempt_id=first.id, answers={})
    assert failed.passed is False and failed.score == 0
    # a retake before the cooling-off ends is refused, with the time it may start
    with pytest.raises(Conflict, match="cooling-off"):
        _start(session, learner, settings)
    later = failed.submitted_at + FINAL_COOLING_OFF + timedelta(minutes=1)
    second, created = _start(session, learner, settings, now=later)
    assert created and second.attempt == 2 and second.seed != first.seed
    passed = submit_attempt(
        session=session, user=learner, attempt_id=second.id, answers=_right(second), now=later
    )
    assert passed.passed and passed.score == passed.possible
    with pytest.raises(Conflict, match="passed the final exam already"):
        _start(session, learner, settings, now=later + FINAL_COOLING_OFF * 2)
    status = exam_status(session, learner.id, _catalog())
    assert status.final_exam_passed and status.final_exam_percent == 100.0
    assert status.passed_attempt_ids == {FINAL_ID: second.id}
    assert not status.all_checkpoints_passed
    assert (
        len(session.exec(select(ExamAttempt).where(ExamAttempt.user_id == learner.id)).all()) == 2
    )


def test_answers_after_the_deadline_are_refused_and_nothing_is_stored(
    session: Session, learner: User, settings: Settings
) -> None:
    attempt, _ = _start(session, learner, settings)
    late = attempt.deadline_at + GRACE + timedelta(seconds=1)
    with pytest.raises(Conflict, match="Time is up"):
        submit_attempt(
            session=session, user=learner, attempt_id=attempt.id, answers=_right(attempt), now=late
        )
    session.refresh(attempt)
    assert attempt.submitted_at is None and attempt.answers is None and attempt.score is None
    # an expired attempt counts as not passed: the cooling-off runs from its deadline
    with pytest.raises(Conflict, match="cooling-off"):
        _start(session, learner, settings, now=late)
    # within the grace period answers are still taken
    fresh, _ = _start(session, learner, settings, now=attempt.deadline_at + FINAL_COOLING_OFF)
    on_time = fresh.deadline_at + GRACE - timedelta(seconds=1)
    done = submit_attempt(
        session=session, user=learner, attempt_id=fresh.id, answers={}, now=on_time
    )
    assert done.submitted_at is not None


def test_checkpoints_pass_at_their_mark_and_may_be_retaken_at_once(
    session: Session, learner: User, settings: Settings
) -> None:
    attempt, _ = _start(session, learner, settings, "checkpoint-career")
    assert attempt.deadline_at is None
    submit_attempt(session=session, user=learner, attempt_id=attempt.id, answers={})
    retake, created = _start(session, learner, settings, "checkpoint-career")
    assert created and retake.attempt == 2
    submit_attempt(session=session, user=learner, attempt_id=retake.id, answers=_right(retake))
    status = exam_status(session, learner.id, _catalog())
    assert status.passed_checkpoints == ("checkpoint-career",)
    # the credential reads it without a catalog: every module's checkpoint still counts
    assert exam_status(session, learner.id) == status and not status.all_checkpoints_passed


def test_another_persons_attempt_is_a_404_and_unchanged(
    session: Session, learner: User, other_learner: User, admin: User, settings: Settings
) -> None:
    attempt, _ = _start(session, learner, settings)
    for intruder in (other_learner, admin):
        with pytest.raises(NotFound):
            submit_attempt(session=session, user=intruder, attempt_id=attempt.id, answers={})
    session.refresh(attempt)
    assert attempt.submitted_at is None


def test_pages_start_answer_submit_and_explain(
    client: TestClient, session: Session, learner: User
) -> None:
    login(client, learner)
    home = client.get("/exams/")
    assert home.status_code == 200 and "Final exam" in home.text
    token = csrf_from(home.text)
    started = client.post("/exams/checkpoint-career/attempts", data={"csrf_token": token})
    assert started.status_code == 303
    page = client.get(started.headers["location"])
    assert page.status_code == 200 and 'name="a_0"' in page.text
    attempt = session.exec(select(ExamAttempt).where(ExamAttempt.user_id == learner.id)).one()
    assert "explanation" not in page.text and attempt.questions[0]["explanation"] not in page.text
    form: dict[str, Any] = {"csrf_token": token}
    for n, q in enumerate(attempt.questions):
        if q["type"] == "multiple":
            form[f"a_{n}"] = [str(i) for i in q["answer"]]
        elif q["type"] == "single":
            form[f"a_{n}"] = str(q["answer"])
        else:
            form[f"a_{n}"] = str(q["answer"][0] if q["type"] == "text" else q["answer"])
    done = client.post(f"/exams/attempts/{attempt.id}/submit", data=form)
    assert done.status_code == 303
    result = client.get(done.headers["location"])
    assert "Passed" in result.text and attempt.questions[0]["explanation"][:40] in result.text
    session.refresh(attempt)
    assert attempt.passed and attempt.score == attempt.possible


def test_bad_input_gets_a_clear_message_and_changes_nothing(
    client: TestClient, session: Session, learner: User, settings: Settings
) -> None:
    headers = bearer(client, learner)
    started = client.post("/api/v1/exams/final/attempts", headers=headers)
    assert started.status_code == 201
    body = started.json()
    assert "answer" not in body["questions"][0] and "explanation" not in body["questions"][0]
    assert "seed" not in body
    attempt_id = body["id"]
    url = f"/api/v1/exam-attempts/{attempt_id}/submission"
    unknown = client.post(url, json={"answers": {"nope": 1}}, headers=headers)
    assert unknown.status_code == 422 and "nope" in unknown.text
    not_object = client.post(url, json={"answers": [1, 2]}, headers=headers)
    assert not_object.status_code == 400 and "answers" in not_object.text
    assert client.post("/api/v1/exams/no-such-exam/attempts", headers=headers).status_code == 404
    attempt = session.get(ExamAttempt, attempt_id)
    assert attempt is not None and attempt.submitted_at is None
    # the deadline passes (moved back in the record): answers are refused, nothing stored
    attempt.deadline_at = attempt.started_at - timedelta(minutes=5)
    session.add(attempt)
    session.commit()
    late = client.post(url, json={"answers": {}}, headers=headers)
    assert late.status_code == 409 and "Time is up" in late.json()["detail"]
    retake = client.post("/api/v1/exams/final/attempts", headers=headers)
    assert retake.status_code == 409 and "cooling-off" in retake.json()["detail"]
    session.refresh(attempt)
    assert attempt.submitted_at is None and _count(session) == 1


def test_counselor_sees_the_attempts_of_their_cohort_only(
    client: TestClient,
    session: Session,
    learner: User,
    counselor: User,
    other_counselor: User,
    settings: Settings,
) -> None:
    attempt, _ = _start(session, learner, settings, "checkpoint-career")
    submit_attempt(session=session, user=learner, attempt_id=attempt.id, answers=_right(attempt))
    headers = bearer(client, counselor)
    record = client.get(f"/api/v1/learners/{learner.id}/exam-attempts", headers=headers).json()
    assert record["status"]["passed_checkpoints"] == ["checkpoint-career"]
    career = next(e for e in record["exams"] if e["id"] == "checkpoint-career")
    assert career["attempt_records"][0]["passed"] is True
    assert "seed" not in str(record)
    login(client, counselor)
    page = client.get(f"/counsel/learners/{learner.id}/exams")
    assert page.status_code == 200 and "Attempt 1: passed" in page.text
    other = bearer(client, other_counselor)
    assert (
        client.get(f"/api/v1/learners/{learner.id}/exam-attempts", headers=other).status_code == 404
    )
