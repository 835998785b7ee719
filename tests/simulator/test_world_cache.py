"""A world is made once per process and shared: opening, refolding and replaying the same
exercise and seed reuse it; sandboxes own their state, never the world; the cache keeps
to its bounds. (Issue 11: a refold spent 87% of its time regenerating the world.)"""

from __future__ import annotations

import threading
from typing import Any

from simulator import exercise_spec, exercises, open_exercise, replay_log
from simulator.generate import WORLD_VERSION
from simulator.world_cache import WorldCache, world_bytes

EXERCISE = "cold-email-dental"


def test_a_second_open_and_a_refold_reuse_the_world(generations: list[tuple[Any, ...]]) -> None:
    first = open_exercise(EXERCISE, seed=5)
    second = open_exercise(EXERCISE, seed=5)
    assert len(generations) == 1 and second.world is first.world
    refolded = replay_log(first.events)
    assert len(generations) == 1 and refolded.world is first.world
    other = open_exercise(EXERCISE, seed=6)
    assert len(generations) == 2 and other.world is not first.world


def test_sandboxes_sharing_a_world_own_their_state(generations: list[tuple[Any, ...]]) -> None:
    first = open_exercise(EXERCISE, seed=5)
    second = open_exercise(EXERCISE, seed=5)
    contact = first.world.contacts[0].id
    first.add_to_list(contact)
    first.advance_clock(hours=2)
    assert second.state.lists == {} and second.event_count == 1
    assert second.now != first.now
    assert len(generations) == 1


def test_the_key_is_the_market_not_only_the_exercise_id(
    generations: list[tuple[Any, ...]],
) -> None:
    spec = exercise_spec(EXERCISE)
    bigger = spec.model_copy(
        update={"market": spec.market.model_copy(update={"n_companies": 30})}
    )  # same id, another market (an exercises folder may redefine an id)
    plain = exercises.build_world(spec, 5)
    variant = exercises.build_world(bigger, 5)
    assert len(generations) == 2 and len(variant.companies) == 30
    assert len(plain.companies) == spec.market.n_companies
    assert exercises.build_world(bigger, 5) is variant and len(generations) == 2
    assert plain.version == variant.version == WORLD_VERSION


def test_the_cache_stays_within_its_byte_bound_least_recently_used_first() -> None:
    spec = exercise_spec(EXERCISE)
    size = world_bytes(exercises.build_world(spec, 1))
    cache = WorldCache(budget_bytes=int(size * 2.5), capacity=10)
    one = cache.world(spec.market, spec.icp, 1)
    cache.world(spec.market, spec.icp, 2)
    assert cache.world(spec.market, spec.icp, 1) is one  # 1 is now the most recent
    cache.world(spec.market, spec.icp, 3)  # evicts 2, the least recently used
    assert len(cache) == 2 and cache.estimated_bytes <= cache.budget_bytes
    assert cache.world(spec.market, spec.icp, 1) is one
    assert (cache.generated, cache.reused) == (3, 2)
    cache.world(spec.market, spec.icp, 2)
    assert cache.generated == 4  # 2 was gone: generated again


def test_the_count_bound_and_a_world_larger_than_the_budget() -> None:
    spec = exercise_spec(EXERCISE)
    counted = WorldCache(capacity=2)
    for seed in (1, 2, 3, 4):
        counted.world(spec.market, spec.icp, seed)
    assert len(counted) == 2
    tiny = WorldCache(budget_bytes=10)
    world = tiny.world(spec.market, spec.icp, 1)
    assert len(world.contacts) > 0 and len(tiny) == 0 and tiny.estimated_bytes == 0
    counted.configure(budget_bytes=counted.budget_bytes, capacity=1)
    assert len(counted) == 1


def test_threads_asking_for_the_same_world_wait_for_one_generation(
    generations: list[tuple[Any, ...]],
) -> None:
    spec = exercise_spec(EXERCISE)
    cache = WorldCache()
    start = threading.Barrier(4)
    got: list[Any] = []

    def ask() -> None:
        start.wait()
        got.append(cache.world(spec.market, spec.icp, 9))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(generations) == 1 and len({id(w) for w in got}) == 1


def test_a_kept_world_is_frozen_out_of_the_collectors_walk() -> None:
    """A cached world lives until evicted: full collections must not walk it each time."""
    import gc

    spec = exercise_spec(EXERCISE)
    cache = WorldCache()
    before = gc.get_freeze_count()
    world = cache.world(spec.market, spec.icp, 12345)
    assert gc.get_freeze_count() - before >= len(world.contacts) + len(world.companies)
    tracked = {id(o) for o in gc.get_objects()}  # the collector's generations only
    assert id(world.contacts[0]) not in tracked and id(world.companies[0]) not in tracked


def test_ids_are_shared_between_worlds() -> None:
    """Every world numbers its contacts p000001...: one copy of each id for all of them."""
    spec = exercise_spec(EXERCISE)
    one = exercises.build_world(spec, 101)
    two = exercises.build_world(spec, 102)
    assert one.contacts[0].id is two.contacts[0].id
    assert one.companies[0].id is two.companies[0].id
