"""How the course loaders report what is wrong: a ``Problem`` names the file and the field.

Why a module of its own: the lesson, quiz, glossary and exercise loaders all report in the
same shape, and ``mkdocs build --strict``, the tests and the running app read that shape.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

COURSE_ROOT = Path(__file__).resolve().parent

# The names pydantic inserts for the tagged question union; hidden from field paths.
_UNION_TAGS: tuple[str, ...] = ("single", "multiple", "numeric", "text")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the course content, located by file and field."""

    path: Path
    field: str
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = display_path(self.path)
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class CatalogError(ValueError):
    """The course content cannot be loaded; ``problems`` lists every reason found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"the course has {len(self.problems)} problem(s):\n{lines}")


def display_path(path: Path) -> str:
    """Show paths from the repository root when we can (course/lessons/...), else as given."""
    for base in (COURSE_ROOT.parent, Path.cwd()):
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return str(path)


def field_path(loc: Iterable[int | str]) -> str:
    """Turn a pydantic location ('questions', 2, 'single', 'answer') into questions[2].answer."""
    out = ""
    previous: int | str | None = None
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(previous, int) and part in _UNION_TAGS:
            pass  # the discriminator tag pydantic inserts for tagged unions
        else:
            out += f".{part}" if out else str(part)
        previous = part
    return out


def problems_from(error: ValidationError, path: Path) -> list[Problem]:
    """Every validation error as a Problem, with a readable message and the offending value."""
    problems = []
    for item in error.errors(include_url=False):
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "tuple_type":
            message = "should be a list"
        given = item.get("input")
        if isinstance(given, str | int | float | bool) and item["type"] != "value_error":
            message += f" (got {given!r})"
        problems.append(Problem(path, field_path(item["loc"]), message))
    return problems


def as_warnings(problems: Iterable[Problem]) -> list[Problem]:
    """The same problems, demoted to warnings (the site still reads; --strict still fails)."""
    return [Problem(p.path, p.field, p.message, "warning") for p in problems]
