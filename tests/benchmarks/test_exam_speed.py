"""Exam speed: drawing a final exam and grading it, per attempt, and peak memory.

No target in the issue; the figures show that starting and grading an exam is cheap next to
a request's budget (the draw reads every lesson quiz of the course). These print figures;
they do not assert on time. Run with ``make bench`` (LEADWORKS_BENCH=1).
"""

from __future__ import annotations

import os
import statistics
import time
import tracemalloc

import pytest

from course.catalog import load_catalog
from grader import grade
from leadworks.exams.rules import FINAL_ID, draw_questions, exam_seed, exam_spec, exam_specs

pytestmark = pytest.mark.skipif(
    os.environ.get("LEADWORKS_BENCH") != "1", reason="benchmarks run only with LEADWORKS_BENCH=1"
)

ATTEMPTS = 200


def test_final_exam_draw_and_grade_speed() -> None:
    catalog = load_catalog()
    spec = exam_spec(catalog, FINAL_ID)
    assert spec is not None
    draws, grades, specs = [], [], []
    tracemalloc.start()
    for n in range(ATTEMPTS):
        t0 = time.perf_counter()
        exam_specs(catalog)
        t1 = time.perf_counter()
        questions = draw_questions(catalog, spec, exam_seed("bench", n, FINAL_ID, 1))
        t2 = time.perf_counter()
        answers = {q["id"]: q["answer"] for q in questions if q["type"] != "text"}
        g = grade("quiz", {"answers": answers}, {"quiz": {"id": FINAL_ID, "questions": questions}})
        t3 = time.perf_counter()
        assert g.possible == spec.questions
        specs.append(t1 - t0)
        draws.append(t2 - t1)
        grades.append(t3 - t2)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    def ms(xs: list[float]) -> str:
        xs = sorted(xs)
        return f"median {1000 * statistics.median(xs):.2f} ms, p95 {1000 * xs[int(0.95 * len(xs))]:.2f} ms"

    print(f"\nexam rules (every checkpoint + final): {ms(specs)}")
    print(f"final exam draw ({spec.questions} questions): {ms(draws)}")
    print(f"final exam grade (quiz kind): {ms(grades)}")
    print(f"peak traced memory over {ATTEMPTS} attempts: {peak / 1e6:.1f} MB")
