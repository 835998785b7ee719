"""The one place the platform calls the grader.

The grader keeps three failures apart and so do we: weak work is a Grade (stored and
shown), a malformed submission is the learner's to fix (a 422 naming the field), and a
fault inside the grader is ours (logged, a 500 with a reference, never a zero).

The grade context of a practice run is built here too (``grading_input_with_work``): the
simulator's context plus the facts about the run (``work.py``), so every grade includes
what the learner achieved in the run, not only the form of what they handed in.
"""

from __future__ import annotations

import logging
from typing import Any

from grader import Grade, GradingError, SubmissionError, grade
from leadworks.core.errors import UserError
from leadworks.submissions.work import grading_input_with_work

__all__ = ["InvalidSubmission", "grade_submission", "grading_input_with_work"]

log = logging.getLogger("leadworks.grading")


class InvalidSubmission(UserError):
    status_code = 422


def grade_submission(kind: str, submission: dict[str, Any], context: dict[str, Any]) -> Grade:
    """Grade, translating a malformed submission into a message for the learner."""
    try:
        return grade(kind, submission, context)
    except SubmissionError as error:
        raise InvalidSubmission(str(error), field=getattr(error, "field", None)) from None
    except GradingError:
        log.exception("grader fault on a %s submission", kind)
        raise
