"""Load and validate the whole course: modules, lessons, quizzes and exercises.

Why one loader: the mkdocs hook that renders the pages, the web app that records progress
and the grader's quiz kind (which receives ``catalog.quiz(id)`` as its context) must agree
on what a lesson and a quiz are. If the site builds, the app can grade it.

Pure: reads files under ``course/`` and imports neither ``simulator`` nor ``grader``.
Every problem names the file and the field, e.g.
``course/lessons/03-lead-fundamentals/what-is-a-lead.quiz.yaml: questions[2].answer: ...``.
Problems that make a lesson unusable (bad front matter, a missing or invalid quiz) raise
``CatalogError`` listing all of them at once; problems a reader can live with (a missing
``## Key terms`` heading, an exercise whose YAML is not written yet) are kept in
``Catalog.problems`` so that ``mkdocs build --strict`` and the tests fail on them while the
running app keeps working.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from course.exercise_specs import ExerciseSpec, ExerciseSpecError, load_exercises

COURSE_ROOT = Path(__file__).resolve().parent

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

MIN_QUESTIONS = 3
REQUIRED_HEADINGS: tuple[str, ...] = ("Worked example", "Key terms")
# Sections the hook renders; a hand-written copy would duplicate them (and their anchors).
GENERATED_HEADINGS: tuple[str, ...] = ("Knowledge check", "Practise it")
QUESTION_TYPES: tuple[str, ...] = ("single", "multiple", "numeric", "text")

_SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
MODULE_DIR_RE = re.compile(rf"^(?P<number>\d{{2}})-(?P<slug>{_SLUG})$")
# The same front-matter rule as mkdocs.utils.meta, so the catalog and the site agree.
_FRONT_MATTER_RE = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX_HEADING_RE = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
_ATTR_LIST_RE = re.compile(r"\s*\{[^}]*\}\s*$")
_MODULE_PREFIX_RE = re.compile(r"^module\s+\d+\s*[:.\u2013\u2014-]\s*", re.IGNORECASE)
_MD_LINK_RE = re.compile(r"\]\(\s*<?([^)\s>]+)>?")

Slug = Annotated[str, StringConstraints(pattern=rf"^{_SLUG}$")]
QuestionId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]+$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the course content, located by file and field."""

    path: Path
    field: str
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = _display_path(self.path)
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class CatalogError(ValueError):
    """The course content cannot be loaded; ``problems`` lists every reason found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"the course has {len(self.problems)} problem(s):\n{lines}")


def _display_path(path: Path) -> str:
    """Show paths from the repository root when we can (course/lessons/...), else as given."""
    for base in (COURSE_ROOT.parent, Path.cwd()):
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return str(path)


def _field_path(loc: Iterable[int | str]) -> str:
    """Turn a pydantic location ('questions', 2, 'single', 'answer') into questions[2].answer."""
    out = ""
    previous: int | str | None = None
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(previous, int) and part in QUESTION_TYPES:
            pass  # the discriminator tag pydantic inserts for tagged unions
        else:
            out += f".{part}" if out else str(part)
        previous = part
    return out


def _problems_from(error: ValidationError, path: Path) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "tuple_type":
            message = "should be a list"
        given = item.get("input")
        if isinstance(given, str | int | float | bool) and item["type"] != "value_error":
            message += f" (got {given!r})"
        problems.append(Problem(path, _field_path(item["loc"]), message))
    return problems


# --------------------------------------------------------------------------- quiz models


class _QuestionBase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: QuestionId
    prompt: Text
    explanation: Text


class _NoTolerance(_QuestionBase):
    # The contract's example carries `tolerance: 0` on a single-choice question; accept a zero
    # anywhere, refuse a real tolerance outside numeric questions, and leave it out of dumps.
    tolerance: float = Field(default=0, exclude=True)

    @field_validator("tolerance")
    @classmethod
    def _tolerance_only_for_numbers(cls, value: float) -> float:
        if value != 0:
            raise ValueError("tolerance applies to numeric questions only")
        return value


class _ChoiceQuestion(_NoTolerance):
    options: Annotated[tuple[Text, ...], Field(min_length=2)]


class SingleQuestion(_ChoiceQuestion):
    """Pick one option; ``answer`` is the index of the right one."""

    type: Literal["single"]
    answer: StrictInt

    @field_validator("answer")
    @classmethod
    def _index_in_range(cls, value: int, info: ValidationInfo) -> int:
        options = info.data.get("options")
        if options is not None and not 0 <= value < len(options):
            raise ValueError(
                f"option index {value} is out of range (there are {len(options)} options, "
                f"indexes 0 to {len(options) - 1})"
            )
        return value


class MultipleQuestion(_ChoiceQuestion):
    """Pick every right option; ``answer`` lists their indexes (partial credit)."""

    type: Literal["multiple"]
    answer: Annotated[tuple[StrictInt, ...], Field(min_length=1)]

    @field_validator("answer")
    @classmethod
    def _indexes_in_range(cls, value: tuple[int, ...], info: ValidationInfo) -> tuple[int, ...]:
        options = info.data.get("options")
        if len(set(value)) != len(value):
            raise ValueError(f"option indexes repeat: {list(value)}")
        if options is not None:
            bad = [index for index in value if not 0 <= index < len(options)]
            if bad:
                raise ValueError(
                    f"option index(es) {bad} out of range (there are {len(options)} options, "
                    f"indexes 0 to {len(options) - 1})"
                )
        return tuple(sorted(value))


class NumericQuestion(_QuestionBase):
    """Type a number; right when within ``tolerance`` (absolute) of ``answer``."""

    type: Literal["numeric"]
    answer: StrictInt | StrictFloat
    tolerance: float = Field(default=0, ge=0)

    @field_validator("answer", "tolerance")
    @classmethod
    def _finite(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError("must be a finite number")
        return value


class TextQuestion(_NoTolerance):
    """Type a short answer; right when it matches one accepted answer, ignoring case and spaces."""

    type: Literal["text"]
    answer: Annotated[tuple[Text, ...], Field(min_length=1)]


Question = Annotated[
    SingleQuestion | MultipleQuestion | NumericQuestion | TextQuestion,
    Field(discriminator="type"),
]


class Quiz(BaseModel):
    """A lesson's knowledge check: ``<lesson>.quiz.yaml``, the one source of truth."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Slug
    questions: tuple[Question, ...]

    @field_validator("questions")
    @classmethod
    def _enough_distinct_questions(cls, questions: tuple[Any, ...]) -> tuple[Any, ...]:
        # An "after" validator: runs only once every question is valid, so the count is real.
        if len(questions) < MIN_QUESTIONS:
            raise ValueError(f"needs at least {MIN_QUESTIONS} questions, has {len(questions)}")
        seen: set[str] = set()
        for question in questions:
            if question.id in seen:
                raise ValueError(f"question id {question.id!r} is used twice")
            seen.add(question.id)
        return questions

    def as_context(self) -> dict[str, Any]:
        """The plain-dict form the page script and the grader's quiz kind both read."""
        return self.model_dump(mode="json")


