"""Time that behaves like time (issue #15, item 2), as a learner in Paris meets it: the
header shows the simulated date and their own time; the clock moves by an hour, by hours
and to a chosen time; a call to a prospect outside their hours asks to be scheduled for
the next allowed slot, and the scheduled call rings when the clock gets there."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from tests.browser.conftest import LiveServer
from tests.browser.steps import page_in_paris, sign_in_and_start


def _now(page) -> datetime:
    return datetime.fromisoformat(page.locator("#sim-date").get_attribute("data-now")[:19])


def _flash(page, text: str) -> None:
    page.locator(".alert", has_text=text).first.wait_for()


def test_a_learner_moves_time_and_schedules_a_call_inside_their_hours(
    browser, live_server: LiveServer
) -> None:
    with page_in_paris(browser, live_server) as page:
        run = sign_in_and_start(page, "capstone-local-gyms")

        # the simulated date, and the same instant in the learner's own zone (Paris)
        start = _now(page)
        yours = page.locator(".run-header time.your-time").first
        assert re.search(r"GMT\+1|GMT\+2|CET|CEST", yours.inner_text()), yours.inner_text()
        assert f"{start.hour:02d}:{start.minute:02d}" in page.locator("#sim-date").inner_text()

        page.get_by_role("button", name="+1 hour").click()
        _flash(page, "It is now")
        assert _now(page) == start + timedelta(hours=1)
        page.locator("summary", has_text="Move by hours or to a time").click()
        page.get_by_label("Hours").fill("14")
        page.get_by_role("button", name="Move", exact=True).click()
        _flash(page, "It is now")
        now = _now(page)
        assert now == start + timedelta(hours=15)

        # a prospect for whom it is outside calling hours right now
        page.goto(f"{run}/prospects?has_phone=yes&per_page=100")
        hrefs = page.locator("table.people a.person__name")
        links = [hrefs.nth(i).get_attribute("href") for i in range(min(hrefs.count(), 30))]
        chosen = None
        for href in links:
            page.goto(href)
            local = page.get_by_test_id("their-time").inner_text()
            hour = int(re.search(r", (\d\d):\d\d", local).group(1))
            if not 8 <= hour < 21:
                chosen = href
                break
        assert chosen is not None, "everyone may be called at this hour"
        contact_id = chosen.rstrip("/").rsplit("/", 1)[-1]
        name = page.locator("h1, h2").filter(has_text=re.compile(r"\w")).first.inner_text()

        page.goto(f"{run}/compose?contact_id={contact_id}&channel=call")
        assert "Their time now" in page.get_by_test_id("send-time").inner_text()
        page.locator("textarea[name=body]").fill(
            "Hi {{first_name}}, I'm calling because gyms near you fill classes with us: "
            "is now a bad time?"
        )
        page.get_by_role("button", name="Send", exact=True).click()
        ask = page.get_by_test_id("hours-ask")
        ask.wait_for()
        assert "calls are allowed" in page.locator(".alert-error").inner_text()
        ask.get_by_role("button", name=re.compile(r"^Schedule for ")).click()
        _flash(page, "Scheduled for")
        scheduled = page.get_by_test_id("scheduled-list")
        assert scheduled.locator("li").count() == 1

        # move the clock to a chosen time two days on: the call rings on the way
        page.locator("summary", has_text="Move by hours or to a time").click()
        target = now + timedelta(days=2)
        page.get_by_label("Date and time (UTC)").fill(target.strftime("%Y-%m-%dT%H:%M"))
        page.get_by_role("button", name="Go", exact=True).click()
        _flash(page, "It is now")
        assert _now(page) == target
        page.goto(f"{run}/compose")
        assert page.get_by_test_id("scheduled-list").count() == 0
        page.goto(chosen)
        timeline = page.locator("body").inner_text()
        assert re.search(r"You called", timeline), name
        assert "call outside hours" not in timeline.lower()
