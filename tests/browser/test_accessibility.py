"""Accessibility (issue #15, item 8): axe-core on every page type, run in the browser.

axe-core comes with axe-playwright-python (served from the package, no network). A page
passes with no violation of impact "serious" or "critical"; every page is checked before
the assertion, so one failure lists all of them.
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import LiveServer
from tests.browser.demo_records import demo_learner_ids

PASSWORD = "leadworks-demo"
SERIOUS = {"serious", "critical"}


def _violations(browser, server: LiveServer, email: str | None, paths: list[str]) -> dict:
    context = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    axe = Axe()
    found: dict[str, list[str]] = {}
    try:
        if email:
            page.goto("/login")
            page.get_by_label("Email").fill(email)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_load_state("networkidle")
        for path in paths:
            page.goto(path)
            page.wait_for_load_state("networkidle")
            results = axe.run(page)
            bad = [
                f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes: "
                f"{v['nodes'][0]['target'] if v['nodes'] else ''})"
                for v in results.response["violations"]
                if v.get("impact") in SERIOUS
            ]
            if bad:
                found[path] = bad
        return found
    finally:
        context.close()


def test_no_serious_or_critical_axe_violation_on_any_page_type(
    browser, live_server: LiveServer
) -> None:
    ids = demo_learner_ids(live_server)
    run = f"/sandbox/runs/{ids['run']}"
    found = _violations(
        browser,
        live_server,
        None,
        ["/login", "/course/", "/course/glossary/", "/verify", "/credentials/criteria"],
    )
    found |= _violations(
        browser,
        live_server,
        "learner@example.com",
        [
            "/sandbox",
            "/sandbox/exercises/capstone-local-gyms",
            run,
            f"{run}/prospects",
            f"{run}/prospects/p000001",
            f"{run}/pipeline",
            f"{run}/inbox",
            f"{run}/compose",
            f"{run}/grade",
            f"{run}/debrief",
            "/me/feedback",
            "/me/certificate",
            "/me/portfolio",
            "/account",
        ],
    )
    found |= _violations(
        browser,
        live_server,
        "counselor@example.com",
        [
            "/counsel",
            f"/counsel/cohorts/{ids['cohort']}",
            f"/counsel/cohorts/{ids['cohort']}/regrades",
            f"/counsel/learners/{ids['learner']}",
            f"/counsel/submissions/{ids['submission']}",
            f"/counsel/cohorts/{ids['cohort']}/readiness",
            f"/counsel/learners/{ids['learner']}/readiness",
        ],
    )
    assert not found, found
