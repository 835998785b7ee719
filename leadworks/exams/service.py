"""Start, read and submit exam attempts; the exam status other domains read.

Rules are in ``rules.py`` (and in words in ``docs/exams.md``). What this module guarantees:

- the server holds the clock: an attempt's deadline is set when it starts, and answers
  that arrive after it (plus a short grace for slow networks) are refused, nothing stored;
- a retake of the final exam before the cooling-off after a failed or timed-out attempt ends
  is refused, naming the time it may start; a passed final exam is not sat again;
- a learner reaches only their own attempts: anyone else's is a 404, so nothing leaks;
- grading is the ``quiz`` grader kind, on the server, against the snapshot of the questions
  the attempt drew; every attempt is kept, whatever its score.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlmodel import Session, col, select

from course.catalog import Catalog, load_catalog
from leadworks.accounts.models import User
from leadworks.core.errors import Conflict, NotFound, UserError
from leadworks.core.timeutil import utcnow
from leadworks.exams.models import ExamAttempt
from leadworks.exams.rules import (
    FINAL_ID,
    GRACE,
    ExamSpec,
    draw_questions,
    exam_seed,
    exam_spec,
    exam_specs,
)
from leadworks.submissions.grading import grade_submission

MAX_ANSWERS_CHARS = 50_000
#: What a learner may see of a question before grading: never the key or the explanation.
PUBLIC_FIELDS = ("id", "type", "prompt", "options", "lesson", "lesson_title", "objective_text")


def _aware(moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def attempt_state(attempt: ExamAttempt, now: datetime | None = None) -> str:
    """``open``, ``expired`` (time ran out unsubmitted), ``passed`` or ``failed``."""
    if attempt.submitted_at is not None:
        return "passed" if attempt.passed else "failed"
    deadline = _aware(attempt.deadline_at)
    if deadline is not None and (now or utcnow()) > deadline + GRACE:
        return "expired"
    return "open"


def _ended_at(attempt: ExamAttempt) -> datetime:
    ended = _aware(attempt.submitted_at) or _aware(attempt.deadline_at)
    return ended or _aware(attempt.started_at) or utcnow()


def spec_or_404(catalog: Catalog, exam_id: str) -> ExamSpec:
    spec = exam_spec(catalog, exam_id)
    if spec is None:
        raise NotFound(f"No exam called {exam_id!r}.")
    return spec


def attempts_of(*, session: Session, user_id: int, exam_id: str | None = None) -> list[ExamAttempt]:
    """A person's attempts, oldest first (of one exam when ``exam_id`` is given)."""
    query = select(ExamAttempt).where(ExamAttempt.user_id == user_id)
    if exam_id is not None:
        query = query.where(ExamAttempt.exam_id == exam_id)
    return list(session.exec(query.order_by(col(ExamAttempt.id))).all())


def next_start(spec: ExamSpec, attempts: list[ExamAttempt], now: datetime) -> datetime | None:
    """When a new attempt may start (None: now, or an open attempt exists to continue)."""
    if not attempts:
        return None
    last = attempts[-1]
    if attempt_state(last, now) in ("open", "passed"):
        return None
    earliest = _ended_at(last) + spec.cooling_off
    return earliest if earliest > now else None


def start_attempt(
    *,
    session: Session,
    user: User,
    catalog: Catalog,
    secret: str,
    exam_id: str,
    now: datetime | None = None,
) -> tuple[ExamAttempt, bool]:
    """The open attempt to continue, or a new one: (attempt, created)."""
    now = now or utcnow()
    spec = spec_or_404(catalog, exam_id)
    assert user.id is not None
    attempts = attempts_of(session=session, user_id=user.id, exam_id=spec.id)
    if attempts and attempt_state(attempts[-1], now) == "open":
        return attempts[-1], False
    if spec.is_final and any(a.passed for a in attempts):
        raise Conflict("You have passed the final exam already; it is not sat again.")
    earliest = next_start(spec, attempts, now)
    if earliest is not None:
        raise Conflict(
            f"The cooling-off period after your last attempt is not over: you can retake "
            f"{spec.title.lower()} from {earliest:%d %b %Y %H:%M} UTC.",
            field="exam_id",
        )
    number = len(attempts) + 1
    seed = exam_seed(secret, user.id, spec.id, number)
    attempt = ExamAttempt(
        user_id=user.id,
        exam_id=spec.id,
        attempt=number,
        seed=str(seed),
        questions=draw_questions(catalog, spec, seed),
        pass_fraction=spec.pass_fraction,
        started_at=now,
        deadline_at=now + timedelta(minutes=spec.minutes) if spec.minutes else None,
    )
    session.add(attempt)
    session.commit()
    session.refresh(attempt)
    return attempt, True


