"""A learner does the compliance triage drill on a phone, from the practice home to the grade.

At 390 px the items table stacks into one card per contact (nothing scrolls sideways), every
input is found by its accessible label, a refused hand-in keeps what was typed, and the grade
page explains the key after the hand-in.
"""

from __future__ import annotations

import re

import yaml
from axe_playwright_python.sync_playwright import Axe

from course.drill_specs import DRILLS_DIR
from tests.browser.conftest import LiveServer

PASSWORD = "leadworks-demo"
PHONE = {"width": 390, "height": 844}
DRILL = "compliance-triage-list"
SERIOUS = {"serious", "critical"}
KEY = yaml.safe_load((DRILLS_DIR / f"{DRILL}.yaml").read_text(encoding="utf-8"))


def _serious(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it stands."""
    results = Axe().run(page)
    return [v["id"] for v in results.response["violations"] if v.get("impact") in SERIOUS]


def test_a_learner_does_the_triage_drill_to_its_grade(browser, live_server: LiveServer) -> None:
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto("/login")
        page.get_by_label("Email").fill("amara@example.com")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state("networkidle")

        page.goto("/sandbox/")
        # several drills are listed: open this one by its address
        page.locator(f'a[href="/drills/{DRILL}"]').first.click()
        page.wait_for_url(re.compile(rf"/drills/{DRILL}$"))
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert _serious(page) == []

        items = {i["id"]: i for i in KEY["materials"]["items"]}
        for item_id, row in KEY["key"]["rows"].items():
            title = items[item_id]["company"]
            page.get_by_label(f"First touch for {item_id}, {title}").select_option(row["action"])
            page.get_by_label(f"Reason for {item_id}, {title}").fill("register and consent checked")
        page.get_by_role("button", name="Hand in").click()  # no call plan yet: refused
        page.get_by_role("alert").filter(has_text="Your plan").wait_for()
        kept = page.get_by_label("First touch for c02, Ashworth Plumbing")
        assert kept.input_value() == "call only"  # nothing typed was lost
        assert _serious(page) == []  # the refused form, message and marked input included

        page.get_by_label(re.compile("^Call plan")).fill("c02 Tue 11:00\nc10 Tue 16:00")
        page.get_by_role("button", name="Hand in").click()
        page.wait_for_url(re.compile(r"/drills/hand-ins/\d+$"))
        page.get_by_role("heading", name=re.compile("of 100 points")).wait_for()
        page.get_by_role("heading", name="The answers, explained").wait_for()
        assert page.get_by_text("counts as an individual under PECR").first.is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert _serious(page) == []
    finally:
        context.close()
