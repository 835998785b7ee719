"""Worlds made once per process: a world is a pure function of (market, ICP, seed, version).

Why: a worker that refolds a run (a restart, an eviction, a copy on another worker, a
counselor's replay, a hand-in check) used to regenerate its world first, and generation
was most of a refold's time (issue 11). A world never changes after it is generated
(frozen contacts and companies; the search index is built once and only read), so every
sandbox of the same (market, ICP, seed) can share one: sandboxes own their state and log,
never the world.

The key is everything the world is a function of: ``WORLD_VERSION``, the seed, and the
market and ICP specs themselves (frozen, hashable), not just the exercise id, so an
exercise redefined in another folder (the benchmarks' 5,000-contact variant) never gets
another market's world. The cache is bounded by an estimate of its bytes and by a count,
evicting the least recently used; a world larger than the whole budget is returned but
not kept. Two threads asking for the same missing world wait for one generation. A kept
world is frozen out of the garbage collector's sight (``freeze_survivors``).
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from collections.abc import Hashable

from course.exercise_specs import IcpSpec, MarketSpec

from .generate import WORLD_VERSION, generate_market
from .market import World

#: Measured with tracemalloc (tests/benchmarks/test_world_cache_speed.py prints it): a
#: world with its search index costs about 1.1 kB per contact; rounded up.
BYTES_PER_CONTACT = 1_200
DEFAULT_BUDGET_MB = 128
DEFAULT_CAPACITY = 32


def world_bytes(world: World) -> int:
    """About how much memory one world holds (its contacts, companies and lookups)."""
    return len(world.contacts) * BYTES_PER_CONTACT


def freeze_survivors() -> None:
    """Collect, then move every object alive out of the collector's sight (``gc.freeze``).

    A cached world is tens of thousands of objects that live until evicted and hold no
    cycles: left tracked, every full collection walked all of them (about 5 ms per cached
    5,000-contact world, paid by whichever request triggered it). Frozen, they are still
    freed by reference counting once evicted and unused. The collection first makes sure
    no cyclic garbage is frozen with them; it only walks what was allocated since the last
    freeze, so it costs little beside the generation that precedes it."""
    gc.collect()
    gc.freeze()


class WorldCache:
    """A thread-safe LRU of generated worlds, bounded by estimated bytes and by count."""

    def __init__(
        self,
        *,
        budget_bytes: int = DEFAULT_BUDGET_MB * 1_000_000,
        capacity: int = DEFAULT_CAPACITY,
    ) -> None:
        self.budget_bytes = budget_bytes
        self.capacity = capacity
        self.generated = 0  # worlds made by generate_market (misses)
        self.reused = 0  # worlds handed out again (hits)
        self._worlds: OrderedDict[Hashable, World] = OrderedDict()
        self._bytes = 0
        self._building: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()

    def configure(self, *, budget_bytes: int, capacity: int) -> None:
        """Set the bounds (the web app does, from its settings) and trim to them."""
        with self._guard:
            self.budget_bytes = budget_bytes
            self.capacity = capacity
            self._trim()

    def world(self, market: MarketSpec, icp: IcpSpec | None, seed: int) -> World:
        """The world of (market, icp, seed): the cached one, or generated once."""
        key = (WORLD_VERSION, seed, market, icp)
        found = self._hit(key)
        if found is not None:
            return found
        with self._guard:
            building = self._building.setdefault(key, threading.Lock())
        with building:  # one generation per key; the others wait and then hit
            found = self._hit(key)
            if found is not None:
                return found
            world = generate_market(market, seed, icp)
            with self._guard:
                self.generated += 1
                self._building.pop(key, None)
                size = world_bytes(world)
                kept = size <= self.budget_bytes and self.capacity > 0
                if kept:
                    self._worlds[key] = world
                    self._bytes += size
                    self._trim()
            if kept:
                freeze_survivors()
        return world

    def _hit(self, key: Hashable) -> World | None:
        with self._guard:
            found = self._worlds.get(key)
            if found is not None:
                self._worlds.move_to_end(key)
                self.reused += 1
            return found

    def _trim(self) -> None:
        """Evict the least recently used worlds until both bounds hold (guard held)."""
        while self._worlds and (
            len(self._worlds) > self.capacity or self._bytes > self.budget_bytes
        ):
            _, oldest = self._worlds.popitem(last=False)
            self._bytes -= world_bytes(oldest)

    @property
    def estimated_bytes(self) -> int:
        """About how much memory the cached worlds hold together."""
        return self._bytes

    def clear(self) -> None:
        """Forget every world (they stay alive while a sandbox still holds them)."""
        with self._guard:
            self._worlds.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._worlds)


#: The process's cache: ``build_world`` goes through it.
WORLDS = WorldCache()
