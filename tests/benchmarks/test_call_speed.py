"""Live-call speed: the buyer's reply with the language layer warm, and a call's replay.

Targets (issue 14): a buyer's reply p95 under 150 ms with the language layer warm and 20
learners talking at once on one worker; a 40-turn call replays in under 1 s. Every turn
is new text (a numbered variant), so no parse comes from the cache. These print figures;
they do not assert on time. Run with ``make bench`` (LEADWORKS_BENCH=1).
"""

from __future__ import annotations

import os
import resource
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from grader.language import language
from simulator.buyers import persona_for
from simulator.exercises import build_world, exercise_spec
from simulator.sandbox import Sandbox

pytestmark = pytest.mark.skipif(
    os.environ.get("LEADWORKS_BENCH") != "1", reason="benchmarks run only with LEADWORKS_BENCH=1"
)

LEARNERS = 20
TURNS = 40
LINES = [
    "Hi, this is Priya from ChairFill, is now a bad time for a quick question {i}?",
    "Fair enough. How are you handling cancellations at site {i} today?",
    "What happens to the gaps in diary {i} when a patient cancels?",
    "Who else would be involved in deciding on something like plan {i}?",
    "How much have you set aside for reactivation in budget line {i}?",
    "It sounds like the front desk at branch {i} is stretched.",
    "When would you want this fixed at location {i}?",
    "Which tool are you using for reminders in region {i}?",
]


def _dial(seed: int) -> tuple[Sandbox, str]:
    spec = exercise_spec("cold-call-gatekeeper")
    sandbox = Sandbox(build_world(spec, seed), spec)
    contact = next(
        c
        for c in sandbox.world.contacts
        if c.phone and c.decision_maker and not sandbox.do_not_call(c)
    )
    assert persona_for(sandbox.world, contact) is not None
    sandbox.start_conversation(contact.id)
    return sandbox, contact.id


def _talk(sandbox: Sandbox, learner: int, turns: int) -> list[float]:
    """Say up to ``turns`` turns; the time each reply took, in milliseconds."""
    took = []
    for t in range(turns):
        if sandbox.state.call is None:
            break
        text = LINES[t % len(LINES)].format(i=learner * 1_000 + t)
        start = time.perf_counter()
        sandbox.say(text)
        took.append((time.perf_counter() - start) * 1000)
    return took


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_buyer_reply_latency_with_20_learners_at_once() -> None:
    language().parse("Warm the model up.")
    calls = [_dial(seed) for seed in range(LEARNERS)]
    cpu = time.process_time()
    with ThreadPoolExecutor(max_workers=LEARNERS) as pool:
        results = list(pool.map(lambda n: _talk(calls[n][0], n, 12), range(LEARNERS)))
    cpu = time.process_time() - cpu
    took = sorted(ms for learner in results for ms in learner)
    p50 = statistics.median(took)
    p95 = took[int(0.95 * (len(took) - 1))]
    print(
        f"\nbuyer reply, {LEARNERS} learners at once, {len(took)} turns: "
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {took[-1]:.1f} ms (target p95 < 150 ms);"
        f" CPU {cpu * 1000 / len(took):.1f} ms a turn; load average {os.getloadavg()[0]:.1f};"
        f" peak memory {_peak_mb():.0f} MB"
    )


def test_buyer_reply_latency_one_learner() -> None:
    language().parse("Warm the model up.")
    sandbox, _ = _dial(101)
    cpu = time.process_time()
    took = sorted(_talk(sandbox, 900, 12))  # texts no other test said: none is cached
    cpu = time.process_time() - cpu
    print(
        f"\nbuyer reply, one learner, {len(took)} turns: p50 {statistics.median(took):.1f} ms,"
        f" p95 {took[int(0.95 * (len(took) - 1))]:.1f} ms; CPU {cpu * 1000 / len(took):.1f} ms"
        f" a turn; load average {os.getloadavg()[0]:.1f}; peak memory {_peak_mb():.0f} MB"
    )


def test_a_40_turn_call_replays_in_under_a_second() -> None:
    spec = exercise_spec("cold-call-gatekeeper")
    for seed in range(50):  # a buyer patient enough for 40 turns
        sandbox, _ = _dial(seed)
        if len(_talk(sandbox, seed, TURNS)) == TURNS:
            break
    else:
        pytest.fail("no buyer stayed on for 40 turns")
    log = [e.to_dict() for e in sandbox.events]
    start = time.perf_counter()
    again = Sandbox.replay(sandbox.world, spec, log)
    took = time.perf_counter() - start
    assert again.state.snapshot() == sandbox.state.snapshot()
    print(
        f"\nreplay of a {TURNS}-turn call ({len(log)} events): {took * 1000:.1f} ms (target < 1 s);"
        f" peak memory {_peak_mb():.0f} MB"
    )
