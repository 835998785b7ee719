"""Live sandboxes kept in memory between requests.

Folding a whole log on every request would make each action cost as much as the run is
long; instead each worker keeps the folded Sandbox of recently used runs and applies one
action to it. The database stays the truth: a cached sandbox is used only while its event
count equals the run's stored count, otherwise it is refolded from the stored events (a
restart, another worker acting, or a rolled-back write all lead there).

A cached sandbox is a snapshot that never changes (copy-on-write): a writer acts on a
``fork()`` and publishes it with ``put`` once its events are stored, so readers share the
published one without a lock and never see an action half-way; a failed write simply
drops its fork. ``put`` never replaces a newer snapshot with an older one.

One cache per app (``create_app`` keeps it on ``app.state.sandboxes``; ``SandboxesDep``
hands it to views), so every test app starts empty and a CLI command builds its own.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request

from leadworks.core.errors import Conflict
from simulator import ReplayError, Sandbox, World, replay_log
from simulator.sandbox_base import MODEL_VERSION
from simulator.snapshots import resume_log
from simulator.world_cache import world_bytes

DEFAULT_CAPACITY = 48  # runs kept at most, whatever their size
DEFAULT_BUDGET_MB = 512  # and at most about this much memory
#: Measured with tracemalloc (tests/benchmarks/test_catch_up_speed.py prints the figures):
#: a played run costs about 7 kB per event (the event, the state it folds into and the
#: lookups built on the way), rounded up. A world costs ``world_bytes`` (about 1.2 kB per
#: contact) and is shared by every run of the same exercise and seed, so it counts once.
BYTES_PER_EVENT = 7_500
log_problem = logging.getLogger(__name__)
#: A stored snapshot (run_snapshot) with what it stands for: its event count and its bytes.
StoredSnapshot = tuple[int, bytes]


def estimated_bytes(sandbox: Sandbox) -> int:
    """About how much memory a cached sandbox holds (its world and its folded log)."""
    return world_bytes(sandbox.world) + sandbox.event_count * BYTES_PER_EVENT


class LiveSandboxes:
    """An LRU cache of folded sandboxes with one lock per run."""

    def __init__(
        self,
        exercises_dir: Path,
        *,
        seed_secret: str,
        capacity: int = DEFAULT_CAPACITY,
        budget_bytes: int = DEFAULT_BUDGET_MB * 1_000_000,
        snapshot_every: int = 0,
    ) -> None:
        self.exercises_dir = exercises_dir
        self.seed_secret = seed_secret  # keys new runs' world seeds (practice.world_seeds)
        self.capacity = capacity
        self.budget_bytes = budget_bytes  # the cache is bounded by size, not only by count
        self._sizes: dict[int, int] = {}  # run -> bytes of its own (its folded log)
        self._worlds: dict[int, World] = {}  # run -> its world, maybe shared with others
        self.snapshot_every = snapshot_every  # store a run's state every this many events
        self._snapshot_at: dict[int, int] = {}  # run -> the event count of its stored snapshot
        self.refolded = 0  # how many whole logs were folded (and, below, tails replayed,
        self.caught_up = 0  # and runs resumed from a stored snapshot)
        self.resumed = 0
        self._cache: OrderedDict[int, Sandbox] = OrderedDict()
        self._locks: dict[int, threading.Lock] = {}
        self._guard = threading.Lock()

    @contextmanager
    def locked(self, run_id: int) -> Iterator[None]:
        """Serialise actions on one run inside this process (databases guard across workers)."""
        with self._guard:
            lock = self._locks.setdefault(run_id, threading.Lock())
        with lock:
            yield

    def get(
        self,
        run_id: int,
        event_count: int,
        load_events: Callable[[int], Iterable[dict[str, Any]]],
        load_snapshot: Callable[[], StoredSnapshot | None] | None = None,
    ) -> Sandbox:
        """The run's sandbox at exactly ``event_count`` events, folding it when needed.

        ``load_events(since)`` gives the stored events from ``since`` up to (not including)
        ``event_count``. A copy that is behind (another worker acted) catches up with only
        the events it lacks; anything else resumes from the run's stored snapshot
        (``load_snapshot``) when there is a usable one, or is refolded from the whole log.
        The sandbox is shared: read it, or ``fork()`` it to act (see the module docstring)."""
        with self._guard:
            cached = self._cache.get(run_id)
            if cached is not None and cached.event_count == event_count:
                self._cache.move_to_end(run_id)
                return cached
        sandbox = None
        if cached is not None and 0 < cached.event_count < event_count:
            try:
                sandbox = cached.caught_up(load_events(cached.event_count), checked=True)
                self.caught_up += 1
            except ReplayError:
                sandbox = None  # not this log's past (a rolled-back copy): fold it all
        if sandbox is None:
            log = list(load_events(0))  # read once: a resume or a refold uses it
            sandbox = self._resumed(run_id, log, load_snapshot)
        if sandbox is None:
            try:
                sandbox = replay_log(log, self.exercises_dir, checked=True)
            except ReplayError as problem:
                raise _unreplayable(run_id, log, problem) from problem
            self.refolded += 1
        self.put(run_id, sandbox)
        return sandbox

    def _resumed(
        self,
        run_id: int,
        log: Iterable[dict[str, Any]],
        load_snapshot: Callable[[], StoredSnapshot | None] | None,
    ) -> Sandbox | None:
        """The run from its stored snapshot, or None to refold (none, or one that does not
        fit this log or this engine: a snapshot is a cache, the log is the truth)."""
        stored = load_snapshot() if load_snapshot is not None else None
        if stored is None:
            return None
        count, blob = stored
        try:
            sandbox = resume_log(log, blob, self.exercises_dir, checked=True)
        except ReplayError:
            return None
        self.noted_snapshot(run_id, count)
        self.resumed += 1
        return sandbox

    def wants_snapshot(self, run_id: int, event_count: int) -> bool:
        """Whether the run has grown by ``snapshot_every`` events since its last snapshot
        this worker knows of (another worker's newer one is only found when resuming)."""
        if self.snapshot_every <= 0:
            return False
        return event_count - self._snapshot_at.get(run_id, 0) >= self.snapshot_every

    def noted_snapshot(self, run_id: int, event_count: int) -> None:
        with self._guard:
            self._snapshot_at[run_id] = max(event_count, self._snapshot_at.get(run_id, 0))

    def put(self, run_id: int, sandbox: Sandbox) -> None:
        """Publish ``sandbox`` as the run's snapshot (unless a newer one is there)."""
        with self._guard:
            current = self._cache.get(run_id)
            if current is not None and current.event_count > sandbox.event_count:
                return  # a reader folded an older count while a writer moved on
            self._cache[run_id] = sandbox
            self._sizes[run_id] = sandbox.event_count * BYTES_PER_EVENT
            self._worlds[run_id] = sandbox.world
            self._cache.move_to_end(run_id)
            while len(self._cache) > 1 and (
                len(self._cache) > self.capacity or self.estimated_bytes > self.budget_bytes
            ):
                oldest, _ = self._cache.popitem(last=False)  # the least recently used
                self._sizes.pop(oldest, None)
                self._worlds.pop(oldest, None)

    @property
    def estimated_bytes(self) -> int:
        """About how much memory the cached sandboxes hold together: their logs, and each
        distinct world once (runs of the same exercise and seed share one)."""
        worlds = {id(w): w for w in self._worlds.values()}
        return sum(self._sizes.values()) + sum(world_bytes(w) for w in worlds.values())

    def forget(self, run_id: int) -> None:
        """Drop a sandbox whose in-memory state may be ahead of the database."""
        with self._guard:
            self._cache.pop(run_id, None)
            self._sizes.pop(run_id, None)
            self._worlds.pop(run_id, None)

    def clear(self) -> None:
        """Drop every sandbox (what a restart leaves: nothing in memory)."""
        with self._guard:
            self._cache.clear()
            self._sizes.clear()
            self._worlds.clear()

    def __len__(self) -> int:
        return len(self._cache)


def _unreplayable(run_id: int, log: list[dict[str, Any]], problem: ReplayError) -> Conflict:
    """What a person reads when a stored run can no longer be rebuilt: after an upgrade of
    the engine (its log names the model it was recorded with), or a log that does not
    follow from its world. Nothing is changed or lost: the log and any hand-in stay."""
    opened = log[0].get("data", {}) if log else {}
    recorded = opened.get("model_version")
    if recorded is not None and recorded != MODEL_VERSION:
        return Conflict(
            f"This practice run was recorded with an earlier version of the practice engine "
            f"(model {recorded}; this server runs model {MODEL_VERSION}), so it cannot be "
            "opened or continued. Its hand-in and grade, if any, are kept: start a new "
            "attempt of the exercise to practise again."
        )
    log_problem.error("run %s cannot be rebuilt from its log: %s", run_id, problem)
    return Conflict(
        "This practice run cannot be rebuilt from its stored log, so it cannot be opened or "
        "continued. Its hand-in and grade, if any, are kept; an administrator can look into "
        "it (the server's log names the run)."
    )


def get_sandboxes(request: Request) -> LiveSandboxes:
    return request.app.state.sandboxes  # type: ignore[no-any-return]


SandboxesDep = Annotated[LiveSandboxes, Depends(get_sandboxes)]
