"""One definition per term: ``course/glossary.yaml``, read by the site, the lessons and tests.

Why a data file: a term such as *reply rate* or *SQL* must mean the same thing in every
lesson, in the sandbox's figures and in the grader's checks. Lessons do not write their own
definition of a glossary term; they place a marker the mkdocs hook expands:

- ``<!-- glossary: reply-rate, sql -->`` in ``## Key terms`` becomes one bullet per term;
- ``<!-- formula: reply-rate -->`` becomes the term's formula as a quoted line.

The catalog reports a hand-written bullet or formula for a glossary term, so a second
definition cannot creep back in. Pure: pydantic and yaml only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from course.markdown_scan import scan_lines, section_lines
from course.problems import Problem, problems_from
from course.quiz_models import read_yaml

_SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
Slug = Annotated[str, StringConstraints(pattern=rf"^{_SLUG}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

MARKER_RE = re.compile(r"<!--\s*(glossary|formula)\s*:\s*([^>]*?)\s*-->")
_BOLD_BULLET_RE = re.compile(r"^\s*[-*+]\s+\*\*(?P<name>[^*]+?)\*\*")
_FORMULA_RE = re.compile(
    r"\*\*(?P<name>[^*]+?)\*\*\s*=|^>?\s*\*{0,2}(?P<plain>[A-Za-z][\w ()/-]{1,60}?)\s*="
)


class Term(BaseModel):
    """One glossary entry. ``definition`` and ``formula`` are Markdown (one paragraph each)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Slug
    term: Text
    aliases: tuple[Text, ...] = ()
    definition: Text
    formula: Text | None = None
    note: Text | None = None
    see: tuple[Slug, ...] = ()
    used_by: tuple[Text, ...] = Field(
        default=(), description="where code computes or checks the term, e.g. simulator.metrics"
    )

    def names(self) -> tuple[str, ...]:
        """The term and its aliases, case-folded, for matching hand-written definitions."""
        return tuple(_fold(name) for name in (self.term, *self.aliases))


class _GlossaryFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    terms: Annotated[tuple[Term, ...], Field(min_length=1)]


@dataclass(frozen=True)
class Glossary:
    """Every term by id, in the file's order."""

    terms: tuple[Term, ...] = ()

    def term(self, term_id: str) -> Term:
        for entry in self.terms:
            if entry.id == term_id:
                return entry
        raise KeyError(f"unknown glossary term {term_id!r}")

    def ids(self) -> frozenset[str]:
        return frozenset(entry.id for entry in self.terms)

    def find(self, name: str) -> Term | None:
        """The entry whose term or alias is ``name`` (ignoring case, spaces and hyphens)."""
        folded = _fold(name)
        for entry in self.terms:
            if folded in entry.names():
                return entry
        return None


def _fold(name: str) -> str:
    return re.sub(r"[\s\-\u2010-\u2015]+", " ", name.casefold()).strip(" .:")


def load_glossary(path: Path) -> tuple[Glossary, list[Problem]]:
    """Read ``glossary.yaml``; a missing file is an empty glossary (fixture courses)."""
    if not path.exists():
        return Glossary(), []
    data, problems = read_yaml(path)
    if problems:
        return Glossary(), problems
    try:
        parsed = _GlossaryFile.model_validate(data)
    except ValidationError as exc:
        return Glossary(), problems_from(exc, path)
    glossary = Glossary(parsed.terms)
    problems = []
    seen: dict[str, str] = {}
    for index, entry in enumerate(parsed.terms):
        if entry.id in {t.id for t in parsed.terms[:index]}:
            problems.append(Problem(path, f"terms[{index}].id", f"{entry.id!r} is used twice"))
        for name in entry.names():
            if name in seen and seen[name] != entry.id:
                problems.append(
                    Problem(path, f"terms[{index}]", f"{name!r} also names {seen[name]!r}")
                )
            seen[name] = entry.id
        for other in entry.see:
            if other not in glossary.ids():
                problems.append(Problem(path, f"terms[{index}].see", f"unknown term {other!r}"))
    return glossary, problems


def markers(markdown: str) -> list[tuple[str, str]]:
    """Every (kind, term id) a lesson's markers name, in order, outside fenced code."""
    found = []
    for line in scan_lines(markdown):
        if line.in_code:
            continue
        for kind, ids in MARKER_RE.findall(line.text):
            found += [(kind, term_id.strip()) for term_id in ids.split(",") if term_id.strip()]
    return found


def _candidates(name: str) -> Iterable[str]:
    """ "MQL (marketing-qualified lead)" -> the whole, "MQL", "marketing-qualified lead"."""
    yield name
    yield re.sub(r"\s*\([^)]*\)", "", name).strip()
    yield from re.findall(r"\(([^)]*)\)", name)


def lesson_problems(path: Path, body: str, glossary: Glossary) -> list[Problem]:
    """Markers that name unknown terms; hand-written definitions or formulas of glossary terms."""
    problems = []
    for kind, term_id in markers(body):
        if term_id not in glossary.ids():
            problems.append(
                Problem(path, "body", f"{kind} marker names unknown term {term_id!r}", "warning")
            )
        elif kind == "formula" and glossary.term(term_id).formula is None:
            problems.append(
                Problem(path, "body", f"glossary term {term_id!r} has no formula", "warning")
            )
    for line in section_lines(body, "Key terms"):
        match = _BOLD_BULLET_RE.match(line.text)
        name = match.group("name") if match else ""
        entry = _match_term(glossary, name) if name else None
        if entry is not None:
            problems.append(
                Problem(
                    path,
                    "body",
                    f"`## Key terms` defines {name!r} by hand; it is in "
                    f"course/glossary.yaml: write <!-- glossary: {entry.id} -->",
                    "warning",
                )
            )
    for line in scan_lines(body):
        if line.in_code or line.heading is not None:
            continue
        for match in _FORMULA_RE.finditer(line.text):
            name = match.group("name") or match.group("plain") or ""
            entry = _match_term(glossary, name)
            rhs = line.text[match.end() :]
            if (
                entry is not None
                and entry.formula is not None
                and _looks_like_formula(rhs)
                and not _is_arithmetic(rhs)
            ):
                problems.append(
                    Problem(
                        path,
                        f"body line {line.number}",
                        f"writes its own formula for {name.strip()!r}: use "
                        f"<!-- formula: {entry.id} --> (course/glossary.yaml)",
                        "warning",
                    )
                )
    return problems


def _match_term(glossary: Glossary, name: str) -> Term | None:
    for candidate in _candidates(name):
        entry = glossary.find(candidate) if candidate.strip() else None
        if entry is not None:
            return entry
    return None


def _is_arithmetic(rhs: str) -> bool:
    """ "= 3 ÷ 12 × 100" works an example out; "= replies ÷ people" defines the term."""
    return bool(re.match(r"\s*[(\d$£€]", rhs))


def _looks_like_formula(text: str) -> bool:
    return bool(re.search(r"[/÷]|\bdivided by\b|\bx 100\b|× ?100", text))
