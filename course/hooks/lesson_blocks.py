"""The page furniture the lessons hook adds: objectives, knowledge check, "Practise it".

Why a separate module: these are pure functions from catalog data to Markdown/HTML text,
so tests can read what a page will contain without running mkdocs. The knowledge check is
plain HTML (radio, checkbox, number and text inputs in fieldsets with legends) that works as
a form without our script; ``leadworks.js`` adds instant feedback and progress recording.
"""

from __future__ import annotations

import html
import json
from collections.abc import Collection, Mapping

from course.catalog import (
    Catalog,
    Lesson,
    MultipleQuestion,
    NumericQuestion,
    Quiz,
    SingleQuestion,
    TextQuestion,
)

AnyQuestion = SingleQuestion | MultipleQuestion | NumericQuestion | TextQuestion

HINTS = {
    "single": "Choose one answer.",
    "multiple": "Choose every answer that applies.",
    "numeric": "Enter a number.",
    "text": "Type a short answer.",
}


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def objectives_markdown(lesson: Lesson) -> str:
    """An ``abstract`` admonition listing the objectives (Markdown, so `**bold**` works)."""
    items = "\n".join(f"    - {_one_line(objective)}" for objective in lesson.objectives)
    checks = len(lesson.quiz.questions)
    return (
        '!!! abstract lw-objectives "In this lesson"\n\n'
        "    By the end of it you will be able to:\n\n"
        f"{items}\n\n"
        f"    About {lesson.minutes} minutes, then a {checks}-question knowledge check.\n"
    )


def quiz_html(lesson: Lesson, *, answers_href: str) -> str:
    """The knowledge check as one raw HTML block (no blank lines, so Markdown leaves it alone).

    The quiz definition rides along in ``data-quiz`` for the in-page grading; ``answers_href``
    points at the copied ``.quiz.yaml`` for readers without JavaScript.
    """
    quiz: Quiz = lesson.quiz
    data = json.dumps(quiz.as_context(), ensure_ascii=False, separators=(",", ":"))
    parts = [
        f'<form class="lw-quiz" id="lw-quiz" data-lesson-id="{_e(lesson.id)}" '
        f'data-quiz="{_e(data)}" novalidate>',
        f'<p class="lw-quiz__intro">{len(quiz.questions)} questions. '
        "Check your answers to see what you got right and why.</p>",
        '<ol class="lw-quiz__questions">',
    ]
    for question in quiz.questions:
        parts.append(_question_html(lesson.id, question))
    parts += [
        "</ol>",
        '<div class="lw-quiz__actions">',
        '<button type="submit" class="md-button md-button--primary">Check answers</button>',
        '<button type="reset" class="md-button">Clear</button>',
        "</div>",
        '<p class="lw-quiz__result" role="status" aria-live="polite"></p>',
        '<p class="lw-quiz__record" role="status" aria-live="polite" hidden></p>',
        "<noscript><p>Checking answers needs JavaScript. The questions, answers and "
        f'explanations are also in <a href="{_e(answers_href)}">this lesson\'s quiz file</a>.'
        "</p></noscript>",
        "</form>",
    ]
    return "\n".join(parts) + "\n"


def _question_html(lesson_id: str, question: AnyQuestion) -> str:
    qid = _e(question.id)
    qtype = question.type
    base = f"lw-{_e(lesson_id)}-{qid}"
    lines = [
        "<li>",
        f'<fieldset class="lw-question" id="{base}" data-question-id="{qid}" data-type="{qtype}">',
        f'<legend class="lw-question__prompt">{_e(question.prompt)}</legend>',
        f'<p class="lw-question__hint" id="{base}-hint">{HINTS[qtype]}</p>',
    ]
    if isinstance(question, SingleQuestion | MultipleQuestion):
        kind = "radio" if qtype == "single" else "checkbox"
        lines.append('<ul class="lw-question__options">')
        for index, option in enumerate(question.options):
            lines.append(
                f'<li><label for="{base}-{index}"><input type="{kind}" id="{base}-{index}" '
                f'name="{base}" value="{index}"> <span>{_e(option)}</span></label></li>'
            )
        lines.append("</ul>")
    else:
        field = (
            'type="number" step="any" inputmode="decimal"'
            if qtype == "numeric"
            else 'type="text" autocomplete="off" spellcheck="false"'
        )
        lines.append(
            f'<p class="lw-question__field"><label for="{base}-input">Your answer</label> '
            f'<input {field} id="{base}-input" name="{base}" aria-describedby="{base}-hint"></p>'
        )
    lines += [
        f'<div class="lw-question__feedback" id="{base}-feedback" aria-live="polite" hidden></div>',
        "</fieldset>",
        "</li>",
    ]
    return "\n".join(lines)


