"""Time that behaves like time (issue #15, item 2): the clock moves by hours and to a chosen
time, a send can be timed in the prospect's own time zone, and a call that would break
their hours asks to be scheduled for the next allowed slot instead."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from leadworks.accounts.models import User
from leadworks.practice import read
from leadworks.practice.models import SequencePlan
from leadworks.practice.send_time import contact_time
from leadworks.submissions.work import work_facts
from simulator.calling_hours import may_call_at
from simulator.events import iso, parse_iso
from tests.integration.test_sandbox_pages import (
    GOOD_BODY,
    Played,
    _emailable,
    _play,
    _prospects,
)


def test_the_clock_moves_by_an_hour_by_hours_and_to_a_chosen_time(
    client: TestClient, session: Session, learner: User
) -> None:
    played = _play(client, session, learner)
    start = played.sandbox().state.clock
    assert "+1 hour" in played.client.get(played.base).text
    assert played.post("/clock", {"mode": "hour"}).status_code == 303
    assert played.sandbox().state.clock == start + 3600
    assert played.post("/clock", {"mode": "hours", "hours": "2.5"}).status_code == 303
    assert played.sandbox().state.clock == start + 3600 + 9000
    target = iso(start + 2 * 86_400 + 1800)[:16]  # "2025-03-05T13:30"
    moved = played.post("/clock", {"mode": "until", "until": target})
    assert moved.status_code == 303
    assert played.sandbox().state.clock == parse_iso(target)


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"mode": "hours", "hours": "soon"}, "hours to move as a number"),
        ({"mode": "hours", "hours": "-2"}, "at most 1,440 hours"),
        ({"mode": "until", "until": "2000-01-01T00:00"}, "Time only moves forward"),
        ({"mode": "until", "until": "yesterday"}, "Choose the date and time"),
        ({"mode": "until", "until": "2999-01-01T00:00"}, "The exercise ends at"),
        ({"mode": "week"}, "Advance the clock by an"),
    ],
)
def test_a_bad_clock_move_is_refused_saying_why(
    client: TestClient, session: Session, learner: User, fields: dict, said: str
) -> None:
    played = _play(client, session, learner)
    before = played.count()
    answer = played.post("/clock", fields)
    assert answer.status_code == 303
    page = played.client.get(answer.headers["location"]).text
    assert "The clock did not move" in page and said in page
    assert played.count() == before


def test_a_timed_email_goes_out_at_their_local_time(
    client: TestClient, session: Session, learner: User
) -> None:
    played = _play(client, session, learner)
    who = _emailable(played)
    sandbox = played.sandbox()
    contact = sandbox.world.contact(who)
    page = played.client.get(f"{played.base}/compose?contact_id={who}").text
    assert contact_time(sandbox, contact).text in page and "Send at, their local time" in page
    local_now = contact_time(sandbox, contact)
    day = iso(sandbox.state.clock + 86_400)[:10]
    message = {
        "contact_id": who,
        "channel": "email",
        "subject": "Hygiene gaps",
        "body": GOOD_BODY,
        "send_at": f"{day}T09:15",
    }
    sent = played.post("/compose/send", message, stale=False)
    assert sent.status_code == 303, sent.text[:500]
    page = played.client.get(f"{played.base}/compose").text
    assert "Scheduled" in page and contact.name in page
    assert played.sandbox().state.counts["sent_email"] == 0
    played.post("/clock", {"mode": "day"})
    played.post("/clock", {"mode": "day"})
    after = played.sandbox()
    out = [e for e in after.events if e.type == "message_sent"]
    assert len(out) == 1 and out[0].actor == "world"
    assert contact_time(after, contact, parse_iso(out[0].at)).iso_local == f"{day}T09:15"
    assert local_now.zone == after.world.company_of(contact).timezone
    # it is the learner's work: listed as sent, and counted by the grader's work facts
    assert [m["data"]["contact_id"] for m in read.sent_messages(after)] == [who]
    assert who in work_facts(after)["contacts"]


def test_a_time_already_past_for_them_is_refused(
    client: TestClient, session: Session, learner: User
) -> None:
    played = _play(client, session, learner)
    who = _emailable(played)
    before = played.count()
    message = {"contact_id": who, "channel": "email", "body": GOOD_BODY}
    answer = played.post("/compose/send", message | {"send_at": "2000-01-01T09:00"}, stale=False)
    assert answer.status_code == 400 and "That time has passed for them" in answer.text
    assert played.count() == before


def _out_of_hours_callee(played: Played) -> str:
    """A callable gym contact for whom it is outside calling hours right now."""
    sandbox = played.sandbox()
    for contact in sandbox.world.contacts:
        company = sandbox.world.company_of(contact)
        if contact.phone is None or sandbox.do_not_call(contact):
            continue
        if not may_call_at(company, contact, sandbox.state.clock):
            return contact.id
    raise AssertionError("everyone may be called now")


def test_a_call_outside_their_hours_asks_to_schedule_it(
    client: TestClient, session: Session, learner: User
) -> None:
    played = _play(client, session, learner, "capstone-local-gyms")
    played.post("/clock", {"mode": "hours", "hours": "14"})  # evening in the Americas
    who = _out_of_hours_callee(played)
    before = played.count()
    call = {"contact_id": who, "channel": "call", "body": "Hi, calling about {{company}}?"}
    asked = played.post("/compose/send", call, stale=False)
    assert asked.status_code == 400 and "calls are allowed" in asked.text
    assert 'name="schedule" value="next"' in asked.text
    assert played.count() == before
    scheduled = played.post("/compose/send", call | {"schedule": "next"}, stale=False)
    assert scheduled.status_code == 303
    played.post("/clock", {"mode": "day"})
    sandbox = played.sandbox()
    calls = [e for e in sandbox.events if e.type == "call"]
    assert len(calls) == 1
    contact = sandbox.world.contact(who)
    assert may_call_at(sandbox.world.company_of(contact), contact, parse_iso(calls[0].at))
    assert not [v for v in sandbox.state.violations if v.get("kind") == "call_outside_hours"]


def timed_sequence(
    client: TestClient, session: Session, learner: User, second: dict[str, str]
) -> Played:
    """A capstone run with a list of 12 gyms and a saved two-step sequence: an email at
    09:30 their time, then ``second`` (step 1's fields without their ``step-1-`` prefix)."""
    played = _play(client, session, learner, "capstone-local-gyms")
    ids = [r["id"] for r in _prospects(played, has_email="yes", has_phone="yes")][:12]
    played.post("/lists/add", {"contact_ids": ids, "new_list": "Gyms"})
    form = {
        "name": "Timed touches",
        "list_name": "Gyms",
        "stop_on_reply": "yes",
        "stop_on_opt_out": "yes",
        "step-0-channel": "email",
        "step-0-send_time": "09:30",
        "step-0-subject": "Members at {{company}}",
        "step-0-body": GOOD_BODY,
    } | {f"step-1-{name}": value for name, value in second.items()}
    assert played.post("/sequences", form, stale=False).status_code == 303
    return played


def test_sequence_steps_go_out_at_their_local_time_and_calls_keep_to_hours(
    client: TestClient, session: Session, learner: User
) -> None:
    played = timed_sequence(
        client, session, learner,
        {"channel": "call", "delay_days": "1",
         "body": "Hi {{first_name}}, calling about the email I sent: is now a bad time?"},
    )  # fmt: skip
    page = played.client.get(played.base + "/sequences").text
    assert "at 09:30 their time" in page
    plan = session.exec(select(SequencePlan).where(SequencePlan.run_id == played.run.id)).one()
    assert [s["send_time"] for s in plan.steps] == ["09:30", None]
    played.post("/sequences/start", {"plan_id": str(plan.id)})
    for _ in range(4):
        played.post("/clock", {"mode": "day"})
    sandbox = played.sandbox()
    emails = [e for e in sandbox.events if e.type == "message_sent"]
    calls = [e for e in sandbox.events if e.type == "call"]
    assert emails and calls
    for event in emails:
        contact = sandbox.world.contact(event.data["contact_id"])
        assert contact_time(sandbox, contact, parse_iso(event.at)).iso_local[11:] == "09:30"
    for event in calls:
        contact = sandbox.world.contact(event.data["contact_id"])
        company = sandbox.world.company_of(contact)
        assert may_call_at(company, contact, parse_iso(event.at)), event.at
    assert not [v for v in sandbox.state.violations if v.get("kind") == "call_outside_hours"]


def test_a_step_send_time_that_is_not_a_time_is_refused(
    client: TestClient, session: Session, learner: User
) -> None:
    played = _play(client, session, learner, "capstone-local-gyms")
    form = {
        "name": "Bad time",
        "step-0-channel": "email",
        "step-0-send_time": "25:99",
        "step-0-body": GOOD_BODY,
    }
    answer = played.post("/sequences", form, stale=False)
    assert answer.status_code == 400 and "e.g. 09:30" in answer.text
    assert (
        session.exec(select(SequencePlan).where(SequencePlan.run_id == played.run.id)).all() == []
    )
