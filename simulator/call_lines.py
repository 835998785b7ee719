"""The words buyers and gatekeepers say: seeded phrasings, never the same twice in a call.

``data/conversations.yaml`` holds several wordings of each line. A persona's voice decides
which wording they reach for first and which verbal habit ("Look, ", "Honestly, ") they
put in front, so two personas answering the same turn sound different. Within one call a
wording already said is skipped; when every wording of a line is used up, the next habit
is tried, so a reply never repeats verbatim within a call.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableSet
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .seeds import Stream

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
    start = (voice + rng.below(2)) % len(options)
    for h in range(len(habits)):  # plain wordings first; a habit only once they are used up
        habit = habits[(voice + h) % len(habits)] if h else ""
        for k in range(len(options)):
            text = _fill(options[(start + k) % len(options)], values)
            said = (
                habit + text[0].lower() + text[1:]
                if habit and not habit.endswith(". ")
                else (habit + text)
            )
            if said not in used:
                used.add(said)
                return said
    said = f"{_fill(options[start], values)} ({len(used)})"  # never reached in 40 turns
    used.add(said)
    return said


def _fill(template: str, values: Mapping[str, object]) -> str:
    try:
        return template.format_map(dict(values))
    except (KeyError, IndexError) as exc:  # a phrasing names a value the caller lacks
        raise ValueError(f"phrasing {template!r} needs {exc}") from exc
