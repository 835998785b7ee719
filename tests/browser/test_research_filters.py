"""Research that teaches research (issue #15, item 3), as a learner meets it in Chromium:
company sizes listed in numeric order, a buying-signal filter with an employee range,
the ICP's signal marked on a profile once opened, and a saved search that brings the same
results back after the filters were cleared."""

from __future__ import annotations

import re

from tests.browser.conftest import LiveServer
from tests.browser.steps import sign_in_and_start


def _lowest(band: str) -> int:
    return int(re.match(r"\d+", band).group(0))


def _total(page) -> int:
    heading = page.locator("#results-title").inner_text()
    return int(re.match(r"([\d,]+)", heading).group(1).replace(",", ""))


def test_a_learner_filters_by_buying_signal_and_saves_the_search(
    browser, live_server: LiveServer
) -> None:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    try:
        run = sign_in_and_start(page, "prospect-list-saas")

        page.goto(f"{run}/prospects")
        everyone = _total(page)
        bands = page.locator("input[name=size_band]").evaluate_all("els => els.map(e => e.value)")
        assert [_lowest(b) for b in bands] == sorted(_lowest(b) for b in bands), bands

        signals = page.get_by_test_id("signal-filters")
        assert "Hiring" in signals.inner_text() and "New location" in signals.inner_text()
        signals.locator("input[value=hiring]").check()
        page.get_by_label("Employees at most").fill("1000")
        page.get_by_role("button", name="Search", exact=True).click()
        page.wait_for_url(re.compile(r"signal=hiring"))
        hiring = _total(page)
        assert 0 < hiring < everyone
        chips = page.locator(".results-head").inner_text()
        assert "Buying signal: Hiring" in chips and "Employees at most: 1000" in chips

        page.get_by_label("Save this search as").fill("Hiring, under 1000")
        page.get_by_role("button", name="Save search").click()
        page.locator(".alert", has_text="saved").first.wait_for()

        # research one result: its hiring fact is marked as the ICP's signal
        first = page.locator("table.people a.person__name").first
        first.click()
        page.get_by_role("heading", name="What research shows").wait_for()
        assert page.get_by_test_id("icp-signal").filter(has_text="Hiring").count() >= 1

        # cleared filters, then the saved search: the same results, the mark on the row
        page.goto(f"{run}/prospects")
        assert _total(page) == everyone
        page.get_by_test_id("saved-searches").get_by_role("link", name="Hiring, under 1000").click()
        page.wait_for_url(re.compile(r"signal=hiring"))
        assert _total(page) == hiring
        assert page.get_by_test_id("row-icp-signal").count() >= 1
    finally:
        context.close()
