"""Reading the development outbox in the browser, as an admin would, to follow a link
the platform emailed (sign-up, password reset)."""

from __future__ import annotations

ADMIN = "admin@example.com"
DEMO_PASSWORD = "leadworks-demo"


def emailed_link(browser, base_url: str, recipient: str, path_part: str) -> str:
    """The newest link containing ``path_part`` in the outbox message to ``recipient``."""
    context = browser.new_context(base_url=base_url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto("/login")
        page.get_by_label("Email").fill(ADMIN)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/")
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Outbox").click()
        page.locator("tr", has_text=recipient).first.get_by_role("link").click()
        link = page.locator(f"pre.mail-body a[href*='{path_part}']").first
        return str(link.get_attribute("href"))
    finally:
        context.close()
