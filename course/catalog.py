"""Load and validate the whole course: modules, lessons, quizzes, exercises and the glossary.

Why one loader: the mkdocs hook that renders the pages, the web app that records progress
and the grader's quiz kind (which receives ``catalog.quiz(id)`` as its context) must agree
on what a lesson and a quiz are. If the site builds, the app can grade it.

Pure: reads files under ``course/`` and imports neither ``simulator`` nor ``grader``.
Every problem names the file and the field, e.g.
``course/lessons/03-lead-fundamentals/what-is-a-lead.quiz.yaml: questions[2].answer: ...``.
Problems that make a lesson unusable (bad front matter, a missing or invalid quiz) raise
``CatalogError`` listing all of them at once; problems a reader can live with (a missing
``## Key terms`` heading, an exercise whose YAML is not written yet, a lesson and an exercise
that do not name each other) are kept in ``Catalog.problems`` so that ``mkdocs build
--strict`` and the tests fail on them while the running app keeps working.

The parts live in their own modules (``course.problems``, ``course.quiz_models``,
``course.markdown_scan``, ``course.lessons_loader``, ``course.glossary``); the names callers
import from here stay here.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from course.glossary import Glossary, load_glossary
from course.lessons_loader import (
    GENERATED_HEADINGS,
    REQUIRED_HEADINGS,
    Lesson,
    LessonMeta,
    load_lesson,
)
from course.markdown_scan import Heading, scan_headings, split_front_matter
from course.practice_items import (
    Drill,
    Exercise,
    link_problems,
    load_drill_items,
    load_exercise_items,
    missing_definitions,
)
from course.problems import COURSE_ROOT, CatalogError, Problem, as_warnings
from course.quiz_models import (
    MIN_QUESTIONS,
    QUESTION_TYPES,
    MultipleQuestion,
    NumericQuestion,
    Question,
    Quiz,
    SingleQuestion,
    TextQuestion,
    load_quiz,
)

__all__ = [
    "COURSE_ROOT",
    "CONTRACT_EXERCISE_IDS",
    "GENERATED_HEADINGS",
    "MIN_QUESTIONS",
    "MODULE_DIR_RE",
    "QUESTION_TYPES",
    "REQUIRED_HEADINGS",
    "Catalog",
    "CatalogError",
    "Drill",
    "Exercise",
    "Glossary",
    "Heading",
    "Lesson",
    "LessonMeta",
    "Module",
    "MultipleQuestion",
    "NumericQuestion",
    "Problem",
    "Question",
    "Quiz",
    "SingleQuestion",
    "TextQuestion",
    "load_catalog",
    "load_quiz",
    "scan_headings",
    "split_front_matter",
]

# The exercise ids fixed in team/CONTRACTS.md. An exercise YAML may add more.
CONTRACT_EXERCISE_IDS: tuple[str, ...] = (
    "prospect-list-saas",
    "cold-email-dental",
    "linkedin-note-coaching",
    "sequence-real-estate",
    "qualify-insurance-leads",
    "pipeline-report-salons",
    "capstone-local-gyms",
)

#: Exercises the platform grades without a practice run (the career page's hand-ins): not in
#: course/exercises, but named like every other exercise wherever their hand-ins are listed.
CAREER_EXERCISE_TITLES: Mapping[str, str] = MappingProxyType(
    {"career-cv": "CV for an SDR application", "career-profile": "LinkedIn profile"}
)

_SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
MODULE_DIR_RE = re.compile(rf"^(?P<number>\d{{2}})-(?P<slug>{_SLUG})$")
_MODULE_PREFIX_RE = re.compile(r"^module\s+\d+\s*[:.\u2013\u2014-]\s*", re.IGNORECASE)
_MD_LINK_RE = re.compile(r"\]\(\s*<?([^)\s>]+)>?")


@dataclass(frozen=True)
class Module:
    """A module folder ``NN-slug/``: its landing page and its lessons in teaching order."""

    number: int
    slug: str
    folder: str
    title: str
    index_path: Path | None
    lesson_ids: tuple[str, ...]

    @property
    def index_uri(self) -> str:
        return f"{self.folder}/index.md"

    @property
    def short_title(self) -> str:
        """The title without a "Module 3:" prefix, for the nav and tables that show the number."""
        return _MODULE_PREFIX_RE.sub("", self.title) or self.title


@dataclass(frozen=True)
class Catalog:
    """The whole course. Build it with ``load_catalog()``."""

    root: Path
    _modules: tuple[Module, ...]
    _lessons: Mapping[str, Lesson]
    exercises: Mapping[str, Exercise]
    problems: tuple[Problem, ...] = ()
    glossary: Glossary = field(default_factory=Glossary)
    #: drills (course/drills): practice items like exercises, named in a lesson's `exercises`
    drills: Mapping[str, Drill] = field(default_factory=lambda: MappingProxyType({}))

    def modules(self) -> tuple[Module, ...]:
        """Modules in course order (by folder number)."""
        return self._modules

    def module(self, slug: str) -> Module:
        for module in self._modules:
            if module.slug == slug:
                return module
        raise KeyError(f"unknown module {slug!r}")

    def lessons(self, module: str | None = None) -> tuple[Lesson, ...]:
        """Lessons in course order, optionally only one module's."""
        lessons = tuple(self._lessons.values())
        return lessons if module is None else tuple(x for x in lessons if x.module == module)

    def lesson(self, lesson_id: str) -> Lesson:
        try:
            return self._lessons[lesson_id]
        except KeyError:
            raise KeyError(f"unknown lesson id {lesson_id!r}") from None

    def quiz(self, lesson_id: str) -> dict[str, Any]:
        """The lesson's quiz definition as a plain dict (the grader's quiz context)."""
        return self.lesson(lesson_id).quiz.as_context()

    def lessons_for_exercise(self, exercise_id: str) -> tuple[Lesson, ...]:
        """Lessons that prepare for an exercise, in course order."""
        return tuple(x for x in self._lessons.values() if exercise_id in x.exercises)

    def lesson_for_source(self, src_uri: str) -> Lesson | None:
        """The lesson whose Markdown file is ``src_uri`` (relative to the lessons folder)."""
        for lesson in self._lessons.values():
            if lesson.src_uri == src_uri:
                return lesson
        return None

    def exercise_title(self, exercise_id: str) -> str:
        """The title of an exercise, a drill or a career hand-in (else the id itself)."""
        exercise = self.exercises.get(exercise_id) or self.drills.get(exercise_id)
        if exercise is not None:
            return exercise.title
        return CAREER_EXERCISE_TITLES.get(exercise_id, exercise_id)

    def is_drill(self, practice_id: str) -> bool:
        return practice_id in self.drills

    def total_minutes(self, module: str | None = None) -> int:
        return sum(lesson.minutes for lesson in self.lessons(module))


