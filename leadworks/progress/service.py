"""Course progress: completing lessons, recording quiz attempts, the self-assessment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from course.catalog import Catalog
from course.vocabulary import INDUSTRIES
from leadworks.accounts.models import User
from leadworks.core.errors import NotFound, UserError
from leadworks.core.timeutil import utcnow
from leadworks.progress.models import LearnerProfile, LessonCompletion, QuizAttempt
from leadworks.submissions.grading import grade_submission

SKILLS: dict[str, str] = {
    "communication": "Communication: clear writing and confident calls",
    "research": "Prospect research against an ideal customer profile",
    "time_management": "Time management and prioritising a daily plan",
    "digital_tools": "Digital tools: CRM, email, LinkedIn, spreadsheets",
    "resilience": "Handling rejection and repetition",
    "analysis": "Reading metrics and reporting to a manager",
}
CERTIFICATIONS: dict[str, str] = {
    "google_analytics": "Google Analytics certification (Skillshop)",
    "hubspot": "HubSpot Academy certification",
    "meta_dma": "Meta Certified Digital Marketing Associate",
    "omcp": "OMCP Online Marketing Certified Associate",
}
MAX_ANSWERS_BYTES = 20_000


def _lesson_or_404(catalog: Catalog, lesson_id: str) -> None:
    try:
        catalog.lesson(lesson_id)
    except KeyError:
        raise NotFound(f"There is no lesson with id '{lesson_id[:100]}'.") from None


@dataclass(frozen=True)
class LessonStatus:
    lesson_id: str
    completed: bool
    completed_at: str | None
    quiz: dict[str, Any] | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "lesson_id": self.lesson_id,
            "completed": self.completed,
            "completed_at": self.completed_at,
            "quiz": self.quiz,
        }


def lesson_status(
    *, session: Session, user: User, catalog: Catalog, lesson_id: str
) -> LessonStatus:
    """Whether the lesson is done and the best quiz result so far."""
    _lesson_or_404(catalog, lesson_id)
    done = session.exec(
        select(LessonCompletion).where(
            LessonCompletion.user_id == user.id, LessonCompletion.lesson_id == lesson_id
        )
    ).first()
    attempts = session.exec(
        select(QuizAttempt.score, QuizAttempt.possible).where(
            QuizAttempt.user_id == user.id, QuizAttempt.lesson_id == lesson_id
        )
    ).all()
    quiz = None
    if attempts:
        best = max(attempts, key=lambda row: row[0] / row[1] if row[1] else 0)
        quiz = {"score": best[0], "possible": best[1], "attempts": len(attempts)}
    return LessonStatus(
        lesson_id=lesson_id,
        completed=done is not None,
        completed_at=done.completed_at.isoformat() if done else None,
        quiz=quiz,
    )


def mark_complete(
    *, session: Session, user: User, catalog: Catalog, lesson_id: str
) -> LessonStatus:
    """Record the lesson as done; doing it twice keeps the first date."""
    _lesson_or_404(catalog, lesson_id)
    exists = session.exec(
        select(LessonCompletion.id).where(
            LessonCompletion.user_id == user.id, LessonCompletion.lesson_id == lesson_id
        )
    ).first()
    if exists is None:
        assert user.id is not None
        session.add(LessonCompletion(user_id=user.id, lesson_id=lesson_id))
        session.commit()
    return lesson_status(session=session, user=user, catalog=catalog, lesson_id=lesson_id)


def record_quiz(
    *, session: Session, user: User, catalog: Catalog, lesson_id: str, answers: Any
) -> QuizAttempt:
    """Grade a quiz attempt on the server and keep it, whatever the score."""
    _lesson_or_404(catalog, lesson_id)
    if not isinstance(answers, dict):
        raise UserError("'answers' must be an object of question id to answer.", field="answers")
    if len(repr(answers)) > MAX_ANSWERS_BYTES:
        raise UserError("The answers are too long to be a quiz attempt.", field="answers")
    grade = grade_submission("quiz", {"answers": answers}, {"quiz": catalog.quiz(lesson_id)})
    assert user.id is not None
    attempt = QuizAttempt(
        user_id=user.id,
        lesson_id=lesson_id,
        answers=answers,
        score=grade.score,
        possible=grade.possible,
        rubric_version=str(grade.rubric_version),
        grade=grade.to_dict(),
    )
    session.add(attempt)
    session.commit()
    return attempt


@dataclass(frozen=True)
class ModuleProgress:
    slug: str
    title: str
    lessons: list[dict[str, Any]]
    done: int
    total: int
    quiz_average: float | None  # percent, over the lessons with an attempt


def course_progress(*, session: Session, user_id: int, catalog: Catalog) -> list[ModuleProgress]:
    """Every module with each lesson's status, in two queries whatever the course size."""
    done = {
        row.lesson_id: row.completed_at
        for row in session.exec(select(LessonCompletion).where(LessonCompletion.user_id == user_id))
    }
    best: dict[str, tuple[float, float, int]] = {}
    rows = session.exec(
        select(
            QuizAttempt.lesson_id,
            func.max(QuizAttempt.score / func.nullif(QuizAttempt.possible, 0)),
            func.max(QuizAttempt.possible),
            func.count(),
        )
        .where(QuizAttempt.user_id == user_id)
        .group_by(QuizAttempt.lesson_id)
    ).all()
    for lesson_id, ratio, possible, count in rows:
        best[lesson_id] = (float(ratio or 0.0), float(possible or 0.0), int(count))
    modules = []
    for module in catalog.modules():
        lessons = []
        ratios = []
        for lesson in catalog.lessons(module.slug):
            quiz = best.get(lesson.id)
            if quiz:
                ratios.append(quiz[0])
            lessons.append(
                {
                    "id": lesson.id,
                    "title": lesson.title,
                    "url": "/course/" + lesson.url,
                    "minutes": lesson.minutes,
                    "completed_at": done.get(lesson.id),
                    "quiz_percent": round(quiz[0] * 100) if quiz else None,
                    "quiz_attempts": quiz[2] if quiz else 0,
                }
            )
        modules.append(
            ModuleProgress(
                slug=module.slug,
                title=module.title,
                lessons=lessons,
                done=sum(1 for x in lessons if x["completed_at"]),
                total=len(lessons),
                quiz_average=round(100 * sum(ratios) / len(ratios), 1) if ratios else None,
            )
        )
    return modules


