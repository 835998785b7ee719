"""course.catalog on a fixture course: what it loads, and how it names what is wrong."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from course.catalog import CatalogError, load_catalog

LEAD = "03-lead-fundamentals/what-is-a-lead"
JOB = "01-career/what-the-job-is"
PROMPT_2 = '    prompt: "Which are'
EXERCISES = "exercises: [prospect-list-saas]"
OBJECTIVES = "  - Say what a **lead** is in one sentence\n  - Tell a lead from a prospect\n"


def _edit(course: Path, relative: str, old: str, new: str) -> None:
    path = course / "lessons" / relative
    text = path.read_text()
    assert old in text, f"fixture text {old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1))


def test_fixture_course_loads_in_order(fixture_course: Path) -> None:
    catalog = load_catalog(fixture_course)
    assert [m.slug for m in catalog.modules()] == ["career", "lead-fundamentals"]
    assert [m.number for m in catalog.modules()] == [1, 3]
    assert [lesson.id for lesson in catalog.lessons()] == ["what-the-job-is", "what-is-a-lead"]
    assert catalog.problems == ()
    lesson = catalog.lesson("what-is-a-lead")
    assert lesson.src_uri == f"{LEAD}.md"
    assert lesson.url == f"{LEAD}/"
    assert lesson.exercises == ("prospect-list-saas",)
    assert catalog.lessons_for_exercise("prospect-list-saas") == (lesson,)
    assert catalog.lessons_for_exercise("cold-email-dental") == ()
    assert catalog.total_minutes() == 22


def test_quiz_is_a_plain_dict_in_the_contract_shape(fixture_course: Path) -> None:
    quiz = load_catalog(fixture_course).quiz("what-is-a-lead")
    assert quiz["id"] == "what-is-a-lead"
    by_id = {q["id"]: q for q in quiz["questions"]}
    assert by_id["q1"] == {
        "id": "q1",
        "type": "single",
        "prompt": "Which of these makes someone a lead?",
        "options": [
            "Visited the site",
            "Shared contact details and showed interest",
            "Follows you",
        ],
        "answer": 1,
        "explanation": "Interest plus a way to reach them.",
    }
    assert by_id["q2"]["answer"] == [0, 1, 3]
    assert by_id["q3"]["answer"] == 5 and by_id["q3"]["tolerance"] == 1
    assert by_id["q4"]["answer"] == ["sales", "sales qualified"]


def test_unknown_ids_raise_key_errors(fixture_course: Path) -> None:
    catalog = load_catalog(fixture_course)
    with pytest.raises(KeyError, match="no-such-lesson"):
        catalog.lesson("no-such-lesson")
    with pytest.raises(KeyError):
        catalog.quiz("no-such-lesson")


def test_lesson_order_follows_the_module_landing_page(fixture_course: Path) -> None:
    folder = fixture_course / "lessons" / "01-career"
    second = (folder / "what-the-job-is.md").read_text().replace("id: what-the-job-is", "id: a-day")
    (folder / "a-day.md").write_text(second)
    quiz = (folder / "what-the-job-is.quiz.yaml").read_text().replace("what-the-job-is", "a-day")
    (folder / "a-day.quiz.yaml").write_text(quiz)
    index = folder / "index.md"
    index.write_text(index.read_text() + "- [A day](a-day.md)\n")
    catalog = load_catalog(fixture_course)
    # Alphabetically a-day would come first; the landing page lists it second.
    assert catalog.module("career").lesson_ids == ("what-the-job-is", "a-day")


@pytest.mark.parametrize(
    ("relative", "old", "new", "expected"),
    [
        (f"{LEAD}.quiz.yaml", "answer: 1\n", "answer: 3\n", "questions[0].answer: option index 3"),
        (f"{LEAD}.quiz.yaml", "answer: 1\n", 'answer: "1"\n', "questions[0].answer"),
        (f"{LEAD}.quiz.yaml", "answer: [0, 1, 3]", "answer: [0, 7]", "questions[1].answer"),
        (f"{LEAD}.quiz.yaml", "answer: [0, 1, 3]", "answer: []", "questions[1].answer"),
        (f"{LEAD}.quiz.yaml", "answer: 5\n", "answer: five\n", "questions[2].answer"),
        (f"{LEAD}.quiz.yaml", "tolerance: 1", "tolerance: -1", "questions[2].tolerance"),
        (f"{LEAD}.quiz.yaml", "tolerance: 0", "tolerance: 2", "questions[0].tolerance"),
        (f"{LEAD}.quiz.yaml", 'answer: ["sales",', 'answer: "sales" #', "questions[3].answer"),
        (f"{LEAD}.quiz.yaml", "type: multiple", "type: essay", "questions[1]"),
        (f"{LEAD}.quiz.yaml", "  - id: q2", "  - id: q1", "question id 'q1' is used twice"),
        (f"{LEAD}.quiz.yaml", "id: what-is-a-lead", "id: another", "id: is 'another'"),
        (f"{LEAD}.quiz.yaml", PROMPT_2, f"    colour: red\n{PROMPT_2}", "questions[1].colour"),
        (f"{LEAD}.md", "id: what-is-a-lead", "id: lead-basics", "id: is 'lead-basics'"),
        (f"{LEAD}.md", "module: lead-fundamentals", "module: leads", "module: is 'leads'"),
        (f"{LEAD}.md", "minutes: 12", "minutes: twelve", "minutes"),
        (f"{LEAD}.md", EXERCISES, "exercises: [cold-calls]", "exercises[0]: unknown exercise id"),
        (f"{LEAD}.md", EXERCISES, "excercises: []", "excercises"),
        (f"{LEAD}.md", "title: What a lead is\n", "", "title"),
        (f"{LEAD}.md", OBJECTIVES, "  []\n", "objectives"),
    ],
)  # fmt: skip
def test_errors_name_the_file_and_field(
    fixture_course: Path, relative: str, old: str, new: str, expected: str
) -> None:
    _edit(fixture_course, relative, old, new)
    with pytest.raises(CatalogError) as raised:
        load_catalog(fixture_course)
    message = str(raised.value)
    assert Path(relative).name in message
    assert expected in message


def test_a_quiz_needs_three_questions(fixture_course: Path) -> None:
    path = fixture_course / "lessons" / f"{LEAD}.quiz.yaml"
    text = path.read_text()
    path.write_text(text[: text.index("  - id: q3")])
    with pytest.raises(CatalogError, match=r"what-is-a-lead\.quiz\.yaml: questions: .*at least 3"):
        load_catalog(fixture_course)


def test_a_lesson_without_a_quiz_is_an_error(fixture_course: Path) -> None:
    (fixture_course / "lessons" / f"{LEAD}.quiz.yaml").unlink()
    with pytest.raises(CatalogError, match=r"what-is-a-lead\.quiz\.yaml: missing"):
        load_catalog(fixture_course)


def test_all_problems_are_reported_at_once(fixture_course: Path) -> None:
    _edit(fixture_course, f"{LEAD}.md", "minutes: 12", "minutes: 0")
    _edit(fixture_course, f"{JOB}.quiz.yaml", "answer: 1\n", "answer: 9\n")
    with pytest.raises(CatalogError) as raised:
        load_catalog(fixture_course)
    assert len(raised.value.problems) == 2


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("## Key terms", "## Terms", "needs a `## Key terms` section"),
        ("## Worked example", "## Example", "needs a `## Worked example` section"),
        ("## Key terms", "# Key terms", "has an H1"),
        ("## Key terms", "## Knowledge check\n\n## Key terms", "hand-written 'Knowledge check'"),
    ],
)
def test_heading_slips_are_warnings(
    fixture_course: Path, old: str, new: str, expected: str
) -> None:
    _edit(fixture_course, f"{LEAD}.md", old, new)
    problems = load_catalog(fixture_course).problems
    assert any(expected in str(p) and p.field == "body" for p in problems), problems
    assert all(p.severity == "warning" for p in problems)


def test_headings_inside_code_fences_do_not_count(fixture_course: Path) -> None:
    _edit(
        fixture_course,
        f"{LEAD}.md",
        "## Key terms",
        "```text\n# not a heading\n```\n\n## Key terms",
    )
    assert load_catalog(fixture_course).problems == ()


def test_a_missing_exercise_definition_is_a_warning_naming_lesson_and_id(
    fixture_course: Path,
) -> None:
    (fixture_course / "exercises" / "prospect-list-saas.yaml").unlink()
    catalog = load_catalog(fixture_course)  # does not raise: the site can still be read
    [problem] = catalog.problems
    assert problem.severity == "warning"
    assert problem.path.name == "what-is-a-lead.md"
    assert problem.field == "exercises[0]"
    assert "prospect-list-saas" in problem.message
    assert catalog.exercise_title("prospect-list-saas") == "prospect-list-saas"


def test_a_landing_page_that_skips_a_lesson_is_a_warning(fixture_course: Path) -> None:
    index = fixture_course / "lessons" / "01-career" / "index.md"
    index.write_text(index.read_text().replace("(what-the-job-is.md)", "(../index.md)"))
    problems = load_catalog(fixture_course).problems
    assert [p.path.name for p in problems] == ["index.md"]
    assert "does not link the lesson what-the-job-is.md" in problems[0].message


def test_module_titles_drop_the_module_number_for_short_labels(fixture_course: Path) -> None:
    index = fixture_course / "lessons" / "01-career" / "index.md"
    index.write_text(index.read_text().replace("title: Module 01", 'title: "Module 1: The career"'))
    module = load_catalog(fixture_course).module("career")
    assert module.title == "Module 1: The career"
    assert module.short_title == "The career"


# --------------------------------------------------------------------------- links both ways


def _exercise_lessons(course: Path, exercise_id: str, lessons: str) -> None:
    path = course / "exercises" / f"{exercise_id}.yaml"
    text = path.read_text()
    assert "lessons: [" in text
    path.write_text(re.sub(r"(?m)^lessons:.*$", f"lessons: [{lessons}]", text))


def test_fixture_links_run_both_ways(fixture_course: Path) -> None:
    catalog = load_catalog(fixture_course)
    exercise = catalog.exercises["prospect-list-saas"]
    assert exercise.spec.lessons == ("what-is-a-lead",)
    assert catalog.lessons_for_exercise("prospect-list-saas")[0].id == "what-is-a-lead"


def test_an_exercise_that_forgets_its_lesson_is_a_warning(fixture_course: Path) -> None:
    _exercise_lessons(fixture_course, "prospect-list-saas", "")
    [problem] = load_catalog(fixture_course).problems
    assert problem.severity == "warning" and problem.path.name == "what-is-a-lead.md"
    assert problem.field == "exercises[0]"
    assert "whose `lessons:` does not list 'what-is-a-lead'" in problem.message


def test_an_exercise_naming_a_lesson_that_does_not_name_it_is_a_warning(
    fixture_course: Path,
) -> None:
    _exercise_lessons(fixture_course, "cold-email-dental", "what-the-job-is")
    [problem] = load_catalog(fixture_course).problems
    assert problem.path.name == "cold-email-dental.yaml" and problem.field == "lessons[0]"
    assert "does not list 'cold-email-dental'" in problem.message


def test_an_exercise_naming_an_unknown_lesson_is_a_warning(fixture_course: Path) -> None:
    _exercise_lessons(fixture_course, "cold-email-dental", "no-such-lesson")
    [problem] = load_catalog(fixture_course).problems
    assert "unknown lesson id 'no-such-lesson'" in problem.message


# --------------------------------------------------------------------------- the glossary


def test_glossary_markers_name_the_terms_a_lesson_uses(fixture_course: Path) -> None:
    catalog = load_catalog(fixture_course)
    assert catalog.lesson("what-is-a-lead").glossary_terms == ("lead",)
    assert catalog.glossary.term("reply-rate").formula


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("<!-- glossary: lead -->", "- **Lead**: anyone on a list.", "defines 'Lead' by hand"),
        ("<!-- glossary: lead -->", "- **MQL (marketing lead)**: a hot one.", "defines 'MQL"),
        ("<!-- glossary: lead -->", "<!-- glossary: leed -->", "unknown term 'leed'"),
        ("<!-- glossary: lead -->", "<!-- formula: lead -->", "'lead' has no formula"),
        (
            "## Key terms",
            "> **Reply rate** = replies / messages sent x 100\n\n## Key terms",
            "writes its own formula for 'Reply rate'",
        ),
    ],
)
def test_a_second_definition_of_a_glossary_term_is_a_warning(
    fixture_course: Path, old: str, new: str, expected: str
) -> None:
    _edit(fixture_course, f"{LEAD}.md", old, new)
    problems = load_catalog(fixture_course).problems
    assert any(expected in str(p) and p.severity == "warning" for p in problems), problems


def test_a_glossary_term_named_twice_is_an_error(fixture_course: Path) -> None:
    path = fixture_course / "glossary.yaml"
    path.write_text(path.read_text().replace("term: Contact", "term: Lead"))
    with pytest.raises(CatalogError, match="'lead' also names"):
        load_catalog(fixture_course)


# --------------------------------------------------------------------------- objectives


def test_a_question_may_name_the_objective_it_checks(fixture_course: Path) -> None:
    _edit(
        fixture_course, f"{LEAD}.quiz.yaml", "    answer: 1\n", "    answer: 1\n    objective: 2\n"
    )
    catalog = load_catalog(fixture_course)
    assert catalog.problems == ()
    assert catalog.quiz("what-is-a-lead")["questions"][0]["objective"] == 2
    assert "objective" not in catalog.quiz("what-is-a-lead")["questions"][1]


def test_a_question_naming_a_missing_objective_is_a_warning(fixture_course: Path) -> None:
    _edit(
        fixture_course, f"{LEAD}.quiz.yaml", "    answer: 1\n", "    answer: 1\n    objective: 3\n"
    )
    [problem] = load_catalog(fixture_course).problems
    assert problem.field == "questions[0].objective" and "has 2 objective(s)" in problem.message
