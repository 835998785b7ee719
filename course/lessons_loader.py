"""Loading one lesson: front matter, quiz, headings and glossary markers, every problem at once.

Why separate from the catalog: a lesson is one file plus its quiz and can be checked on its
own; the catalog then assembles lessons into modules and checks what spans files (ids used
twice, links between lessons and exercises).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints, ValidationError

from course.glossary import Glossary, lesson_problems, markers
from course.markdown_scan import Heading, scan_headings, split_front_matter
from course.problems import Problem, problems_from
from course.quiz_models import MIN_QUESTIONS, Quiz, load_quiz

REQUIRED_HEADINGS: tuple[str, ...] = ("Worked example", "Key terms")
# Sections the hook renders; a hand-written copy would duplicate them (and their anchors).
GENERATED_HEADINGS: tuple[str, ...] = ("Knowledge check", "Practise it")

_SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
Slug = Annotated[str, StringConstraints(pattern=rf"^{_SLUG}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class LessonMeta(BaseModel):
    """A lesson's front matter (team/CONTRACTS.md, "Lessons")."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Slug
    module: Slug
    title: Text
    objectives: Annotated[tuple[Text, ...], Field(min_length=1)]
    minutes: Annotated[StrictInt, Field(ge=1, le=240)]
    exercises: tuple[Slug, ...]
    # Front-matter keys Material for MkDocs itself understands; anything else is a typo.
    description: str | None = None
    tags: tuple[str, ...] = ()
    hide: tuple[str, ...] = ()
    icon: str | None = None
    status: str | None = None
    search: dict[str, Any] | None = None


@dataclass(frozen=True)
class Lesson:
    """One validated lesson, with its quiz and where its files are."""

    id: str
    module: str
    title: str
    objectives: tuple[str, ...]
    minutes: int
    exercises: tuple[str, ...]
    path: Path
    src_uri: str  # path inside the lessons folder, e.g. "03-lead-fundamentals/what-is-a-lead.md"
    quiz_path: Path
    quiz: Quiz
    headings: tuple[Heading, ...]
    glossary_terms: tuple[str, ...] = ()  # ids named by the lesson's glossary markers

    @property
    def url(self) -> str:
        """The page's address relative to the site root (mkdocs' directory URLs)."""
        return self.src_uri.removesuffix(".md") + "/"


def quiz_path(lesson_path: Path) -> Path:
    return lesson_path.with_name(f"{lesson_path.stem}.quiz.yaml")


def load_lesson(
    path: Path,
    lessons_dir: Path,
    module_slug: str,
    known_exercises: set[str],
    glossary: Glossary,
) -> tuple[Lesson | None, list[Problem]]:
    """Front matter, quiz and headings of one lesson; every problem found, not just the first."""
    try:
        meta, body = split_front_matter(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        meta, body = None, ""
        problems = [Problem(path, "front matter", f"not valid YAML ({exc.__class__.__name__})")]
    else:
        problems = (
            []
            if meta is not None
            else [Problem(path, "front matter", "missing (a lesson starts with --- id: ... ---)")]
        )
    lesson_meta, meta_problems = _check_meta(path, meta, module_slug, known_exercises)
    quiz, quiz_problems = _check_quiz(path)
    problems += meta_problems + quiz_problems
    headings = scan_headings(body)
    if meta is not None:  # without front matter the body is not what the writer meant
        problems += _heading_problems(path, headings)
        problems += lesson_problems(path, body, glossary)
    if lesson_meta is not None and quiz is not None:
        problems += _objective_problems(quiz_path(path), quiz, len(lesson_meta.objectives))
    if lesson_meta is None or quiz is None or any(p.severity == "error" for p in problems):
        return None, problems
    return (
        Lesson(
            id=lesson_meta.id,
            module=lesson_meta.module,
            title=lesson_meta.title,
            objectives=lesson_meta.objectives,
            minutes=lesson_meta.minutes,
            exercises=lesson_meta.exercises,
            path=path,
            src_uri=path.relative_to(lessons_dir).as_posix(),
            quiz_path=quiz_path(path),
            quiz=quiz,
            headings=headings,
            glossary_terms=tuple(dict.fromkeys(term for _, term in markers(body))),
        ),
        problems,
    )


def _check_meta(
    path: Path, meta: dict[str, Any] | None, module_slug: str, known_exercises: set[str]
) -> tuple[LessonMeta | None, list[Problem]]:
    if meta is None:
        return None, []
    try:
        lesson_meta = LessonMeta.model_validate(meta)
    except ValidationError as exc:
        return None, problems_from(exc, path)
    problems = []
    if lesson_meta.id != path.stem:
        problems.append(
            Problem(path, "id", f"is {lesson_meta.id!r}, must equal the file name {path.stem!r}")
        )
    if lesson_meta.module != module_slug:
        problems.append(
            Problem(
                path,
                "module",
                f"is {lesson_meta.module!r}, must be the folder's slug {module_slug!r}",
            )
        )
    for index, exercise_id in enumerate(lesson_meta.exercises):
        if exercise_id not in known_exercises:
            known = ", ".join(sorted(known_exercises))
            problems.append(
                Problem(
                    path,
                    f"exercises[{index}]",
                    f"unknown exercise id {exercise_id!r} (known: {known})",
                )
            )
    return lesson_meta, problems


def _check_quiz(lesson_path: Path) -> tuple[Quiz | None, list[Problem]]:
    path = quiz_path(lesson_path)
    if not path.exists():
        message = f"missing: every lesson needs a quiz with >= {MIN_QUESTIONS} questions"
        return None, [Problem(path, "", message)]
    quiz, problems = load_quiz(path)
    if quiz is not None and quiz.id != lesson_path.stem:
        problems.append(
            Problem(path, "id", f"is {quiz.id!r}, must equal the lesson id {lesson_path.stem!r}")
        )
    return quiz, problems


def _objective_problems(path: Path, quiz: Quiz, objectives: int) -> list[Problem]:
    """A question may only name an objective the lesson has."""
    return [
        Problem(
            path,
            f"questions[{index}].objective",
            f"is {question.objective}, but the lesson has {objectives} objective(s)",
            "warning",
        )
        for index, question in enumerate(quiz.questions)
        if question.objective is not None and question.objective > objectives
    ]


def _heading_problems(path: Path, headings: tuple[Heading, ...]) -> list[Problem]:
    """The writers' checklist for headings; warnings, since the page still reads fine."""
    problems = []
    level_two = {h.text for h in headings if h.level == 2}
    for required in REQUIRED_HEADINGS:
        if required not in level_two:
            problems.append(Problem(path, "body", f"needs a `## {required}` section", "warning"))
    for generated in GENERATED_HEADINGS:
        if any(h.text.casefold() == generated.casefold() for h in headings):
            problems.append(
                Problem(
                    path,
                    "body",
                    f"has a hand-written {generated!r} heading; the hook renders it",
                    "warning",
                )
            )
    for heading in headings:
        if heading.level == 1:
            problems.append(
                Problem(
                    path,
                    "body",
                    f"has an H1 ({heading.text!r}); the title comes from front matter",
                    "warning",
                )
            )
    return problems
