"""The page's quiz grading (quiz-grading.js, run in Node) and the grader's quiz kind, both
against one table of cases (quiz_grading_cases.json), so the instant feedback a reader sees
is the score the server records.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from course.catalog import COURSE_ROOT, Question

CASES_FILE = Path(__file__).with_name("quiz_grading_cases.json")
GRADING_JS = COURSE_ROOT / "overrides" / "assets" / "javascripts" / "quiz-grading.js"
TABLE: dict[str, Any] = json.loads(CASES_FILE.read_text())

RUNNER = """
const grading = require(process.argv[1]);
const table = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
const cases = table.cases.map((c) => grading.gradeQuestion(table.questions[c.question], c.value));
const quizzes = table.quizzes.map((q) => grading.gradeQuiz(
  {questions: q.questions.map((name) => table.questions[name])}, q.answers));
process.stdout.write(JSON.stringify({cases, quizzes}));
"""


def test_every_question_in_the_table_is_a_valid_quiz_question() -> None:
    adapter: TypeAdapter[Any] = TypeAdapter(Question)
    for name, question in TABLE["questions"].items():
        assert adapter.validate_python(question).type == question["type"], name


@pytest.fixture(scope="module")
def node_results() -> dict[str, Any]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    completed = subprocess.run(
        [node, "-e", RUNNER, str(GRADING_JS), str(CASES_FILE)],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return json.loads(completed.stdout)


@pytest.mark.parametrize("index", range(len(TABLE["cases"])))
def test_question_scores_match_the_contract(node_results: dict[str, Any], index: int) -> None:
    case = TABLE["cases"][index]
    got = node_results["cases"][index]
    assert got["score"] == case["score"], case
    assert got["answered"] is case["answered"], case
    assert got["correct"] is (case["score"] == 1), case


def test_quiz_totals_match_the_contract(node_results: dict[str, Any]) -> None:
    for expected, got in zip(TABLE["quizzes"], node_results["quizzes"], strict=True):
        assert got["score"] == expected["score"]
        assert got["possible"] == expected["possible"]


def _grade_on_server(questions: list[dict[str, Any]], answers: dict[str, Any]) -> Any:
    grader = pytest.importorskip("grader")
    return grader.grade("quiz", {"answers": answers}, {"quiz": {"id": "t", "questions": questions}})


@pytest.mark.parametrize("index", range(len(TABLE["cases"])))
def test_the_grader_agrees_with_the_table(index: int) -> None:
    case = TABLE["cases"][index]
    question = TABLE["questions"][case["question"]]
    answers = {} if case["value"] is None else {question["id"]: case["value"]}
    if case.get("malformed"):
        from grader import SubmissionError

        with pytest.raises(SubmissionError):
            _grade_on_server([question], answers)
    else:
        assert _grade_on_server([question], answers).score == case["score"], case


def test_the_grader_agrees_on_quiz_totals() -> None:
    for quiz in TABLE["quizzes"]:
        questions = [TABLE["questions"][name] for name in quiz["questions"]]
        grade = _grade_on_server(questions, quiz["answers"])
        assert (grade.score, grade.possible) == (quiz["score"], quiz["possible"])
