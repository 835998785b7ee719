"""Stored snapshots of a sandbox's changing state, to resume a long run without a refold.

A sandbox is a pure function of its log, and a worker that has never seen a run rebuilds
it by re-running every learner event (``Sandbox.replay``): about 40 us an event, so an
18,000-event run costs most of a second on the first request a worker serves for it. A
snapshot is what that fold produces at some event count (the state, the queue of drawn
outcomes, the scheduling counter): resuming from it and replaying only the events after
it gives the same sandbox for a fraction of the cost.

A snapshot is a cache, never the truth. It names the engine, world and log it belongs to
(model and world version, seed, exercise, event count, the last event it folded, the
layout of the state), and anything that does not match, or does not decode, is refused
with ``SnapshotUnusable`` so that the caller refolds the whole log instead. The events
after it are replayed and checked against the log exactly as a catch-up is. It is encoded
with ``marshal`` (plain values only: decoding runs no code, unlike pickle) and zlib, whose
checksum catches a damaged blob.
"""

from __future__ import annotations

import gc
import marshal
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields
from operator import attrgetter
from pathlib import Path
from typing import Any

from course.exercise_specs import ExerciseSpec

from .events import Event, ReplayError
from .exercises import read_log
from .market import World
from .response import PARAMS, Params
from .sandbox import Sandbox
from .sandbox_base import MODEL_VERSION, _Pending
from .sandbox_replay import check_tail, no_analysis, replay_learner_events
from .signals import Analyser, SignalCache
from .state import ContactState, SandboxState

FORMAT = 1
_MARSHAL_VERSION = 4  # stable since Python 3.4: a snapshot outlives an interpreter upgrade
_CONTACT_FIELDS = tuple(f.name for f in fields(ContactState))
#: the state's own fields: its contacts go as rows, a live call is never snapshotted and
#: ``shared`` is copy-on-write bookkeeping that a fresh state starts without
_STATE_FIELDS = tuple(
    f.name for f in fields(SandboxState) if f.name not in ("contacts", "call", "shared")
)
_COUNTERS = frozenset(f.name for f in fields(SandboxState) if f.default_factory is Counter)
_LAYOUT = (_CONTACT_FIELDS, _STATE_FIELDS)
_contact_row = attrgetter(*_CONTACT_FIELDS)  # a contact's values as one tuple, in C


class SnapshotUnusable(ReplayError):
    """This snapshot cannot stand for the log's past: refold the whole log instead."""


def take_snapshot(sandbox: Sandbox) -> bytes | None:
    """The sandbox's changing state, encoded; ``None`` when it cannot be taken now.

    A call in progress is not snapshotted (its state is a tree of engine objects; the
    next snapshot comes after the call), nor is state holding anything but plain values
    (``marshal`` refuses it: better no snapshot than a lossy one)."""
    state = sandbox.state
    if state.call is not None or not sandbox._events:
        return None
    last = sandbox._events[-1]
    payload = (
        FORMAT,
        MODEL_VERSION,
        sandbox.world.version,
        sandbox.world.seed,
        sandbox.exercise.id,
        len(sandbox._events),
        (last.seq, last.type, last.at, last.actor),
        _LAYOUT,
        tuple(_plain(getattr(state, name)) for name in _STATE_FIELDS),
        {cid: _contact_row(cs) for cid, cs in state.contacts.items()},
        [tuple(item) for item in sandbox._pending],
        sandbox._scheduled,
    )
    try:
        return zlib.compress(marshal.dumps(payload, _MARSHAL_VERSION), 1)
    except ValueError:  # an unmarshallable value somewhere in the state
        return None


def resume(
    world: World,
    exercise: ExerciseSpec,
    blob: bytes,
    log: Sequence[Event],
    *,
    params: Params = PARAMS,
    analyser: Analyser | None = None,
    checked: bool = False,
) -> Sandbox:
    """The sandbox of ``log`` (every stored event), from a snapshot of its first events and
    a replay of the rest: the same sandbox ``Sandbox.replay(world, exercise, log)`` gives.

    Raises ``SnapshotUnusable`` when the snapshot belongs to another engine, world or log,
    and ``ReplayError`` when the events after it do not follow from it."""
    payload = _decode(blob)
    fmt, model, version, seed, exercise_id, count, last, layout, own, rows, pending, n = payload
    if (fmt, model, layout) != (FORMAT, MODEL_VERSION, _LAYOUT):
        raise SnapshotUnusable("the snapshot was taken by another engine")
    if (version, seed, exercise_id) != (world.version, world.seed, exercise.id):
        raise SnapshotUnusable("the snapshot belongs to another world or exercise")
    if not 0 < count <= len(log) or _fingerprint(log[count - 1]) != tuple(last):
        raise SnapshotUnusable("the snapshot is not of this log's past")
    collecting = gc.isenabled()
    gc.disable()  # thousands of acyclic objects built at once (see Sandbox.replay)
    try:
        sandbox = object.__new__(Sandbox)
        sandbox._attach(world, exercise, params, SignalCache(no_analysis))
        sandbox.state = _state(own, rows)
        sandbox._events = list(log[:count])
        sandbox._pending = [_Pending(*item) for item in pending]  # a heap, kept in order
        sandbox._scheduled = n
        tail = list(log[count:])
        replay_learner_events(sandbox, tail, checked=checked)
    finally:
        if collecting:
            gc.enable()
    check_tail(sandbox._events[count:], tail, count)
    sandbox._signals = SignalCache(analyser)  # resumed: from here on it acts live
    return sandbox


def _decode(blob: bytes) -> tuple[Any, ...]:
    try:
        payload = marshal.loads(zlib.decompress(blob))
    except (zlib.error, ValueError, EOFError, TypeError) as exc:
        raise SnapshotUnusable(f"the snapshot does not decode: {exc}") from exc
    if not isinstance(payload, tuple) or len(payload) != 12 or payload[0] != FORMAT:
        raise SnapshotUnusable("the snapshot is not in this engine's format")
    return payload


def _fingerprint(event: Event) -> tuple[int, str, str, str]:
    return (event.seq, event.type, event.at, event.actor)


def _plain(value: Any) -> Any:
    return dict(value) if isinstance(value, Counter) else value


def _state(own: tuple[Any, ...], rows: dict[str, tuple[Any, ...]]) -> SandboxState:
    values = dict(zip(_STATE_FIELDS, own, strict=True))
    for name in _COUNTERS:
        values[name] = Counter(values[name])
    contacts = {cid: ContactState(*row) for cid, row in rows.items()}
    return SandboxState(**values, contacts=contacts)


def resume_log(
    events: Iterable[Event | Mapping[str, Any]],
    blob: bytes,
    exercises_dir: Path | None = None,
    *,
    checked: bool = False,
) -> Sandbox:
    """``replay_log`` from a snapshot: the log's first event names exercise and seed."""
    log, spec, world = read_log(events, exercises_dir, checked=checked)
    return resume(world, spec, blob, log, checked=checked)