def own_attempt(*, session: Session, user: User, attempt_id: int) -> ExamAttempt:
    """The caller's own attempt; anyone else's (admins' and counselors' included) is a 404."""
    attempt = session.get(ExamAttempt, attempt_id)
    if attempt is None or attempt.user_id != user.id:
        raise NotFound("No such exam attempt.")
    return attempt


def submit_attempt(
    *,
    session: Session,
    user: User,
    attempt_id: int,
    answers: Any,
    now: datetime | None = None,
) -> ExamAttempt:
    """Grade the answers with the quiz kind and keep them; refused after the deadline."""
    now = now or utcnow()
    attempt = own_attempt(session=session, user=user, attempt_id=attempt_id)
    state = attempt_state(attempt, now)
    if state in ("passed", "failed"):
        raise Conflict("This attempt has been submitted already; start a new one to try again.")
    if state == "expired":
        raise Conflict(
            f"Time is up: the deadline was {_aware(attempt.deadline_at):%H:%M:%S} UTC, so these "
            "answers were not accepted. The attempt counts as not passed.",
            field="answers",
        )
    if not isinstance(answers, dict):
        raise UserError("'answers' must be an object of question id to answer.", field="answers")
    if len(repr(answers)) > MAX_ANSWERS_CHARS:
        raise UserError("The answers are too long to be an exam attempt.", field="answers")
    context = {"quiz": {"id": attempt.exam_id, "questions": attempt.questions}}
    grade = grade_submission("quiz", {"answers": answers}, context)
    attempt.answers = answers
    attempt.score = grade.score
    attempt.possible = grade.possible
    attempt.passed = grade.possible > 0 and grade.score >= attempt.pass_fraction * grade.possible
    attempt.rubric_version = str(grade.rubric_version)
    attempt.grade = grade.to_dict()
    attempt.submitted_at = now
    session.add(attempt)
    session.commit()
    session.refresh(attempt)
    return attempt


def public_questions(attempt: ExamAttempt) -> list[dict[str, Any]]:
    """The questions as the learner sees them while answering: no keys, no explanations."""
    return [{k: q[k] for k in PUBLIC_FIELDS if k in q} for q in attempt.questions]


def attempt_view(attempt: ExamAttempt, now: datetime | None = None) -> dict[str, Any]:
    """An attempt as JSON: keys and explanations only once it is graded."""
    now = now or utcnow()
    state = attempt_state(attempt, now)
    deadline = _aware(attempt.deadline_at)
    out: dict[str, Any] = {
        "id": attempt.id,
        "exam_id": attempt.exam_id,
        "attempt": attempt.attempt,
        "state": state,
        "started_at": _aware(attempt.started_at),
        "deadline_at": deadline,
        "seconds_left": max(0, int((deadline - now).total_seconds()))
        if deadline and state == "open"
        else None,
        "submitted_at": _aware(attempt.submitted_at),
        "pass_percent": round(attempt.pass_fraction * 100),
        "score": attempt.score,
        "possible": attempt.possible,
        "percent": percent(attempt),
        "passed": attempt.passed,
    }
    if state in ("passed", "failed"):
        checks = {c["id"]: c for c in (attempt.grade or {}).get("checks", [])}
        given = attempt.answers or {}
        out["questions"] = [
            q | {"your_answer": given.get(q["id"]), "check": checks.get(q["id"])}
            for q in attempt.questions
        ]
    else:
        out["questions"] = public_questions(attempt)
    return out


def percent(attempt: ExamAttempt) -> float | None:
    if attempt.score is None or not attempt.possible:
        return None
    return round(100 * attempt.score / attempt.possible, 1)


@dataclass
class ExamSummary:
    """One exam's rules and the person's record on it."""

    spec: ExamSpec
    attempts: list[ExamAttempt]
    state: str  # not_started | open | passed | failed | expired (of the latest attempt)
    passed: bool
    best_percent: float | None
    retake_from: datetime | None
    open_attempt_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return self.spec.to_dict() | {
            "attempts": len(self.attempts),
            "state": self.state,
            "passed": self.passed,
            "best_percent": self.best_percent,
            "retake_from": self.retake_from,
            "open_attempt_id": self.open_attempt_id,
        }


