"""Replaying a log through a sandbox, and the checks that make a replay trustworthy.

A run is stored as its event log; a sandbox is rebuilt by re-running the log's learner
events through the same code that ran them live. The world events this produces must be
the log's own, byte for byte: a difference means the log was edited or the engine
changed, and the run must not quietly become another run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from . import events as ev
from .actions import check_recorded
from .events import ActionRefused, Event, ReplayError
from .signals import Signals


class Replayable(Protocol):
    """What replay needs of a sandbox (the engine's ``Sandbox``)."""

    _events: list[Event]

    @property
    def now(self) -> str: ...

    def _do(self, type_: str, data: dict[str, Any], *, checked: bool = False) -> list[Event]: ...


def as_events(items: Iterable[Event | Mapping[str, Any]], *, checked: bool = False) -> list[Event]:
    """A log as events, whether it comes stored (dicts) or from another sandbox.

    ``checked``: rows from the platform's store, whose every field was checked when the
    event was made, are taken as they are (no conversions: a fifth of a resume's time)."""
    if checked:
        return [
            e
            if isinstance(e, Event)
            else Event(e["seq"], e["type"], e["at"], e["actor"], e["data"])
            for e in items
        ]
    return [e if isinstance(e, Event) else Event.from_dict(e) for e in items]


def no_analysis(submission: dict[str, Any], context: dict[str, Any]) -> Signals:
    """The analyser a fold runs with: the log's message events already carry signals."""
    raise ReplayError("replay never analyses text: the log's message events carry signals")


def replay_learner_events(sandbox: Replayable, log: list[Event], *, checked: bool = False) -> None:
    """Re-run the learner's events of ``log``, each at its recorded place and time.

    ``checked``: the events were checked against their schema when stored, so they are not
    again (it was a tenth of a fold); should one still fail, it is checked then, so that a
    malformed event is named as such rather than surfacing as whatever it broke."""
    for event in log:
        if event.actor != ev.LEARNER:
            continue
        if event.seq != len(sandbox._events):
            raise ReplayError(
                f"event {event.seq} ({event.type}): the world produced "
                f"{len(sandbox._events)} events before it, not {event.seq}"
            )
        if event.at != sandbox.now:
            raise ReplayError(
                f"event {event.seq}: recorded at {event.at}, replayed at {sandbox.now}"
            )
        try:
            try:
                sandbox._do(event.type, event.data, checked=checked)
            except Exception:
                if checked:
                    check_recorded(event.type, event.data)
                raise
        except ActionRefused as exc:
            raise ReplayError(f"event {event.seq} ({event.type}) is refused: {exc}") from exc


def check_whole_log(produced: list[Event], log: list[Event]) -> None:
    """A full replay gave exactly the log's events (names the first that differs)."""
    for mine, theirs in zip(produced, log, strict=False):
        if mine != theirs:
            raise ReplayError(
                f"event {theirs.seq} differs: log has {theirs.to_dict()!r}, "
                f"the world gives {mine.to_dict()!r}"
            )
    if len(produced) != len(log):
        raise ReplayError(f"the log has {len(log)} events, the world gives {len(produced)}")


def check_tail(produced: list[Event], log: list[Event], before: int) -> None:
    """Catching up from event ``before`` gave exactly the log's tail."""
    if produced != log:
        raise ReplayError(
            f"catching up from event {before}: the world gives {len(produced)} events "
            f"where the log has {len(log)}, or different ones"
        )