def practise_html(lesson: Lesson, titles: Mapping[str, str], drills: Collection[str] = ()) -> str:
    """Links to the sandbox exercises and drills this lesson prepares for (app routes, same
    origin): a drill's page is /drills/<id>, an exercise's /sandbox/exercises/<id>."""
    items = "\n".join(
        f'<li><a class="lw-practise__link" href="{_practice_href(exercise_id, drills)}">'
        f"{_e(titles.get(exercise_id, exercise_id))}</a></li>"
        for exercise_id in lesson.exercises
    )
    return (
        '<div class="lw-practise">\n'
        "<p>Try it in the practice sandbox: a simulated market answers what you send, and the "
        "grader explains every point you earn or miss.</p>\n"
        f'<ul class="lw-practise__list">\n{items}\n</ul>\n'
        "</div>\n"
    )


def _practice_href(practice_id: str, drills: Collection[str]) -> str:
    if practice_id in drills:
        return f"/drills/{_e(practice_id)}"
    return f"/sandbox/exercises/{_e(practice_id)}"


def decorate_lesson(markdown: str, lesson: Lesson, catalog: Catalog, *, answers_href: str) -> str:
    """Objectives before the body; knowledge check and "Practise it" after it."""
    titles = {exercise_id: catalog.exercise_title(exercise_id) for exercise_id in lesson.exercises}
    tail = f"\n\n## Knowledge check\n\n{quiz_html(lesson, answers_href=answers_href)}"
    if lesson.exercises:
        tail += f"\n## Practise it\n\n{practise_html(lesson, titles, catalog.drills)}"
    return f"{objectives_markdown(lesson)}\n{markdown.rstrip()}{tail}"


# --------------------------------------------------------------------------- home page


MODULE_MAP_MARKER = "<!-- leadworks:module-map -->"
COURSE_LENGTH_MARKER = "<!-- leadworks:course-length -->"


def _hours(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h {rest:02d} min" if rest else f"{hours} h"


def module_map_markdown(catalog: Catalog) -> str:
    """A table of modules linking each landing page, with lesson count, time and practice."""
    rows = [
        "| # | Module | Lessons | Reading time | Practice in the sandbox |",
        "|---|---|---|---|---|",
    ]
    for module in catalog.modules():
        lessons = catalog.lessons(module.slug)
        exercises: list[str] = []
        for lesson in lessons:
            exercises += [x for x in lesson.exercises if x not in exercises]
        practice = ", ".join(catalog.exercise_title(x) for x in exercises) or "–"
        title = module.short_title.replace("|", "\\|")
        link = f"[{title}]({module.index_uri})" if module.index_path else title
        rows.append(
            f"| {module.number} | {link} | {len(lessons)} | "
            f"{_hours(catalog.total_minutes(module.slug))} | {practice.replace('|', '/')} |"
        )
    return "\n".join(rows) + "\n"


def course_length_markdown(catalog: Catalog) -> str:
    lessons = catalog.lessons()
    modules = [m for m in catalog.modules() if catalog.lessons(m.slug)]
    return (
        f"**{len(lessons)} lessons in {len(modules)} modules, about "
        f"{_hours(catalog.total_minutes())} of reading** (the minutes each lesson states, "
        "added up), plus the knowledge checks and the sandbox exercises."
    )


def decorate_home(markdown: str, catalog: Catalog) -> str:
    return markdown.replace(MODULE_MAP_MARKER, module_map_markdown(catalog)).replace(
        COURSE_LENGTH_MARKER, course_length_markdown(catalog)
    )
