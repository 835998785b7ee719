"""A counselor, as a new user would: log in, find the struggling learner from the overview,
open their weakest attempt, read the evidence, comment, answer their regrade request, and
export the gradebook. Then the learner sees the answer.

The demo (`leadworks demo seed`) provides the struggling learner (Tom Becker: weak cold
emails, idle for days) and, through leadworks.demo.counsel, his open regrade request. If a
demo without that work is running, the test adds it through the server's own database.
"""

from __future__ import annotations

import csv
import io
import json
import re

from sqlalchemy import create_engine
from sqlmodel import Session, select

from leadworks.accounts.models import User
from leadworks.demo.counsel import seed_counsel_demo
from leadworks.feedback.models import RegradeRequest, RegradeStatus
from leadworks.submissions.models import Submission
from leadworks.submissions.service import record_submission
from tests.browser.conftest import LiveServer
from tests.conftest import project_content, project_path

DEMO_PASSWORD = "leadworks-demo"
CONTACT_ID = re.compile(r"\bp\d{6}\b")
STRUGGLING = "tom@example.com"


def ensure_struggling_learner(server: LiveServer) -> None:
    """Make sure Tom has weak graded attempts and an open regrade request."""
    engine = create_engine(server.env["LEADWORKS_DATABASE_URL"])
    golden = json.loads(
        project_path(
            "tests", "grader", "golden", "outreach", "email-dental-template.json"
        ).read_text()
    )
    try:
        with Session(engine, expire_on_commit=False) as session:
            tom = session.exec(select(User).where(User.email == STRUGGLING)).one()
            if not session.exec(select(Submission.id).where(Submission.user_id == tom.id)).all():
                for _ in range(2):
                    record_submission(
                        session=session,
                        user=tom,
                        exercise_id="cold-email-dental",
                        kind="outreach",
                        payload=golden["submission"],
                        context=golden["context"],
                    )
            open_request = session.exec(
                select(RegradeRequest).where(
                    RegradeRequest.learner_id == tom.id,
                    RegradeRequest.status == RegradeStatus.open,
                )
            ).first()
            if open_request is None:
                seed_counsel_demo(session=session)
    finally:
        engine.dispose()


def log_in(page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")


def test_counselor_journey(page, browser, live_server: LiveServer, artifacts) -> None:
    ensure_struggling_learner(live_server)
    log_in(page, "counselor@example.com")

    # The overview: narrow it to the learners who need attention, and find the struggling one.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cohorts").click()
    page.get_by_role("link", name="Autumn 2026 bootcamp").first.click()
    page.get_by_role("heading", name="Progress through the modules").wait_for()
    assert page.locator("svg.chart").count() >= 2
    page.get_by_label("Show").select_option("attention")
    page.wait_for_url("**flag=attention**")
    flagged = page.locator("#overview tr.flagged")
    tom = flagged.filter(has_text="Tom Becker")
    assert tom.count() == 1
    assert "Repeated low scores" in tom.inner_text()
    assert "Open regrade request" in tom.inner_text()
    cohort_url = page.url

    # The regrade queue names people, never contact ids (issue #15, item 4).
    page.get_by_role("link", name=re.compile(r"^Regrade requests")).click()
    queue = page.locator("main").inner_text()
    assert "Tom Becker" in queue
    assert not CONTACT_ID.search(queue), CONTACT_ID.findall(queue)
    page.goto(cohort_url)
    page.locator("#overview tr.flagged").filter(has_text="Tom Becker").get_by_role(
        "link", name="Tom Becker"
    ).click()

    # The learner page names the weakest attempt.
    page.get_by_role("heading", name="Tom Becker", exact=True).wait_for()
    page.get_by_role("link", name="Open the weakest attempt").click()

    # The attempt: the grader's evidence is marked in Tom's own text.
    page.get_by_role("heading", name="Checks").wait_for()
    marks = page.locator(".learner-text mark.evidence")
    assert marks.count() > 0 and marks.first.is_visible()
    evidence_link = page.locator(".evidence-list a").first
    target = evidence_link.get_attribute("href")
    evidence_link.click()
    assert page.locator(target).count() == 1  # the link jumps to the quoted words

    # Comment on the attempt.
    comments = page.locator("#comments")
    comments.get_by_label("New comment").fill(
        "Swap the placeholder for her name and ask one question at the end."
    )
    comments.get_by_role("button", name="Add comment").click()
    page.get_by_text("Comment saved").wait_for()
    assert page.get_by_text("Swap the placeholder for her name").is_visible()

    # Answer the regrade request waiting on this attempt.
    waiting = page.locator("#regrades")
    assert waiting.get_by_text("disputes").is_visible()
    waiting.get_by_label("New points for").fill("4")
    waiting.get_by_label("Answer for the learner").fill(
        "Partly fair: the demo offer is relevant. Four points."
    )
    waiting.get_by_role("button", name="Accept with these points").click()
    page.get_by_text("Regrade request accepted").wait_for()
    assert page.locator("#audit").get_by_text("accepted: Partly fair").is_visible()
    page.screenshot(path=str(artifacts / "counselor_journey.png"), full_page=True)

    # Export the gradebook from the overview.
    page.get_by_role("link", name="Autumn 2026 bootcamp").first.click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Export gradebook (CSV)").click()
    raw = download.value.path().read_bytes()
    # UTF-8 with a byte-order mark, so a spreadsheet reads "Ramírez" right (issue #15, item 9)
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    rows = {row["name"]: row for row in csv.DictReader(io.StringIO(text))}
    assert "Diego Ramírez" in rows and "RamÃ­rez" not in text
    cold_email = f"{project_content().catalog.exercise_title('cold-email-dental')} (best %)"
    assert "Tom Becker" in rows and rows["Tom Becker"][cold_email]  # columns headed by title

    # Tom is told.
    context = browser.new_context(base_url=live_server.url)
    learner_page = context.new_page()
    log_in(learner_page, STRUGGLING)
    learner_page.goto("/me/feedback")
    assert learner_page.get_by_text("Partly fair: the demo offer is relevant.").first.is_visible()
    assert learner_page.get_by_text("Swap the placeholder for her name").first.is_visible()
    context.close()
