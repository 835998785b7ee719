"""The learner's true figures (kept in ``leadworks.practice.figures``, where the practice
hand-in of a mock interview reads them too; the career pages import them from here)."""

from leadworks.practice.figures import (
    CAREER_EXERCISES,
    LABELS,
    learner_figures,
    submitted_run_ids,
)

__all__ = ["CAREER_EXERCISES", "LABELS", "learner_figures", "submitted_run_ids"]
