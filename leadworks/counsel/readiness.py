"""Career readiness: the learner's own view of their skills, beside what their scores show.

Why side by side: a counselor preparing someone for job applications needs to see where
confidence and evidence disagree. Each self-assessed skill maps to the grader checks that
exercise it; the evidence is the share of those checks' points earned in the learner's
latest attempt at each exercise, put on the same 1-5 scale as the self-rating.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from course.catalog import Catalog
from leadworks.counsel.learner import Attempt, best_per_exercise, latest_per_exercise
from leadworks.progress.models import LearnerProfile
from leadworks.progress.service import CERTIFICATIONS, INDUSTRIES, SKILLS

SKILL_CHECKS: dict[str, tuple[str, ...]] = {
    "communication": (
        "greeting",
        "readability",
        "length",
        "call_to_action",
        "prospect_focus",
        "message_quality",
    ),
    "research": ("personalization", "relevance", "fit_precision", "decision_makers"),
    "time_management": ("spacing", "touches", "stop_rules"),
    "digital_tools": ("duplicates", "contact_data", "stage_counts", "coverage"),
    "resilience": ("touches", "new_angle"),
    "analysis": (
        "conversion_rates",
        "reply_rates",
        "costs",
        "drop_off",
        "recommendation",
        "criteria_accuracy",
        "decision_accuracy",
    ),
}
GAP = 2  # levels apart before the page points at a mismatch


@dataclass(frozen=True)
class SkillEvidence:
    key: str
    label: str
    self_rating: int | None
    percent: float | None
    checks_seen: int

    @property
    def level(self) -> int | None:
        """The evidence on the self-assessment's 1-5 scale."""
        if self.percent is None:
            return None
        return max(1, min(5, math.ceil(self.percent / 20)))

    @property
    def gap(self) -> str:
        if self.self_rating is None or self.level is None:
            return ""
        if self.self_rating - self.level >= GAP:
            return "rates themself higher than their scores show"
        if self.level - self.self_rating >= GAP:
            return "scores better than they think"
        return ""


@dataclass(frozen=True)
class IndustryFit:
    key: str
    label: str
    exercises: list[tuple[str, float | None]]  # (exercise title, best percent)


@dataclass(frozen=True)
class Readiness:
    skills: list[SkillEvidence]
    industries: list[IndustryFit]
    certifications: list[str]
    goal: str
    updated: bool  # whether the learner has filled the self-assessment in at all


def readiness(
    *, profile: LearnerProfile | None, attempts: list[Attempt], catalog: Catalog
) -> Readiness:
    """Self-assessment and score evidence, skill by skill and industry by industry."""
    earned: dict[str, list[float]] = {}
    for attempt in latest_per_exercise(attempts).values():
        for check in attempt.feedback.checks:
            earned.setdefault(check.id, []).append(check.points / check.possible)
    skills = []
    for key, label in SKILLS.items():
        ratios = [r for cid in SKILL_CHECKS.get(key, ()) for r in earned.get(cid, [])]
        percent = round(100 * sum(ratios) / len(ratios), 1) if ratios else None
        rating = (profile.skills or {}).get(key) if profile else None
        skills.append(SkillEvidence(key, label.split(":")[0], rating, percent, len(ratios)))
    best = best_per_exercise(attempts)
    industries = []
    for key in profile.target_industries if profile else []:
        matching = [
            (exercise.title, best.get(exercise_id))
            for exercise_id, exercise in sorted(catalog.exercises.items())
            if exercise.spec.industry == key
        ]
        industries.append(IndustryFit(key, INDUSTRIES.get(key, key), matching))
    certifications = [
        CERTIFICATIONS.get(c, c) for c in (profile.planned_certifications if profile else [])
    ]
    return Readiness(
        skills=skills,
        industries=industries,
        certifications=certifications,
        goal=profile.goal if profile else "",
        updated=bool(profile and (profile.skills or profile.target_industries or profile.goal)),
    )
