"""Leadworks grader: deterministic, explainable scoring of lead-generation exercises.

    from grader import grade
    result = grade("outreach", {"channel": "email", "subject": "...", "body": "..."}, context)
    result.score, result.possible, result.checks[0].verdict

Pure Python: no web framework, database or simulator imports (a test enforces it).
"""

import logging

from grader.errors import GradingError, SubmissionError
from grader.registry import KINDS, RUBRIC_VERSIONS, grade
from grader.results import Check, Evidence, Grade

logging.getLogger("grader").addHandler(logging.NullHandler())

__all__ = [
    "KINDS",
    "RUBRIC_VERSIONS",
    "Check",
    "Evidence",
    "Grade",
    "GradingError",
    "SubmissionError",
    "grade",
]
