"""Registration, login, sessions, CSRF and the token endpoint, including every bad input."""

import base64
import json
import time
from unittest import mock

import itsdangerous
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from leadworks.accounts.models import User
from leadworks.app import SESSION_COOKIE
from leadworks.cohorts.models import Cohort, Invite, Membership
from leadworks.cohorts.service import create_invite
from tests.conftest import PASSWORD, TEST_SECRET, bearer, csrf_from, login


def _user_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(User)).one()


def _register(client: TestClient, **fields: str):
    token = csrf_from(client.get("/register").text)
    data = {
        "invite_code": "",
        "name": "New Person",
        "email": "new@example.org",
        "password": "a-strong-passphrase",
        "csrf_token": token,
    } | fields
    return client.post("/register", data=data)


def test_register_with_invite_creates_learner_in_cohort(
    client: TestClient, session: Session, cohort: Cohort
) -> None:
    invite = create_invite(session=session, cohort=cohort, code="JOINME22")
    response = _register(client, invite_code="joinme22")
    assert response.status_code == 303
    user = session.exec(select(User).where(User.email == "new@example.org")).one()
    assert user.role.value == "learner"
    assert (
        session.exec(select(Membership).where(Membership.user_id == user.id)).one().cohort_id
        == cohort.id
    )
    session.refresh(invite)
    assert invite.uses == 1
    assert "New Person" in client.get("/").text  # logged in straight away


def test_unknown_invite_code_is_refused_and_writes_nothing(
    client: TestClient, session: Session
) -> None:
    before = _user_count(session)
    response = _register(client, invite_code="NOPE1234")
    assert response.status_code == 400
    assert "invite code is not valid" in response.text
    assert _user_count(session) == before


def test_expired_and_used_up_invites_say_so(
    client: TestClient, session: Session, cohort: Cohort
) -> None:
    used = create_invite(session=session, cohort=cohort, code="USEDUP22", max_uses=1)
    used.uses = 1
    session.add(used)
    session.commit()
    assert "used up" in _register(client, invite_code="USEDUP22").text
    expired = create_invite(session=session, cohort=cohort, code="OLDCODE2")
    expired.expires_at = expired.created_at.replace(year=2000)
    session.add(expired)
    session.commit()
    assert "expired" in _register(client, invite_code="OLDCODE2").text


def test_duplicate_email_is_refused(
    client: TestClient, session: Session, cohort: Cohort, learner: User
) -> None:
    create_invite(session=session, cohort=cohort, code="DUPLIC22")
    before = _user_count(session)
    response = _register(client, invite_code="DUPLIC22", email=learner.email.upper())
    assert response.status_code == 409
    assert "already exists" in response.text
    assert _user_count(session) == before
    invite = session.exec(select(Invite).where(Invite.code == "DUPLIC22")).one()
    assert invite.uses == 0


def test_weak_password_says_why(client: TestClient, session: Session, cohort: Cohort) -> None:
    create_invite(session=session, cohort=cohort, code="WEAKPW22")
    response = _register(client, invite_code="WEAKPW22", password="short")
    assert response.status_code == 400
    assert "at least 10 characters" in response.text
    assert "new@example.org" in response.text  # the form keeps what was typed


def test_wrong_password_is_refused_without_saying_which_part(
    client: TestClient, learner: User
) -> None:
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login", data={"email": learner.email, "password": "wrong-password", "csrf_token": token}
    )
    assert response.status_code == 400
    assert "do not match an account" in response.text
    assert client.get("/admin/cohorts").status_code == 303  # still anonymous


