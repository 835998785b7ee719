"""Book a meeting on a live call, prepare it, let it be held, and hand in the handoff note:
through the forms, and through the JSON API."""

from __future__ import annotations

import html
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from leadworks.accounts.models import User
from leadworks.practice.service import stored_events
from simulator import replay_log
from tests.conftest import bearer
from tests.integration.test_sandbox_pages import Played, _play
from tests.support.booking import AGENDA, find_booking

EXERCISE = "book-meeting-handoff"


@pytest.fixture
def booking(client: TestClient, session: Session, learner: User) -> Played:
    return _play(client, session, learner, EXERCISE)


def _text(response) -> str:
    return html.unescape(response.text)


def _call(played: Played) -> tuple[str, tuple[str, ...]]:
    """Open the prospect the policy books, and book the meeting through the call page."""
    found = find_booking(played.sandbox())
    contact, path = found.contact_id, f"/prospects/{found.contact_id}/conversation"
    assert played.client.get(f"{played.base}/prospects/{contact}").status_code == 200
    played.post(path + "/start")
    for text in found.turns:
        played.post(path + "/say", {"text": text})
    played.post(path + "/end")
    return contact, found.turns


def _note(played: Played, contact: str) -> dict[str, str]:
    """A note written from the call as the page shows it: the buyer's words quoted."""
    call = played.sandbox().state.calls[-1]
    buyer = [t["text"] for t in call["turns"] if t["speaker"] == "buyer"]
    return {
        "pains": f'In their words: "{buyer[2]}"',
        "stakeholders": "Not discussed.",
        "budget": "Not discussed.",
        "timeline": "Not discussed.",
        "current_vendor": "Not discussed.",
        "next_meeting": call["meeting"]["local"].replace(" ", " at ") + " their time.",
        "notes": "",
    }


def test_book_prepare_hold_and_hand_in_the_handoff(booking: Played) -> None:
    contact, turns = _call(booking)
    page = booking.client.get(f"{booking.base}/prospects/{contact}/conversation")
    assert "Send a reminder" in page.text and "Confirm the agenda" in page.text
    reminded = booking.post(f"/prospects/{contact}/meeting/remind", follow_redirects=True)
    assert "Reminder sent to" in _text(reminded)
    agreed = booking.post(
        f"/prospects/{contact}/meeting/agenda", {"agenda": AGENDA}, follow_redirects=True
    )
    assert "Agenda sent to" in _text(agreed) and "prepared: reminder, agenda" in _text(agreed)
    before = booking.events()
    again = booking.post(f"/prospects/{contact}/meeting/remind", follow_redirects=True)
    assert "already sent" in _text(again) and booking.events() == before
    for _ in range(2):
        booking.post("/clock", {"mode": "day"})
    board = _text(booking.client.get(f"{booking.base}/pipeline"))
    assert "1 booked" in board and "1 held" in board
    hand_in = _text(booking.client.get(f"{booking.base}/hand-in"))
    assert "Write the handoff note on the prospect's call page" in hand_in and ": held" in hand_in
    overview = _text(booking.client.get(booking.base))
    assert "write the handoff note on the call page" in overview
    graded = booking.post(
        "/hand-in", {"contact_id": contact, **_note(booking, contact)}, follow_redirects=True
    )
    assert graded.status_code == 200 and "Handed in and graded" in _text(graded)
    grade = _text(booking.client.get(f"{booking.base}/grade"))
    assert "The call on the call rubric" in grade
    assert "You, turn 1" in grade and turns[0][:30] in grade
    assert "Pains, in the buyer" in grade and "<mark" in grade


def test_preparing_without_a_meeting_is_refused_and_changes_nothing(booking: Played) -> None:
    contact = booking.sandbox().world.contacts[0].id
    before = booking.events()
    refused = booking.post(f"/prospects/{contact}/meeting/remind", follow_redirects=True)
    assert "No reminder was sent" in _text(refused) and "no meeting booked" in _text(refused)
    empty = booking.post(
        f"/prospects/{contact}/meeting/agenda", {"agenda": ""}, follow_redirects=True
    )
    assert "The agenda was not sent" in _text(empty)
    assert booking.events() == before


def test_a_handoff_for_a_prospect_never_called_names_the_field(booking: Played) -> None:
    contact = booking.sandbox().world.contacts[0].id
    refused = booking.post(
        "/hand-in", {"contact_id": contact, "pains": "Busy."}, follow_redirects=True
    )
    assert "Name a prospect you finished a call with" in _text(refused)


def test_the_handoff_through_the_api_quotes_the_note_and_the_call(
    client: TestClient, learner: User, session: Session
) -> None:
    headers = bearer(client, learner)
    run = client.post(f"/api/v1/exercises/{EXERCISE}/runs", headers=headers).json()
    url = f"/api/v1/runs/{run['id']}/actions"

    def act(action: dict) -> dict:
        answer = client.post(
            url, json=action, headers=headers | {"Idempotency-Key": uuid.uuid4().hex}
        )
        assert answer.status_code == 200, answer.text
        return answer.json()

    found = find_booking(replay_log(stored_events(session=session, run_id=run["id"])))
    act({"type": "view_profile", "contact_id": found.contact_id})
    act({"type": "start_conversation", "contact_id": found.contact_id})
    for text in found.turns:
        act({"type": "say", "text": text})
    act({"type": "end_conversation"})
    act({"type": "send_reminder", "contact_id": found.contact_id})
    act({"type": "confirm_agenda", "contact_id": found.contact_id, "agenda": AGENDA})
    act({"type": "advance_clock", "days": 2})
    note = {"pains": "Not discussed.", "next_meeting": "Tomorrow at 10am their time."}
    handed = client.post(
        f"/api/v1/runs/{run['id']}/submission",
        json={"submission": note, "contact_id": found.contact_id},
        headers=headers | {"Idempotency-Key": uuid.uuid4().hex},
    )
    assert handed.status_code == 201, handed.text
    grade = handed.json()["grade"]
    assert grade["kind"] == "handoff" and grade["parts"][0]["kind"] == "call"
    quoted = [
        e["quote"] for c in grade["parts"][0]["checks"] for e in c["evidence"] if e.get("quote")
    ]
    assert any(q in " ".join(found.turns) for q in quoted)


@pytest.mark.parametrize(
    ("note", "field"), [({"pains": 5}, "pains"), ({"budget": "x" * 5_001}, "budget")]
)
def test_a_malformed_handoff_through_the_api_names_the_field_and_changes_nothing(
    client: TestClient, learner: User, session: Session, note: dict, field: str
) -> None:
    headers = bearer(client, learner)
    run = client.post(f"/api/v1/exercises/{EXERCISE}/runs", headers=headers).json()
    before = len(stored_events(session=session, run_id=run["id"]))
    handed = client.post(
        f"/api/v1/runs/{run['id']}/submission",
        json={"submission": note},
        headers=headers | {"Idempotency-Key": uuid.uuid4().hex},
    )
    assert handed.status_code == 422, handed.text
    assert field in handed.text
    assert len(stored_events(session=session, run_id=run["id"])) == before
