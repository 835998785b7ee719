"""The writers' checklist, enforced on the real lessons through course.catalog."""

from __future__ import annotations

import json

import pytest

from course.catalog import (
    CONTRACT_EXERCISE_IDS,
    MIN_QUESTIONS,
    QUESTION_TYPES,
    REQUIRED_HEADINGS,
    Catalog,
    CatalogError,
    load_catalog,
)

EXPECTED_MODULE_FOLDERS = (
    "01-career",
    "02-skills",
    "03-lead-fundamentals",
    "04-audience",
    "05-channels",
    "06-outreach",
    "07-compliance",
    "08-qualification",
    "09-crm-reporting",
    "10-industries",
    "11-freelancing",
    "12-getting-hired",
)


def _lesson_ids() -> list[str]:
    try:
        return [lesson.id for lesson in load_catalog().lessons()]
    except CatalogError:  # test_the_course_loads_without_any_problem reports why
        return []


def test_the_course_loads_without_any_problem(catalog: Catalog) -> None:
    assert [str(problem) for problem in catalog.problems] == []


def test_at_least_16_lessons_in_at_least_7_modules(catalog: Catalog) -> None:
    modules_with_lessons = {lesson.module for lesson in catalog.lessons()}
    assert len(catalog.lessons()) >= 16
    assert len(modules_with_lessons) >= 7


def test_every_planned_module_exists_with_a_landing_page(catalog: Catalog) -> None:
    assert tuple(module.folder for module in catalog.modules()) == EXPECTED_MODULE_FOLDERS
    for module in catalog.modules():
        assert module.index_path is not None, f"{module.folder} has no index.md"
        assert module.lesson_ids, f"{module.folder} has no lessons"


@pytest.mark.parametrize("lesson_id", _lesson_ids())
def test_lesson_meets_the_checklist(catalog: Catalog, lesson_id: str) -> None:
    lesson = catalog.lesson(lesson_id)
    assert lesson.id == lesson.path.stem
    assert lesson.path.parent.name.split("-", 1)[1] == lesson.module
    assert lesson.title.strip()
    assert lesson.objectives and all(objective.strip() for objective in lesson.objectives)
    assert 1 <= lesson.minutes <= 240
    level_two = [heading.text for heading in lesson.headings if heading.level == 2]
    for required in REQUIRED_HEADINGS:
        assert required in level_two, f"{lesson.path.name} lacks '## {required}'"
    assert not [h for h in lesson.headings if h.level == 1], "lessons have no H1"
    assert lesson.quiz.id == lesson.id
    assert len(lesson.quiz.questions) >= MIN_QUESTIONS
    assert lesson.quiz_path.exists()


def test_quizzes_mix_every_question_type(catalog: Catalog) -> None:
    used = {question.type for lesson in catalog.lessons() for question in lesson.quiz.questions}
    assert used == set(QUESTION_TYPES)


def test_every_exercise_is_linked_from_a_lesson(catalog: Catalog) -> None:
    for exercise_id in set(catalog.exercises) | set(CONTRACT_EXERCISE_IDS):
        assert catalog.lessons_for_exercise(exercise_id), f"no lesson links {exercise_id}"


def test_every_exercise_a_lesson_names_exists(catalog: Catalog) -> None:
    """A lesson's `exercises` names sandbox exercises and drills (course/drills)."""
    for lesson in catalog.lessons():
        for exercise_id in lesson.exercises:
            known = exercise_id in catalog.exercises or exercise_id in catalog.drills
            assert known, f"{lesson.id} names {exercise_id}"


def test_every_drill_is_linked_from_a_lesson_and_links_back(catalog: Catalog) -> None:
    for drill in catalog.drills.values():
        assert catalog.lessons_for_exercise(drill.id), f"no lesson links {drill.id}"
        for lesson_id in drill.spec.lessons:
            assert drill.id in catalog.lesson(lesson_id).exercises, (drill.id, lesson_id)


def test_lessons_an_exercise_lists_exist_and_link_back(catalog: Catalog) -> None:
    """Exercise YAML may list its lessons too; if it does, the two sides must agree."""
    for exercise in catalog.exercises.values():
        for lesson_id in exercise.spec.lessons:
            assert exercise.id in catalog.lesson(lesson_id).exercises, (exercise.id, lesson_id)


def test_the_capstone_tells_the_learner_about_live_calls_and_held_meetings(
    catalog: Catalog,
) -> None:
    """The capstone includes calls and meetings (issue 14): its brief says so, and it
    links the cold-calling lesson both ways."""
    spec = catalog.exercises["capstone-local-gyms"].spec
    brief = " ".join(spec.deliverable.description.split()).lower()
    assert "call" in spec.channels
    assert "live call" in brief and "book" in brief
    assert "held" in brief and "booked is not" in brief
    assert "cold-calling" in spec.lessons
    assert "capstone-local-gyms" in catalog.lesson("cold-calling").exercises


def test_quiz_context_is_plain_json_data(catalog: Catalog) -> None:
    for lesson in catalog.lessons():
        context = catalog.quiz(lesson.id)
        assert json.loads(json.dumps(context)) == context
        assert context["id"] == lesson.id
        assert [q["id"] for q in context["questions"]] == [q.id for q in lesson.quiz.questions]
