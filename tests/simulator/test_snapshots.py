"""A run resumed from a stored snapshot is the run a full refold gives, or is refused.

The oracle is ``Sandbox.replay`` of the whole log: a resumed sandbox must hold the same
state, log, outcome queue and scheduling counter, and must go on exactly like it (the
same events for the same next actions). A snapshot that belongs to another engine, world
or log, or that is damaged, is refused so that the caller refolds instead.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from simulator import Sandbox, open_exercise
from simulator import snapshots as snap
from simulator.events import Event
from simulator.snapshots import SnapshotUnusable, resume, take_snapshot
from tests.support.booking import find_booking, play

from .conftest import GOOD_BODY, fixed_analyser
from .scripts import play_script


def _same(a: Sandbox, b: Sandbox) -> None:
    assert a.state.snapshot() == b.state.snapshot()
    assert a.events == b.events
    assert a._pending == b._pending
    assert a._scheduled == b._scheduled


def _go_on(sandbox: Sandbox) -> list[Event]:
    """The same next actions for both sides: an email to someone new, then time passing."""
    target = next(
        c.id for c in sandbox.world.contacts if c.email and c.id not in sandbox.state.contacts
    )
    before = sandbox.event_count
    sandbox.send_message(target, channel="email", subject="Hi", body=GOOD_BODY)
    sandbox.advance_clock(days=3)
    return sandbox.events_since(before)


@pytest.fixture(scope="module")
def played() -> Sandbox:
    sandbox = open_exercise("capstone-local-gyms", seed=11, analyser=fixed_analyser)
    play_script(sandbox)
    return sandbox


def test_a_run_resumed_at_any_point_is_the_refolded_run(played: Sandbox) -> None:
    log = list(played.events)
    learner = [e.seq for e in log if e.actor == "learner"]
    for cut in learner[1 :: max(1, len(learner) // 8)]:  # eight points along the run
        head = Sandbox.replay(played.world, played.exercise, log[:cut])
        blob = take_snapshot(head)
        assert blob is not None
        resumed = resume(played.world, played.exercise, blob, log, analyser=fixed_analyser)
        refolded = Sandbox.replay(played.world, played.exercise, log, analyser=fixed_analyser)
        _same(resumed, refolded)
        assert _go_on(resumed) == _go_on(refolded), f"resumed at event {cut}"


def test_a_snapshot_taken_at_the_end_resumes_with_nothing_to_replay(played: Sandbox) -> None:
    blob = take_snapshot(played)
    assert blob is not None
    resumed = resume(played.world, played.exercise, blob, list(played.events))
    _same(resumed, played)


def test_live_calls_and_meetings_resume_alike() -> None:
    sandbox = open_exercise("book-meeting-handoff", seed=3, analyser=fixed_analyser)
    booking = find_booking(sandbox, strict=False)
    sandbox.view_profile(booking.contact_id)
    sandbox.start_conversation(booking.contact_id)
    sandbox.say(booking.turns[0])
    if sandbox.state.call is not None:
        assert take_snapshot(sandbox) is None  # a call in progress is never snapshotted
        sandbox.end_conversation()
    sandbox.advance_clock(hours=1)
    sandbox.view_profile(booking.contact_id)
    play(sandbox, booking.contact_id)  # books a meeting on a live call
    blob = take_snapshot(sandbox)
    assert blob is not None
    sandbox.send_reminder(booking.contact_id)
    sandbox.advance_clock(days=2)  # the meeting falls due: held or missed
    log = list(sandbox.events)
    resumed = resume(sandbox.world, sandbox.exercise, blob, log)
    _same(resumed, Sandbox.replay(sandbox.world, sandbox.exercise, log))
    assert sandbox.state.contacts[booking.contact_id].meeting is not None


def test_a_snapshot_of_another_run_engine_or_log_is_refused(
    played: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = list(played.events)
    cut = next(e.seq for e in log[len(log) // 2 :] if e.actor == "learner")
    head = Sandbox.replay(played.world, played.exercise, log[:cut])
    blob = take_snapshot(head)
    assert blob is not None
    other = open_exercise("capstone-local-gyms", seed=12)
    with pytest.raises(SnapshotUnusable, match="another world"):
        resume(other.world, other.exercise, blob, log)
    edited = list(log)
    edited[cut - 1] = replace(edited[cut - 1], at="2000-01-01T00:00:00Z")
    with pytest.raises(SnapshotUnusable, match="not of this log"):
        resume(played.world, played.exercise, blob, edited)
    with pytest.raises(SnapshotUnusable, match="not of this log"):
        resume(played.world, played.exercise, blob, log[: cut - 1])
    with pytest.raises(SnapshotUnusable, match="does not decode"):
        resume(played.world, played.exercise, blob[:-9] + b"\0" * 9, log)
    monkeypatch.setattr(snap, "MODEL_VERSION", snap.MODEL_VERSION + 1)
    with pytest.raises(SnapshotUnusable, match="another engine"):
        resume(played.world, played.exercise, blob, log)


def test_a_snapshot_from_a_state_of_another_shape_is_refused(
    played: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A field added to the state later makes every older snapshot unusable (not wrong)."""
    blob = take_snapshot(played)
    assert blob is not None
    contact_fields, state_fields = snap._LAYOUT
    monkeypatch.setattr(snap, "_LAYOUT", (contact_fields + ("new_field",), state_fields))
    with pytest.raises(SnapshotUnusable, match="another engine"):
        resume(played.world, played.exercise, blob, list(played.events))


def test_the_events_after_a_snapshot_must_follow_from_it(played: Sandbox) -> None:
    log = list(played.events)
    cut = next(e.seq for e in log[len(log) // 2 :] if e.actor == "learner")
    blob = take_snapshot(Sandbox.replay(played.world, played.exercise, log[:cut]))
    assert blob is not None
    world_event = next(i for i in range(cut, len(log)) if log[i].actor == "world")
    tampered = list(log)
    tampered[world_event] = replace(tampered[world_event], data={"made": "up"})
    with pytest.raises(snap.ReplayError):
        resume(played.world, played.exercise, blob, tampered)
