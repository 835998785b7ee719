"""The live-call page: dial, say turns, hang up and hand the call in, through the forms."""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from leadworks.accounts.models import User
from tests.integration.test_sandbox_pages import Played, _play

EXERCISE = "cold-call-gatekeeper"


@pytest.fixture
def calling(client: TestClient, session: Session, learner: User) -> Played:
    return _play(client, session, learner, EXERCISE)


def _callable(played: Played) -> str:
    sandbox = played.sandbox()
    for contact in sandbox.world.contacts:
        if contact.decision_maker and contact.phone and not sandbox.do_not_call(contact):
            return contact.id
    raise AssertionError("nobody to call in this world")


def _text(response) -> str:
    return html.unescape(response.text)


@pytest.mark.parametrize("htmx", [False, True])
def test_the_call_page_renders_whole_or_as_the_workspace_block(calling: Played, htmx) -> None:
    contact = _callable(calling)
    headers = {"HX-Request": "true"} if htmx else {}
    page = calling.client.get(f"{calling.base}/prospects/{contact}/conversation", headers=headers)
    assert page.status_code == 200
    assert "Dial" in page.text
    assert ("<html" in page.text) is not htmx


def test_dial_talk_hang_up_and_hand_in_the_call(calling: Played) -> None:
    contact = _callable(calling)
    path = f"/prospects/{contact}/conversation"
    dialled = calling.post(path + "/start", follow_redirects=True)
    assert dialled.status_code == 200 and "someone picked up" in _text(dialled)
    before = calling.events()
    said = calling.post(
        path + "/say",
        {"text": "Hi, this is Priya from ChairFill. Is now a bad time?"},
        follow_redirects=True,
    )
    assert "You:</strong> Hi, this is Priya from ChairFill." in _text(said)
    assert calling.events() > before
    calling.post(path + "/end", follow_redirects=True)
    hand_in = calling.client.get(f"{calling.base}/hand-in")
    assert "Hand in this call" in hand_in.text
    graded = calling.post("/hand-in", {"contact_id": contact}, follow_redirects=True)
    assert graded.status_code == 200 and "Handed in and graded" in _text(graded)
    grade_page = calling.client.get(f"{calling.base}/grade")
    assert "You, turn 1" in grade_page.text and "<mark" in grade_page.text
    debrief = calling.client.get(f"{calling.base}/debrief")
    assert "what each turn earned" in debrief.text


def test_bad_turns_say_what_was_wrong_and_change_nothing(calling: Played) -> None:
    contact = _callable(calling)
    path = f"/prospects/{contact}/conversation"
    not_yet = calling.post(path + "/say", {"text": "Hello?"}, follow_redirects=True)
    assert "no call in progress" in _text(not_yet)
    calling.post(path + "/start")
    before = calling.events()
    empty = calling.post(path + "/say", {"text": "  "}, follow_redirects=True)
    assert "the turn is empty" in _text(empty)
    long = calling.post(path + "/say", {"text": "a" * 20_000}, follow_redirects=True)
    assert "at most 2000 characters" in _text(long)
    assert calling.events() == before
