"""Practice items of the course: sandbox exercises and drills, and the links to lessons.

A lesson's front matter names its practice in ``exercises:`` (an exercise id or a drill id);
each exercise or drill names its lessons in ``lessons:``. ``course.catalog`` loads both kinds
here and reports a link written on one side only (``link_problems``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from course.drill_specs import DrillSpec, DrillSpecError, parse_drill
from course.exercise_specs import ExerciseSpec, ExerciseSpecError, load_exercises
from course.lessons_loader import Lesson
from course.problems import Problem


@dataclass(frozen=True)
class Exercise:
    """A sandbox exercise as far as the course needs it; ``spec`` is the full definition."""

    id: str
    title: str
    path: Path
    spec: ExerciseSpec = field(repr=False, compare=False)


@dataclass(frozen=True)
class Drill:
    """A drill (practice without a market) as the course needs it; ``spec`` in full."""

    id: str
    title: str
    path: Path
    spec: DrillSpec = field(repr=False, compare=False)


def load_exercise_items(exercises_dir: Path) -> tuple[dict[str, Exercise], list[Problem]]:
    """Exercise definitions through ``course.exercise_specs`` (the id is the file name)."""
    try:
        specs = load_exercises(exercises_dir)
    except ExerciseSpecError as exc:
        return {}, [Problem(exc.path, exc.field, exc.message, "warning")]
    exercises = {
        exercise_id: Exercise(exercise_id, spec.title, exercises_dir / f"{exercise_id}.yaml", spec)
        for exercise_id, spec in specs.items()
    }
    return exercises, []


def load_drill_items(
    drills_dir: Path, kinds: Collection[str] | None, exercises: Mapping[str, Exercise]
) -> tuple[dict[str, Drill], list[Problem]]:
    """Drill definitions through ``course.drill_specs``; one bad file drops only itself."""
    drills: dict[str, Drill] = {}
    problems: list[Problem] = []
    for path in sorted(drills_dir.glob("*.yaml")) if drills_dir.is_dir() else ():
        try:
            spec = parse_drill(path, kinds)
        except DrillSpecError as exc:
            problems.append(Problem(exc.path, exc.field, exc.message, "warning"))
            continue
        if spec.id in exercises:
            problems.append(Problem(path, "id", f"{spec.id!r} is also an exercise id", "warning"))
            continue
        drills[spec.id] = Drill(spec.id, spec.title, path, spec)
    return drills, problems


def missing_definitions(
    lesson: Lesson, known: set[str], exercises: Mapping[str, Exercise | Drill]
) -> list[Problem]:
    return [
        Problem(
            lesson.path,
            f"exercises[{index}]",
            f"exercise {exercise_id!r} has no definition yet "
            f"(course/exercises/{exercise_id}.yaml is missing)",
            "warning",
        )
        for index, exercise_id in enumerate(lesson.exercises)
        if exercise_id in known and exercise_id not in exercises
    ]


def link_problems(
    lessons: Mapping[str, Lesson], exercises: Mapping[str, Exercise | Drill]
) -> list[Problem]:
    """Lessons and practice (exercises and drills) name each other: a link written on one
    side only is a slip."""
    problems = []
    for exercise in exercises.values():
        for index, lesson_id in enumerate(exercise.spec.lessons):
            lesson = lessons.get(lesson_id)
            if lesson is None:
                message = f"unknown lesson id {lesson_id!r}"
            elif exercise.id not in lesson.exercises:
                message = (
                    f"lists lesson {lesson_id!r}, whose front matter does not list "
                    f"{exercise.id!r} in `exercises`"
                )
            else:
                continue
            problems.append(Problem(exercise.path, f"lessons[{index}]", message, "warning"))
    for lesson in lessons.values():
        for index, exercise_id in enumerate(lesson.exercises):
            exercise = exercises.get(exercise_id)
            if exercise is not None and lesson.id not in exercise.spec.lessons:
                problems.append(
                    Problem(
                        lesson.path,
                        f"exercises[{index}]",
                        f"names {exercise_id!r}, whose `lessons:` does not list {lesson.id!r}",
                        "warning",
                    )
                )
    return problems
