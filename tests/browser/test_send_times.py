"""Send times in both zones (issue #15, item 2), as a learner in Paris meets them: each
prospect row shows their local time; a sequence whose steps go out at 09:30 and 14:00
their time shows each step's moment in the prospects' zones and in Paris; the composer
shows a chosen send time in both before and after it is scheduled.

The learner's own time is what Chromium shows for the UTC instant in Europe/Paris: the
test works it out with zoneinfo and compares."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.browser.conftest import LiveServer
from tests.browser.steps import page_in_paris, sign_in_and_start

PARIS = ZoneInfo("Europe/Paris")
BODY = (
    "Hi {{first_name}}, members who book a class in their first two weeks stay a year "
    "longer. We help {{company}} get new members booked in. Worth a short call?"
)


def _flash(page, text: str) -> None:
    page.locator(".alert", has_text=text).first.wait_for()


def _in_paris(utc: str) -> str:
    """HH:MM in Paris of a UTC instant, as the learner's clock reads it."""
    moment = datetime.fromisoformat(utc.replace("Z", "+00:00")).astimezone(PARIS)
    return f"{moment:%H:%M}"


def _check_both(times) -> list[str]:
    """Every ``.both-times`` in ``times``: the learner's time is the Paris reading of the
    instant; returns the instants."""
    instants = []
    for i in range(times.count()):
        yours = times.nth(i).locator("time.your-time")
        utc = yours.get_attribute("datetime")
        text = yours.inner_text()
        assert _in_paris(utc) in text and re.search(r"GMT\+1|CET", text), (utc, text)
        instants.append(utc)
    return instants


def test_send_times_show_in_their_zone_and_the_learners(browser, live_server: LiveServer) -> None:
    with page_in_paris(browser, live_server) as page:
        run = sign_in_and_start(page, "capstone-local-gyms")

        # each prospect row: their local time
        page.goto(f"{run}/prospects?has_email=yes&per_page=25")
        local = page.get_by_test_id("row-local-time")
        assert local.count() >= 8
        assert re.match(r"\d\d:\d\d their time \(UTC[-+]\d", local.first.inner_text())

        # a list, and a two-step sequence timed in their zones
        boxes = page.locator("table.people input[name=contact_ids]")
        for i in range(8):
            boxes.nth(i).check()
        page.locator("input[name=new_list]").fill("Gyms")
        page.get_by_role("button", name="Add to list").click()
        _flash(page, "Gyms")
        first_name = page.locator("table.people a.person__name").first.inner_text()
        first_href = page.locator("table.people a.person__name").first.get_attribute("href")

        page.goto(f"{run}/sequences")
        page.locator("input[name=name]").fill("Timed touches")
        page.locator("select[name=list_name]").select_option("Gyms")
        page.locator("select[name=step-0-channel]").select_option("email")
        page.locator("input[name=step-0-send_time]").fill("09:30")
        page.locator("input[name=step-0-subject]").fill("New members at {{company}}")
        page.locator("textarea[name=step-0-body]").fill(BODY)
        page.locator("select[name=step-1-channel]").select_option("email")
        page.locator("input[name=step-1-delay_days]").fill("2")
        page.locator("input[name=step-1-send_time]").fill("14:00")
        page.locator("textarea[name=step-1-body]").fill("Hi {{first_name}}, one more thought?")
        page.get_by_role("button", name="Save as draft").click()
        _flash(page, "saved as a draft")

        steps = page.get_by_test_id("plan-step")
        assert steps.count() == 2
        assert "If started now" in steps.nth(0).inner_text()
        first = steps.nth(0).get_by_test_id("both-times")
        second = steps.nth(1).get_by_test_id("both-times")
        assert "09:30" in first.first.locator(".their-time").inner_text()
        assert "14:00" in second.first.locator(".their-time").inner_text()
        assert re.search(r"in America/\w+", first.first.inner_text())
        step_one, step_two = _check_both(first), _check_both(second)
        assert min(step_two) > max(step_one)  # ISO instants order as text

        page.get_by_role("button", name="Start", exact=True).click()
        _flash(page, "Sequence started")
        waiting = page.get_by_test_id("plan-step").nth(1).get_by_test_id("both-times")
        assert _check_both(waiting) == step_two  # what the page promised is what is planned

        # the composer: a chosen send time, shown in both zones, then scheduled
        contact_id = first_href.rstrip("/").rsplit("/", 1)[-1]
        page.goto(f"{run}/compose?contact_id={contact_id}&channel=email")
        day = page.locator("#send_at").get_attribute("min")[:10]
        tomorrow = (datetime.fromisoformat(day) + timedelta(days=1)).strftime("%Y-%m-%d")
        page.locator("input[name=subject]").fill("Class bookings")
        page.locator("#body").fill(BODY + " (a second note)")
        page.locator("#send_at").fill(f"{tomorrow}T11:15")
        when = page.get_by_test_id("send-when")
        when.filter(has_text="11:15").wait_for()  # the live preview, via htmx
        (chosen,) = _check_both(when.get_by_test_id("both-times"))
        page.get_by_role("button", name="Send", exact=True).click()
        _flash(page, "Scheduled for")
        item = page.get_by_test_id("just-scheduled")  # the confirmation marks it
        assert item.count() == 1 and first_name in item.inner_text()
        assert "11:15" in item.locator(".their-time").inner_text()
        assert _check_both(item.get_by_test_id("both-times")) == [chosen]
