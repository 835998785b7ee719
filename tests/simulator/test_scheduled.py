"""Scheduled sends: they go out when the clock passes their time, replay byte for byte,
and are skipped (saying why) when the contact can no longer be reached."""

from __future__ import annotations

import pytest

from simulator import Sandbox
from simulator.calling_hours import may_call_at, next_allowed
from simulator.events import ActionRefused, iso, parse_iso

from .conftest import GOOD_BODY, fixed_analyser


def _callable_contact(sandbox: Sandbox):
    for contact in sandbox.world.contacts:
        if contact.phone and contact.email and not sandbox.opted_out(contact):
            if not sandbox.do_not_call(contact):
                return contact
    raise AssertionError("no reachable contact")


def test_a_scheduled_email_goes_out_when_the_clock_passes_its_time(gyms: Sandbox) -> None:
    contact = _callable_contact(gyms)
    gyms.view_profile(contact.id)
    at = gyms.state.clock + 5 * 3600
    gyms.schedule_send(contact.id, channel="email", body=GOOD_BODY, subject="Hi", at=iso(at))
    assert gyms.state.counts["sent_email"] == 0
    assert [s["contact_id"] for s in gyms.scheduled_sends()] == [contact.id]
    gyms.advance_clock(hours=4)
    assert gyms.state.counts["sent_email"] == 0
    gyms.advance_clock(hours=2)
    sent = [e for e in gyms.events if e.type == "message_sent"]
    assert len(sent) == 1 and sent[0].actor == "world" and sent[0].at == iso(at)
    assert "{{" not in sent[0].data["body"]
    assert gyms.state.counts["sent_email"] == 1
    assert gyms.scheduled_sends() == []


def test_a_scheduled_call_rings_inside_the_allowed_hours(gyms: Sandbox) -> None:
    contact = _callable_contact(gyms)
    company = gyms.world.company_of(contact)
    slot = next_allowed(company, contact, gyms.state.clock + 12 * 3600)
    gyms.schedule_send(
        contact.id, channel="call", body="Hi, calling about {{company}}?", at=iso(slot)
    )
    gyms.advance_clock(days=1)
    calls = [e for e in gyms.events if e.type == "call"]
    assert len(calls) == 1 and may_call_at(company, contact, parse_iso(calls[0].at))
    assert not [v for v in gyms.state.violations if v.get("kind") == "call_outside_hours"]


def test_scheduled_sends_replay_to_the_same_events(gyms: Sandbox) -> None:
    contact = _callable_contact(gyms)
    at = iso(gyms.state.clock + 3 * 3600)
    gyms.schedule_send(contact.id, channel="email", body=GOOD_BODY, at=at, subject="Hello")
    gyms.advance_clock(days=3)
    log = [e.to_dict() for e in gyms.events]
    again = Sandbox.replay(gyms.world, gyms.exercise, log, analyser=fixed_analyser)
    assert [e.to_dict() for e in again.events] == log


def test_a_send_after_a_reply_is_skipped_when_asked(gyms: Sandbox) -> None:
    contact = _callable_contact(gyms)
    gyms.schedule_send(
        contact.id,
        channel="email",
        body=GOOD_BODY,
        at=iso(gyms.state.clock + 3600),
        unless_replied=True,
    )
    gyms.state.contact(contact.id).replied = True  # as if their reply had just come in
    gyms.advance_clock(hours=2)
    skipped = [e for e in gyms.events if e.type == "scheduled_send_skipped"]
    assert len(skipped) == 1 and "replied" in skipped[0].data["reason"]
    assert gyms.state.counts["sent_email"] == 0


@pytest.mark.parametrize(
    ("at", "field"),
    [("2000-01-01T00:00:00Z", "at"), ("soon", "at"), ("2999-01-01T00:00:00Z", "at")],
)
def test_a_time_in_the_past_or_after_the_end_is_refused(gyms: Sandbox, at: str, field: str) -> None:
    contact = _callable_contact(gyms)
    before = gyms.event_count
    with pytest.raises(ActionRefused) as refused:
        gyms.schedule_send(contact.id, channel="email", body=GOOD_BODY, at=at)
    assert refused.value.field == field and gyms.event_count == before


def test_a_send_that_could_not_go_out_now_is_refused_when_scheduled(gyms: Sandbox) -> None:
    blocked = next(c for c in gyms.world.contacts if c.truth.opted_out)
    with pytest.raises(ActionRefused) as refused:
        gyms.schedule_send(
            blocked.id, channel="email", body=GOOD_BODY, at=iso(gyms.state.clock + 3600)
        )
    assert refused.value.field == "contact_id"
