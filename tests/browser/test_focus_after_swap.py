"""Keyboard focus survives htmx swaps (issue #15, item 8): after moving a card on the
board with the keyboard, focus stays on that card, never on the page body."""

from __future__ import annotations

import re

from tests.browser.conftest import LiveServer

PASSWORD = "leadworks-demo"


def test_moving_a_card_keeps_keyboard_focus_on_it(browser, live_server: LiveServer) -> None:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    try:
        page.goto("/login")
        page.get_by_label("Email").fill("sam@example.com")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state("networkidle")
        page.goto("/sandbox/exercises/qualify-insurance-leads")
        page.get_by_role("button", name=re.compile(r"^Start")).first.click()
        page.wait_for_url(re.compile(r"/sandbox/runs/\d+"))
        run = re.search(r"/sandbox/runs/\d+", page.url).group(0)
        page.goto(f"{run}/pipeline")  # the inbound leads arrive at Lead
        button = page.locator(".board__col .deal button[name=stage][value=mql]").first
        contact = button.evaluate("b => b.closest('[data-contact]').dataset.contact")
        button.focus()
        page.keyboard.press("Enter")
        page.locator(f".board__col[data-stage=mql] .deal[data-contact='{contact}']").wait_for()
        page.wait_for_timeout(300)
        focused = page.evaluate(
            "() => { const a = document.activeElement;"
            " const c = a && a.closest('[data-contact]');"
            " return [a ? a.tagName : null, c ? c.dataset.contact : null]; }"
        )
        assert focused[0] != "BODY", focused
        assert focused[1] == contact, focused
    finally:
        context.close()
