from fastapi.testclient import TestClient

from leadworks.accounts.models import User
from tests.conftest import login


def test_health_says_ok_when_the_database_answers(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_learner_can_log_in_and_sees_learner_navigation(client: TestClient, learner: User) -> None:
    login(client, learner)
    page = client.get("/")
    assert page.status_code == 200
    assert "Practice" in page.text and "Lena Learner" in page.text
    assert "/admin/cohorts" not in page.text
