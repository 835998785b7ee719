"""The mkdocs hook and build_site() on the fixture course: what a build accepts and refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from course.build import CourseBuildError, build_site
from course.catalog import load_catalog
from tests.course.conftest import load_hook_module
from tests.course.site_html import parse_page

LEAD = "03-lead-fundamentals/what-is-a-lead"


def _build(course: Path, *, strict: bool = True) -> Path:
    return build_site(
        strict=strict, quiet=True, docs_dir=course / "lessons", site_dir=course.parent / "site"
    )


def _failure(course: Path) -> str:
    with pytest.raises(CourseBuildError) as raised:
        _build(course)
    return "\n".join([str(raised.value), *raised.value.warnings])


def test_fixture_course_builds_strictly(fixture_course: Path) -> None:
    site = _build(fixture_course)
    page = parse_page(site / LEAD / "index.html")
    assert page.find("div", class_="lw-objectives")
    assert page.find("form", class_="lw-quiz", **{"data-lesson-id": "what-is-a-lead"})
    assert {v["href"] for v in page.find("a", class_="lw-practise__link")} == {
        "/sandbox/exercises/prospect-list-saas"
    }
    assert "Build a prospect list for a SaaS" in page.text
    assert (site / f"{LEAD}.quiz.yaml").exists()  # copied, not turned into a page
    assert not (site / f"{LEAD}.quiz" / "index.html").exists()
    # The glossary marker became the glossary's definition, linked to the generated page.
    assert "someone can follow up" in page.text
    glossary = parse_page(site / "glossary" / "index.html")
    assert "lead" in glossary.ids and "reply-rate" in glossary.ids
    # A lesson without exercises gets no "Practise it" section.
    other = parse_page(site / "01-career/what-the-job-is/index.html")
    assert "practise-it" not in other.ids and "knowledge-check" in other.ids


def test_nav_is_derived_from_folders_and_landing_pages(fixture_course: Path) -> None:
    site = _build(fixture_course)
    home = parse_page(site / "index.html")
    tabs = [values["href"] for values in home.find("a", class_="md-tabs__link")]
    # Home, "The job", "Leads and audiences", then the generated Glossary page.
    assert tabs == [".", "01-career/", "03-lead-fundamentals/", "glossary/"]


def test_build_nav_groups_modules_into_parts(fixture_course: Path) -> None:
    lessons_hook = load_hook_module("lessons")
    nav = lessons_hook.build_nav(load_catalog(fixture_course))
    assert nav == [
        {"Home": "index.md"},
        {"The job": [{"Module 01": ["01-career/index.md", "01-career/what-the-job-is.md"]}]},
        {
            "Leads and audiences": [
                {"Module 03": ["03-lead-fundamentals/index.md", f"{LEAD}.md"]},
            ]
        },
        {"Glossary": "glossary.md"},
    ]


def test_a_missing_exercise_definition_fails_strict_but_never_crashes(
    fixture_course: Path,
) -> None:
    (fixture_course / "exercises" / "prospect-list-saas.yaml").unlink()
    failure = _failure(fixture_course)
    assert "what-is-a-lead.md: exercises[0]" in failure and "prospect-list-saas" in failure
    site = _build(fixture_course, strict=False)
    links = parse_page(site / LEAD / "index.html").find("a", class_="lw-practise__link")
    assert [v["href"] for v in links] == ["/sandbox/exercises/prospect-list-saas"]


def test_an_invalid_quiz_fails_the_build_naming_file_and_field(fixture_course: Path) -> None:
    quiz = fixture_course / "lessons" / f"{LEAD}.quiz.yaml"
    quiz.write_text(quiz.read_text().replace("answer: 1\n", "answer: 4\n"))
    assert "what-is-a-lead.quiz.yaml: questions[0].answer: option index 4" in _failure(
        fixture_course
    )


def test_invalid_front_matter_fails_the_build_naming_file_and_field(fixture_course: Path) -> None:
    lesson = fixture_course / "lessons" / f"{LEAD}.md"
    lesson.write_text(lesson.read_text().replace("minutes: 12", "minutes: soon"))
    assert "what-is-a-lead.md: minutes" in _failure(fixture_course)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("(../01-career/what-the-job-is.md)", "(../01-career/no-such-lesson.md)", "no-such-lesson"),
        ("what-is-a-lead.md#worked-example", "what-is-a-lead.md#no-such-anchor", "no-such-anchor"),
    ],
)
def test_broken_links_and_anchors_fail_strict(
    fixture_course: Path, old: str, new: str, expected: str
) -> None:
    for lesson in (fixture_course / "lessons").rglob("*.md"):
        lesson.write_text(lesson.read_text().replace(old, new))
    assert expected in _failure(fixture_course)


def test_a_page_left_out_of_the_nav_fails_strict(fixture_course: Path) -> None:
    (fixture_course / "lessons" / "notes.md").write_text("# Stray notes\n")
    assert "notes.md" in _failure(fixture_course)


def test_a_missing_key_terms_heading_fails_strict(fixture_course: Path) -> None:
    lesson = fixture_course / "lessons" / f"{LEAD}.md"
    lesson.write_text(lesson.read_text().replace("## Key terms", "## Words"))
    assert "what-is-a-lead.md: body: needs a `## Key terms` section" in _failure(fixture_course)


def test_a_cdn_reference_fails_strict(fixture_course: Path) -> None:
    lesson = fixture_course / "lessons" / f"{LEAD}.md"
    lesson.write_text(
        lesson.read_text() + '\n<script src="https://cdn.jsdelivr.net/npm/chart.js"></script>\n'
    )
    failure = _failure(fixture_course)
    assert "what-is-a-lead/index.html refers to https://cdn.jsdelivr.net/npm/chart.js" in failure


def test_materials_cdn_fallbacks_are_pointed_at_the_site(fixture_course: Path) -> None:
    site = _build(fixture_course)
    [bundle] = (site / "assets" / "javascripts").glob("bundle.*.min.js")
    text = bundle.read_text()
    assert "unpkg.com" not in text
    assert "data:text/javascript," in text
