"""A sandbox holds no reference cycle: the platform replaces its cached snapshot with a
fork on every action, and each replaced one must be freed at once by reference counting,
not linger (state, log and all) until a full collection walks the heap."""

from __future__ import annotations

import gc
import weakref

from simulator import open_exercise, replay_log

from .conftest import GOOD_BODY, fixed_analyser


def test_a_dropped_sandbox_and_its_forks_are_freed_without_the_collector() -> None:
    live = open_exercise("capstone-local-gyms", seed=5, analyser=fixed_analyser)
    target = next(c for c in live.world.contacts if c.email and not live.opted_out(c))
    collecting = gc.isenabled()
    gc.disable()
    try:
        fork = live.fork()
        fork.send_message(target.id, channel="email", subject="Hi", body=GOOD_BODY)
        fork.advance_clock(days=3)
        folded = replay_log(fork.events, analyser=fixed_analyser)
        refs = [weakref.ref(fork), weakref.ref(folded)]
        del fork, folded
        assert [r() for r in refs] == [None, None]
    finally:
        if collecting:
            gc.enable()
