"""The course as the platform reads it: one catalog and one exercises folder per app.

Built once from the app's ``Settings`` (``create_app`` keeps it on ``app.state``), so the
catalog the pages show and the exercise definitions the sandbox runs always come from the
same folder, whatever ``LEADWORKS_EXERCISES_DIR`` says. Content is read-only at run time
(authors change it through git and a rebuild), so apps with the same folder share one copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from markupsafe import Markup

from course.catalog import Catalog, load_catalog
from course.exercise_specs import ExerciseSpec
from course.glossary import Glossary
from grader.registry import KINDS
from leadworks.core.config import Settings
from leadworks.core.errors import NotFound


@dataclass(frozen=True)
class Content:
    """The course catalog and the folder its exercise definitions were read from."""

    catalog: Catalog
    exercises_dir: Path

    def spec(self, exercise_id: str) -> ExerciseSpec:
        """An exercise's definition; an unknown id is a 404 that names it."""
        exercise = self.catalog.exercises.get(exercise_id)
        if exercise is None:
            raise NotFound(f"There is no exercise with id '{exercise_id[:100]}'.")
        return exercise.spec


@lru_cache(maxsize=8)
def load_content(exercises_dir: Path) -> Content:
    """The course with the exercises of ``exercises_dir`` (cached: content is read-only)."""
    return Content(load_catalog(exercises_dir=exercises_dir, drill_kinds=KINDS), exercises_dir)


def content_for(settings: Settings) -> Content:
    """The content a deployment with these settings serves."""
    return load_content(settings.exercises_dir.resolve())


def get_content(request: Request) -> Content:
    return request.app.state.content  # type: ignore[no-any-return]


def get_catalog(request: Request) -> Catalog:
    return get_content(request).catalog


ContentDep = Annotated[Content, Depends(get_content)]
CatalogDep = Annotated[Catalog, Depends(get_catalog)]


def term_links(glossary: Glossary, course_url: str = "/course/glossary/") -> Any:
    """``term(id, text=None)`` for templates: a term linked to its entry on the course's
    Glossary page, its definition as the hover title. ``course/glossary.yaml`` stays the one
    definition; an id the glossary does not know shows the text alone (never a dead link)."""

    def term(term_id: str, text: str | None = None) -> Markup:
        try:
            entry = glossary.term(term_id)
        except KeyError:
            return Markup("{}").format(text or term_id)
        plain = re.sub(r"[*_`]|\[([^\]]*)\]\([^)]*\)", r"\1", " ".join(entry.definition.split()))
        return Markup('<a class="term" href="{}#{}" title="{}">{}</a>').format(
            course_url, entry.id, plain, text or entry.term
        )

    return term
