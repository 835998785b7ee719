"""Accounts in Chromium: a learner changes their password, a staff member must replace the
temporary password an admin gave them, and a forgotten password is reset through the
link that lands in the development outbox."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.browser.outbox import DEMO_PASSWORD, emailed_link

pytestmark = pytest.mark.browser
FIRST = "first-long-passphrase"


def _new_user(live_server, role: str = "learner") -> str:
    email = f"{role}-{uuid.uuid4().hex[:8]}@example.org"
    live_server.cli(
        "users", "create", "--email", email, "--name", "Browser Person", "--role", role,
        "--password", FIRST,
    )  # fmt: skip
    return email


def _log_in(page, email: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def _choose_password(page, current: str, new: str) -> None:
    page.get_by_label("Current password").fill(current)
    page.get_by_label("New password", exact=True).fill(new)
    page.get_by_label("New password again").fill(new)
    page.get_by_role("button", name="Change password").click()


def test_a_learner_changes_their_password(page, browser, live_server) -> None:
    email = _new_user(live_server)
    _log_in(page, email, FIRST)
    page.wait_for_url(re.compile(r"/$"))
    page.get_by_role("link", name=re.compile("Browser Person")).click()  # the header's name
    page.wait_for_url("**/account")
    page.get_by_role("link", name="Change password").click()
    _choose_password(page, "not-my-password", "second-long-passphrase")
    assert "current password is not right" in page.get_by_role("alert").inner_text()
    _choose_password(page, FIRST, "second-long-passphrase")
    page.wait_for_url("**/account")
    assert page.get_by_text("Your password is changed").is_visible()

    page.get_by_role("button", name="Log out").click()
    _log_in(page, email, FIRST)
    assert "do not match" in page.get_by_role("alert").inner_text()
    _log_in(page, email, "second-long-passphrase")
    page.wait_for_url(re.compile(r"/$"))


def test_a_temporary_password_is_replaced_at_first_login(page, browser, live_server) -> None:
    email = f"coach-{uuid.uuid4().hex[:8]}@example.org"
    _log_in(page, "admin@example.com", DEMO_PASSWORD)
    page.wait_for_url(re.compile(r"/$"))
    page.goto("/admin/users")
    page.get_by_label("Name").fill("Temporary Coach")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Temporary password").fill("handed-over-pass")
    page.get_by_role("button", name="Create account").click()
    page.get_by_text("they choose their own password at first login").wait_for()

    coach = browser.new_context(base_url=live_server.url)
    try:
        newcomer = coach.new_page()
        _log_in(newcomer, email, "handed-over-pass")
        newcomer.wait_for_url("**/account/password")
        assert newcomer.get_by_role("heading", name="Choose your own password").is_visible()
        newcomer.goto("/counsel/")  # nothing else opens until the password is changed
        newcomer.wait_for_url("**/account/password")
        _choose_password(newcomer, "handed-over-pass", "my-own-coach-passphrase")
        newcomer.wait_for_url(re.compile(r"/$"))
        newcomer.goto("/counsel/")
        assert newcomer.get_by_role("heading", level=1).is_visible()
        assert "/account/password" not in newcomer.url
    finally:
        coach.close()


def test_a_forgotten_password_is_reset_through_the_outbox_link(page, browser, live_server) -> None:
    email = _new_user(live_server)
    page.goto("/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Email me a link").click()
    assert page.get_by_role("heading", name="Check your inbox").is_visible()

    link = emailed_link(browser, live_server.url, email, "/password/reset")
    page.goto(link)
    page.get_by_label("New password", exact=True).fill("reset-long-passphrase")
    page.get_by_label("New password again").fill("reset-long-passphrase")
    page.get_by_role("button", name="Set new password").click()
    page.wait_for_url("**/login")
    assert page.get_by_text("Your password is changed").is_visible()
    _log_in(page, email, "reset-long-passphrase")
    page.wait_for_url(re.compile(r"/$"))

    page.goto(link)  # the link works once
    page.get_by_label("New password", exact=True).fill("another-long-passphrase")
    page.get_by_label("New password again").fill("another-long-passphrase")
    page.get_by_role("button", name="Set new password").click()
    assert "expired or was already used" in page.get_by_role("alert").inner_text()


def test_error_pages_keep_the_signed_in_header(page, live_server) -> None:
    email = _new_user(live_server)
    _log_in(page, email, FIRST)
    page.wait_for_url(re.compile(r"/$"))
    page.goto("/me/progress")
    page.goto("/sandbox/runs/2147483647")
    assert page.get_by_role("button", name="Log out").is_visible()
    page.get_by_role("link", name="Go back").click()
    page.wait_for_url("**/me/progress")
