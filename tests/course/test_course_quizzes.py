"""Knowledge checks are scenario questions tied to their lesson's objectives (issue 16, item 2):
every question names the objective it checks, every objective is checked, no question asks
for recall of a name, a spelling or a vendor's number, and every answer is explained."""

from __future__ import annotations

import re

import pytest

from course.catalog import Catalog, CatalogError, load_catalog

# Prompts that ask the learner to recall a label rather than decide something.
RECALL_PATTERNS = (
    r"\bstand(?:s)? for\b",
    r"\bwhat is the (?:name|term|word|abbreviation)\b",
    r"\bwhat do we call\b",
    r"\bwhat does (?:the )?[\w-]+ (?:stand for|mean)\s*\?",
    r"\bwhich (?:website|site|url|address)\b",
    r"\bhow many characters\b",
    r"\bcomplete the (?:path|sentence|phrase)\b",
    r"\baccording to the lesson\b",
    r"\bin \w+'s (?:study|analysis|data), what\b",
)
RECALL_RE = re.compile("|".join(RECALL_PATTERNS), re.IGNORECASE)
MIN_PROMPT_CHARS = 80  # a situation and a decision do not fit in fewer
MIN_EXPLANATION_CHARS = 90  # why the key is right, and why the tempting options are not
MAX_TEXT_ANSWER_WORDS = 3


def _lesson_ids() -> list[str]:
    try:
        return [lesson.id for lesson in load_catalog().lessons()]
    except CatalogError:
        return []


@pytest.mark.parametrize("lesson_id", _lesson_ids())
def test_every_question_checks_a_named_objective(catalog: Catalog, lesson_id: str) -> None:
    lesson = catalog.lesson(lesson_id)
    unnamed = [q.id for q in lesson.quiz.questions if q.objective is None]
    assert unnamed == [], f"{lesson_id}: questions without an `objective`: {unnamed}"


@pytest.mark.parametrize("lesson_id", _lesson_ids())
def test_every_objective_is_checked(catalog: Catalog, lesson_id: str) -> None:
    lesson = catalog.lesson(lesson_id)
    covered = {q.objective for q in lesson.quiz.questions}
    missing = [
        f"{number}. {text}"
        for number, text in enumerate(lesson.objectives, start=1)
        if number not in covered
    ]
    assert missing == [], f"{lesson_id}: objectives no question checks: {missing}"


@pytest.mark.parametrize("lesson_id", _lesson_ids())
def test_questions_are_scenarios_not_recall(catalog: Catalog, lesson_id: str) -> None:
    for question in catalog.lesson(lesson_id).quiz.questions:
        where = f"{lesson_id} {question.id}"
        assert not RECALL_RE.search(question.prompt), f"{where} asks for recall: {question.prompt}"
        assert len(question.prompt) >= MIN_PROMPT_CHARS, f"{where}: too short to be a situation"
        assert len(question.explanation) >= MIN_EXPLANATION_CHARS, f"{where}: explain the answer"


def test_free_text_questions_are_rare_and_short(catalog: Catalog) -> None:
    questions = [q for lesson in catalog.lessons() for q in lesson.quiz.questions]
    text = [q for q in questions if q.type == "text"]
    assert len(text) <= len(questions) // 20, "free-text recall is what the issue asked to remove"
    for question in text:
        for accepted in question.answer:
            assert len(accepted.split()) <= MAX_TEXT_ANSWER_WORDS, (question.id, accepted)


def test_numeric_questions_are_a_minority(catalog: Catalog) -> None:
    questions = [q for lesson in catalog.lessons() for q in lesson.quiz.questions]
    numeric = sum(q.type == "numeric" for q in questions)
    assert numeric <= len(questions) // 4


@pytest.mark.parametrize(
    "prompt",
    [
        "What does the abbreviation SDR stand for in sales teams today?",
        "What is the name of Google's free listing for local businesses on Maps?",
        "Under how many characters should you keep a LinkedIn note? How many characters exactly?",
        "In Boomerang's study, what response rate did third-grade emails get in the end?",
    ],
)
def test_the_recall_patterns_catch_trivia(prompt: str) -> None:
    assert RECALL_RE.search(prompt)
