"""What a learner may not read about their own run while it is open: the world's seed.

The seed regenerates the whole world, hidden truth included (``leadworks market --seed N
--truth``), so until the run is handed in it stays on the server: ``run.seed`` and the
``exercise_opened`` event keep it for replay, regrading and counselors, and every view a
learner reads (the events API, the pages, exports) goes through ``learner_events``. After
hand-in the debrief shows that world's truth anyway, so an exported log carries its seed
and replays on its own (``leadworks replay``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from simulator import events as ev

#: event type -> the data fields only the server reads while the run is open
HIDDEN_EVENT_FIELDS: dict[str, frozenset[str]] = {ev.OPENED_EXERCISE: frozenset({"seed"})}


def learner_event(event: dict[str, Any]) -> dict[str, Any]:
    """The event without the fields a learner may not read (a copy; the log is untouched)."""
    hidden = HIDDEN_EVENT_FIELDS.get(event.get("type", ""))
    if not hidden or not isinstance(event.get("data"), dict):
        return event
    data = {k: v for k, v in event["data"].items() if k not in hidden}
    return {**event, "data": data}


def learner_events(
    events: Iterable[dict[str, Any]], *, handed_in: bool = False
) -> list[dict[str, Any]]:
    """A run's events as its learner may read them: seeds hidden until the hand-in."""
    if handed_in:
        return list(events)
    return [learner_event(event) for event in events]
