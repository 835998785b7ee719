"""A tiny course written into a temporary folder, so the machinery can be tested before (and
independently of) the writers' lessons. Two modules, two lessons, every question type."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from course.catalog import COURSE_ROOT

LESSON = """\
---
id: {id}
module: {module}
title: {title}
objectives:
  - Say what a **lead** is in one sentence
  - Tell a lead from a prospect
minutes: {minutes}
exercises: {exercises}
---

A short fixture lesson. See [the other lesson]({other}) and the
![lifecycle](../assets/diagrams/lifecycle.svg).

## Worked example

Maya finds a dental clinic owner who downloaded a price guide.

## Key terms

<!-- glossary: lead -->
- **Funnel**: the narrowing path from attention to a sale.
"""

QUIZ = """\
id: {id}
questions:
  - id: q1
    type: single
    prompt: "Which of these makes someone a lead?"
    options: ["Visited the site", "Shared contact details and showed interest", "Follows you"]
    answer: 1
    tolerance: 0
    explanation: "Interest plus a way to reach them."
  - id: q2
    type: multiple
    prompt: "Which are lifecycle stages?"
    options: ["MQL", "SQL", "KPI", "Opportunity"]
    answer: [0, 1, 3]
    explanation: "KPI is a measure, not a stage."
  - id: q3
    type: numeric
    prompt: "Of 100 raw leads, about how many convert in the funnel illustration?"
    answer: 5
    tolerance: 1
    explanation: "About 5 in 100."
  - id: q4
    type: text
    prompt: "What does the S in SQL stand for?"
    answer: ["sales", "sales qualified"]
    explanation: "Sales-qualified lead."
"""

INDEX = """\
---
title: {title}
---

Lessons in this module:

{links}
"""


def write_fixture_course(root: Path) -> Path:
    """Write a minimal valid course under ``root/course``; return that folder."""
    course = root / "course"
    lessons = course / "lessons"
    shutil.copytree(COURSE_ROOT / "lessons" / "assets", lessons / "assets")
    shutil.copy(COURSE_ROOT / "lessons" / "index.md", lessons / "index.md")
    specs = [
        (
            "01-career",
            "career",
            "what-the-job-is",
            "What the job is",
            10,
            "[]",
            "../03-lead-fundamentals/what-is-a-lead.md#worked-example",
        ),
        (
            "03-lead-fundamentals",
            "lead-fundamentals",
            "what-is-a-lead",
            "What a lead is",
            12,
            "[prospect-list-saas]",
            "../01-career/what-the-job-is.md",
        ),
    ]
    for folder, module, lesson_id, title, minutes, exercises, other in specs:
        directory = lessons / folder
        directory.mkdir(parents=True)
        (directory / "index.md").write_text(
            INDEX.format(title=f"Module {folder[:2]}", links=f"- [{title}]({lesson_id}.md)")
        )
        (directory / f"{lesson_id}.md").write_text(
            LESSON.format(
                id=lesson_id,
                module=module,
                title=title,
                minutes=minutes,
                exercises=exercises,
                other=other,
            )
        )
        (directory / f"{lesson_id}.quiz.yaml").write_text(QUIZ.format(id=lesson_id))
    shutil.copytree(COURSE_ROOT / "exercises", course / "exercises")
    shutil.copy(COURSE_ROOT / "glossary.yaml", course / "glossary.yaml")
    links = {"prospect-list-saas": ["what-is-a-lead"]}
    for path in (course / "exercises").glob("*.yaml"):
        # The real exercises name the real lessons; here they name the fixture's (links agree).
        names = ", ".join(links.get(path.stem, []))
        text = re.sub(r"(?m)^lessons:.*$", f"lessons: [{names}]", path.read_text())
        path.write_text(text)
    return course
