"""The words buyers and gatekeepers say: seeded phrasings, never the same twice in a call.

``data/conversations.yaml`` holds several wordings of each line. A persona's voice (a seed
of its own, buyers.py) puts the wordings of every line in an order of its own, and the
turn's draw picks whether they start from their first or second choice; the voice also
orders the verbal habits ("Look, ", "Honestly, "). So two personas answering the same turn
sound different: with four wordings a line there are 24 orders of each, and a dozen
common lines give far more voices than a world has contacts (tests/simulator/
test_persona_voices.py). Within one call a wording already said is skipped; when every
wording of a line is used up, the next habit is tried, so a reply never repeats verbatim
within a call.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableSet
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

from .seeds import Stream, derive_seed

_PATH = Path(__file__).parent / "data" / "conversations.yaml"


@cache
def phrasings() -> Mapping[str, Any]:
    """The phrasing file, read once."""
    loaded: Mapping[str, Any] = yaml.safe_load(_PATH.read_text(encoding="utf-8"))
    return loaded


def line(
    key: str,
    *,
    voice: int,
    used: MutableSet[str],
    rng: Stream,
    values: Mapping[str, object],
) -> str:
    """One wording of ``key`` ("objection.no_budget"), not yet in ``used`` (then added)."""
    group, name = key.split(".", 1)
    options: list[str] = phrasings()[group][name]
    habits: list[str] = phrasings()["habits"]
    order = voice_order(voice, key, len(options))
    habit_order = voice_order(voice, "habits", len(habits) - 1)  # habits[0] is "" (none)
    start = rng.below(2)
    for h in range(len(habits)):  # plain wordings first; a habit only once they are used up
        habit = habits[1 + habit_order[h - 1]] if h else ""
        for k in range(len(options)):
            text = _fill(options[order[(start + k) % len(options)]], values)
            said = (
                habit + text[0].lower() + text[1:]
                if habit and not habit.endswith(". ")
                else (habit + text)
            )
            if said not in used:
                used.add(said)
                return said
    said = f"{_fill(options[order[start]], values)} ({len(used)})"  # never reached in 40 turns
    used.add(said)
    return said


@lru_cache(maxsize=8192)
def voice_order(voice: int, key: str, n: int) -> tuple[int, ...]:
    """The order in which the voice ``voice`` reaches for the ``n`` wordings of ``key``
    (a seeded shuffle: the same voice, the same order, on every machine)."""
    return tuple(Stream(derive_seed(voice, key)).sample(range(n), n))


def _fill(template: str, values: Mapping[str, object]) -> str:
    try:
        return template.format_map(dict(values))
    except (KeyError, IndexError) as exc:  # a phrasing names a value the caller lacks
        raise ValueError(f"phrasing {template!r} needs {exc}") from exc
