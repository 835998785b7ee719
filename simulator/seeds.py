"""Seeds and random streams that give the same numbers on every machine.

Why not ``hash()``: Python salts string hashes per process. Why only ``Random.random()``:
the standard library promises that ``random()`` keeps its sequence for an integer seed
across versions, but not ``choice``, ``randint``, ``shuffle`` or ``gauss``, whose algorithms
have changed before. So every draw here is built from ``random()`` and plain arithmetic.
"""

from __future__ import annotations

import hashlib
from _random import Random as _MersenneTwister
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def derive_seed(*parts: object) -> int:
    """A 64-bit seed from any parts (learner id, exercise id, attempt, labels...).

    ``derive_seed(learner_id, exercise_id, attempt)`` gives a learner their own world;
    ``derive_seed(world_seed, "outcome", seq)`` keys the random stream of one event.
    """
    text = "\x1f".join(str(part) for part in parts)
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


class Stream:
    """Draws built only on ``random.Random.random()`` (see the module docstring).

    It seeds ``_random.Random``, the C generator under ``random.Random``: given an int it
    draws the very same sequence, without the Python-level ``__init__`` and ``seed`` (a
    fold seeds a stream per event; that overhead was a few percent of it)."""

    __slots__ = ("_random",)

    def __init__(self, seed: int) -> None:
        self._random = _MersenneTwister(seed).random

    def uniform(self) -> float:
        """A float in [0, 1)."""
        return self._random()

    def many(self, n: int) -> list[float]:
        """n floats in [0, 1), drawn in order."""
        draw = self._random
        return [draw() for _ in range(n)]

    def chance(self, probability: float) -> bool:
        return self._random() < probability

    def below(self, n: int) -> int:
        """An integer in [0, n)."""
        return min(int(self._random() * n), n - 1)

    def between(self, low: int, high: int) -> int:
        """An integer in [low, high], both ends included."""
        return low + self.below(high - low + 1)

    def pick(self, items: Sequence[T]) -> T:
        return items[self.below(len(items))]

    def weighted(self, items: Sequence[T], cumulative: Sequence[float]) -> T:
        """Pick with precomputed cumulative weights (last element = total)."""
        target = self._random() * cumulative[-1]
        for item, bound in zip(items, cumulative, strict=True):
            if target < bound:
                return item
        return items[-1]

    def sample(self, items: Sequence[T], k: int) -> list[T]:
        """k distinct items in a seed-stable order (partial Fisher-Yates)."""
        pool = list(items)
        k = min(k, len(pool))
        for i in range(k):
            j = i + self.below(len(pool) - i)
            pool[i], pool[j] = pool[j], pool[i]
        return pool[:k]


def cumulative(weights: Sequence[float]) -> tuple[float, ...]:
    total = 0.0
    out: list[float] = []
    for weight in weights:
        total += weight
        out.append(total)
    return tuple(out)
