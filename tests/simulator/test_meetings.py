"""Meetings: booked on a call, prepared for (reminder, agenda), then held or missed when due."""

from __future__ import annotations

import pytest

from simulator.events import ActionRefused
from simulator.exercises import build_world, exercise_spec
from simulator.meetings import resolve, show_rate
from simulator.response import PARAMS
from simulator.sandbox import Sandbox
from simulator.state import ContactState
from tests.simulator.test_live_calls import GATED, SEED, STRONG

AGENDA = "Your hygiene gaps, how recalls work today, and whether a pilot fits."


@pytest.fixture(scope="module")
def spec():
    return exercise_spec("cold-email-dental")


def _booked(spec) -> Sandbox:
    """A sandbox where the strong call booked a meeting with GATED for 16:00Z the next day."""
    sandbox = Sandbox(build_world(spec, SEED), spec)
    sandbox.advance_clock(hours=3)
    sandbox.start_conversation(GATED)
    for text in STRONG:
        if sandbox.say(text)["ended"]:
            break
    sandbox.end_conversation()
    assert sandbox.state.contacts[GATED].meeting == "accepted"
    return sandbox


def test_show_rates_follow_the_published_figures() -> None:
    assert show_rate(PARAMS, []) == pytest.approx(0.70)  # 30% no-shows unprepared
    assert show_rate(PARAMS, ["reminder"]) == pytest.approx(0.82)
    assert show_rate(PARAMS, ["agenda"]) == pytest.approx(0.835)
    both = show_rate(PARAMS, ["reminder", "agenda"])
    assert 0.90 <= both < 0.91  # "from 30% to under 10%"


def test_preparation_turns_a_missed_meeting_into_a_held_one_never_the_reverse() -> None:
    data = {
        "contact_id": "p1",
        "cause": 5,
        "meeting_at": 1_000_000,
        "draw": 0.85,
        "held": {"text": "held"},
        "no_show": {"text": "missed"},
    }
    cs = ContactState(meeting="accepted", meeting_at=1_000_000, meeting_cause=5)
    assert resolve(data, cs, PARAMS)[0] == "meeting_no_show"
    cs.meeting_prep = ["reminder", "agenda"]
    assert resolve(data, cs, PARAMS)[:2] == ("meeting_held", 1_001_800)
    for draw in [i / 100 for i in range(100)]:
        bare = resolve(
            {**data, "draw": draw}, ContactState(meeting="accepted", meeting_cause=5), PARAMS
        )
        if bare[0] == "meeting_held":
            assert resolve({**data, "draw": draw}, cs, PARAMS)[0] == "meeting_held"
    replaced = ContactState(meeting="accepted", meeting_cause=9)  # a later booking replaced it
    assert resolve(data, replaced, PARAMS) is None


def test_a_reminder_and_an_agenda_are_recorded_and_the_meeting_is_decided_when_due(spec) -> None:
    sandbox = _booked(spec)
    sandbox.send_reminder(GATED)
    sandbox.confirm_agenda(GATED, AGENDA)
    cs = sandbox.state.contacts[GATED]
    assert cs.meeting_prep == ["reminder", "agenda"]
    assert sandbox.state.counts["meeting_reminders"] == 1
    sandbox.advance_clock(minutes=10)  # before the meeting: nothing decided yet
    assert sandbox.state.contacts[GATED].meeting == "accepted"
    sandbox.advance_clock(days=2)
    assert sandbox.state.contacts[GATED].meeting in ("held", "no_show")
    types = [e.type for e in sandbox.events]
    assert "meeting_due" not in types  # the queue's item is never logged
    again = Sandbox.replay(sandbox.world, spec, [e.to_dict() for e in sandbox.events])
    assert again.state.snapshot() == sandbox.state.snapshot()


def test_preparing_never_changes_what_was_drawn(spec) -> None:
    bare, prepared = _booked(spec), _booked(spec)
    prepared.send_reminder(GATED)
    prepared.confirm_agenda(GATED, AGENDA)
    bare.advance_clock(days=2)
    prepared.advance_clock(days=2)
    outcomes = (bare.state.contacts[GATED].meeting, prepared.state.contacts[GATED].meeting)
    assert outcomes in (("held", "held"), ("no_show", "no_show"), ("no_show", "held"))


@pytest.mark.parametrize(
    ("act", "message", "field"),
    [
        (lambda s: s.send_reminder("p000001"), "has no meeting booked", "contact_id"),
        (lambda s: s.confirm_agenda(GATED, "  "), "write the agenda", "agenda"),
        (lambda s: s.confirm_agenda(GATED, "x" * 3000), "at most", "agenda"),
    ],
)
def test_bad_preparation_is_refused_and_changes_nothing(spec, act, message, field) -> None:
    sandbox = _booked(spec)
    before = sandbox.event_count
    with pytest.raises(ActionRefused, match=message) as refused:
        act(sandbox)
    assert refused.value.field == field
    assert sandbox.event_count == before


def test_a_second_reminder_and_a_reminder_after_the_meeting_are_refused(spec) -> None:
    sandbox = _booked(spec)
    sandbox.send_reminder(GATED)
    with pytest.raises(ActionRefused, match="already sent"):
        sandbox.send_reminder(GATED)
    sandbox.advance_clock(days=2)
    with pytest.raises(ActionRefused, match="nothing to prepare|already started"):
        sandbox.confirm_agenda(GATED, AGENDA)


def test_a_reminder_days_ahead_is_too_early(spec) -> None:
    sandbox = _booked(spec)
    cs = sandbox.state.contact(GATED)
    cs.meeting_at = sandbox.state.clock + 4 * 86_400  # a meeting four days out
    with pytest.raises(ActionRefused, match="too early.*48 hours"):
        sandbox.send_reminder(GATED)


def test_the_handoff_context_holds_what_the_call_uncovered_in_the_buyers_words() -> None:
    from simulator.contexts import handoff_context
    from tests.support.booking import find_booking, play

    spec = exercise_spec("book-meeting-handoff")
    sandbox = Sandbox(build_world(spec, 3), spec)
    found = find_booking(sandbox)
    play(sandbox, found.contact_id)
    context = handoff_context(sandbox, found.contact_id)
    lines = set(context["buyer_lines"])
    uncovered = {f: v for f, v in context["facts"].items() if v["uncovered"]}
    assert uncovered and all(v["said"] in lines for v in uncovered.values())  # one line each
    hidden = [v for v in context["facts"].values() if not v["uncovered"]]
    assert all(set(v) == {"uncovered"} for v in hidden)  # no value the call did not reveal
    assert context["meeting"]["status"] == "accepted" and context["meeting"]["local"]


def test_the_next_event_is_the_meeting_held_not_the_moment_it_is_decided(spec) -> None:
    sandbox = _booked(spec)
    sandbox.send_reminder(GATED)
    sandbox.confirm_agenda(GATED, AGENDA)
    cs = sandbox.state.contacts[GATED]
    assert cs.meeting_at is not None
    shown = sandbox.next_outcome_at()
    assert shown in (cs.meeting_at + 900, cs.meeting_at + 1800)
    sandbox.advance_clock(until="next_event")
    assert sandbox.state.contacts[GATED].meeting in ("held", "no_show")