def load_catalog(
    root: Path | str | None = None,
    *,
    exercises_dir: Path | str | None = None,
    drills_dir: Path | str | None = None,
    drill_kinds: Collection[str] | None = None,
) -> Catalog:
    """Load ``<root>/lessons``, the exercises, the drills and ``<root>/glossary.yaml``.

    ``root`` defaults to this package; the exercises to ``<root>/exercises``, or the folder
    a deployment configures (``exercises_dir``); the drills to ``<root>/drills``, their
    grader kinds checked against ``drill_kinds`` when given. Raises ``CatalogError`` listing
    every blocking problem; keeps the rest in ``problems``.
    """
    root = Path(root) if root is not None else COURSE_ROOT
    lessons_dir = root / "lessons"
    exercises_path = Path(exercises_dir) if exercises_dir is not None else root / "exercises"
    exercises, exercise_problems = load_exercise_items(exercises_path)
    drills_path = Path(drills_dir) if drills_dir is not None else root / "drills"
    drills, drill_problems = load_drill_items(drills_path, drill_kinds, exercises)
    glossary, glossary_problems = load_glossary(root / "glossary.yaml")
    problems: list[Problem] = as_warnings(exercise_problems + drill_problems) + glossary_problems
    if not lessons_dir.is_dir():
        raise CatalogError([Problem(lessons_dir, "", "the lessons folder does not exist")])

    known_exercises = set(CONTRACT_EXERCISE_IDS) | set(exercises) | set(drills)
    modules: list[Module] = []
    lessons: dict[str, Lesson] = {}
    numbers: dict[int, Path] = {}
    for folder in sorted(p for p in lessons_dir.iterdir() if p.is_dir()):
        match = MODULE_DIR_RE.match(folder.name)
        if not match:
            if any(folder.rglob("*.md")):
                problems.append(
                    Problem(
                        folder, "", "holds pages but is not a module folder (NN-slug)", "warning"
                    )
                )
            continue
        number = int(match["number"])
        if number in numbers:
            problems.append(Problem(folder, "", f"module number {number:02d} is used twice"))
        numbers[number] = folder
        module_lessons = []
        for path in sorted(folder.glob("*.md")):
            if path.name == "index.md":
                continue
            lesson, lesson_problems = load_lesson(
                path, lessons_dir, match["slug"], known_exercises, glossary
            )
            problems += lesson_problems
            if lesson is None:
                continue
            if lesson.id in lessons or lesson.id in {x.id for x in module_lessons}:
                problems.append(
                    Problem(path, "id", f"{lesson.id!r} is already used by another lesson")
                )
                continue
            module_lessons.append(lesson)
            problems += missing_definitions(lesson, known_exercises, {**exercises, **drills})
        problems += _orphan_quizzes(folder)
        module, module_problems = _load_module(folder, number, match["slug"], module_lessons)
        problems += module_problems
        modules.append(module)
        lessons.update((lesson.id, lesson) for lesson in _in_order(module, module_lessons))

    problems += link_problems(lessons, {**exercises, **drills})
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise CatalogError(errors)
    return Catalog(
        root=root,
        _modules=tuple(modules),
        _lessons=MappingProxyType(lessons),
        exercises=MappingProxyType(exercises),
        problems=tuple(problems),
        glossary=glossary,
        drills=MappingProxyType(drills),
    )


