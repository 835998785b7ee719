"""Calls: openers filled like messages, judged by the grader's call rubric, meetings at
the published rate (issue 13, item 1)."""

from __future__ import annotations

from dataclasses import replace

from simulator import Sandbox, open_exercise
from simulator.calibration import CALL_WORLD_SCALE, reference_policies
from simulator.response import PARAMS, call_opener_quality, meeting_accept_odds
from simulator.signals import Signals

from .conftest import fixed_analyser

GOOD_OPENER = (
    "Hi {{first_name}}, this is {{sender_name}} from {{sender_company}}. Do you have 30"
    " seconds? I'm calling because {{segment}} owners tell us {{pain}} costs them members,"
    " and we helped one gym win back 40 trial visitors a month. Is that something you're"
    " working on?"
)


def _callable(sb: Sandbox) -> str:
    return next(c.id for c in sb.world.contacts if c.phone and not c.truth.do_not_call)


def test_a_call_opener_is_filled_before_it_is_judged() -> None:
    sb = open_exercise("capstone-local-gyms", seed=11)  # the grader's own analysis
    contact_id = _callable(sb)
    sb.call(contact_id, opener=GOOD_OPENER)
    call = next(e for e in sb.events if e.type == "call")
    contact = sb.world.contact(contact_id)
    assert contact is not None
    assert call.data["opener"].startswith(f"Hi {contact.first_name},")
    assert "{{" not in call.data["opener"] and call.data["unfilled_fields"] == []
    signals = Signals.from_stored(call.data["signals"])
    assert not signals.unfilled_merge_field
    # judged as a call: permission, a reason and an open question fill the channel's form
    assert signals.channel_fit == 1.0


def test_an_unknown_merge_field_in_an_opener_is_said_aloud_and_recorded() -> None:
    sb = open_exercise("capstone-local-gyms", seed=11)
    contact_id = _callable(sb)
    sb.call(contact_id, opener="Hi {{first_name}}, I'm calling about {{nonsense}}. Worth a chat?")
    call = next(e for e in sb.events if e.type == "call")
    assert call.data["unfilled_fields"] == ["nonsense"]
    assert Signals.from_stored(call.data["signals"]).unfilled_merge_field


def _signals(**changes: object) -> Signals:
    base = fixed_analyser({"channel": "call", "body": "Why I'm calling?"}, {})
    return replace(base, **changes)  # type: ignore[arg-type]


def test_the_call_rubric_drives_the_opener_quality() -> None:
    good = _signals(channel_fit=1.0, relevance=1.0, value=1.0, cta=1.0, length_fit=1.0)
    poor = _signals(channel_fit=0.0, relevance=0.3, value=0.0, cta=1.0, length_fit=0.3)
    assert call_opener_quality(good) > 1.3 > 1.0 > call_opener_quality(poor) > 0.5
    researched = replace(good, personalization=1.0)
    assert call_opener_quality(researched) > call_opener_quality(good)
    unfilled = replace(good, unfilled_merge_field=True)
    assert call_opener_quality(unfilled) < 0.5 * call_opener_quality(good)
    hostile = replace(good, hostile=True)
    assert call_opener_quality(hostile) < 0.5 * call_opener_quality(good)


def test_an_opener_recorded_before_the_call_rubric_keeps_its_old_quality() -> None:
    old = _signals(channel_fit=None)
    from simulator.response import message_quality

    assert call_opener_quality(old) == message_quality(old)


def test_a_meeting_agreed_on_the_call_is_confirmed_unless_the_invite_is_late() -> None:
    contact = open_exercise("capstone-local-gyms", seed=11).world.contacts[0]
    assert meeting_accept_odds(contact, "call_meeting", 0.5) == PARAMS.call_meeting_confirm
    assert meeting_accept_odds(contact, "call_meeting", 48) < 0.5
    strict = replace(PARAMS, call_meeting_confirm=0.5)
    assert meeting_accept_odds(contact, "call_meeting", 0.5, strict) == 0.5


def test_a_call_that_books_a_meeting_says_so_and_sets_the_interest_source() -> None:
    params = replace(PARAMS, call_meeting_given_conversation=0.95, call_connect_base=0.95)
    from simulator.exercises import build_world, exercise_spec

    spec = exercise_spec("capstone-local-gyms")
    sb = Sandbox(build_world(spec, 11), spec, analyser=fixed_analyser, params=params)
    sb.advance_clock(hours=3)  # 16:00 UTC: daytime across North America
    booked = []
    for contact in [c for c in sb.world.contacts if c.phone and c.truth.fits_icp][:20]:
        result = sb.call(contact.id, opener="Hi {{first_name}}, I'm calling about {{pain}}?")
        if result["meeting"]:
            assert result["kind"] == "interested" and result["conversation"]
            booked.append(contact.id)
    assert booked, "with near-certain odds some calls book a meeting"
    assert all(sb.state.contacts[c].interest_source == "call_meeting" for c in booked)
    assert sb.state.counts["call_meetings"] == len(booked)


def test_the_calibration_calls_three_times_on_a_larger_world() -> None:
    calls = reference_policies()["calls-10am"]
    assert [s.channel for s in calls.steps] == ["call"] * 3
    assert CALL_WORLD_SCALE >= 2
