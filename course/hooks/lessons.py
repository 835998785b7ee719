"""mkdocs hook: validate the course, build the nav, and add each lesson's page furniture.

Why a hook and not hand-written Markdown: objectives, the knowledge check and the "Practise
it" links are data (front matter, ``<lesson>.quiz.yaml``, exercise YAML). Rendering them
from the data keeps one source of truth that the web app and the grader also read, and
writers cannot forget or mistype them.

Events:
- ``on_config``: load ``course.catalog`` (fails the build naming every bad file and field),
  log the non-blocking problems as warnings (so ``--strict`` fails on them) and derive the
  nav: module folders in number order, each module's landing page first, its lessons in
  the order the landing page links them. Writers never edit a nav.
- ``on_files``: add the Glossary page, generated from ``course/glossary.yaml``.
- ``on_page_markdown``: objectives on top of each lesson, glossary markers expanded,
  knowledge check and "Practise it" at the bottom; the module map and course length on the
  home page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import glossary_blocks  # sibling modules; mkdocs puts this folder on sys.path while loading
import lesson_blocks
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from course.catalog import Catalog, CatalogError, load_catalog

log = get_plugin_logger("leadworks")

# Tabs group the modules; inside a tab each module is a sidebar section with its landing page.
PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("The job", ("career", "skills")),
    ("Leads and audiences", ("lead-fundamentals", "audience", "channels")),
    ("Outreach", ("outreach", "compliance")),
    ("Pipeline", ("qualification", "crm-reporting")),
    ("Markets and careers", ("industries", "freelancing", "getting-hired")),
)
OTHER_PART = "More"

_state: dict[str, Catalog] = {}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    try:
        catalog = load_catalog(Path(config.docs_dir).parent)
    except CatalogError as exc:
        raise PluginError(f"Leadworks course: {exc}") from None
    for problem in catalog.problems:
        log.warning(str(problem))
    _state["catalog"] = catalog
    if config.nav is None:
        config.nav = build_nav(catalog)
    return config


def build_nav(catalog: Catalog) -> list[Any]:
    """The nav as mkdocs.yml would spell it: Home, then one tab per part of the course."""
    sections: dict[str, list[Any]] = {title: [] for title, _ in PARTS}
    part_of = {slug: title for title, slugs in PARTS for slug in slugs}
    for module in catalog.modules():
        pages: list[Any] = [module.index_uri] if module.index_path else []
        pages += [catalog.lesson(lesson_id).src_uri for lesson_id in module.lesson_ids]
        if pages:
            sections.setdefault(part_of.get(module.slug, OTHER_PART), []).append(
                {module.short_title: pages}
            )
    nav: list[Any] = [{"Home": "index.md"}]
    nav += [{title: modules} for title, modules in sections.items() if modules]
    if catalog.glossary.terms:
        nav.append({"Glossary": glossary_blocks.PAGE_URI})
    return nav


def on_files(files: Files, config: MkDocsConfig) -> Files:
    catalog = _state["catalog"]
    if catalog.glossary.terms and files.get_file_from_path(glossary_blocks.PAGE_URI) is None:
        content = glossary_blocks.page_markdown(catalog.glossary)
        files.append(File.generated(config, glossary_blocks.PAGE_URI, content=content))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    catalog = _state["catalog"]
    if page.file.src_uri == "index.md":
        return lesson_blocks.decorate_home(markdown, catalog)
    lesson = catalog.lesson_for_source(page.file.src_uri)
    if lesson is None:
        return markdown
    markdown = glossary_blocks.expand_markers(markdown, catalog.glossary, src_uri=page.file.src_uri)
    quiz_file = f"{Path(lesson.src_uri).stem}.quiz.yaml"
    answers_href = f"../{quiz_file}" if config.use_directory_urls else quiz_file
    return lesson_blocks.decorate_lesson(markdown, lesson, catalog, answers_href=answers_href)