# --------------------------------------------------------------------------- lesson models


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
class Heading:
    level: int
    text: str


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

    @property
    def url(self) -> str:
        """The page's address relative to the site root (mkdocs' directory URLs)."""
        return self.src_uri.removesuffix(".md") + "/"


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
class Exercise:
    """A sandbox exercise as far as the course needs it; ``spec`` is the full definition."""

    id: str
    title: str
    path: Path
    spec: ExerciseSpec = field(repr=False, compare=False)


@dataclass(frozen=True)
class Catalog:
    """The whole course. Build it with ``load_catalog()``."""

    root: Path
    _modules: tuple[Module, ...]
    _lessons: Mapping[str, Lesson]
    exercises: Mapping[str, Exercise]
    problems: tuple[Problem, ...] = ()

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
        exercise = self.exercises.get(exercise_id)
        return exercise.title if exercise else exercise_id

    def total_minutes(self, module: str | None = None) -> int:
        return sum(lesson.minutes for lesson in self.lessons(module))


# --------------------------------------------------------------------------- reading files


def split_front_matter(text: str) -> tuple[dict[str, Any] | None, str]:
    """Return (front matter or None, body)."""
    text = text.lstrip("\ufeff")
    match = _FRONT_MATTER_RE.match(text)
    if not match:
        return None, text
    data = yaml.safe_load(match.group(1))
    return (data if isinstance(data, dict) else None), text[match.end() :]


def scan_headings(markdown: str) -> tuple[Heading, ...]:
    """ATX headings outside fenced code blocks (what a reader sees as headings)."""
    headings = []
    fence: str | None = None
    for line in markdown.splitlines():
        fence_match = _FENCE_RE.match(line)
        if fence_match:
            marker = fence_match.group(1)
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = None
            continue
        if fence is not None:
            continue
        heading = _ATX_HEADING_RE.match(line)
        if heading:
            text = _ATTR_LIST_RE.sub("", heading.group(2)).strip()
            headings.append(Heading(len(heading.group(1)), text))
    return tuple(headings)


def _read_yaml(path: Path) -> tuple[Any, list[Problem]]:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")), []
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        field_name = f"line {where.line + 1}" if where is not None else ""
        return None, [Problem(path, field_name, f"not valid YAML ({exc.__class__.__name__})")]


