"""A learner sits a module checkpoint on the real server: starts it, answers in the page,
submits, and reads the result with every answer explained; then starts the timed final exam
and sees the server's deadline (issue 17, item 3)."""

from __future__ import annotations

import re

from sqlmodel import Session, create_engine

from leadworks.exams.models import ExamAttempt
from tests.browser.test_shell import log_in


def _attempt(live_server, attempt_id: int) -> ExamAttempt:
    engine = create_engine(live_server.env["LEADWORKS_DATABASE_URL"])
    try:
        with Session(engine) as session:
            attempt = session.get(ExamAttempt, attempt_id)
            assert attempt is not None
            session.expunge(attempt)
            return attempt
    finally:
        engine.dispose()


def _answer(page, n: int, question: dict) -> None:
    answer = question["answer"]
    if question["type"] == "single":
        page.locator(f'input[name="a_{n}"][value="{answer}"]').check()
    elif question["type"] == "multiple":
        for index in answer:
            page.locator(f'input[name="a_{n}"][value="{index}"]').check()
    else:
        value = answer[0] if question["type"] == "text" else answer
        page.locator(f'input[name="a_{n}"]').fill(str(value))


def test_a_learner_passes_a_checkpoint_and_starts_the_final_exam(
    page, live_server, artifacts
) -> None:
    log_in(page, "mei@example.com")
    page.get_by_role("link", name="Exams").click()
    row = page.locator("tr", has_text="Checkpoint: The career")
    row.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r"/exams/attempts/\d+$"))
    attempt = _attempt(live_server, int(page.url.rsplit("/", 1)[1]))
    for n, question in enumerate(attempt.questions):
        _answer(page, n, question)
    page.get_by_role("button", name="Submit my answers").click()
    page.get_by_role("heading", name=re.compile(r"^Passed")).wait_for()
    assert attempt.questions[0]["explanation"][:40] in page.content()
    page.screenshot(path=str(artifacts / "checkpoint-result.png"), full_page=True)
    page.get_by_role("link", name="All checkpoints and the final exam").click()
    assert "Passed" in page.locator("tr", has_text="Checkpoint: The career").inner_text()
    page.locator("tr", has_text="Final exam").get_by_role("button", name="Start").click()
    deadline = page.locator("#deadline")
    assert "Hand in by" in deadline.inner_text()
    assert page.locator('input[name="a_0"]').count() >= 1
