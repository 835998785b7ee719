"""What a learner would notice (issue #15, items 4 and 5), in Chromium: a draft kept after
a reload (and a reload after "Refresh preview" that is no 405), the second send of the
same message asking first, Reply showing the message it answers; and names, never
contact ids (p000123), on the grade page and the debrief."""

from __future__ import annotations

import re

from tests.browser.conftest import LiveServer
from tests.browser.demo_records import demo_runs
from tests.browser.steps import PASSWORD, sign_in_and_start

CONTACT_ID = re.compile(r"\bp\d{6}\b")
SUBJECT = "Empty hygiene slots at {{company}}"
BODY = (
    "Hi {{first_name}},\n\nI noticed {{company}} {{fact}}. Practices your size often tell us "
    "that gaps in the hygiene diary cost them hours every week.\n\nWe contact lapsed "
    "patients and book them back in, so empty hygiene slots fill without extra work for "
    "your front desk.\n\nIs filling those gaps a priority for you this quarter?\n\n"
    "Best,\n{{sender_name}}\n{{sender_company}}\n\nIf you would rather not hear from me, "
    "reply stop and I will not write again.\n{{sender_address}}"
)
FIRST_BATCH = 20  # about one in eight researched emails is answered within the week
MAX_SENDS = 40


def _flash(page, text: str) -> None:
    page.locator(".alert", has_text=text).first.wait_for()


def _write(page, run: str, contact_id: str) -> None:
    """Research the prospect (their profile fills {{fact}}), then write to them."""
    page.goto(f"{run}/prospects/{contact_id}")
    page.goto(f"{run}/compose?contact_id={contact_id}&channel=email")
    page.locator("input[name=subject]").fill(SUBJECT)
    page.locator("#body").fill(BODY)


def test_the_composer_keeps_work_asks_before_repeating_and_quotes_replies(page) -> None:
    page.on("dialog", lambda dialog: dialog.accept())
    run = sign_in_and_start(page, "cold-email-dental")
    page.goto(f"{run}/prospects?decision_maker=yes&has_email=yes&per_page=50")
    names = page.locator("table.people a.person__name")
    people = [
        (names.nth(i).get_attribute("href").rsplit("/", 1)[-1], names.nth(i).inner_text())
        for i in range(min(names.count(), MAX_SENDS))
    ]
    assert len(people) == MAX_SENDS, people
    first_id, first_name = people[0]

    # a draft survives a reload: it was saved as the live preview updated
    _write(page, run, first_id)
    page.locator("#preview .message-preview__body").filter(
        has_text=f"Hi {first_name.split()[0]},"
    ).wait_for()
    page.wait_for_load_state("networkidle")
    page.reload()
    assert "hygiene diary" in page.locator("#body").input_value()
    assert page.locator("input[name=subject]").input_value() == SUBJECT
    # "Refresh preview", then a reload: the composer again, never 405 Method Not Allowed
    page.get_by_role("button", name="Refresh preview").click()
    _flash(page, "Preview refreshed")
    answer = page.reload()
    assert answer is not None and answer.status == 200
    assert "hygiene diary" in page.locator("#body").input_value()

    page.get_by_role("button", name="Send", exact=True).click()
    _flash(page, f"Email sent to {first_name}")

    # the same message to the same prospect again: asked first, nothing sent
    _write(page, run, first_id)
    page.get_by_role("button", name="Send", exact=True).click()
    page.locator(
        "#compose-error", has_text=f"You already sent this message to {first_name}"
    ).wait_for()
    assert page.get_by_role("button", name="Yes, send it again").is_visible()
    sent = page.locator(".sent-list li").filter(has_text=first_name)
    assert sent.count() == 1

    # more prospects, then the clock until someone answers (more if nobody has by day 4)
    page.goto(f"{run}/inbox?show=replies")
    replies = page.locator("li.activity[data-type=replied]")
    for batch, moves in (
        (people[1:FIRST_BATCH], ("+1 day",) * 3),
        (people[FIRST_BATCH:], ("To the end",)),
    ):
        for contact_id, _name in batch:
            _write(page, run, contact_id)
            page.get_by_role("button", name="Send", exact=True).click()
            page.locator(".alert").first.wait_for()
        for move in moves:
            page.goto(run)
            before = page.locator("#sim-date").inner_text()
            page.get_by_role("button", name=move).click()  # htmx swaps the workspace
            page.wait_for_function(
                "b => document.querySelector('#sim-date').innerText !== b", arg=before
            )
        page.goto(f"{run}/inbox?show=replies")
        if replies.count():
            break
    assert replies.count() >= 1, f"nobody answered {MAX_SENDS} personalised emails in a week"
    reply = replies.first
    said = reply.locator(".activity__text").inner_text()
    reply.get_by_role("link", name="Reply").click()
    quoted = page.get_by_label("The message you are answering")
    assert said.strip()[:40] in quoted.locator("blockquote.quoted").inner_text()
    assert page.locator("input[name=subject]").input_value().startswith("Re: ")


def test_the_grade_page_and_the_debrief_name_people(page, live_server: LiveServer) -> None:
    runs = demo_runs(live_server, "learner@example.com")
    page.goto("/login")
    page.get_by_label("Email").fill("learner@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("networkidle")

    # a prospect list's grade: the list and the evidence by name
    page.goto(f"/sandbox/runs/{runs['prospect-list-saas']}/grade")
    page.get_by_role("heading", name=re.compile(r"Your grade")).wait_for()
    people = page.locator("main a[href*='/prospects/p']")
    assert people.count() >= 3
    for i in range(min(people.count(), 20)):
        assert not CONTACT_ID.search(people.nth(i).inner_text()), people.nth(i).inner_text()
    text = page.locator("main").inner_text()
    assert not CONTACT_ID.search(text), CONTACT_ID.findall(text)

    # a cold email's debrief: why each prospect answered, by name
    page.goto(f"/sandbox/runs/{runs['cold-email-dental']}/debrief")
    page.get_by_role("heading", name=re.compile("Debrief")).wait_for()
    rows = page.locator(".debrief-row")
    assert rows.count() >= 1
    assert re.search(r"\w+ \w+", rows.first.locator("h3 a").inner_text())
    text = page.locator("main").inner_text()
    assert not CONTACT_ID.search(text), CONTACT_ID.findall(text)
