"""Quiz rubric: a lesson's knowledge check, defined in ``<lesson>.quiz.yaml``.

Each question is one check, with the question id as the check id. Question types:
single (an option index), multiple (a list of indexes, partial credit), numeric (within an
absolute tolerance) and text (matched against accepted answers, ignoring case, spaces and
end punctuation). The quiz definition is the rubric; only the per-question points and the
partial-credit rule live here.

Answers are read the way people write them: numbers with a decimal comma ("2,5") or
thousands separators ("1,200"), currency symbols and units ("$25", "40 %", "3 days");
text answers ignoring case, hyphens, articles and plural endings ("the cost-per-leads"
matches "cost per lead").
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from grader.fields import CONTEXT, MAX_SHORT_CHARS, SUBMISSION, Reader
from grader.results import Check, Evidence, Grade
from grader.rubric import CheckSpec, GradeBuilder

RUBRIC_ID = "quiz"
RUBRIC_VERSION = "1.1.0"

#: Points of a question whose definition gives none.
QUESTION_POINTS = 1.0
QUESTION_TYPES = ("single", "multiple", "numeric", "text")
MAX_QUESTIONS = 200

#: The checks are the quiz's questions; this documents the one rule they share.
CHECKS = (
    CheckSpec(
        "<question id>",
        QUESTION_POINTS,
        "The right answer. Multiple choice: (right picks - wrong picks) / right options.",
    ),
)


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    answer: object
    options: tuple[str, ...]
    tolerance: float
    explanation: str
    points: float


def _read_quiz(context: Mapping[str, object]) -> list[Question]:
    r = CONTEXT
    quiz = r.mapping(context.get("quiz"), "quiz")
    raw = r.sequence(quiz.get("questions"), "quiz.questions", max_items=MAX_QUESTIONS)
    if not raw:
        raise r.fail("quiz.questions", "must hold at least one question")
    questions = [_read_question(r, item, f"quiz.questions[{i}]") for i, item in enumerate(raw)]
    ids = [q.id for q in questions]
    if len(ids) != len(set(ids)):
        raise r.fail("quiz.questions", "question ids must be unique")
    return questions


def _read_question(r: Reader, item: object, where: str) -> Question:
    q = r.mapping(item, where)
    qid = r.text(q.get("id"), f"{where}.id", max_chars=MAX_SHORT_CHARS, blank=False)
    kind = r.choice(q.get("type"), f"{where}.type", QUESTION_TYPES)
    options = r.text_list(q.get("options"), f"{where}.options")
    answer = q.get("answer")
    spot = f"{where}.answer"
    if kind == "single":
        _index(r, answer, spot, len(options))
    elif kind == "multiple":
        for i, v in enumerate(r.sequence(answer, spot, max_items=len(options))):
            _index(r, v, f"{spot}[{i}]", len(options))
    elif kind == "numeric":
        r.number(answer, spot)
    else:
        if not r.text_list(answer, spot):
            raise r.fail(spot, "must list at least one accepted answer")
    tolerance = r.optional_number(q.get("tolerance"), f"{where}.tolerance") or 0.0
    points = r.optional_number(q.get("points"), f"{where}.points")
    if points is not None and points <= 0:
        raise r.fail(f"{where}.points", "must be positive")
    explanation = r.optional_text(q.get("explanation"), f"{where}.explanation") or ""
    return Question(
        qid, kind, answer, options, abs(tolerance), explanation.strip(), points or QUESTION_POINTS
    )


def _index(r: Reader, value: object, where: str, n_options: int) -> int:
    index = r.integer(value, where, minimum=0)
    if index >= n_options:
        raise r.fail(where, f"must be an option index below {n_options}")
    return index


# ----------------------------------------------------------------------------- marking

_END_PUNCTUATION = ".,;:!?\"'“”‘’"
_ARTICLES = frozenset({"a", "an", "the"})
_TOKEN_RE = re.compile(r"[^\W_]+")


def normalise(answer: str) -> str:
    """A text answer reduced to what it says: case, hyphens, spacing, articles and plural
    endings do not matter ("The Cost-per-Leads." and "costperlead" -> "costperlead")."""
    words = _TOKEN_RE.findall(answer.casefold().replace("’", "'").replace("'s", ""))
    return "".join(_singular(w) for w in words if w not in _ARTICLES)


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _mark(q: Question, value: object) -> Check:
    spec = CheckSpec(q.id, q.points, "")
    if value is None:
        return spec.award(0, "Not answered.", _advice(q))
    where = f"answers.{q.id}"
    if q.type == "single":
        return _mark_single(spec, q, _index(SUBMISSION, value, where, len(q.options)))
    if q.type == "multiple":
        return _mark_multiple(spec, q, value, where)
    if q.type == "numeric":
        return _mark_numeric(spec, q, _read_numeric(value, where))
    said = SUBMISSION.text(value, where, max_chars=MAX_SHORT_CHARS)
    accepted = {normalise(a) for a in _texts(q.answer)}
    quote = [Evidence.span(where, said, 0, len(said))] if said else []
    if normalise(said) in accepted:
        return spec.award(1, "Right.", evidence=quote)
    return spec.award(0, "Not one of the accepted answers.", _advice(q), quote)


def _mark_single(spec: CheckSpec, q: Question, index: int) -> Check:
    if index == q.answer:
        return spec.award(1, "Right.")
    return spec.award(0, f"“{q.options[index]}” is not the best answer.", _advice(q))


def _mark_multiple(spec: CheckSpec, q: Question, value: object, where: str) -> Check:
    raw = SUBMISSION.sequence(value, where, max_items=len(q.options))
    picked = {_index(SUBMISSION, v, f"{where}[{i}]", len(q.options)) for i, v in enumerate(raw)}
    right = set(_ints(q.answer))
    hits, misses = len(picked & right), len(picked - right)
    if picked == right:
        return spec.award(1, "Right: all the correct options and no others.")
    fraction = (hits - misses) / len(right) if right else 0.0
    return spec.award(
        fraction,
        f"{hits} of {len(right)} correct options picked, {misses} wrong.",
        _advice(q),
    )


def _mark_numeric(spec: CheckSpec, q: Question, said: float) -> Check:
    answer = float(_number(q.answer))
    if abs(said - answer) <= q.tolerance + 1e-9:
        return spec.award(1, "Right.")
    direction = "high" if said > answer else "low"
    return spec.award(0, f"{said:g} is too {direction}.", _advice(q))


_NUMBER_TEXT_RE = re.compile(
    r"^[^\d+\-.,]*([+-]?(?:\d{1,3}(?:[ ,.]\d{3})+|\d+)(?:[.,]\d+)?|[+-]?[.,]\d+)[^\d]*$"
)


def _read_numeric(value: object, where: str) -> float:
    """A number, or text such as "12.5", "2,5", "1,200", "$25", "40 %" or "3 days"."""
    if not isinstance(value, str):
        return SUBMISSION.number(value, where)
    text = value.strip()
    m = _NUMBER_TEXT_RE.match(text) if len(text) <= 40 else None
    if not m:
        raise SUBMISSION.fail(where, "must be a number (digits, with an optional unit)")
    number = float(_plain_number(m.group(1)))
    if not math.isfinite(number):
        raise SUBMISSION.fail(where, "must be a finite number")
    return SUBMISSION.number(number, where)


def _plain_number(raw: str) -> str:
    """ "1,200" -> "1200", "2,5" -> "2.5", "1.200,5" -> "1200.5", "1 200" -> "1200"."""
    raw = raw.replace(" ", "")
    last = max(raw.rfind(","), raw.rfind("."))
    if last < 0:
        return raw
    head, sep, tail = raw[:last], raw[last], raw[last + 1 :]
    other = "." if sep == "," else ","
    if other in head:  # "1.200,5": the other mark groups thousands, this one is decimal
        return head.replace(other, "").replace(sep, "") + "." + tail
    if sep in head:  # "1,200,300": one mark used more than once groups thousands
        return head.replace(sep, "") + tail
    whole = head.lstrip("+-")
    if sep == "," and len(tail) == 3 and whole and whole != "0":
        return head + tail  # "1,200": a thousands comma
    return (head or "0") + "." + tail


def _advice(q: Question) -> str:
    return q.explanation or "Re-read the lesson section this question comes from."


def _texts(value: object) -> Sequence[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list | tuple) else []


def _ints(value: object) -> Sequence[int]:
    return [v for v in value if isinstance(v, int)] if isinstance(value, list | tuple) else []


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


# ----------------------------------------------------------------------------- grading


def grade_submission(submission: Mapping[str, object], context: Mapping[str, object]) -> Grade:
    questions = _read_quiz(context)
    answers = SUBMISSION.mapping(submission.get("answers"), "answers")
    known = {q.id for q in questions}
    for key in answers:
        if key not in known:
            raise SUBMISSION.fail(f"answers.{key}", "is not a question of this quiz")
    builder = GradeBuilder(RUBRIC_ID, RUBRIC_VERSION, "quiz", ())
    for q in questions:
        builder.add(_mark(q, answers.get(q.id)))
    return builder.build()