def get_profile(*, session: Session, user: User) -> LearnerProfile:
    profile = session.get(LearnerProfile, user.id)
    assert user.id is not None
    return profile or LearnerProfile(user_id=user.id)


def save_profile(
    *,
    session: Session,
    user: User,
    skills: dict[str, Any],
    target_industries: list[str],
    planned_certifications: list[str],
    goal: str = "",
) -> LearnerProfile:
    """Validate every field first, then write once."""
    clean_skills: dict[str, int] = {}
    for key, value in skills.items():
        if key not in SKILLS:
            raise UserError(f"Unknown skill '{key[:40]}'.", field=f"skills.{key[:40]}")
        try:
            level = int(value)
        except (TypeError, ValueError):
            raise UserError("Rate each skill from 1 to 5.", field=f"skills.{key}") from None
        if not 1 <= level <= 5:
            raise UserError("Rate each skill from 1 to 5.", field=f"skills.{key}")
        clean_skills[key] = level
    for name, chosen, allowed in (
        ("target_industries", target_industries, INDUSTRIES),
        ("planned_certifications", planned_certifications, CERTIFICATIONS),
    ):
        unknown = [x for x in chosen if x not in allowed]
        if unknown:
            raise UserError(f"Unknown choice '{unknown[0][:40]}'.", field=name)
    if len(goal) > 1000:
        raise UserError("Keep the goal under 1,000 characters.", field="goal")
    profile = get_profile(session=session, user=user)
    profile.skills = clean_skills
    profile.target_industries = list(dict.fromkeys(target_industries))
    profile.planned_certifications = list(dict.fromkeys(planned_certifications))
    profile.goal = goal.strip()
    profile.updated_at = utcnow()
    session.add(profile)
    session.commit()
    return profile


def quiz_attempts(
    *, session: Session, user_id: int, lesson_id: str | None = None
) -> list[QuizAttempt]:
    query = select(QuizAttempt).where(QuizAttempt.user_id == user_id)
    if lesson_id:
        query = query.where(QuizAttempt.lesson_id == lesson_id)
    return list(session.exec(query.order_by(col(QuizAttempt.created_at).desc())).all())
