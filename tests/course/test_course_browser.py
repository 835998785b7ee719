"""The page script in Debian's Chromium: instant feedback for anonymous readers, and the
progress calls (mocked /learn endpoints, as the app will serve them) for a signed-in learner.

The fixture course is served as a plain static site under /course/, like the app mounts it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from course.build import build_site
from tests.course.course_fixture import write_fixture_course

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")
LESSON_PATH = "/course/03-lead-fundamentals/what-is-a-lead/"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def course_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("served")
    course = write_fixture_course(root / "src")
    build_site(quiet=True, docs_dir=course / "lessons", site_dir=root / "www" / "course")
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(_QuietHandler, directory=str(root / "www"))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _answer_quiz(page: Any, *, multiple: list[int]) -> None:
    base = "#lw-what-is-a-lead"
    page.check(f"{base}-q1-1")
    for index in multiple:
        page.check(f"{base}-q2-{index}")
    page.fill(f"{base}-q3-input", "5")
    page.fill(f"{base}-q4-input", "  Sales ")
    page.click("form.lw-quiz button[type=submit]")


def test_anonymous_reader_gets_instant_feedback(browser: Any, course_url: str) -> None:
    page = browser.new_page()
    page.goto(course_url + LESSON_PATH)
    _answer_quiz(page, multiple=[0])
    assert page.inner_text(".lw-quiz__result") == "You scored 3.33 of 4."
    q1 = page.locator("#lw-what-is-a-lead-q1")
    assert "lw-question--right" in q1.get_attribute("class")
    assert "Interest plus a way to reach them." in q1.inner_text()
    q2 = page.locator("#lw-what-is-a-lead-q2")
    assert "lw-question--partly" in q2.get_attribute("class")
    assert "Answer: MQL; SQL; Opportunity" in q2.inner_text()
    assert page.locator(".lw-progress").is_hidden()  # no server: no progress UI
    assert page.locator(".lw-quiz__record").is_hidden()
    page.click("form.lw-quiz button[type=reset]")
    assert page.inner_text(".lw-quiz__result") == ""
    page.close()


def test_signed_in_learner_records_quiz_and_completion(browser: Any, course_url: str) -> None:
    page = browser.new_page()
    calls: list[tuple[str, str, str | None, Any]] = []
    status = {"lesson_id": "what-is-a-lead", "completed": False, "completed_at": None, "quiz": None}

    def learn(route: Any) -> None:
        request = route.request
        body = json.loads(request.post_data) if request.post_data else None
        calls.append((request.method, request.url, request.headers.get("x-csrf-token"), body))
        if request.url.endswith("/learn/session"):
            payload: dict[str, Any] = {
                "authenticated": True,
                "name": "Ana",
                "role": "learner",
                "csrf_token": "tok-123",
            }
        elif request.url.endswith("/complete"):
            status.update(completed=True, completed_at="2025-03-04T10:00:00Z")
            payload = status
        elif request.url.endswith("/quiz"):
            status["quiz"] = {"score": 4.0, "possible": 4.0, "attempts": 1}
            payload = {
                "kind": "quiz",
                "score": 4.0,
                "possible": 4.0,
                "checks": [],
                "recorded": True,
            }
        else:
            payload = status
        route.fulfill(status=200, content_type="application/json", body=json.dumps(payload))

    page.route("**/learn/**", learn)
    page.goto(course_url + LESSON_PATH)
    widget = page.locator(".lw-progress")
    widget.wait_for(state="visible")
    assert page.inner_text(".lw-progress__status") == "Not completed yet."
    assert "not taken yet" in page.inner_text(".lw-progress__quiz")
    assert page.get_attribute("a.md-button[href='/me/progress']", "href") == "/me/progress"

    page.click(".lw-progress__complete")
    page.wait_for_function("document.querySelector('.lw-progress__complete').disabled")
    assert page.inner_text(".lw-progress__status").startswith("Completed on")

    _answer_quiz(page, multiple=[0, 1, 3])
    page.wait_for_function(
        "document.querySelector('.lw-quiz__record').textContent.startsWith('Recorded')"
    )
    assert page.inner_text(".lw-quiz__record").startswith("Recorded: 4 of 4")
    page.wait_for_function(
        "document.querySelector('.lw-progress__quiz').textContent.includes('1 attempt')"
    )

    posts = [(url, token, body) for method, url, token, body in calls if method == "POST"]
    assert [url.rsplit("/", 1)[1] for url, _, _ in posts] == ["complete", "quiz"]
    assert all(token == "tok-123" for _, token, _ in posts)
    assert posts[1][2] == {"answers": {"q1": 1, "q2": [0, 1, 3], "q3": 5, "q4": "Sales"}}
    page.close()
