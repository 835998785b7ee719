"""Run the figures-and-rules check (``course.claims``) over every text the course shows.

Why here: the test suite and anyone editing a lesson ask the same question, "which of my
figures or rules is not in docs/sources.md?", and should get the same list. The texts are the
lessons, the module landing pages and the home page (which summarise and link the lessons,
so a link to a compliance lesson counts as their citation), the quizzes' explanations (their
situations and wrong options are invented on purpose, so only the explanations, which state
the right answer, are checked), the glossary, and the practice: drills (``drill:<id>``) and
sandbox exercises (``exercise:<id>``), see ``practice_documents``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from course.catalog import Catalog, Drill
from course.claims import Finding, check_markdown
from course.markdown_scan import split_front_matter
from course.source_registry import Registry

COMPLIANCE_MODULE = "compliance"  # its lessons must cite primary sources themselves


@dataclass(frozen=True)
class Document:
    """A text the check reads: ``id`` is what the *Lessons* column of sources.md names."""

    id: str
    markdown: str
    compliance: bool = False
    scenario: bool = False
    links: bool = True
    folder: str = ""  # inside the lessons folder, for resolving relative links


def documents(catalog: Catalog) -> Iterator[Document]:
    lessons_dir = catalog.root / "lessons"
    home = lessons_dir / "index.md"
    if home.exists():
        yield Document("index:home", split_front_matter(home.read_text(encoding="utf-8"))[1])
    for module in catalog.modules():
        if module.index_path is not None:
            body = split_front_matter(module.index_path.read_text(encoding="utf-8"))[1]
            yield Document(f"index:{module.folder}", body, folder=module.folder)
    for lesson in catalog.lessons():
        body = split_front_matter(lesson.path.read_text(encoding="utf-8"))[1]
        folder = lesson.src_uri.rsplit("/", 1)[0]
        yield Document(lesson.id, body, lesson.module == COMPLIANCE_MODULE, folder=folder)
        explanations = "\n\n".join(q.explanation for q in lesson.quiz.questions)
        yield Document(lesson.id, explanations, scenario=True, links=False)
    glossary = "\n\n".join(
        "\n\n".join(filter(None, [t.definition, t.formula, t.note])) for t in catalog.glossary.terms
    )
    yield Document("glossary", glossary)
    yield from practice_documents(catalog)


def practice_documents(catalog: Catalog) -> Iterator[Document]:
    """What learners read in the practice, sorted by how much of it is invented.

    A drill's summary, brief, table intro and shown cells set an invented scene, and the
    key's explanations (``why``, ``*_why``, a rule's ``summary``, a criterion's ``label``:
    what the grade page shows after a hand-in) explain answers in that scene; so, like a
    quiz's explanations, they are checked in ``scenario`` mode: a sentence that names a
    source, uses claim words or names a law is checked, invented arithmetic is not. Left
    out: the key's answers (never shown as text), a rule's ``source`` (a citation, like a
    link's text) and the drill's documents (drafts, transcripts and records the learner
    critiques, wrong on purpose like a quiz's wrong options). An exercise's client, offer
    and ideal customer profile are invented too; its deliverable says what to hand in in
    the course's own voice (a platform's character limit, a rule to follow), so it is
    checked like a lesson. Both are plain text, which cannot link, so no link is required.
    """
    for drill in catalog.drills.values():
        yield Document(f"drill:{drill.id}", _drill_text(drill), scenario=True, links=False)
    for exercise in catalog.exercises.values():
        spec = exercise.spec
        scene = [spec.summary, spec.client.offer, spec.client.brief, spec.icp.summary]
        yield Document(f"exercise:{exercise.id}", _paragraphs(scene), scenario=True, links=False)
        yield Document(f"exercise:{exercise.id}", spec.deliverable.description, links=False)


def _drill_text(drill: Drill) -> str:
    spec = drill.spec
    columns = [column.name for column in spec.materials.columns]
    cells = [item.get(name) for item in spec.materials.items for name in columns]
    shown = [spec.summary, spec.brief, spec.materials.intro, *map(str, filter(None, cells))]
    return _paragraphs(shown + list(_explanations(spec.key)))


_EXPLAINING_KEYS = ("why", "summary", "label")


def _explanations(value: Any, name: str = "") -> Iterator[str]:
    """Every text of a drill's key that a grade shows, at any depth of the key."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _explanations(inner, str(key))
    elif isinstance(value, list | tuple):
        for inner in value:
            yield from _explanations(inner, name)
    elif isinstance(value, str) and (name in _EXPLAINING_KEYS or name.endswith("_why")):
        yield value


def _paragraphs(texts: list[str]) -> str:
    """Plain texts as Markdown paragraphs (a text's own blank lines kept), one block each."""
    paragraphs = (part for text in texts for part in re.split(r"\n\s*\n", text))
    return "\n\n".join(" ".join(part.split()) for part in paragraphs if part.strip())


def check_document(document: Document, registry: Registry) -> list[Finding]:
    return check_markdown(
        document.id,
        document.markdown,
        registry,
        compliance_module=document.compliance,
        scenario=document.scenario,
        require_links=document.links,
        folder=document.folder,
    )


def check_course(catalog: Catalog, registry: Registry) -> list[Finding]:
    """Every finding in the course, in course order."""
    return [f for document in documents(catalog) for f in check_document(document, registry)]
