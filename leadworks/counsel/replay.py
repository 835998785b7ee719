"""A run's event timeline, and a read-only replay of the learner's sandbox at any point.

The sandbox's state is never stored: it is the fold of the run's event log, so showing
"the pipeline as it stood after event 42" means replaying the first events through
``simulator.replay_log``. The world re-derives every outcome of a learner action, so
a log can only be cut just before a learner action (or at its end); a chosen event is
rounded up to the next such point, which includes what the world did in the meantime.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session

from leadworks.practice.service import stored_events
from simulator import Event, ReplayError, replay_log
from simulator.state import ALL_STAGES

LEARNER = "learner"
SHOWN_PER_LIST = 40
_SUMMARY_KEYS = ("contact_id", "channel", "subject", "stage", "list", "until", "amount", "kind")


@dataclass(frozen=True)
class TimelineRow:
    seq: int
    at: str
    actor: str
    type: str
    summary: str


@dataclass(frozen=True)
class ReplayView:
    """What the sandbox looked like after event ``upto`` (inclusive)."""

    requested: int
    upto: int
    total: int
    clock: str = ""
    budget: float = 0.0
    spent: float = 0.0
    stages: list[tuple[str, int]] = field(default_factory=list)
    lists: dict[str, list[str]] = field(default_factory=dict)
    list_sizes: dict[str, int] = field(default_factory=dict)
    messages: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    violations: list[dict[str, Any]] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # contact id -> name, for the timeline
    error: str = ""


def run_events(*, session: Session, run_id: int) -> list[Event]:
    """The run's whole log, read with a Core select (no ORM objects: a long log is several
    times faster to read this way, and the replay needs plain values anyway)."""
    return [Event.from_dict(row) for row in stored_events(session=session, run_id=run_id)]


def summarise(event: Event, names: Mapping[str, str] | None = None) -> str:
    """One line about an event, from the few fields a counselor scans for; contacts by name."""
    data = event.data or {}
    parts = []
    for key in _SUMMARY_KEYS:
        value = data.get(key)
        if value in (None, "", [], {}):
            continue
        if key == "contact_id":
            parts.append(f"contact: {(names or {}).get(str(value), str(value))[:60]}")
        else:
            parts.append(f"{key.replace('_', ' ')}: {str(value)[:60]}")
    ids = data.get("contact_ids")
    if isinstance(ids, list):
        parts.append(f"{len(ids)} contact(s)")
    if event.type == "search":
        parts.append(f"{data.get('results', 0)} results")
    return " · ".join(parts)


def timeline(events: Sequence[Event], names: Mapping[str, str] | None = None) -> list[TimelineRow]:
    return [
        TimelineRow(e.seq, e.at, e.actor, e.type.replace("_", " "), summarise(e, names))
        for e in events
    ]


def cut_after(events: Sequence[Event], seq: int) -> int:
    """How many events to replay so that event ``seq`` is included at a clean cut."""
    n = max(1, min(seq + 1, len(events)))
    while n < len(events) and events[n].actor != LEARNER:
        n += 1
    return n


def replay_at(events: Sequence[Event], exercises_dir: Path, seq: int | None = None) -> ReplayView:
    """Replay the first events and fold what a counselor wants to see; never raises."""
    total = len(events)
    if not total:
        return ReplayView(requested=0, upto=-1, total=0, error="This run has no events yet.")
    requested = total - 1 if seq is None else max(0, min(seq, total - 1))
    n = cut_after(events, requested)
    log = [e.to_dict() for e in events[:n]]
    try:
        sandbox = replay_log(log, exercises_dir)
    except (ReplayError, KeyError, ValueError) as problem:
        return ReplayView(requested, n - 1, total, error=f"This log cannot be replayed: {problem}")
    state = sandbox.state
    stages = Counter(cs.stage for cs in state.contacts.values() if cs.stage)

    def name(contact_id: str) -> str:
        contact = sandbox.world.contact(contact_id)
        return contact.name if contact else contact_id

    messages = []
    for event in log:
        if event["type"] != "message_sent":
            continue
        data = event["data"]
        cs = state.contacts.get(str(data.get("contact_id")))
        messages.append(
            {
                "seq": event["seq"],
                "at": event["at"],
                "to": name(str(data.get("contact_id"))),
                "channel": data.get("channel"),
                "subject": data.get("subject"),
                "body": data.get("body", ""),
                "replied": bool(cs and cs.replied),
                "reply_kind": cs.reply_kind if cs else None,
            }
        )
    return ReplayView(
        requested=requested,
        upto=n - 1,
        total=total,
        clock=sandbox.now,
        budget=state.budget,
        spent=round(state.spent, 2),
        stages=[(stage, stages.get(stage, 0)) for stage in ALL_STAGES],
        lists={k: [name(c) for c in v[:SHOWN_PER_LIST]] for k, v in state.lists.items()},
        list_sizes={k: len(v) for k, v in state.lists.items()},
        messages=messages,
        counts=dict(sorted(state.counts.items())),
        violations=[v | {"name": name(str(v.get("contact_id")))} for v in state.violations],
        names={cid: name(cid) for cid in _contact_ids([e.to_dict() for e in events])},
    )


def _contact_ids(log: Sequence[Mapping[str, Any]]) -> set[str]:
    ids = set()
    for event in log:
        cid = (event.get("data") or {}).get("contact_id")
        if isinstance(cid, str):
            ids.add(cid)
    return ids
