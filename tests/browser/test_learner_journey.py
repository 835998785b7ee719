"""A new learner's first practice, end to end in Chromium against a live server.

Register with the demo invite code, read a lesson, follow its "Practise it" link, search
prospects, send a personalised email (to several prospects, so a reply is certain), move
the clock until someone answers, qualify that lead, move it on the board, hand the email
in, and read a grade whose checks quote the learner's own words.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest

from tests.browser.outbox import emailed_link

pytestmark = pytest.mark.browser

SUBJECT = "Empty hygiene slots at {{company}}"
BODY = (
    "Hi {{first_name}},\n\n"
    "I noticed {{company}} {{fact}}. Practices your size often tell us that gaps in the "
    "hygiene diary cost them hours every week.\n\n"
    "We contact lapsed patients and book them back in, so empty hygiene slots fill without "
    "extra work for your front desk.\n\n"
    "Is filling those gaps a priority for you this quarter?\n\n"
    "Best,\n{{sender_name}}\n{{sender_company}}\n\n"
    "If you would rather not hear from me, reply stop and I will not write again.\n"
    "{{sender_address}}"
)
FIRST_BATCH = 12
MAX_PROSPECTS = 40


def _register(page, browser, live_server) -> str:
    """Register with the demo invite, then follow the emailed link (read in the outbox)."""
    email = f"newcomer-{uuid.uuid4().hex[:8]}@example.org"
    page.goto("/register")
    page.get_by_label("Invite code").fill("DEMO2026")
    page.get_by_label("Full name").fill("Nadia Newcomer")
    page.get_by_label("Email", exact=True).fill(email)
    page.locator("input[name=password]").fill("a-long-enough-password")
    page.get_by_role("button", name=re.compile("create|register|join", re.I)).click()
    page.get_by_role("heading", name="Check your inbox").wait_for()
    page.goto(emailed_link(browser, live_server.url, email, "/register/confirm"))
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url(re.compile(r"/$"))
    return email


def _flash(page, text: str) -> None:
    page.locator(".alert", has_text=text).first.wait_for()


def _prospect_links(page) -> list[str]:
    links = page.locator("table.people a.person__name")
    return [links.nth(i).get_attribute("href") for i in range(links.count())]


def _send_with_template(page, href: str) -> None:
    """Research a prospect, open the composer from their profile, load the saved
    template and send it: the merge fields are filled for this prospect."""
    page.goto(href)
    page.get_by_role("heading", name="What research shows").wait_for()
    write = page.get_by_role("link", name=re.compile(r"^Write to "))
    if write.count() == 0:
        return
    write.click()
    page.locator(".template-list a", has_text="Dental opener").click()
    page.wait_for_url(re.compile(r"template_id=\d+"))
    page.get_by_role("button", name="Send", exact=True).click()
    page.locator(".alert").first.wait_for()


def _replies(page, base: str) -> list[str]:
    page.goto(f"{base}/inbox?show=replies")
    items = page.locator("li.activity[data-type=replied] .activity__title a")
    return [items.nth(i).get_attribute("href") for i in range(items.count())]


def _advance_until_reply(page, base: str, days: int) -> list[str]:
    for _ in range(days):
        page.goto(base)
        if page.get_by_role("button", name="+1 day").is_disabled():
            break
        before = page.locator("#sim-date").inner_text()
        page.get_by_role("button", name="+1 day").click()  # htmx swaps the workspace
        page.wait_for_function(
            "b => document.querySelector('#sim-date').innerText !== b", arg=before
        )
        found = _replies(page, base)
        if found:
            return found
    return []


def test_new_learner_practises_a_cold_email_end_to_end(
    page, browser, live_server, artifacts: Path
) -> None:
    page.on("dialog", lambda dialog: dialog.accept())
    _register(page, browser, live_server)

    # A lesson, and its "Practise it" link into the sandbox.
    page.goto("/course/06-outreach/cold-email/")
    page.locator("a.lw-practise__link[href='/sandbox/exercises/cold-email-dental']").click()
    page.wait_for_url("**/sandbox/exercises/cold-email-dental")
    assert page.get_by_role("heading", name="Ideal customer profile").is_visible()
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_url(re.compile(r"/sandbox/runs/\d+$"))
    base = page.url
    assert "Mon 3 Mar 2025" in page.locator("#sim-date").inner_text()

    # Search prospects that fit the profile: decision makers with an email address.
    page.get_by_role("navigation", name="Run sections").get_by_role(
        "link", name="Prospects"
    ).click()
    page.get_by_label("Decision maker").select_option("yes")
    page.get_by_label("Has email").select_option("yes")
    page.get_by_role("button", name="Search").click()
    page.locator(".results-head", has_text="Filtered by").wait_for()
    assert re.search(r"/prospects\?.*decision_maker=yes", page.url)
    prospects = _prospect_links(page)
    if len(prospects) < MAX_PROSPECTS and page.get_by_role("link", name="Next →").count():
        page.get_by_role("link", name="Next →").click()
        page.locator("text=Page 2 of").wait_for()
        prospects += _prospect_links(page)
    assert len(prospects) >= FIRST_BATCH

    # Research the first prospect and write the email in the composer.
    page.goto(prospects[0])
    page.get_by_role("heading", name="What research shows").wait_for()
    first_name = page.locator("#person-title").inner_text().split()[0]
    page.get_by_role("link", name=re.compile(r"^Write to ")).click()
    page.get_by_label("Subject").fill(SUBJECT)
    page.locator("#body").fill(BODY)
    preview = page.locator("#preview .message-preview__body")
    preview.filter(has_text=f"Hi {first_name},").wait_for()  # the live preview, via htmx
    assert "{{" not in preview.inner_text()
    assert "words" in page.locator("#preview").inner_text()
    page.get_by_placeholder("template name").fill("Dental opener")
    page.get_by_role("button", name="Save template").click()
    _flash(page, "Template 'Dental opener' saved")
    page.get_by_role("button", name="Send", exact=True).click()
    _flash(page, "Email sent to")

    # The same template to more prospects, then the clock, until someone answers.
    for href in prospects[1:FIRST_BATCH]:
        _send_with_template(page, href)
    replies = _advance_until_reply(page, base, days=3)
    if not replies:
        for href in prospects[FIRST_BATCH:MAX_PROSPECTS]:
            _send_with_template(page, href)
        replies = _advance_until_reply(page, base, days=4)
    assert replies, "nobody answered 40 personalised emails in a week"

    # Qualify the lead who answered, and move them on the board.
    lead = replies[-1]
    page.goto(f"{base}/inbox?show=replies")
    item = (
        page.locator("li.activity[data-type=replied]")
        .filter(has=page.locator(f"a[href='{lead}']"))
        .first
    )
    name = item.locator(".activity__title a").inner_text().split(" replied")[0]
    reply_text = item.locator(".activity__text").inner_text()
    item.get_by_role("button", name="Add to pipeline").click()
    _flash(page, f"Moved {name} to Lead")
    page.goto(f"{lead}/qualify")
    page.get_by_role("link", name="BANT").wait_for()
    page.locator("input[name=need-value][value=yes]").check()
    page.get_by_label("Note on need").fill(f"They replied: {reply_text[:60]}")
    page.get_by_label("Nurture").check()
    page.get_by_role("button", name="Save qualification").click()
    _flash(page, "qualified with BANT")
    page.get_by_role("navigation", name="Run sections").get_by_role("link", name="Pipeline").click()
    card = page.locator(".board__col[data-stage=lead] .deal", has_text=name)
    card.get_by_role("button", name=f"Move {name} to MQL").click()
    _flash(page, f"Moved {name} to MQL")
    assert page.locator(".board__col[data-stage=mql] .deal", has_text=name).count() == 1

    # Hand in the email written for that lead, from the composer.
    page.goto(f"{lead}")
    page.get_by_role("link", name=re.compile(r"^Write to ")).click()
    page.locator(".template-list a", has_text="Dental opener").click()
    page.wait_for_url(re.compile(r"template_id=\d+"))
    page.get_by_role("button", name="Hand in this message").click()
    page.wait_for_url(re.compile(r"/grade$"))
    _flash(page, "Handed in and graded")

    # The grade cites the learner's own words, highlighted inside their message.
    assert page.get_by_role(
        "heading", name=re.compile(r"Your grade: [\d.]+ of [\d.]+ points")
    ).is_visible()
    lead_first = name.split()[0]
    marks = page.locator(".graded-text mark.ev")
    assert marks.count() >= 1
    assert any(lead_first in marks.nth(i).inner_text() for i in range(marks.count()))
    greeting = page.locator("#check-greeting .in-text mark")
    assert lead_first in greeting.inner_text()
    assert page.locator(".check-item").count() >= 8
    page.screenshot(path=str(artifacts / "grade-page.png"), full_page=True)

    # The debrief says why each prospect answered or not.
    page.get_by_role("link", name="Debrief: why prospects answered").click()
    page.get_by_role("heading", name=re.compile("Debrief")).wait_for()
    assert page.locator(".debrief-row.answered").count() >= 1
