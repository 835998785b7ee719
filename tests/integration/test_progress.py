"""The course site's progress calls and the learner's progress and profile pages."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from leadworks.accounts.models import User
from leadworks.progress.models import LearnerProfile, QuizAttempt
from tests.conftest import login, project_content


def _lesson():
    return project_content().catalog.lessons()[0]


def _right_answers(quiz: dict) -> dict:
    answers = {}
    for question in quiz["questions"]:
        answer = question["answer"]
        answers[question["id"]] = answer[0] if question["type"] == "text" else answer
    return answers


def test_session_endpoint_tells_the_widget_who_is_reading(
    client: TestClient, learner: User
) -> None:
    assert client.get("/learn/session").json() == {"authenticated": False}
    token = login(client, learner)
    body = client.get("/learn/session").json()
    assert body["authenticated"] and body["name"] == learner.name and body["csrf_token"] == token


def test_mark_complete_is_recorded_once(client: TestClient, learner: User) -> None:
    token = login(client, learner)
    lesson = _lesson()
    assert client.get(f"/learn/lessons/{lesson.id}").json()["completed"] is False
    first = client.post(
        f"/learn/lessons/{lesson.id}/complete", json={}, headers={"X-CSRF-Token": token}
    ).json()
    again = client.post(
        f"/learn/lessons/{lesson.id}/complete", json={}, headers={"X-CSRF-Token": token}
    ).json()
    assert first["completed"] and first["completed_at"] == again["completed_at"]


def test_quiz_is_graded_by_the_server_and_every_attempt_kept(
    client: TestClient, learner: User, session: Session
) -> None:
    token = login(client, learner)
    lesson = _lesson()
    quiz = project_content().catalog.quiz(lesson.id)
    wrong = client.post(
        f"/learn/lessons/{lesson.id}/quiz", json={"answers": {}}, headers={"X-CSRF-Token": token}
    )
    assert wrong.status_code == 200 and wrong.json()["score"] == 0 and wrong.json()["recorded"]
    right = client.post(
        f"/learn/lessons/{lesson.id}/quiz",
        json={"answers": _right_answers(quiz)},
        headers={"X-CSRF-Token": token},
    ).json()
    assert right["score"] == right["possible"] > 0
    status = client.get(f"/learn/lessons/{lesson.id}").json()["quiz"]
    assert status == {"score": right["score"], "possible": right["possible"], "attempts": 2}
    count = session.exec(
        select(func.count()).select_from(QuizAttempt).where(QuizAttempt.user_id == learner.id)
    ).one()
    assert count == 2


def test_progress_calls_refuse_bad_input_clearly(client: TestClient, learner: User) -> None:
    token = login(client, learner)
    headers = {"X-CSRF-Token": token}
    assert client.post(f"/learn/lessons/{_lesson().id}/complete", json={}).status_code == 403
    unknown = client.post("/learn/lessons/no-such-lesson/complete", json={}, headers=headers)
    assert unknown.status_code == 404 and "no lesson" in unknown.json()["detail"]
    not_object = client.post(
        f"/learn/lessons/{_lesson().id}/quiz", json={"answers": [1, 2]}, headers=headers
    )
    assert not_object.status_code == 400 and not_object.json()["field"] == "answers"


def test_anonymous_progress_calls_get_401_not_a_redirect(client: TestClient) -> None:
    response = client.get(f"/learn/lessons/{_lesson().id}")
    assert response.status_code == 401


def test_my_progress_page_lists_every_module_and_the_work_done(
    client: TestClient, learner: User
) -> None:
    token = login(client, learner)
    lesson = _lesson()
    client.post(f"/learn/lessons/{lesson.id}/complete", json={}, headers={"X-CSRF-Token": token})
    page = client.get("/me/progress").text
    total = len(project_content().catalog.lessons())
    assert f"1 of {total} lessons complete" in page
    for module in project_content().catalog.modules():
        assert module.title in page


def test_profile_is_saved_and_bad_ratings_are_refused(
    client: TestClient, learner: User, session: Session
) -> None:
    token = login(client, learner)
    saved = client.post(
        "/me/profile",
        data={
            "csrf_token": token,
            "skill_research": "4",
            "skill_communication": "2",
            "target_industries": ["saas", "real_estate"],
            "planned_certifications": "hubspot",
            "goal": "An SDR job by spring",
        },
    )
    assert saved.status_code == 303
    profile = session.get(LearnerProfile, learner.id)
    assert profile.skills == {"research": 4, "communication": 2}
    assert profile.target_industries == ["saas", "real_estate"]
    bad = client.post("/me/profile", data={"csrf_token": token, "skill_research": "9"})
    assert bad.status_code == 400 and "1 to 5" in bad.text
    session.refresh(profile)
    assert profile.skills["research"] == 4
