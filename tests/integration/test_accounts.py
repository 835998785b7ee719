"""Registration, login, sessions, CSRF and the token endpoint, including every bad input."""

import base64
import json
import re
import time
from datetime import timedelta
from unittest import mock

import itsdangerous
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from leadworks.accounts.models import AccountLink, User
from leadworks.app import SESSION_COOKIE
from leadworks.cohorts.models import Cohort, Invite, Membership
from leadworks.cohorts.service import create_invite
from tests.conftest import PASSWORD, TEST_SECRET, bearer, csrf_from, login
from tests.support.mailbox import last_mail, local_link, mails_to


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


def _confirm(client: TestClient, path: str):
    page = client.get(path)
    assert page.status_code == 200, page.text
    token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
    return client.post(
        "/register/confirm", data={"token": token, "csrf_token": csrf_from(page.text)}
    )


def test_register_with_invite_creates_learner_in_cohort_after_the_email_link(
    client: TestClient, session: Session, cohort: Cohort
) -> None:
    invite = create_invite(session=session, cohort=cohort, code="JOINME22")
    response = _register(client, invite_code="joinme22")
    assert response.status_code == 200
    assert "Check your inbox" in response.text
    assert session.exec(select(User).where(User.email == "new@example.org")).first() is None
    mail = last_mail(session, "new@example.org")
    assert mail.subject.startswith("Finish creating")
    response = _confirm(client, local_link(mail.body, "/register/confirm"))
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
    again = _confirm_post(client, local_link(mail.body, "/register/confirm"))
    assert again.status_code == 400 and "expired or was already used" in again.text
    assert _user_count_for(session, "new@example.org") == 1


def _confirm_post(client: TestClient, path: str):
    token = path.split("token=", 1)[1]
    csrf = csrf_from(client.get("/register").text)
    return client.post("/register/confirm", data={"token": token, "csrf_token": csrf})


def _user_count_for(session: Session, email: str) -> int:
    query = select(func.count()).select_from(User).where(User.email == email)
    return session.exec(query).one()


def test_registration_answers_the_same_for_an_existing_email(
    client: TestClient, session: Session, cohort: Cohort, learner: User
) -> None:
    """Nobody learns from /register whether an email has an account: the same page, the
    same status; only the owner's inbox hears that they already have one."""
    create_invite(session=session, cohort=cohort, code="SAMEANS2")
    before = _user_count(session)
    fresh = _register(client, invite_code="SAMEANS2", email="fresh@example.org")
    known = _register(client, invite_code="SAMEANS2", email=learner.email.upper())
    assert fresh.status_code == known.status_code == 200
    scrub = lambda text: text.replace("fresh@example.org", "X").replace(learner.email, "X")  # noqa: E731
    assert scrub(fresh.text) == scrub(known.text)
    assert _user_count(session) == before
    note = last_mail(session, learner.email)
    assert "already uses it" in note.body and "/register/confirm" not in note.body
    assert "/login" in note.body and "/password/forgot" in note.body
    invite = session.exec(select(Invite).where(Invite.code == "SAMEANS2")).one()
    assert invite.uses == 0


def test_registration_is_rate_limited_per_recipient(
    client: TestClient, session: Session, cohort: Cohort, settings
) -> None:
    create_invite(session=session, cohort=cohort, code="FLOOD222")
    for _ in range(settings.mail_max_per_recipient):
        assert (
            _register(client, invite_code="FLOOD222", email="flood@example.org").status_code == 200
        )
    refused = _register(client, invite_code="FLOOD222", email="flood@example.org")
    assert refused.status_code == 429
    assert refused.headers["Retry-After"].isdigit()
    assert len(mails_to(session, "flood@example.org")) == settings.mail_max_per_recipient


def test_a_signup_link_cannot_be_forged_or_reused_after_expiry(
    client: TestClient, session: Session, cohort: Cohort
) -> None:
    create_invite(session=session, cohort=cohort, code="EXPIRE22")
    _register(client, invite_code="EXPIRE22", email="late@example.org")
    path = local_link(last_mail(session, "late@example.org").body, "/register/confirm")
    assert client.get("/register/confirm?token=forged").status_code == 400
    link = session.exec(select(AccountLink).where(AccountLink.email == "late@example.org")).one()
    link.expires_at = link.created_at - timedelta(seconds=1)
    session.add(link)
    session.commit()
    assert client.get(path).status_code == 400
    assert _confirm_post(client, path).status_code == 400
    assert _user_count_for(session, "late@example.org") == 0


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


def test_login_is_rate_limited_per_account_and_address(client: TestClient, learner: User) -> None:
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
    assert response.headers["Retry-After"].isdigit()


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


def test_a_cookie_captured_before_logout_no_longer_works(app, learner: User) -> None:
    with (
        TestClient(app, follow_redirects=False) as browser,
        TestClient(app, follow_redirects=False) as thief,
    ):
        token = login(browser, learner)
        captured = browser.cookies[SESSION_COOKIE]
        thief.cookies.set(SESSION_COOKIE, captured)
        assert thief.get("/me/progress").status_code == 200  # a copied cookie works...
        assert browser.post("/logout", data={"csrf_token": token}).status_code == 303
        assert thief.get("/me/progress").status_code == 303  # ...until its owner logs out
        assert "Lena Learner" not in thief.get("/").text


def test_logout_ends_the_sessions_on_every_device(app, learner: User) -> None:
    with (
        TestClient(app, follow_redirects=False) as laptop,
        TestClient(app, follow_redirects=False) as phone,
    ):
        token = login(laptop, learner)
        login(phone, learner)
        laptop.post("/logout", data={"csrf_token": token})
        assert phone.get("/me/progress").status_code == 303


def _old_session_cookie(payload: dict, age_seconds: int) -> str:
    signer = itsdangerous.TimestampSigner(TEST_SECRET)
    data = base64.b64encode(json.dumps(payload).encode())
    with mock.patch("itsdangerous.timed.time.time", return_value=time.time() - age_seconds):
        return signer.sign(data).decode()


def test_expired_session_sends_people_back_to_login(client: TestClient, admin: User) -> None:
    client.cookies.set(
        SESSION_COOKIE, _old_session_cookie({"uid": admin.id, "ver": 0, "csrf": "abc"}, 9 * 3600)
    )
    page = client.get("/admin/cohorts")
    assert page.status_code == 303
    assert page.headers["location"].startswith("/login?next=/admin/cohorts")
    post = client.post("/admin/cohorts", data={"name": "Late", "csrf_token": "abc"})
    assert post.status_code == 403
    assert "expired" in post.text


def test_a_fresh_session_cookie_is_accepted(client: TestClient, admin: User) -> None:
    cookie = {"uid": admin.id, "ver": admin.session_version, "csrf": "abc"}
    client.cookies.set(SESSION_COOKIE, _old_session_cookie(cookie, 60))
    assert client.get("/admin/cohorts").status_code == 200


def test_a_cookie_of_another_session_version_is_refused(client: TestClient, admin: User) -> None:
    """A signed cookie from before a logout (or with no version at all) logs nobody in."""
    for payload in ({"uid": admin.id, "csrf": "abc"}, {"uid": admin.id, "ver": 7, "csrf": "abc"}):
        client.cookies.set(SESSION_COOKIE, _old_session_cookie(payload, 60))
        assert client.get("/admin/cohorts").status_code == 303


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