def load_quiz(path: Path) -> tuple[Quiz | None, list[Problem]]:
    """Parse and validate one ``.quiz.yaml``; problems name the file and the field."""
    data, problems = _read_yaml(path)
    if problems:
        return None, problems
    if not isinstance(data, dict):
        return None, [Problem(path, "", "must be a mapping with `id` and `questions`")]
    try:
        return Quiz.model_validate(data), []
    except ValidationError as exc:
        return None, _problems_from(exc, path)


# --------------------------------------------------------------------------- exercises


def _load_exercises(exercises_dir: Path) -> tuple[dict[str, Exercise], list[Problem]]:
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


# --------------------------------------------------------------------------- the loader


def load_catalog(
    root: Path | str | None = None, *, exercises_dir: Path | str | None = None
) -> Catalog:
    """Load ``<root>/lessons`` and the exercises (root defaults to this package; exercises
    to ``<root>/exercises``, or the folder a deployment configures).

    Raises ``CatalogError`` listing every blocking problem; keeps the rest in ``problems``.
    """
    root = Path(root) if root is not None else COURSE_ROOT
    lessons_dir = root / "lessons"
    exercises_path = Path(exercises_dir) if exercises_dir is not None else root / "exercises"
    exercises, exercise_problems = _load_exercises(exercises_path)
    problems: list[Problem] = [
        Problem(p.path, p.field, p.message, "warning") for p in exercise_problems
    ]
    if not lessons_dir.is_dir():
        raise CatalogError([Problem(lessons_dir, "", "the lessons folder does not exist")])

    known_exercises = set(CONTRACT_EXERCISE_IDS) | set(exercises)
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
            lesson, lesson_problems = _load_lesson(
                path, lessons_dir, match["slug"], known_exercises
            )
            problems += lesson_problems
            if lesson is None:
                continue
            if lesson.id in lessons:
                problems.append(
                    Problem(path, "id", f"{lesson.id!r} is already used by another lesson")
                )
                continue
            module_lessons.append(lesson)
            for index, exercise_id in enumerate(lesson.exercises):
                if exercise_id in known_exercises and exercise_id not in exercises:
                    problems.append(
                        Problem(
                            path,
                            f"exercises[{index}]",
                            f"exercise {exercise_id!r} has no definition yet "
                            f"(course/exercises/{exercise_id}.yaml is missing)",
                            "warning",
                        )
                    )
        for quiz_path in sorted(folder.glob("*.quiz.yaml")):
            if not quiz_path.with_name(quiz_path.name.removesuffix(".quiz.yaml") + ".md").exists():
                problems.append(
                    Problem(quiz_path, "", "no lesson file of the same name", "warning")
                )
        module, module_problems = _load_module(folder, number, match["slug"], module_lessons)
        problems += module_problems
        modules.append(module)
        lessons.update((lesson.id, lesson) for lesson in _in_order(module, module_lessons))

    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise CatalogError(errors)
    return Catalog(
        root=root,
        _modules=tuple(modules),
        _lessons=MappingProxyType(lessons),
        exercises=MappingProxyType(exercises),
        problems=tuple(problems),
    )


def _in_order(module: Module, lessons: list[Lesson]) -> list[Lesson]:
    by_id = {lesson.id: lesson for lesson in lessons}
    return [by_id[lesson_id] for lesson_id in module.lesson_ids]


def _load_lesson(
    path: Path, lessons_dir: Path, module_slug: str, known_exercises: set[str]
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
            quiz_path=_quiz_path(path),
            quiz=quiz,
            headings=headings,
        ),
        problems,
    )


def _quiz_path(lesson_path: Path) -> Path:
    return lesson_path.with_name(f"{lesson_path.stem}.quiz.yaml")


def _check_meta(
    path: Path, meta: dict[str, Any] | None, module_slug: str, known_exercises: set[str]
) -> tuple[LessonMeta | None, list[Problem]]:
    if meta is None:
        return None, []
    try:
        lesson_meta = LessonMeta.model_validate(meta)
    except ValidationError as exc:
        return None, _problems_from(exc, path)
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
    quiz_path = _quiz_path(lesson_path)
    if not quiz_path.exists():
        message = f"missing: every lesson needs a quiz with >= {MIN_QUESTIONS} questions"
        return None, [Problem(quiz_path, "", message)]
    quiz, problems = load_quiz(quiz_path)
    if quiz is not None and quiz.id != lesson_path.stem:
        problems.append(
            Problem(
                quiz_path, "id", f"is {quiz.id!r}, must equal the lesson id {lesson_path.stem!r}"
            )
        )
    return quiz, problems


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
