"""World speed and memory figures (run with `make bench`, which sets LEADWORKS_BENCH=1).

Prints figures and never asserts a time: machines differ. Targets from issue 4: a
10,000-contact market in under 0.5 s, 50,000 events folded in under 0.5 s, one action on a
5,000-contact sandbox in under 5 ms, cost linear in contacts and events, and a 100,000-contact
world well under 500 MB.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from simulator import Sandbox, build_world, exercise_spec, generate_market
from simulator.calibration import policy
from simulator.runner import run_policy

pytestmark = pytest.mark.skipif(
    os.environ.get("LEADWORKS_BENCH") != "1", reason="benchmarks run under `make bench`"
)
ROOT = Path(__file__).resolve().parents[2]
SPEC = exercise_spec("capstone-local-gyms")  # 1-3 contacts per company: about 2 each


def _spec(n_companies: int):  # type: ignore[no-untyped-def]
    market = SPEC.market.model_copy(update={"n_companies": n_companies})
    return SPEC.model_copy(update={"market": market})


def _best_of(runs: int, action) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def test_generate_market_is_linear_in_contacts() -> None:
    """Generation per contact at 1k, 10k and 100k contacts, wall and CPU time (the machine
    is shared: CPU time is the steadier figure). Calls ``generate_market`` itself, since
    ``build_world`` would hand back the process's cached world (world_cache.py).
    Issue 11's target: linear to 100,000 contacts, i.e. the same time per contact."""
    per_contact: dict[int, float] = {}
    for contacts in (1_000, 10_000, 100_000):
        spec = _spec(contacts // 2)
        runs = 3 if contacts < 100_000 else 1
        cpu = time.process_time()
        seconds = _best_of(runs, lambda spec=spec: generate_market(spec.market, 1, spec.icp))
        cpu_each = (time.process_time() - cpu) / runs
        n = len(generate_market(spec.market, 1, spec.icp).contacts)
        per_contact[contacts] = cpu_each / n * 1e6
        print(
            f"\ngenerate {n:>7} contacts: {seconds:.3f} s wall ({seconds / n * 1e6:.1f} us/contact), "
            f"{cpu_each:.3f} s cpu ({per_contact[contacts]:.1f} us/contact)",
            end="",
        )
    growth = per_contact[100_000] / per_contact[10_000]
    print(f"\ncpu per contact, 100k against 10k: x{growth:.2f} (1.0 is linear)")


def test_peak_rss_of_a_100k_contact_world() -> None:
    code = (
        "import resource; from simulator import build_world, exercise_spec;"
        "s = exercise_spec('capstone-local-gyms');"
        "s = s.model_copy(update={'market': s.market.model_copy(update={'n_companies': 50000})});"
        "w = build_world(s, 1); print(len(w.contacts));"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    megabytes = int(out[1]) / 1024
    print(f"\npeak RSS, {out[0]} contacts (whole process): {megabytes:.0f} MB")
    assert megabytes < 500


def test_fold_50k_events() -> None:
    spec = _spec(5_000)
    world = build_world(spec, 3)
    base = policy("generic")
    bump = base.steps[1]
    target = base.target.model_copy(update={"max_contacts": 10_000})
    heavy = base.model_copy(
        update={"steps": (*base.steps, bump, bump), "daily_volume": 6_000, "target": target}
    )
    live = Sandbox(world, spec, analyse_per_template=True)
    start = time.perf_counter()
    run_policy(live, heavy)
    played = time.perf_counter() - start
    events = list(live.events)
    print(f"\nplayed {len(events)} events on {len(world.contacts)} contacts in {played:.2f} s")
    for share in (4, 2, 1):
        # cut just before a learner action, so that the prefix is itself a whole log
        count = next(
            (i for i in range(len(events) // share, len(events)) if events[i].actor == "learner"),
            len(events),
        )
        head = events[:count]
        seconds = _best_of(2, lambda head=head: Sandbox.replay(world, spec, head))
        print(f"fold {count:>6} events: {seconds:.3f} s ({seconds / count * 1e6:.1f} us/event)")


def test_one_action_on_a_5000_contact_sandbox() -> None:
    spec = _spec(2_500)
    world = build_world(spec, 3)
    sandbox = Sandbox(world, spec)  # real grader analysis, per message
    fresh = [c for c in world.contacts if c.email and not c.truth.opted_out][:100]
    body = "Hi {{first_name}}, I saw that {{company}} {{fact}}. Worth a chat?\n{{sender_address}}"
    actions = {
        "view_profile": lambda c: sandbox.view_profile(c.id),
        "send_message": lambda c: sandbox.send_message(
            c.id, channel="email", subject="Hi", body=body
        ),
        "add_to_list": lambda c: sandbox.add_to_list(c.id),
        "search": lambda c: sandbox.search(query=c.last_name, limit=20),
        "advance_clock": lambda c: sandbox.advance_clock(minutes=10),
    }
    sandbox.search(limit=1)  # builds the world's search index once
    for name, action in actions.items():
        samples = []
        for contact in fresh:
            start = time.perf_counter()
            action(contact)
            samples.append(time.perf_counter() - start)
        samples.sort()
        print(
            f"one {name:<13} on {len(world.contacts)} contacts: median "
            f"{samples[len(samples) // 2] * 1e3:.2f} ms, p95 {samples[94] * 1e3:.2f} ms"
        )
