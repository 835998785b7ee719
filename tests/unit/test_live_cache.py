"""The worker's cache of live sandboxes: bounded by (estimated) size as well as by count,
never replacing a newer snapshot with an older one."""

from __future__ import annotations

from typing import Any

from leadworks.core.config import PROJECT_ROOT
from leadworks.practice.live import LiveSandboxes, estimated_bytes
from simulator import open_exercise

EXERCISES = PROJECT_ROOT / "course" / "exercises"


def _cache(**kwargs: int) -> LiveSandboxes:
    return LiveSandboxes(EXERCISES, seed_secret="k" * 32, **kwargs)


def test_the_cache_is_bounded_by_size_and_keeps_the_most_recent() -> None:
    small = [open_exercise("cold-email-dental", seed) for seed in (1, 2, 3)]
    size = estimated_bytes(small[0])
    assert size > 50_000  # a world of dozens of contacts
    cache = _cache(budget_bytes=int(size * 2.5))
    for run_id, sandbox in enumerate(small, start=1):
        cache.put(run_id, sandbox)
    assert len(cache) == 2 and cache.estimated_bytes <= cache.budget_bytes
    assert cache.get(3, small[2].event_count, lambda since: []) is small[2]
    tiny = _cache(budget_bytes=1)  # one run is always kept, however big
    tiny.put(1, small[0])
    tiny.put(2, small[1])
    assert len(tiny) == 1 and tiny.get(2, small[1].event_count, lambda since: []) is small[1]


def test_the_count_bound_still_holds() -> None:
    sandbox = open_exercise("cold-email-dental", 1)
    cache = _cache(capacity=2)
    for run_id in (1, 2, 3):
        cache.put(run_id, sandbox)
    assert len(cache) == 2


def test_an_older_snapshot_never_replaces_a_newer_one() -> None:
    older = open_exercise("cold-email-dental", 1)
    newer = older.fork()
    newer.advance_clock(hours=1)
    cache = _cache()
    cache.put(7, newer)
    cache.put(7, older)  # a reader folded the count its run row showed, late
    assert cache.get(7, newer.event_count, lambda since: []) is newer


def _played() -> list[dict[str, Any]]:
    sandbox = open_exercise("cold-email-dental", 1)
    for _ in range(3):
        sandbox.advance_clock(days=1)
    return [e.to_dict() for e in sandbox.events]


def test_a_first_sight_resumes_from_a_fitting_snapshot_and_refolds_past_any_other() -> None:
    from simulator import replay_log
    from simulator.snapshots import take_snapshot

    log = _played()
    cut = next(e["seq"] for e in log[1:] if e["actor"] == "learner") + 1
    blob = take_snapshot(replay_log(log[:cut]))
    assert blob is not None
    cache = _cache(snapshot_every=2)
    resumed = cache.get(1, len(log), lambda since: log[since:], lambda: (cut, blob))
    assert (cache.resumed, cache.refolded) == (1, 0)
    assert resumed.events == replay_log(log).events
    assert not cache.wants_snapshot(1, cut + 1) and cache.wants_snapshot(1, cut + 2)
    for junk in (b"not a snapshot", blob[:-5]):  # damaged: refolded, never trusted
        cache.clear()
        again = cache.get(1, len(log), lambda since: log[since:], lambda j=junk: (cut, j))
        assert again.events == resumed.events
    assert (cache.resumed, cache.refolded) == (1, 2)
    assert not _cache().wants_snapshot(1, 10**6)  # snapshot_every 0: none stored
