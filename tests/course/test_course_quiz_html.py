"""The knowledge check the hook renders, read without JavaScript."""

from __future__ import annotations

import html
import json
from pathlib import Path
from types import ModuleType

from course.catalog import Catalog, Lesson, load_catalog
from tests.course.site_html import PageParser

INPUT_TYPES = {"single": "radio", "multiple": "checkbox", "numeric": "number", "text": "text"}


def _render(lesson_blocks: ModuleType, lesson: Lesson) -> tuple[str, PageParser]:
    markup = lesson_blocks.quiz_html(lesson, answers_href=f"../{lesson.id}.quiz.yaml")
    parser = PageParser()
    parser.feed(markup)
    return markup, parser


def test_quiz_html_contains_each_question(lesson_blocks: ModuleType, catalog: Catalog) -> None:
    for lesson in catalog.lessons():
        markup, page = _render(lesson_blocks, lesson)
        assert "\n\n" not in markup  # one raw HTML block: Markdown must not split it
        assert "<h1" not in markup
        [form] = page.find("form", class_="lw-quiz")
        assert json.loads(form["data-quiz"]) == catalog.quiz(lesson.id)
        fieldsets = page.find("fieldset", class_="lw-question")
        assert [f["data-question-id"] for f in fieldsets] == [q.id for q in lesson.quiz.questions]
        for question, fieldset in zip(lesson.quiz.questions, fieldsets, strict=True):
            assert fieldset["data-type"] == question.type
            assert " ".join(question.prompt.split()) in page.text
            inputs = page.find("input", name=fieldset["id"])
            assert {i["type"] for i in inputs} == {INPUT_TYPES[question.type]}
            if question.type in ("single", "multiple"):
                assert [i["value"] for i in inputs] == [
                    str(n) for n in range(len(question.options))
                ]
                for option in question.options:
                    assert " ".join(option.split()) in page.text
            for field in inputs:  # every input has a label
                assert page.find("label", for_=field["id"]), field
        assert page.find("button", type="submit")


def test_answers_are_not_shown_as_text(lesson_blocks: ModuleType, fixture_course: Path) -> None:
    """Explanations live only in data-quiz until the learner checks (no spoilers, no search)."""
    lesson = load_catalog(fixture_course).lesson("what-is-a-lead")
    _, page = _render(lesson_blocks, lesson)
    for question in lesson.quiz.questions:
        assert question.explanation not in page.text


def test_text_is_escaped(lesson_blocks: ModuleType, fixture_course: Path) -> None:
    quiz = fixture_course / "lessons" / "03-lead-fundamentals" / "what-is-a-lead.quiz.yaml"
    quiz.write_text(
        quiz.read_text().replace(
            '"Which of these makes someone a lead?"',
            '"Is <script>alert(1)</script> & \\"x\\" a lead?"',
        )
    )
    lesson = load_catalog(fixture_course).lesson("what-is-a-lead")
    markup, page = _render(lesson_blocks, lesson)
    assert "<script>" not in markup
    assert html.escape("<script>alert(1)</script>") in markup
    assert 'Is <script>alert(1)</script> & "x" a lead?' in page.text


def test_objectives_and_practice_blocks(lesson_blocks: ModuleType, fixture_course: Path) -> None:
    catalog = load_catalog(fixture_course)
    lesson = catalog.lesson("what-is-a-lead")
    objectives = lesson_blocks.objectives_markdown(lesson)
    assert objectives.startswith('!!! abstract lw-objectives "In this lesson"')
    assert "    - Say what a **lead** is in one sentence" in objectives
    assert "About 12 minutes, then a 4-question knowledge check." in objectives
    practice = lesson_blocks.practise_html(lesson, {"prospect-list-saas": "List <SaaS>"})
    assert '<a class="lw-practise__link" href="/sandbox/exercises/prospect-list-saas">' in practice
    assert "List &lt;SaaS&gt;" in practice
    page = lesson_blocks.decorate_lesson("Body.\n", lesson, catalog, answers_href="x")
    assert page.index("In this lesson") < page.index("Body.") < page.index("## Knowledge check")
    assert page.index("## Knowledge check") < page.index("## Practise it")
