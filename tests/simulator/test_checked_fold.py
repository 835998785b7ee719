"""A fold of a stored log does not check each learner event against its schema again (it
was checked when it was made); the write path still refuses a bad event, and a malformed
event in a stored log is still named as such."""

from __future__ import annotations

import random
from typing import Any

import pytest

from simulator import (
    ActionRefused,
    ReplayError,
    actions,
    open_exercise,
    replay_log,
    sandbox,
)
from simulator.seeds import Stream

from .conftest import fixed_analyser
from .scripts import play_script


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = actions.check_recorded

    def counting(event_type: str, data: Any) -> None:
        calls.append(event_type)
        real(event_type, data)

    monkeypatch.setattr(sandbox, "check_recorded", counting)
    return calls


@pytest.fixture(scope="module")
def log() -> list[dict[str, Any]]:
    live = open_exercise("capstone-local-gyms", seed=5, analyser=fixed_analyser)
    play_script(live)
    return [e.to_dict() for e in live.events]


def test_a_checked_fold_skips_the_schema_and_gives_the_same_sandbox(
    log: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _counting(monkeypatch)
    trusted = replay_log(log, checked=True)
    assert calls == []
    again = replay_log(log)  # a log from a file: every learner event checked
    assert len(calls) == sum(1 for e in log if e["actor"] == "learner") > 10
    assert trusted.events == again.events
    assert trusted.state.snapshot() == again.state.snapshot()


def test_the_write_path_still_refuses_a_bad_event(log: list[dict[str, Any]]) -> None:
    live = replay_log(log, checked=True, analyser=fixed_analyser)
    before = live.event_count
    with pytest.raises(ActionRefused):
        live._do("search", {"filters": {}, "results": 0, "smuggled": "x" * 10})
    with pytest.raises(ActionRefused):
        live._do("message_sent", {"contact_id": live.world.contacts[0].id})
    assert live.event_count == before


def test_a_malformed_stored_event_is_still_named(log: list[dict[str, Any]]) -> None:
    sent = next(i for i, e in enumerate(log) if e["type"] == "message_sent")
    broken = [dict(e) for e in log]
    data = dict(broken[sent]["data"])
    del data["channel"]  # the applier would fail with a bare KeyError
    broken[sent]["data"] = data
    with pytest.raises(ReplayError, match="refused"):
        replay_log(broken, checked=True)


def test_a_stream_draws_what_random_random_draws() -> None:
    """Streams skip ``random.Random``'s Python-level seeding: the numbers must not move."""
    for seed in (0, 1, 2**32 + 7, 2**63 + 5, 2**64 - 1):
        reference = random.Random(seed)
        assert Stream(seed).many(30) == [reference.random() for _ in range(30)]