def _orphan_quizzes(folder: Path) -> list[Problem]:
    return [
        Problem(quiz_path, "", "no lesson file of the same name", "warning")
        for quiz_path in sorted(folder.glob("*.quiz.yaml"))
        if not quiz_path.with_name(quiz_path.name.removesuffix(".quiz.yaml") + ".md").exists()
    ]


def _in_order(module: Module, lessons: list[Lesson]) -> list[Lesson]:
    by_id = {lesson.id: lesson for lesson in lessons}
    return [by_id[lesson_id] for lesson_id in module.lesson_ids]


def _load_module(
    folder: Path, number: int, slug: str, lessons: list[Lesson]
) -> tuple[Module, list[Problem]]:
    """A module's title comes from its landing page; its lesson order from that page's links."""
    index = folder / "index.md"
    problems: list[Problem] = []
    title = slug.replace("-", " ").capitalize()
    linked: list[str] = []
    if not index.exists():
        problems.append(Problem(index, "", "missing: every module needs a landing page", "warning"))
    else:
        try:
            meta, body = split_front_matter(index.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            meta, body = None, ""
            problems.append(
                Problem(index, "front matter", f"not valid YAML ({exc.__class__.__name__})")
            )
        if meta and "id" in meta:
            problems.append(
                Problem(index, "id", "a module landing page is not a lesson: remove `id`")
            )
        if meta and isinstance(meta.get("title"), str) and meta["title"].strip():
            title = meta["title"].strip()
        else:
            problems.append(Problem(index, "title", "missing from the front matter", "warning"))
        for target in _MD_LINK_RE.findall(body):
            target = target.split("#", 1)[0]
            if target.endswith(".md") and "://" not in target:
                resolved = (folder / target).resolve()
                if resolved.parent == folder.resolve() and resolved.stem not in linked:
                    linked.append(resolved.stem)

    ids = [lesson.id for lesson in lessons]
    ordered = [lesson_id for lesson_id in linked if lesson_id in ids]
    for lesson in lessons:
        if lesson.id not in ordered:
            ordered.append(lesson.id)
            if index.exists():
                problems.append(
                    Problem(
                        index,
                        "body",
                        f"does not link the lesson {lesson.path.name}; list every lesson",
                        "warning",
                    )
                )
    module = Module(
        number, slug, folder.name, title, index if index.exists() else None, tuple(ordered)
    )
    return module, problems
