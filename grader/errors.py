"""The two ways grading can fail, kept apart from a low score.

Weak work is never an error: it gets a low score with feedback. A *malformed* submission
(wrong type, missing field, unknown kind) raises :class:`SubmissionError`, which names the
field so a form or the CLI can point at it. A fault inside the grader raises
:class:`GradingError`; callers must show it as an internal error, never as a zero.
"""

from __future__ import annotations


class GraderError(Exception):
    """Base class, so callers can catch both failures in one clause when they must."""


class SubmissionError(GraderError, ValueError):
    """The input cannot be graded as given.

    ``field`` is a path relative to ``source``: ``"body"``, ``"steps[2].delay_days"`` or
    ``"leads[3].decision"``. ``source`` is ``"submission"`` (the learner's work),
    ``"context"`` (what the caller supplied about the exercise) or ``""`` for top-level
    fields such as ``kind``. ``location`` joins the two, e.g. ``"submission.body"``.
    """

    def __init__(self, field: str, message: str, *, source: str = "submission") -> None:
        self.field = field
        self.message = message
        self.source = source
        super().__init__(f"{self.location}: {message}")

    @property
    def location(self) -> str:
        """The full path of the offending field, as shown to people."""
        return f"{self.source}.{self.field}" if self.source else self.field

    def within(self, prefix: str) -> SubmissionError:
        """The same error, with its field nested under ``prefix`` (``"steps[1]"``)."""
        return SubmissionError(f"{prefix}.{self.field}", self.message, source=self.source)


class GradingError(GraderError, RuntimeError):
    """The grader itself broke: a bug to log and fix, never the learner's fault."""

    def __init__(self, kind: str, message: str) -> None:
        self.kind = kind
        self.message = message
        super().__init__(f"internal error while grading {kind!r}: {message}")
