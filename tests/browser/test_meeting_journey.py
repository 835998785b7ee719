"""A new learner's live call, end to end in Chromium: past the gatekeeper, an objection
handled, a meeting booked, prepared and held, the handoff written and graded.

Worlds are keyed per learner, so the test reads the new run's log from the server's
database and lets the scripted caller (tests/support/booking.py) find the prospect its
turns book; the browser then says exactly those turns, so the conversation is the one
the script pinned (same seed, same log, same draws).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlmodel import Session

from leadworks.practice.service import stored_events
from simulator import replay_log
from simulator.contexts import handoff_context
from simulator.sandbox import Sandbox
from tests.browser.test_learner_journey import _flash, _register
from tests.support.booking import AGENDA, Booking, find_booking, play

pytestmark = pytest.mark.browser


def _log(live_server, run_id: int) -> list[dict]:
    engine = create_engine(live_server.env["LEADWORKS_DATABASE_URL"])
    try:
        with Session(engine) as session:
            return stored_events(session=session, run_id=run_id)
    finally:
        engine.dispose()


def _note(sandbox: Sandbox, found: Booking) -> dict[str, str]:
    """The note a careful learner writes from the call: the pain quoted, the rest stated
    as the buyer said it, "not discussed" where the call never went."""
    trial = sandbox.fork()
    trial.view_profile(found.contact_id)
    play(trial, found.contact_id)
    context = handoff_context(trial, found.contact_id)
    facts, first = context["facts"], context["buyer"]["name"].split()[0]
    unknown = "Not discussed."

    def status(fact: str, yes: str, no: str) -> str:
        if not facts[fact]["uncovered"]:
            return unknown
        return yes if facts[fact]["value"] else no

    decider = facts["authority"].get("decider") or "a colleague"
    return {
        "pains": f'"{facts["need"]["said"]}"' if facts["need"]["uncovered"] else unknown,
        "stakeholders": status("authority", f"{first} decides.", f"{decider} decides."),
        "budget": status("budget", "Budget set aside.", "No budget set aside."),
        "timeline": status("timeline", "Wants it this quarter.", "Not a priority now."),
        "current_vendor": facts["vendor"]["value"] if facts["vendor"]["uncovered"] else unknown,
        "next_meeting": f"{context['meeting']['local']} their time.",
    }


def _advance_a_day(page) -> None:
    before = page.locator("#sim-date").inner_text()
    page.get_by_role("button", name="+1 day").click()
    page.wait_for_function("b => document.querySelector('#sim-date').innerText !== b", arg=before)


def test_new_learner_books_a_meeting_and_hands_it_over(
    page, browser, live_server, artifacts: Path
) -> None:
    page.on("dialog", lambda dialog: dialog.accept())
    _register(page, browser, live_server)
    page.goto("/sandbox/exercises/book-meeting-handoff")
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_url(re.compile(r"/sandbox/runs/\d+$"))
    base = page.url
    run_id = int(base.rsplit("/", 1)[1])

    sandbox = replay_log(_log(live_server, run_id))
    found = find_booking(sandbox)
    note = _note(sandbox, found)

    # Research the prospect, then call from their profile.
    page.goto(f"{base}/prospects/{found.contact_id}")
    page.get_by_role("heading", name="What research shows").wait_for()
    page.get_by_role("link", name="Live call").click()
    page.get_by_role("button", name=re.compile(r"^Dial ")).click()
    _flash(page, "someone picked up")
    assert page.locator("li.turn-gatekeeper").count() == 1  # the front desk answers
    for n, text in enumerate(found.turns, 1):
        page.locator("#turn-text").fill(text)
        page.get_by_role("button", name="Say it").click()
        page.locator("li.turn-learner").nth(n - 1).wait_for()
        if page.get_by_role("button", name="Say it").count() == 0:
            break
    transcript = page.locator("ol.transcript").inner_text()
    assert page.locator("li.turn-gatekeeper").count() >= 2  # and puts the caller through
    assert page.locator("li.turn-buyer").count() >= 3
    assert "I hear you" in transcript or "That's fair" in transcript  # an objection answered
    if page.get_by_role("button", name="Hang up").count():
        page.get_by_role("button", name="Hang up").click()
        _flash(page, "You hung up")
    assert "meeting booked" in page.locator("#workspace").inner_text()

    # Prepare the meeting: a reminder and a confirmed agenda.
    page.get_by_role("button", name="Send a reminder").click()
    _flash(page, "Reminder sent to")
    page.get_by_label("Agenda to confirm").fill(AGENDA)
    page.get_by_role("button", name="Confirm the agenda").click()
    _flash(page, "Agenda sent to")
    assert "prepared: reminder, agenda" in page.locator(".meeting-card").inner_text()

    # The clock passes the meeting: it is held, and the pipeline shows it.
    _advance_a_day(page)
    _advance_a_day(page)
    page.get_by_role("navigation", name="Run sections").get_by_role("link", name="Pipeline").click()
    counts = page.locator(".meeting-counts").inner_text()
    assert "1 booked" in counts and "1 held" in counts
    page.locator("table.meetings a").first.click()
    assert page.locator(".meeting-card").get_attribute("data-status") == "held"

    # The handoff note, handed in from the call page, and the grade.
    for name, text in note.items():
        page.locator(f"#handoff-{name}").fill(text)
    page.get_by_role("button", name="Hand in the handoff note").click()
    page.wait_for_url(re.compile(r"/grade$"))
    _flash(page, "Handed in and graded")
    heading = page.get_by_role("heading", name=re.compile(r"Your grade: [\d.]+ of [\d.]+ points"))
    assert heading.is_visible()
    part = page.locator("details.part summary", has_text="The call on the call rubric")
    assert part.count() == 1
    marks = page.locator(".graded-text[data-field^='turns['] mark")
    assert marks.count() >= 1
    quoted = [marks.nth(i).inner_text() for i in range(marks.count())]
    assert all(any(q in turn for turn in found.turns) for q in quoted)
    pains = page.locator(".graded-text[data-field='pains'] mark")
    assert pains.count() >= 1  # the buyer's words, quoted in the note
    page.screenshot(path=str(artifacts / "handoff-grade.png"), full_page=True)
