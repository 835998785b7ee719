"""Run the figures-and-rules check (``course.claims``) over every text the course shows.

Why here: the test suite and anyone editing a lesson ask the same question, "which of my
figures or rules is not in docs/sources.md?", and should get the same list. The texts are the
lessons, the module landing pages and the home page (which summarise and link the lessons,
so a link to a compliance lesson counts as their citation), the quizzes' explanations (their
situations and wrong options are invented on purpose, so only the explanations, which state
the right answer, are checked) and the glossary.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from course.catalog import Catalog
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
