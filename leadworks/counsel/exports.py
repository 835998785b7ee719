"""Exports: the cohort gradebook as CSV, and everything one learner did as JSON.

The gradebook has one row per learner and one column per graded item: each exercise's
best current final score and each lesson quiz's best result, both in percent so that
items of different sizes read alike, headed by title for people or by id for scripts.
Three queries whatever the cohort's size. Cells that a spreadsheet would run as a formula
are defused (OWASP's CSV injection advice).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import datetime
from typing import Any, Literal

from sqlmodel import Session, col, select

from course.catalog import Catalog
from leadworks.accounts.models import User
from leadworks.cohorts.models import Cohort, Membership
from leadworks.core.timeutil import utcnow
from leadworks.counsel.aggregates import exercise_bests, members_of, quiz_bests
from leadworks.counsel.overview import exercise_columns
from leadworks.feedback.models import Comment, GradeOverride, RegradeRequest
from leadworks.practice.hidden import learner_events
from leadworks.practice.models import Run, RunEvent, RunStatus
from leadworks.progress.models import LearnerProfile, LessonCompletion, QuizAttempt
from leadworks.submissions.models import GradeRecord, Submission

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def _percent(ratio: float | None) -> str:
    return "" if ratio is None else f"{100 * float(ratio):.1f}"


#: How the item columns are headed: by title for people (the counselor's download), by id
#: for scripts (the API's default: ids never change when an author retitles an exercise)
Headers = Literal["titles", "ids"]


def gradebook_columns(catalog: Catalog, headers: Headers = "titles") -> list[tuple[str, str]]:
    """(key, header) per graded item: exercises in teaching order, then quizzes in course order."""
    if headers == "ids":
        items = [(f"exercise:{x.key}", f"{x.key} (best %)") for x in exercise_columns(catalog)]
        items += [(f"quiz:{q.id}", f"quiz {q.id} (best %)") for q in catalog.lessons()]
        return items
    items = [(f"exercise:{x.key}", f"{x.title} (best %)") for x in exercise_columns(catalog)]
    items += [(f"quiz:{q.id}", f"Quiz: {q.title} (best %)") for q in catalog.lessons()]
    seen: Counter[str] = Counter(header for _, header in items)
    # two items with one title would share a column name: the id tells them apart
    return [
        (key, header if seen[header] == 1 else f"{header} [{key.split(':', 1)[1]}]")
        for key, header in items
    ]


def gradebook_csv(
    *, session: Session, cohort: Cohort, catalog: Catalog, headers: Headers = "titles"
) -> str:
    assert cohort.id is not None
    members = members_of(cohort.id)
    scores: dict[tuple[int, str], float] = {}
    connection = session.connection()
    for uid, exercise_id, ratio, *_ in connection.execute(exercise_bests(members)):
        scores[(uid, f"exercise:{exercise_id}")] = ratio
    for uid, lesson_id, ratio in connection.execute(quiz_bests(members)):
        scores[(uid, f"quiz:{lesson_id}")] = ratio
    people = connection.execute(
        select(User.id, User.name, User.email)
        .join(Membership, col(Membership.user_id) == User.id)
        .where(Membership.cohort_id == cohort.id)
        .order_by(col(User.name), col(User.id))
    ).all()
    columns = gradebook_columns(catalog, headers)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["learner_id", "name", "email", *(header for _, header in columns)])
    for uid, name, email in people:
        assert uid is not None
        cells = [_percent(scores.get((uid, key))) for key, _ in columns]
        writer.writerow([uid, _cell(name), _cell(email), *cells])
    return out.getvalue()


def export_filename(cohort: Cohort, what: str) -> str:
    slug = "".join(c if c.isalnum() else "-" for c in cohort.name.lower()).strip("-")
    return f"{what}-{slug or cohort.id}-{utcnow():%Y-%m-%d}.csv"


# ---- one learner ------------------------------------------------------------------------------


def _plain(row: Any, *names: str) -> dict[str, Any]:
    out = {}
    for name in names:
        value = getattr(row, name)
        out[name] = value.isoformat() if isinstance(value, datetime) else value
    return out


# The columns each kind of record carries in the learner's JSON export.
LEARNER_FIELDS = ("id", "name", "email", "created_at", "last_seen_at")
PROFILE_FIELDS = ("skills", "target_industries", "planned_certifications", "goal", "updated_at")
QUIZ_FIELDS = ("id", "lesson_id", "answers", "score", "possible", "rubric_version", "grade",
               "created_at")  # fmt: skip
RUN_FIELDS = ("id", "exercise_id", "attempt", "seed", "status", "created_at", "updated_at",
              "submitted_at")  # fmt: skip
EVENT_FIELDS = ("seq", "type", "at", "actor", "data")
SUBMISSION_FIELDS = ("id", "exercise_id", "kind", "run_id", "payload", "created_at")
GRADE_FIELDS = ("id", "rubric_id", "rubric_version", "score", "possible", "final_score",
                "is_current", "reason", "created_at", "result")  # fmt: skip
OVERRIDE_FIELDS = ("id", "check_id", "counselor_id", "reason", "points_before", "points_after",
                   "score_before", "score_after", "created_at")  # fmt: skip
REQUEST_FIELDS = ("id", "submission_id", "grade_id", "check_id", "message", "status", "response",
                  "new_points", "decided_by_id", "decided_at", "created_at")  # fmt: skip
COMMENT_FIELDS = ("id", "submission_id", "author_id", "body", "created_at")


def _rows(session: Session, model: Any, *where: Any, order: Any = None) -> list[Any]:
    """Every row of ``model`` that matches, in id order unless told otherwise."""
    query = select(model).where(*where).order_by(*(order or (col(model.id),)))
    return list(session.exec(query).all())


def learner_record(*, session: Session, learner: User) -> dict[str, Any]:
    """Everything the learner did, as plain JSON: a portable copy for them or an auditor."""
    uid = learner.id
    cohorts = session.exec(
        select(Cohort).join(Membership).where(Membership.user_id == uid).order_by(col(Cohort.id))
    ).all()
    profile = session.get(LearnerProfile, uid)
    submissions = _rows(session, Submission, Submission.user_id == uid)
    grades = _rows(session, GradeRecord, col(GradeRecord.submission_id).in_(
        [s.id for s in submissions]))  # fmt: skip
    overrides = _rows(session, GradeOverride, col(GradeOverride.grade_id).in_(
        [g.id for g in grades]))  # fmt: skip
    runs = _rows(session, Run, Run.user_id == uid)
    events = _rows(session, RunEvent, col(RunEvent.run_id).in_([r.id for r in runs]),
                   order=(col(RunEvent.run_id), col(RunEvent.seq)))  # fmt: skip

    def grade_json(g: GradeRecord) -> dict[str, Any]:
        mine = [_plain(o, *OVERRIDE_FIELDS) for o in overrides if o.grade_id == g.id]
        return _plain(g, *GRADE_FIELDS) | {"overrides": mine}

    def run_json(r: Run) -> dict[str, Any]:
        # an open run's seed would regenerate its hidden truth: kept out until the hand-in
        handed_in = r.status is RunStatus.submitted
        mine = [_plain(e, *EVENT_FIELDS) for e in events if e.run_id == r.id]
        fields = RUN_FIELDS if handed_in else tuple(f for f in RUN_FIELDS if f != "seed")
        return _plain(r, *fields) | {"events": learner_events(mine, handed_in=handed_in)}

    def submission_json(s: Submission) -> dict[str, Any]:
        mine = [grade_json(g) for g in grades if g.submission_id == s.id]
        return _plain(s, *SUBMISSION_FIELDS) | {"grades": mine}

    return {
        "format": "leadworks-learner-record/1",
        "exported_at": utcnow().isoformat(),
        "learner": _plain(learner, *LEARNER_FIELDS),
        "cohorts": [_plain(c, "id", "name") for c in cohorts],
        "profile": _plain(profile, *PROFILE_FIELDS) if profile else None,
        "lessons_completed": [
            _plain(c, "lesson_id", "completed_at")
            for c in _rows(session, LessonCompletion, LessonCompletion.user_id == uid)
        ],
        "quiz_attempts": [
            _plain(q, *QUIZ_FIELDS) for q in _rows(session, QuizAttempt, QuizAttempt.user_id == uid)
        ],
        "runs": [run_json(r) for r in runs],
        "submissions": [submission_json(s) for s in submissions],
        "regrade_requests": [
            _plain(r, *REQUEST_FIELDS)
            for r in _rows(session, RegradeRequest, RegradeRequest.learner_id == uid)
        ],
        "comments": [
            _plain(c, *COMMENT_FIELDS) for c in _rows(session, Comment, Comment.learner_id == uid)
        ],
    }
