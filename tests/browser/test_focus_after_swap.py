"""Keyboard focus survives htmx swaps (issue #15, item 8): after moving a card on the
board with the keyboard, focus stays on that card, never on the page body."""

from __future__ import annotations

from tests.browser.conftest import LiveServer
from tests.browser.steps import sign_in_and_start


def test_moving_a_card_keeps_keyboard_focus_on_it(browser, live_server: LiveServer) -> None:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    try:
        run = sign_in_and_start(page, "qualify-insurance-leads")
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
