"""Pages outside any run: the exercise list, one exercise (brief, rubric, attempts), the
rubric reference, and starting (or resuming) an attempt."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from pydantic import BaseModel, ConfigDict

from course.catalog import CONTRACT_EXERCISE_IDS
from grader.achievement import work_checks
from grader.registry import KINDS
from leadworks.core.config import PROJECT_ROOT
from leadworks.core.inputs import Key, PathKey
from leadworks.core.templating import flash
from leadworks.practice import service as svc
from leadworks.practice.models import RunStatus
from leadworks.practice.present import KIND_LABELS
from leadworks.practice.views.attempts import best_percent, grades_by_run, percent, scored_attempts
from leadworks.practice.views.forms import new_key
from leadworks.practice.views.workspace import Practice, PracticeDep, render_content_page
from leadworks.submissions.service import submissions_with_grades

router = APIRouter()

MAX_START_KEYS = 10  # start-form keys the session remembers (a double click starts once)


def rubric_checks(kind: str) -> list[dict[str, Any]]:
    """The checks a kind's rubric declares, with their points (from the grader itself)."""
    module = KINDS.get(kind)
    if module is None:
        return []
    return [{"id": c.id, "points": c.points, "earns": c.earns} for c in module.CHECKS]


def rubric_reference_html() -> Markup | None:
    """docs/rubrics.md (written by the grader's authors) as HTML, when it exists."""
    path = PROJECT_ROOT / "docs" / "rubrics.md"
    if not path.exists():
        return None
    import markdown

    text = path.read_text(encoding="utf-8")
    html = markdown.markdown(
        text,
        extensions=["tables", "fenced_code", "toc", "sane_lists"],
        extension_configs={"toc": {"baselevel": 2}},  # the page has its own h1
    )
    return Markup(html)  # the repository's own documentation


class StartForm(BaseModel):
    model_config = ConfigDict(extra="ignore")
    idempotency_key: Key = ""


@router.get("/", name="sandbox_home")
def sandbox_home(p: PracticeDep) -> Response:
    catalog = p.content.catalog
    assert p.user.id is not None
    runs = svc.runs_of(session=p.session, user_id=p.user.id)
    grades = grades_by_run(p.session, p.user)
    rows = []
    order = {exercise_id: n for n, exercise_id in enumerate(CONTRACT_EXERCISE_IDS)}
    exercises = sorted(catalog.exercises.values(), key=lambda x: (order.get(x.id, 99), x.id))
    for exercise in exercises:
        mine = [r for r in runs if r.exercise_id == exercise.id]
        rows.append(
            {
                "exercise": exercise,
                "spec": exercise.spec,
                "attempts": len(mine),
                "best": best_percent(scored_attempts(mine, grades)),
                "active": next((r for r in mine if r.status is RunStatus.active), None),
                "last": max((r.updated_at for r in mine), default=None),
            }
        )
    recent = sorted(runs, key=lambda r: r.updated_at, reverse=True)[:5]
    context = {
        "rows": rows,
        "drills": _drill_rows(p),
        "recent": recent,
        "titles": {x.id: x.title for x in catalog.exercises.values()},
        "scores": {run_id: percent(g) for run_id, g in grades.items()},
    }
    return render_content_page(p.request, "practice/index.html", context)


def _drill_rows(p: Practice) -> list[dict[str, Any]]:
    """The drills (practice without a market) with their lessons and the learner's best."""
    catalog = p.content.catalog
    assert p.user.id is not None
    best: dict[str, float] = {}
    for submission, grade in submissions_with_grades(session=p.session, user_id=p.user.id):
        if submission.exercise_id in catalog.drills and grade is not None and grade.possible:
            percent = round(100 * grade.final_score / grade.possible)
            best[submission.exercise_id] = max(best.get(submission.exercise_id, 0), percent)
    return [
        {
            "drill": drill,
            "lessons": catalog.lessons_for_exercise(drill.id),
            "best": best.get(drill.id),
        }
        for drill in catalog.drills.values()
    ]


@router.get("/exercises/{exercise_id}", name="sandbox_exercise")
def exercise_page(exercise_id: PathKey, p: PracticeDep) -> Response:
    spec = p.content.spec(exercise_id)
    assert p.user.id is not None
    runs = svc.runs_of(session=p.session, user_id=p.user.id, exercise_id=exercise_id)
    attempts = scored_attempts(runs, grades_by_run(p.session, p.user))
    checks = rubric_checks(spec.kind)
    form_count = len(checks)
    if spec.preplayed is None:  # a pre-played log is a colleague's work: no achievement part
        form_total = sum(c["points"] for c in checks)
        checks += [
            {"id": c.id, "points": c.points, "earns": c.earns}
            for c in work_checks(spec.kind, form_total)
        ]
    context = {
        "spec": spec,
        "lessons": p.content.catalog.lessons_for_exercise(exercise_id),
        "attempts": attempts,
        "best": best_percent(attempts),
        "active": next((r for r in runs if r.status is RunStatus.active), None),
        "checks": checks,
        "form_count": form_count,
        "total_points": sum(c["points"] for c in checks),
        "new_key": new_key,
    }
    return render_content_page(p.request, "practice/exercise.html", context)


@router.post("/exercises/{exercise_id}/runs", name="sandbox_start")
def start_attempt(
    exercise_id: PathKey, form: Annotated[StartForm, Form()], p: PracticeDep
) -> Response:
    request = p.request
    key = form.idempotency_key or request.headers.get("Idempotency-Key")
    started = dict(request.session.get("start_keys") or {})
    if key and key in started:
        return RedirectResponse(f"/sandbox/runs/{started[key]}", status_code=303)
    run = svc.start_run(session=p.session, user=p.user, exercise_id=exercise_id, cache=p.cache)
    if key:
        started[key] = run.id
        while len(started) > MAX_START_KEYS:
            started.pop(next(iter(started)))
        request.session["start_keys"] = started
    flash(
        request,
        f"Attempt {run.attempt} started. Your client's market is ready: start with the "
        "brief on this page, then research prospects.",
        "success",
    )
    return RedirectResponse(f"/sandbox/runs/{run.id}", status_code=303)


@router.get("/rubrics", name="sandbox_rubrics")
def rubrics(p: PracticeDep) -> Response:
    kinds: list[dict[str, Any]] = [
        {"kind": kind, "label": KIND_LABELS[kind], "checks": rubric_checks(kind)}
        for kind in KIND_LABELS
    ]
    for item in kinds:
        item["total"] = sum(c["points"] for c in item["checks"])
        item["exercises"] = [
            x for x in p.content.catalog.exercises.values() if x.spec.kind == item["kind"]
        ]
    context = {"kinds": kinds, "reference": rubric_reference_html()}
    return render_content_page(p.request, "practice/rubrics.html", context)
