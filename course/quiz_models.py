"""The typed shape of a lesson's knowledge check, ``<lesson>.quiz.yaml``.

Why pydantic models here: the page script, the web app and the grader's ``quiz`` kind all read
the same definition (``Quiz.as_context()``), so a file that validates here grades everywhere.
Each question may name the lesson objective it checks (``objective: 2`` is the second one in
the lesson's front matter); the catalog checks that every objective is covered.
"""

from __future__ import annotations

import math
from pathlib import Path
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

from course.problems import Problem, problems_from

MIN_QUESTIONS = 3
QUESTION_TYPES: tuple[str, ...] = ("single", "multiple", "numeric", "text")

_SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
Slug = Annotated[str, StringConstraints(pattern=rf"^{_SLUG}$")]
QuestionId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]+$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _QuestionBase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: QuestionId
    prompt: Text
    explanation: Text
    # 1-based index into the lesson's objectives; None for questions written before the link.
    objective: Annotated[StrictInt, Field(ge=1)] | None = None


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
AnyQuestion = SingleQuestion | MultipleQuestion | NumericQuestion | TextQuestion


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
        data = self.model_dump(mode="json")
        for question in data["questions"]:
            if question.get("objective") is None:
                question.pop("objective", None)
        return data


def read_yaml(path: Path) -> tuple[Any, list[Problem]]:
    """A YAML file's data, or a problem naming the line where parsing stopped."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")), []
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        field_name = f"line {where.line + 1}" if where is not None else ""
        return None, [Problem(path, field_name, f"not valid YAML ({exc.__class__.__name__})")]


def load_quiz(path: Path) -> tuple[Quiz | None, list[Problem]]:
    """Parse and validate one ``.quiz.yaml``; problems name the file and the field."""
    data, problems = read_yaml(path)
    if problems:
        return None, problems
    if not isinstance(data, dict):
        return None, [Problem(path, "", "must be a mapping with `id` and `questions`")]
    try:
        return Quiz.model_validate(data), []
    except ValidationError as exc:
        return None, problems_from(exc, path)
