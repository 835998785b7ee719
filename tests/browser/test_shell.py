"""A newcomer logs in as each demo account and sees the navigation for their role."""

from __future__ import annotations

import pytest

DEMO_PASSWORD = "leadworks-demo"


def log_in(page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")


@pytest.mark.parametrize(
    ("email", "links", "hidden"),
    [
        ("learner@example.com", ["Practice", "My progress"], ["Users"]),
        ("counselor@example.com", ["Cohorts"], ["Users", "My progress"]),
        ("admin@example.com", ["Cohorts", "Users", "Counsel"], ["My progress"]),
    ],
)
def test_demo_accounts_see_their_navigation(
    page, email: str, links: list[str], hidden: list[str]
) -> None:
    log_in(page, email)
    nav = page.get_by_role("navigation", name="Main")
    for link in links:
        assert nav.get_by_role("link", name=link, exact=True).is_visible()
    for link in hidden:
        assert nav.get_by_role("link", name=link, exact=True).count() == 0


def test_admin_creates_a_cohort_and_an_invite_in_the_browser(page) -> None:
    log_in(page, "admin@example.com")
    page.goto("/admin/cohorts")
    page.get_by_label("Name").fill("Browser cohort")
    page.get_by_role("button", name="Create cohort").click()
    page.get_by_text("Cohort 'Browser cohort' created").wait_for()
    page.get_by_role("button", name="Create invite code").click()
    assert page.get_by_text("Invite code").first.is_visible()
    assert page.locator("table code").first.inner_text().strip()


def test_wrong_password_shows_a_message(page) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill("learner@example.com")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_role("alert").inner_text().startswith("That email and password do not match")
