"""World generation does the same work per contact at any size (issue 11: "linear to
100,000 contacts"). Counted in random draws, not timed: a draw is the unit of work in
``generate.py``, and the one part whose draws could grow with the market is the
company-name probe (a name already taken gets a city, then a founder's surname, until it
is free). It stays bounded because the fallback names are drawn from a space far larger
than any market. Each probe step draws, so the draws count the probe's steps too; this
test fails if the probe ever starts to grow with the market."""

from __future__ import annotations

from typing import Any

import pytest

from simulator import exercise_spec, generate
from simulator.seeds import Stream


def _draws_per_contact(monkeypatch: pytest.MonkeyPatch, exercise: str, companies: int) -> float:
    count = [0]

    class Counting(Stream):
        __slots__ = ()

        def __init__(self, seed: int) -> None:
            super().__init__(seed)
            inner = self._random

            def draw() -> float:
                count[0] += 1
                return inner()

            self._random = draw

    monkeypatch.setattr(generate, "Stream", Counting)
    spec = exercise_spec(exercise)
    market = spec.market.model_copy(update={"n_companies": companies})
    world: Any = generate.generate_market(market, 1, spec.icp)
    return count[0] / len(world.contacts)


@pytest.mark.parametrize("exercise", ["capstone-local-gyms", "linkedin-note-coaching"])
def test_draws_per_contact_do_not_grow_with_the_market(
    monkeypatch: pytest.MonkeyPatch, exercise: str
) -> None:
    small = _draws_per_contact(monkeypatch, exercise, 500)
    large = _draws_per_contact(monkeypatch, exercise, 6_000)  # 9,000-12,000 contacts
    assert large < small * 1.02, (small, large)
