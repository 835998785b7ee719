"""Accessibility (issue #15, item 8): axe-core on every page type, run in the browser.

axe-core comes with axe-playwright-python (served from the package, no network). A page
passes with no violation of impact "serious" or "critical"; every page is checked before
the assertion, so one failure lists all of them.

Which pages: every HTML page route of the app (``page_types``: the routes themselves, minus
the justified ``NOT_PAGES``), once for each role that may open it, plus the error page, the
course site's page kinds (home, module, lessons with and without their quiz answered, the
glossary, its 404) and its search dialog open with results. One browser context per role,
one tab reused for all its pages. The coverage guard fails when a page route is added that
the browser did not open with 200.
"""

from __future__ import annotations

import string

from axe_playwright_python.sync_playwright import Axe
from fastapi import FastAPI
from playwright.sync_api import Page

from tests.browser.conftest import LiveServer
from tests.browser.page_types import (
    EXTRA_VISITS,
    NOT_PAGES,
    PAGE_LEARNER,
    PLACEHOLDERS,
    ROLES,
    html_get_routes,
    page_records,
    page_types,
)

PASSWORD = "leadworks-demo"
SERIOUS = {"serious", "critical"}
SIGN_IN = {
    "learner": PAGE_LEARNER,
    "counselor": "counselor@example.com",
    "admin": "admin@example.com",
}
#: the course site's page kinds: home, a module, a lesson with a quiz, another lesson,
#: the glossary and the not-found page
COURSE = (
    "/course/",
    "/course/06-outreach/",
    "/course/06-outreach/cold-email/",
    "/course/08-qualification/",
    "/course/01-career/career-paths/",
    "/course/glossary/",
    "/course/404.html",
)
QUIZ_LESSON = "/course/06-outreach/cold-email/"


def _serious(axe: Axe, page: Page) -> list[str]:
    results = axe.run(page)
    return [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes: "
        f"{v['nodes'][0]['target'] if v['nodes'] else ''})"
        for v in results.response["violations"]
        if v.get("impact") in SERIOUS
    ]


def _log_in(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("networkidle")


def _course_states(axe: Axe, page: Page, found: dict[str, list[str]], role: str) -> None:
    """The course pages, the quiz answered and the search dialog open with results."""
    for path in COURSE:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        if bad := _serious(axe, page):
            found[f"{role} {path}"] = bad
    page.goto(QUIZ_LESSON)
    page.wait_for_load_state("networkidle")
    quiz = page.locator(".lw-quiz")
    answered: set[str] = set()
    for choice in quiz.locator("input[type=radio], input[type=checkbox]").all():
        name = choice.get_attribute("name") or ""
        if name not in answered:
            answered.add(name)
            choice.check()
    quiz.locator("button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    if bad := _serious(axe, page):
        found[f"{role} {QUIZ_LESSON} (quiz answered)"] = bad
    search = page.locator("input.md-search__input")
    search.click()  # opens the dialog, as a click on the header's search box does
    search.press_sequentially("qualified lead")  # the search reacts to key presses
    page.locator(".md-search-result__item").first.wait_for()
    if bad := _serious(axe, page):
        found[f"{role} course search dialog"] = bad


def _visit(
    browser, server: LiveServer, role: str, urls: dict[str, str], found: dict[str, list[str]]
) -> set[str]:
    """axe on each page of ``urls`` (route template -> URL) as ``role``; the templates
    that answered 200."""
    context = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    axe = Axe()
    opened: set[str] = set()
    try:
        if role in SIGN_IN:
            _log_in(page, SIGN_IN[role])
        for template, url in urls.items():
            response = page.goto(url)
            page.wait_for_load_state("networkidle")
            kind = response.headers.get("content-type", "") if response else ""
            if response is None or response.status != 200 or not kind.startswith("text/html"):
                status = response and response.status
                found[f"{role} {url}"] = [f"answered {status} {kind}, not a 200 page"]
                continue
            opened.add(template)
            if bad := _serious(axe, page):
                found[f"{role} {url}"] = bad
        for label, url in EXTRA_VISITS.get(role, ()):
            response = page.goto(url)
            page.wait_for_load_state("networkidle")
            if response is None or response.status < 400:  # it must be the error page
                found[f"{role} {label}"] = [f"answered {response and response.status}"]
            elif bad := _serious(axe, page):
                found[f"{role} {label}"] = bad
        if role in ("anon", "learner"):
            _course_states(axe, page, found, role)
        return opened
    finally:
        context.close()


def test_every_page_route_is_a_page_type_the_axe_test_can_open(app: FastAPI) -> None:
    """The fast half of the coverage guard: each page route is opened by some role, its
    placeholders are ones the test fills, and every exclusion still names a route."""
    routes = html_get_routes(app)
    assert set(NOT_PAGES) <= routes, f"stale exclusions: {set(NOT_PAGES) - routes}"
    for page_type in page_types(app):
        assert page_type.roles, f"{page_type.path}: no role opens it (access table)"
        names = {name for _, name, _, _ in string.Formatter().parse(page_type.path) if name}
        assert names <= PLACEHOLDERS, f"{page_type.path}: fill {names - PLACEHOLDERS}"


def test_no_serious_or_critical_axe_violation_on_any_page_type(
    browser, live_server: LiveServer, app: FastAPI
) -> None:
    values = page_records(live_server)
    types = page_types(app)
    found: dict[str, list[str]] = {}
    opened: set[str] = set()
    for role in ROLES:
        urls = {t.path: t.path.format_map(values) for t in types if role in t.roles}
        opened |= _visit(browser, live_server, role, urls, found)
    # the coverage guard: every page route was opened (200) and checked, bar the exclusions
    unchecked = html_get_routes(app) - opened - set(NOT_PAGES)
    assert not unchecked, f"page routes not checked: {sorted(unchecked)}"
    assert not found, "\n" + "\n".join(f"{page}: {bad}" for page, bad in found.items())
