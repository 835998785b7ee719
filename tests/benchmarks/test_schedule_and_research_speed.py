"""Scheduled sends and research filters: what they cost (issue 15, items 2 and 3).

Figures printed, never asserted on time: scheduling a send (its text analysed once, when
scheduled), the clock firing many scheduled sends, a replay of that log, and a prospect
search with and without the buying-signal, technology and employee filters, with the
peak memory of each. Run with ``make bench`` (LEADWORKS_BENCH=1).
"""

from __future__ import annotations

import os
import time
import tracemalloc

import pytest

from leadworks.practice.search import filter_options
from simulator import Sandbox, open_exercise
from simulator.events import iso
from tests.simulator.conftest import GOOD_BODY, fixed_analyser

pytestmark = pytest.mark.skipif(
    os.environ.get("LEADWORKS_BENCH") != "1", reason="benchmarks run only with LEADWORKS_BENCH=1"
)

SENDS = 500


def _per_call(fn, n: int = 50) -> float:
    fn()
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n * 1000


def test_scheduled_sends_fire_and_replay() -> None:
    sandbox = open_exercise("capstone-local-gyms", seed=11, analyser=fixed_analyser)
    reachable = [c for c in sandbox.world.contacts if c.email and not sandbox.opted_out(c)]
    tracemalloc.start()
    start = time.perf_counter()
    for i in range(SENDS):
        contact = reachable[i % len(reachable)]
        at = iso(sandbox.state.clock + 3600 + i * 60)
        sandbox.schedule_send(contact.id, channel="email", body=GOOD_BODY, at=at)
    scheduled = time.perf_counter()
    sandbox.advance_clock(days=2)
    fired = time.perf_counter()
    log = [e.to_dict() for e in sandbox.events]
    again = Sandbox.replay(sandbox.world, sandbox.exercise, log, analyser=fixed_analyser)
    replayed = time.perf_counter()
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    assert len(again.events) == len(log)
    print(
        f"\n{SENDS} scheduled sends: schedule {(scheduled - start) / SENDS * 1000:.2f} ms each;"
        f" the clock fires them in {(fired - scheduled) * 1000:.0f} ms;"
        f" replay of {len(log)} events {(replayed - fired) * 1000:.0f} ms; peak {peak:.1f} MB"
    )


def test_research_filters_speed() -> None:
    sandbox = open_exercise("prospect-list-saas", seed=11, analyser=fixed_analyser)
    both = {"signal": ["hiring", "funding"]}
    combined_filters = {
        "signal": "hiring",
        "technology": "HubSpot",
        "min_employees": 10,
        "max_employees": 500,
    }
    plain = _per_call(lambda: sandbox.find({}), 200)
    signal = _per_call(lambda: sandbox.find(both), 200)
    combined = _per_call(lambda: sandbox.find(combined_filters), 200)
    options = _per_call(lambda: filter_options(sandbox), 200)
    tracemalloc.start()  # memory apart: tracing slows every allocation
    sandbox.find(both)
    filter_options(sandbox)
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    print(
        f"\nsearch over {len(sandbox.world.contacts)} contacts: no filter {plain:.2f} ms;"
        f" buying signals {signal:.2f} ms; signal+technology+employees {combined:.2f} ms;"
        f" filter options {options:.2f} ms; peak {peak:.1f} MB"
    )
