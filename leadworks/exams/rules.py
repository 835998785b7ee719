"""The published exam rules and the draw of questions: pure functions of the catalog.

Why a module of its own: the rules (how many questions, how long, the pass mark, the
cooling-off) are what a learner, a counselor and the credential's completion rule all
read, so they live in one place, next to ``docs/exams.md`` which states them in words.

An exam's questions are drawn from the course's own lesson quizzes (scenario questions tied
to each lesson's objectives): a checkpoint from its module's lessons, the final exam from
every module in turn. The draw is a pure function of (catalog, exam, seed); the seed is
keyed with the server's secret (HMAC-SHA256, like a practice run's world seed), so nobody
can work out which questions an attempt will get from public inputs.
"""

from __future__ import annotations

import hashlib
import hmac
import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from course.catalog import Catalog

SEED_LABEL = "leadworks-exam-seed/1"
FINAL_ID = "final"
CHECKPOINT_PREFIX = "checkpoint-"

CHECKPOINT_QUESTIONS = 8
CHECKPOINT_PASS = 0.70
FINAL_QUESTIONS = 24
FINAL_MINUTES = 40
FINAL_PASS = 0.75
FINAL_COOLING_OFF = timedelta(hours=24)
#: Answers that arrive this long after the deadline are still taken (slow networks); later
#: ones are refused.
GRACE = timedelta(seconds=60)


@dataclass(frozen=True)
class ExamSpec:
    """One exam as the learner sees its rules."""

    id: str
    title: str
    module: str | None  # the module slug of a checkpoint; None for the final exam
    questions: int
    minutes: int | None  # None: untimed
    pass_fraction: float
    cooling_off: timedelta  # after a failed attempt, before the next may start

    @property
    def pass_percent(self) -> int:
        return round(self.pass_fraction * 100)

    @property
    def is_final(self) -> bool:
        return self.module is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "module": self.module,
            "questions": self.questions,
            "minutes": self.minutes,
            "pass_percent": self.pass_percent,
            "cooling_off_hours": self.cooling_off.total_seconds() / 3600,
        }


def exam_specs(catalog: Catalog) -> list[ExamSpec]:
    """Every exam the course offers: one checkpoint per module with lessons, then the final."""
    specs = [
        ExamSpec(
            id=CHECKPOINT_PREFIX + module.slug,
            title=f"Checkpoint: {module.short_title}",
            module=module.slug,
            questions=min(CHECKPOINT_QUESTIONS, _pool_size(catalog, module.slug)),
            minutes=None,
            pass_fraction=CHECKPOINT_PASS,
            cooling_off=timedelta(0),
        )
        for module in catalog.modules()
        if module.lesson_ids
    ]
    pool_size = sum(_pool_size(catalog, s.module or "") for s in specs)
    specs.append(
        ExamSpec(
            id=FINAL_ID,
            title="Final exam",
            module=None,
            questions=min(FINAL_QUESTIONS, pool_size),
            minutes=FINAL_MINUTES,
            pass_fraction=FINAL_PASS,
            cooling_off=FINAL_COOLING_OFF,
        )
    )
    return specs


def exam_spec(catalog: Catalog, exam_id: str) -> ExamSpec | None:
    return next((s for s in exam_specs(catalog) if s.id == exam_id), None)


def exam_seed(secret: str, user_id: int, exam_id: str, attempt: int) -> int:
    """A 64-bit seed for one attempt: the same inputs and secret give the same questions."""
    message = "\x1f".join((SEED_LABEL, str(user_id), exam_id, str(attempt)))
    digest = hmac.new(secret.encode("utf-8"), message.encode("utf-8"), hashlib.sha256)
    return int.from_bytes(digest.digest()[:8], "big")


def _lesson_questions(catalog: Catalog, lesson_id: str) -> list[dict[str, Any]]:
    lesson = catalog.lesson(lesson_id)
    out = []
    for question in catalog.quiz(lesson_id)["questions"]:
        question = dict(question)
        question["id"] = f"{lesson_id}.{question['id']}"
        question["lesson"] = lesson_id
        question["lesson_title"] = lesson.title
        number = question.get("objective")
        if isinstance(number, int) and 1 <= number <= len(lesson.objectives):
            question["objective_text"] = lesson.objectives[number - 1]
        out.append(question)
    return out


def _module_pool(catalog: Catalog, module: str) -> list[list[dict[str, Any]]]:
    """A module's questions, grouped by lesson (in course order)."""
    return [_lesson_questions(catalog, lesson.id) for lesson in catalog.lessons(module)]


def _pool_size(catalog: Catalog, module: str) -> int:
    """How many questions a module's lessons hold."""
    return sum(len(lesson.quiz.questions) for lesson in catalog.lessons(module))


def _round_robin(groups: list[list[dict[str, Any]]], n: int) -> list[dict[str, Any]]:
    """Take one from each group in turn until ``n`` are taken: every group is represented
    before any gives a second question."""
    queues = [list(g) for g in groups if g]
    taken: list[dict[str, Any]] = []
    while queues and len(taken) < n:
        for queue in list(queues):
            if len(taken) >= n:
                break
            taken.append(queue.pop(0))
            if not queue:
                queues.remove(queue)
    return taken


def draw_questions(catalog: Catalog, spec: ExamSpec, seed: int) -> list[dict[str, Any]]:
    """The attempt's questions, full definitions (answers and explanations included: they
    are stored with the attempt and shown only once it is graded)."""
    rng = random.Random(seed)
    if spec.module is not None:
        groups = _module_pool(catalog, spec.module)
    else:
        groups = [
            [q for lesson in _module_pool(catalog, m.slug) for q in lesson]
            for m in catalog.modules()
        ]
    for group in groups:
        rng.shuffle(group)
    rng.shuffle(groups)
    drawn = _round_robin(groups, spec.questions)
    rng.shuffle(drawn)
    return drawn
