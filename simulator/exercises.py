"""Opening an exercise: its spec from course/exercises, its world, a ready sandbox.

Opening is where the runner and the sandbox meet: an exercise with a ``preplayed`` policy
(the pipeline report on a colleague's 30 days) is played here, after the sandbox is built,
so that the sandbox itself never needs the runner that drives it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from course.exercise_specs import ExerciseSpec, load_exercises

from .events import Event, ReplayError
from .market import World
from .runner import run_policy
from .sandbox import Sandbox
from .sandbox_replay import as_events
from .seeds import derive_seed
from .signals import Analyser
from .world_cache import WORLDS


@lru_cache(maxsize=8)
def _exercises(directory: Path | None) -> dict[str, ExerciseSpec]:
    return load_exercises(directory)


def exercise_spec(exercise_id: str, exercises_dir: Path | None = None) -> ExerciseSpec:
    """The validated definition of one exercise (KeyError names the known ids)."""
    found = _exercises(exercises_dir)
    if exercise_id not in found:
        raise KeyError(f"unknown exercise {exercise_id!r}; known: {', '.join(sorted(found))}")
    return found[exercise_id]


def learner_seed(learner_id: object, exercise_id: str, attempt: int) -> int:
    """A learner's own variant of an exercise: same inputs, same world, anywhere."""
    return derive_seed(learner_id, exercise_id, attempt)


def build_world(spec: ExerciseSpec, seed: int) -> World:
    """The exercise's world for ``seed``, generated once per process and then shared
    (``world_cache``): opening, refolding and replaying the same run reuse it."""
    return WORLDS.world(spec.market, spec.icp, seed)


def open_exercise(
    exercise_id: str,
    seed: int | None = None,
    *,
    learner_id: object | None = None,
    attempt: int = 1,
    exercises_dir: Path | None = None,
    analyser: Analyser | None = None,
) -> Sandbox:
    """A ready sandbox: ``open_exercise("capstone-local-gyms", seed=7)``.

    Give either ``seed`` or ``learner_id`` (with ``attempt``), from which the seed is derived.
    An exercise with a ``preplayed`` policy comes back with that policy already played.
    """
    spec = exercise_spec(exercise_id, exercises_dir)
    if seed is None:
        if learner_id is None:
            raise ValueError("give a seed or a learner_id")
        seed = learner_seed(learner_id, exercise_id, attempt)
    sandbox = Sandbox(build_world(spec, seed), spec, analyser=analyser)
    if spec.preplayed is not None:
        run_policy(sandbox, spec.preplayed)
    return sandbox


def replay_log(
    events: Iterable[Event | Mapping[str, Any]],
    exercises_dir: Path | None = None,
    *,
    analyser: Analyser | None = None,
    checked: bool = False,
) -> Sandbox:
    """Rebuild a sandbox from an exported log alone: its first event names exercise and seed.

    The sandbox comes back live (see ``Sandbox.replay``): it takes new actions, messages
    and calls included, exactly as the sandbox that recorded the log would. ``checked``:
    the log's learner events were checked when stored (see ``Sandbox.replay``)."""
    log, spec, world = read_log(events, exercises_dir, checked=checked)
    return Sandbox.replay(world, spec, log, analyser=analyser, checked=checked)


def read_log(
    events: Iterable[Event | Mapping[str, Any]],
    exercises_dir: Path | None = None,
    *,
    checked: bool = False,
) -> tuple[list[Event], ExerciseSpec, World]:
    """A log as events, with the exercise and the world its first event names."""
    log = as_events(events, checked=checked)
    if not log or log[0].type != "exercise_opened":
        raise ReplayError("a log starts with its exercise_opened event")
    head = log[0].data
    spec = exercise_spec(str(head["exercise_id"]), exercises_dir)
    return log, spec, build_world(spec, int(head["seed"]))
