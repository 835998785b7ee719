"""The built site: a strict build, links that resolve, nothing from the network, and lesson
pages that carry their objectives, knowledge check, practice links and progress widget."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from course.catalog import Catalog
from tests.course.conftest import BuiltSite
from tests.course.site_html import (
    broken_links,
    cdn_urls,
    external_assets,
    parse_page,
    plain,
    resolve,
)


def test_strict_build_succeeds_and_writes_every_lesson(
    built_site: BuiltSite, catalog: Catalog
) -> None:
    site = built_site.path
    assert (site / "index.html").exists()
    for module in catalog.modules():
        assert (site / module.folder / "index.html").exists()
    for lesson in catalog.lessons():
        assert (site / lesson.url / "index.html").exists()
        assert (site / lesson.quiz_path.relative_to(catalog.root / "lessons")).exists()
    print(f"course build: {built_site.seconds:.2f} s")


def test_every_internal_link_resolves(built_site: BuiltSite, catalog: Catalog) -> None:
    assert broken_links(built_site.path, set(catalog.exercises), set(catalog.drills)) == []


def test_nothing_is_fetched_from_a_cdn_or_font_host(built_site: BuiltSite) -> None:
    assert cdn_urls(built_site.path) == []


def test_pages_load_no_external_assets(built_site: BuiltSite) -> None:
    assert external_assets(built_site.path) == []


def test_the_checkers_catch_what_they_look_for(
    built_site: BuiltSite, catalog: Catalog, tmp_path: Path
) -> None:
    """The three checks above would fail on a site with a broken link, a CDN or a web font."""
    site = tmp_path / "site"
    shutil.copytree(built_site.path, site)
    page = site / "index.html"
    page.write_text(
        page.read_text().replace(
            "</body>",
            '<a href="missing/">x</a><a href="#no-such-anchor">y</a>'
            '<a href="/sandbox/exercises/not-an-exercise">z</a><a href="/elsewhere/">w</a>'
            '<a href="/drills/not-a-drill">v</a>'
            '<script src="https://cdn.jsdelivr.net/npm/x.js"></script></body>',
        )
    )
    (site / "assets" / "stylesheets" / "extra.css").write_text(
        "@import url(https://fonts.googleapis.com/css?family=Roboto);"
    )
    assert len(broken_links(site, set(catalog.exercises), set(catalog.drills))) == 5
    assert len(cdn_urls(site)) == 2
    assert len(external_assets(site)) == 2


def test_search_index_is_built_locally(built_site: BuiltSite, catalog: Catalog) -> None:
    index = json.loads((built_site.path / "search" / "search_index.json").read_text())
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    for lesson in catalog.lessons():
        assert lesson.url in locations


def test_home_page_maps_every_module(built_site: BuiltSite, catalog: Catalog) -> None:
    home = parse_page(built_site.path / "index.html")
    hrefs = {url for tag, _, url in home.links if tag == "a"}
    for module in catalog.modules():
        assert f"{module.folder}/" in hrefs
    assert f"{len(catalog.lessons())} lessons in {len(catalog.modules())} modules" in home.text
    images = {url for tag, _, url in home.links if tag == "img"}
    assert "assets/diagrams/funnel.svg" in images


def test_every_module_landing_page_is_a_nav_section_index(
    built_site: BuiltSite, catalog: Catalog
) -> None:
    """navigation.indexes: the module's sidebar entry links to its landing page."""
    site = built_site.path
    path = site / catalog.lessons()[0].url / "index.html"
    targets = {
        resolve(site, path, v["href"])[0] for v in parse_page(path).find("a", class_="md-nav__link")
    }
    for module in catalog.modules():
        assert (site / module.folder / "index.html").resolve() in targets, module.folder


def test_lesson_pages_carry_their_generated_blocks(built_site: BuiltSite, catalog: Catalog) -> None:
    for lesson in catalog.lessons():
        page = parse_page(built_site.path / lesson.url / "index.html")
        where = lesson.src_uri
        assert page.find("div", class_="lw-objectives"), where
        for objective in lesson.objectives:
            assert plain(objective) in page.text, (where, objective)
        [form] = page.find("form", class_="lw-quiz")
        assert form["data-lesson-id"] == lesson.id
        assert json.loads(form["data-quiz"]) == catalog.quiz(lesson.id), where
        legends = len(page.find("legend", class_="lw-question__prompt"))
        assert legends == len(lesson.quiz.questions), where
        for question in lesson.quiz.questions:
            assert " ".join(question.prompt.split()) in page.text, (where, question.id)
        practice = {v["href"] for v in page.find("a", class_="lw-practise__link")}
        assert practice == {
            f"/drills/{x}" if catalog.is_drill(x) else f"/sandbox/exercises/{x}"
            for x in lesson.exercises
        }, where
        for practice_id in lesson.exercises:
            assert catalog.exercise_title(practice_id) in page.text
        [widget] = page.find("section", class_="lw-progress")
        assert widget["data-lesson-id"] == lesson.id and "hidden" in widget


def test_scripts_and_styles_are_served_by_the_site(built_site: BuiltSite) -> None:
    page = parse_page(built_site.path / "index.html")
    scripts = [url for tag, _, url in page.links if tag == "script"]
    assert any(url.endswith("assets/javascripts/quiz-grading.js") for url in scripts)
    assert any(url.endswith("assets/javascripts/leadworks.js") for url in scripts)
    styles = [url for tag, _, url in page.links if tag == "link"]
    assert any(url.endswith("assets/stylesheets/leadworks.css") for url in styles)


@pytest.mark.parametrize(
    "name", ["funnel.svg", "lifecycle.svg", "pipeline-board.svg", "sequence-timeline.svg"]
)
def test_diagrams_are_accessible_svg(built_site: BuiltSite, name: str) -> None:
    svg = (built_site.path / "assets" / "diagrams" / name).read_text()
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert re.search(r"<title id=\"[\w-]+\">[^<]{10,}</title>", svg)
    assert re.search(r"<desc id=\"[\w-]+\">[^<]{40,}</desc>", svg)
    assert "prefers-color-scheme: dark" in svg  # a dark variant, on an opaque background
    assert not re.search(r"(?:href|src)=\"https?:", svg)
