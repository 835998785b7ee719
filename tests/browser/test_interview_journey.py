"""A learner's mock interview in Chromium: found from the career page, started from a
prospect's call page, four questions answered, the mock cold call played, handed in and
graded, with the grade quoting the learner's own turns.

The world is keyed per learner, so the test replays the new run's log from the server's
database and lets the scripted strong candidate (tests/support/interview.py) play it on a
fork; the browser then says exactly those turns (same seed, same log, same interview).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlmodel import Session

from leadworks.practice.service import stored_events
from simulator import replay_log
from tests.browser.steps import sign_in_and_start
from tests.support.interview import STRONG, play

pytestmark = pytest.mark.browser


def _log(live_server, run_id: int) -> list[dict]:
    engine = create_engine(live_server.env["LEADWORKS_DATABASE_URL"])
    try:
        with Session(engine) as session:
            return stored_events(session=session, run_id=run_id)
    finally:
        engine.dispose()


def _flash(page, text: str) -> None:
    page.locator(".alert", has_text=text).first.wait_for()


def test_a_learner_does_the_mock_interview_to_a_grade(page, live_server, artifacts: Path) -> None:
    page.on("dialog", lambda dialog: dialog.accept())
    base = sign_in_and_start(page, "mock-interview")
    run_id = int(base.rsplit("/", 1)[1])

    # the career area leads to the same exercise
    page.goto("/me/career/cv")
    link = page.get_by_role("link", name="Start a mock interview")
    assert link.get_attribute("href") == "/sandbox/exercises/mock-interview"

    trial = replay_log(_log(live_server, run_id)).fork()
    contact = next(c for c in trial.world.contacts if c.phone and not c.truth.do_not_call)
    play(trial, contact.id, STRONG)
    said = [t["text"] for t in trial.state.calls[-1]["turns"] if t["speaker"] == "learner"]

    page.goto(f"{base}/prospects/{contact.id}/conversation")
    assert (
        "Mock interview with Dana Whitfield" in page.get_by_test_id("interview-brief").inner_text()
    )
    page.get_by_role("button", name="Start the interview").click()
    _flash(page, "someone picked up")
    assert page.locator("li.turn-manager").count() == 2  # introduction and first question
    for n, text in enumerate(said, 1):
        page.locator("#turn-text").fill(text)
        page.get_by_role("button", name="Say it").click()
        page.locator("li.turn-learner").nth(n - 1).wait_for()
    transcript = page.locator("ol.transcript").inner_text()
    assert "call me as if i were a prospect" in transcript.lower()  # any of its wordings
    assert page.locator("li.turn-buyer").count() >= 3  # the manager, now the prospect
    page.get_by_role("button", name="Hang up").click()
    _flash(page, "You hung up")

    page.goto(f"{base}/hand-in")
    page.get_by_role("button", name="Hand in this interview").first.click()
    page.wait_for_url(re.compile(r"/grade$"))
    _flash(page, "Handed in and graded")
    heading = page.get_by_role("heading", name=re.compile(r"Your grade: [\d.]+ of [\d.]+ points"))
    assert heading.is_visible()
    assert page.locator("details.part summary", has_text="The mock call on the call rubric").count()
    marks = page.locator(".graded-text[data-field^='turns['] mark")
    assert marks.count() >= 3
    quoted = [marks.nth(i).inner_text() for i in range(marks.count())]
    assert all(any(q in turn for turn in said) for q in quoted)
    page.screenshot(path=str(artifacts / "interview-grade.png"), full_page=True)
