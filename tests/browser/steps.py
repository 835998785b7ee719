"""Steps several browser journeys share, so each test reads as the part it is about."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from playwright.sync_api import Browser, Page

PASSWORD = "leadworks-demo"  # every demo account's password (leadworks demo seed)


def sign_in_and_start(page: Page, exercise_id: str, email: str = "sam@example.com") -> str:
    """Log in as a demo learner, start a fresh attempt at ``exercise_id``; its run's path."""
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("networkidle")
    page.goto(f"/sandbox/exercises/{exercise_id}")
    page.get_by_role("button", name=re.compile(r"^Start")).first.click()
    page.wait_for_url(re.compile(r"/sandbox/runs/\d+"))
    found = re.search(r"/sandbox/runs/\d+", page.url)
    assert found, page.url
    return found.group(0)


@contextmanager
def page_in_paris(browser: Browser, live_server: Any) -> Iterator[Page]:
    """A page whose browser runs in Europe/Paris: far from every prospect, so the learner's
    own time and the prospect's differ on every page that shows both. Dialogs accepted."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        timezone_id="Europe/Paris",
        locale="en-US",
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    try:
        yield page
    finally:
        context.close()