def test_login_is_rate_limited_per_account(client: TestClient, learner: User) -> None:
    token = csrf_from(client.get("/login").text)
    for _ in range(5):
        client.post(
            "/login", data={"email": learner.email, "password": "bad-password", "csrf_token": token}
        )
    response = client.post(
        "/login", data={"email": learner.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 429
    assert "Too many failed logins for this account" in response.text


def test_login_is_rate_limited_per_address(client: TestClient, learner: User) -> None:
    for n in range(20):
        client.post(
            "/api/v1/auth/token", data={"username": f"nobody{n}@example.org", "password": "x"}
        )
    response = client.post(
        "/api/v1/auth/token", data={"username": learner.email, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "network address" in response.json()["detail"]
    assert response.headers["Retry-After"].isdigit()


def test_missing_csrf_token_is_refused(client: TestClient, admin: User, session: Session) -> None:
    login(client, admin)
    before = session.exec(select(func.count()).select_from(Cohort)).one()
    response = client.post("/admin/cohorts", data={"name": "Sneaky"})
    assert response.status_code == 403
    assert "missing its security token" in response.text
    assert session.exec(select(func.count()).select_from(Cohort)).one() == before


def test_logout_requires_csrf_and_ends_the_session(client: TestClient, learner: User) -> None:
    token = login(client, learner)
    assert client.post("/logout").status_code == 403
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    assert client.get("/me/progress").status_code == 303  # logged out: back to the login form
    assert "Lena Learner" not in client.get("/").text


def _old_session_cookie(payload: dict, age_seconds: int) -> str:
    signer = itsdangerous.TimestampSigner(TEST_SECRET)
    data = base64.b64encode(json.dumps(payload).encode())
    with mock.patch("itsdangerous.timed.time.time", return_value=time.time() - age_seconds):
        return signer.sign(data).decode()


def test_expired_session_sends_people_back_to_login(client: TestClient, admin: User) -> None:
    client.cookies.set(
        SESSION_COOKIE, _old_session_cookie({"uid": admin.id, "csrf": "abc"}, 9 * 3600)
    )
    page = client.get("/admin/cohorts")
    assert page.status_code == 303
    assert page.headers["location"].startswith("/login?next=/admin/cohorts")
    post = client.post("/admin/cohorts", data={"name": "Late", "csrf_token": "abc"})
    assert post.status_code == 403
    assert "expired" in post.text


def test_a_fresh_session_cookie_is_accepted(client: TestClient, admin: User) -> None:
    client.cookies.set(SESSION_COOKIE, _old_session_cookie({"uid": admin.id, "csrf": "abc"}, 60))
    assert client.get("/admin/cohorts").status_code == 200


def test_session_cookie_is_httponly_and_samesite_lax(client: TestClient, learner: User) -> None:
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login", data={"email": learner.email, "password": PASSWORD, "csrf_token": token}
    )
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_login_redirects_only_to_local_paths(client: TestClient, learner: User) -> None:
    token = csrf_from(client.get("/login").text)
    data = {
        "email": learner.email,
        "password": PASSWORD,
        "csrf_token": token,
        "next": "https://evil.example/",
    }
    assert client.post("/login", data=data).headers["location"] == "/"


def test_token_endpoint_and_me(client: TestClient, counselor: User) -> None:
    headers = bearer(client, counselor)
    me = client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200
    assert me.json()["email"] == counselor.email and me.json()["role"] == "counselor"
    assert "password_hash" not in me.json()


def test_bad_tokens_get_401_with_a_message(client: TestClient) -> None:
    assert client.get("/api/v1/me").json()["detail"].startswith("Send a bearer token")
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer forged"})
    assert response.status_code == 401
    assert "invalid or has expired" in response.json()["detail"]


def test_malformed_json_gets_a_clear_422(client: TestClient, admin: User, session: Session) -> None:
    headers = bearer(client, admin) | {"content-type": "application/json"}
    before = session.exec(select(func.count()).select_from(Cohort)).one()
    response = client.post("/api/v1/cohorts", content=b"{not json", headers=headers)
    assert response.status_code == 422
    assert "JSON" in response.json()["detail"]
    response = client.post("/api/v1/cohorts", json={"name": ""}, headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"
    assert session.exec(select(func.count()).select_from(Cohort)).one() == before


def test_no_stack_trace_reaches_a_page(client: TestClient, app, learner: User) -> None:
    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    with TestClient(app, raise_server_exceptions=False) as quiet:
        response = quiet.get("/boom")
    assert response.status_code == 500
    assert "secret internals" not in response.text and "Traceback" not in response.text
    assert "reference" in response.text
