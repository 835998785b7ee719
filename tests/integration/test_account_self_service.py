"""The account page, changing a password, admin-issued temporary passwords that must be
changed at first login, and "forgot password" through a single-use, expiring link."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from leadworks.accounts.models import AccountLink, LinkPurpose, User
from leadworks.app import SESSION_COOKIE
from leadworks.core.security import token_digest, verify_password
from tests.conftest import PASSWORD, bearer, csrf_from, login
from tests.support.mailbox import last_mail, local_link, mails_to

NEW = "a-brand-new-passphrase"


def _change(
    client: TestClient, token: str, current: str, new: str = NEW, confirm: str | None = None
):
    data = {
        "current_password": current,
        "new_password": new,
        "confirm_password": new if confirm is None else confirm,
        "csrf_token": token,
    }
    return client.post("/account/password", data=data)


def test_account_page_shows_and_renames(
    client: TestClient, session: Session, learner: User
) -> None:
    token = login(client, learner)
    page = client.get("/account")
    assert page.status_code == 200 and learner.email in page.text
    assert 'href="/account"' in client.get("/").text  # the header links to it
    assert (
        client.post("/account/name", data={"name": "Lena L.", "csrf_token": token}).status_code
        == 303
    )
    session.refresh(learner)
    assert learner.name == "Lena L."
    blank = client.post("/account/name", data={"name": "   ", "csrf_token": token})
    assert blank.status_code == 400 and "Name is required" in blank.text
    session.refresh(learner)
    assert learner.name == "Lena L."


def test_changing_the_password_needs_the_current_one_and_ends_other_sessions(
    app, session: Session, learner: User
) -> None:
    with (
        TestClient(app, follow_redirects=False) as here,
        TestClient(app, follow_redirects=False) as elsewhere,
    ):
        token = login(here, learner)
        login(elsewhere, learner)
        api_headers = bearer(elsewhere, learner)
        old_hash = learner.password_hash

        wrong = _change(here, token, "not-my-password")
        assert wrong.status_code == 400 and "current password is not right" in wrong.text
        differ = _change(here, token, PASSWORD, confirm="something-else-entirely")
        assert differ.status_code == 400 and "differ" in differ.text
        weak = _change(here, token, PASSWORD, new="short")
        assert weak.status_code == 400 and "at least 10 characters" in weak.text
        session.refresh(learner)
        assert learner.password_hash == old_hash  # nothing written on a refusal

        changed = _change(here, token, PASSWORD)
        assert changed.status_code == 303
        assert here.get("/me/progress").status_code == 200  # this browser stays signed in
        assert elsewhere.get("/me/progress").status_code == 303  # every other session ended
        assert elsewhere.get("/api/v1/me", headers=api_headers).status_code == 401
        session.refresh(learner)
        assert verify_password(NEW, learner.password_hash)


def test_guessing_the_current_password_is_throttled(client: TestClient, learner: User) -> None:
    token = login(client, learner)
    for _ in range(5):
        assert _change(client, token, "guess-guess-guess").status_code == 400
    refused = _change(client, token, PASSWORD)
    assert refused.status_code == 429 and refused.headers["Retry-After"].isdigit()


def test_a_temporary_password_must_be_changed_at_first_login(
    client: TestClient, session: Session, admin: User
) -> None:
    token = login(client, admin)
    created = client.post(
        "/admin/users",
        data={"name": "New Coach", "email": "coach@example.org", "password": "temporary-pass-1",
              "role": "counselor", "csrf_token": token},
    )  # fmt: skip
    assert created.status_code == 303
    coach = session.exec(select(User).where(User.email == "coach@example.org")).one()
    assert coach.must_change_password

    with TestClient(client.app, follow_redirects=False) as newcomer:
        csrf = csrf_from(newcomer.get("/login").text)
        response = newcomer.post(
            "/login",
            data={"email": coach.email, "password": "temporary-pass-1", "csrf_token": csrf},
        )
        assert response.headers["location"] == "/account/password"
        for path in ("/", "/counsel/", "/account", "/me/progress"):
            bounced = newcomer.get(path)
            assert bounced.status_code == 303 and bounced.headers["location"] == "/account/password"
        assert newcomer.get("/learn/session").status_code == 403
        refused = newcomer.post(
            "/api/v1/auth/token", data={"username": coach.email, "password": "temporary-pass-1"}
        )
        assert refused.status_code == 403 and "administrator" in refused.json()["detail"]
        page = newcomer.get("/account/password")
        assert "Choose your own password" in page.text
        assert _change(newcomer, csrf_from(page.text), "temporary-pass-1").status_code == 303
        assert newcomer.get("/counsel/").status_code == 200
    session.refresh(coach)
    assert not coach.must_change_password


def test_admin_issues_a_temporary_password_shown_once(
    app, session: Session, admin: User, learner: User
) -> None:
    with (
        TestClient(app, follow_redirects=False) as admin_browser,
        TestClient(app, follow_redirects=False) as learner_browser,
    ):
        login(learner_browser, learner)
        token = login(admin_browser, admin)
        page = admin_browser.post(
            f"/admin/users/{learner.id}/temporary-password", data={"csrf_token": token}
        )
        assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
        temporary = re.search(r'class="temporary-password">([^<]+)<', page.text).group(1)
        assert temporary not in admin_browser.cookies.get(SESSION_COOKIE, "")
        assert learner_browser.get("/me/progress").status_code == 303  # their sessions ended
        csrf = csrf_from(learner_browser.get("/login").text)
        response = learner_browser.post(
            "/login", data={"email": learner.email, "password": temporary, "csrf_token": csrf}
        )
        assert response.headers["location"] == "/account/password"


# ---- forgot password ----------------------------------------------------------------------


def _forgot(client: TestClient, email: str):
    token = csrf_from(client.get("/password/forgot").text)
    return client.post("/password/forgot", data={"email": email, "csrf_token": token})


def _reset(client: TestClient, path: str, new: str = NEW, confirm: str | None = None):
    page = client.get(path)
    token = re.search(r'name="token" value="([^"]*)"', page.text).group(1)
    data = {
        "token": token,
        "new_password": new,
        "confirm_password": new if confirm is None else confirm,
        "csrf_token": csrf_from(page.text),
    }
    return client.post("/password/reset", data=data)


def test_forgot_password_resets_through_a_single_use_link(
    app, client: TestClient, session: Session, learner: User
) -> None:
    with TestClient(app, follow_redirects=False) as other_device:
        login(other_device, learner)
        api_headers = bearer(other_device, learner)
        asked = _forgot(client, learner.email.upper())
        assert asked.status_code == 200 and "Check your inbox" in asked.text
        mail = last_mail(session, learner.email)
        path = local_link(mail.body, "/password/reset")
        token = path.split("token=", 1)[1]
        link = session.exec(select(AccountLink).where(AccountLink.email == learner.email)).one()
        assert link.token_hash == token_digest(token) and token not in link.token_hash

        mismatch = _reset(client, path, confirm="not-the-same-password")
        assert mismatch.status_code == 400  # a typo does not spend the link
        done = _reset(client, path)
        assert done.status_code == 303 and done.headers["location"] == "/login"
        assert other_device.get("/me/progress").status_code == 303
        assert other_device.get("/api/v1/me", headers=api_headers).status_code == 401
        again = _reset(client, path, new="yet-another-passphrase")
        assert again.status_code == 400 and "expired or was already used" in again.text
    login(client, learner, NEW)


def test_a_reset_link_expires(client: TestClient, session: Session, learner: User) -> None:
    _forgot(client, learner.email)
    path = local_link(last_mail(session, learner.email).body, "/password/reset")
    link = session.exec(select(AccountLink).where(AccountLink.email == learner.email)).one()
    link.expires_at = link.created_at - timedelta(seconds=1)
    session.add(link)
    session.commit()
    assert _reset(client, path).status_code == 400
    session.refresh(learner)
    assert verify_password(PASSWORD, learner.password_hash)


def test_forgot_password_reveals_nothing_about_which_emails_exist(
    client: TestClient, session: Session, learner: User
) -> None:
    known = _forgot(client, learner.email)
    unknown = _forgot(client, "nobody-here@example.org")
    assert known.status_code == unknown.status_code == 200
    scrub = lambda r, e: r.text.replace(e, "X")  # noqa: E731
    assert scrub(known, learner.email) == scrub(unknown, "nobody-here@example.org")
    note = last_mail(session, "nobody-here@example.org")
    assert "no account uses it" in note.body and "/password/reset" not in note.body
    assert (
        session.exec(
            select(AccountLink).where(AccountLink.email == "nobody-here@example.org")
        ).first()
        is None
    )


def test_requested_emails_are_limited_per_network_address(
    client: TestClient, session: Session, settings
) -> None:
    """One address asking for mail to many inboxes (each under its own limit) is stopped at
    ``mail_max_per_address``: the platform cannot be used to send mail in bulk."""
    inboxes = [f"someone-{i}@example.org" for i in range(settings.mail_max_per_address + 1)]
    assert settings.mail_max_per_address < settings.mail_max_per_recipient * len(inboxes)
    for email in inboxes[:-1]:
        assert _forgot(client, email).status_code == 200, email
    refused = _forgot(client, inboxes[-1])
    assert refused.status_code == 429 and refused.headers["Retry-After"].isdigit()
    assert "network address" in refused.text
    assert mails_to(session, inboxes[-1]) == []
    assert all(len(mails_to(session, email)) == 1 for email in inboxes[:-1])


def test_forgot_password_is_rate_limited_and_refuses_bad_input(
    client: TestClient, session: Session, learner: User, settings
) -> None:
    for _ in range(settings.mail_max_per_recipient):
        assert _forgot(client, learner.email).status_code == 200
    refused = _forgot(client, learner.email)
    assert refused.status_code == 429 and refused.headers["Retry-After"].isdigit()
    assert len(mails_to(session, learner.email)) == settings.mail_max_per_recipient
    links = session.exec(select(AccountLink).where(AccountLink.purpose == LinkPurpose.reset))
    assert len(links.all()) == settings.mail_max_per_recipient
    assert _forgot(client, "not-an-email").status_code == 400
    assert _forgot(client, "a\x00b@example.org").status_code == 400
    assert _forgot(client, "x" * 400 + "@example.org").status_code == 400