def exam_overview(
    *, session: Session, user_id: int, catalog: Catalog, now: datetime | None = None
) -> list[ExamSummary]:
    """Every exam with this person's record, in course order (one query)."""
    now = now or utcnow()
    by_exam: dict[str, list[ExamAttempt]] = {}
    for attempt in attempts_of(session=session, user_id=user_id):
        by_exam.setdefault(attempt.exam_id, []).append(attempt)
    summaries = []
    for spec in exam_specs(catalog):
        attempts = by_exam.get(spec.id, [])
        last_state = attempt_state(attempts[-1], now) if attempts else "not_started"
        scores = [p for p in (percent(a) for a in attempts) if p is not None]
        summaries.append(
            ExamSummary(
                spec=spec,
                attempts=attempts,
                state=last_state,
                passed=any(a.passed for a in attempts),
                best_percent=max(scores) if scores else None,
                retake_from=next_start(spec, attempts, now),
                open_attempt_id=attempts[-1].id if last_state == "open" else None,
            )
        )
    return summaries


@dataclass(frozen=True)
class ExamStatus:
    """What the completion rule reads: which checkpoints are passed, and the final exam."""

    passed_checkpoints: tuple[str, ...]  # exam ids, e.g. "checkpoint-career"
    all_checkpoints: tuple[str, ...]
    final_exam_passed: bool
    final_exam_percent: float | None  # best graded attempt
    #: exam id -> the id of its best passing attempt (evidence a credential may link to)
    passed_attempt_ids: dict[str, int] = field(default_factory=dict)

    @property
    def all_checkpoints_passed(self) -> bool:
        return set(self.all_checkpoints) <= set(self.passed_checkpoints)

    def to_dict(self) -> dict[str, Any]:
        return {
            "passed_checkpoints": list(self.passed_checkpoints),
            "all_checkpoints": list(self.all_checkpoints),
            "all_checkpoints_passed": self.all_checkpoints_passed,
            "final_exam_passed": self.final_exam_passed,
            "final_exam_percent": self.final_exam_percent,
            "passed_attempt_ids": dict(self.passed_attempt_ids),
        }


@lru_cache(maxsize=1)
def _course_catalog() -> Catalog:
    """The course's own catalog: its modules (hence its checkpoints) do not depend on the
    exercises folder a deployment configures."""
    return load_catalog()


def exam_status(session: Session, user_id: int, catalog: Catalog | None = None) -> ExamStatus:
    """Passed checkpoints and whether the final exam is passed: the credential's input.

    ``catalog`` defaults to the course's own (the checkpoints are one per module).
    """
    return exam_statuses(session, [user_id], catalog)[user_id]


def exam_statuses(
    session: Session, user_ids: list[int], catalog: Catalog | None = None
) -> dict[int, ExamStatus]:
    """``exam_status`` for many people in one query (the counselors' readiness views)."""
    every = tuple(s.id for s in exam_specs(catalog or _course_catalog()) if not s.is_final)
    by_user: dict[int, list[ExamAttempt]] = {u: [] for u in user_ids}
    if user_ids:
        query = select(ExamAttempt).where(col(ExamAttempt.user_id).in_(user_ids))
        for attempt in session.exec(query.order_by(col(ExamAttempt.id))).all():
            by_user[attempt.user_id].append(attempt)
    return {u: _status(attempts, every) for u, attempts in by_user.items()}


def _status(attempts: list[ExamAttempt], every: tuple[str, ...]) -> ExamStatus:
    passed = sorted({a.exam_id for a in attempts if a.passed and a.exam_id != FINAL_ID})
    finals = [percent(a) for a in attempts if a.exam_id == FINAL_ID]
    scores = [p for p in finals if p is not None]
    best: dict[str, ExamAttempt] = {}
    for a in attempts:
        if a.passed and a.id is not None:
            held = best.get(a.exam_id)
            if held is None or (a.score or 0) > (held.score or 0):
                best[a.exam_id] = a
    return ExamStatus(
        passed_attempt_ids={k: a.id for k, a in best.items() if a.id is not None},
        passed_checkpoints=tuple(passed),
        all_checkpoints=every,
        final_exam_passed=any(a.passed for a in attempts if a.exam_id == FINAL_ID),
        final_exam_percent=max(scores) if scores else None,
    )
