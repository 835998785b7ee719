"""Reading untrusted JSON-like input with errors that name the offending field.

Submissions come from learners' forms and contexts from the simulator; both arrive as
plain ``dict``/``list`` data. These helpers check one value each and raise
:class:`~grader.errors.SubmissionError` with the field's path, so a malformed input is
refused clearly instead of surfacing later as a crash (which would be a GradingError).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from grader.errors import SubmissionError

#: Longest free text accepted in any field (a cold email body is a few hundred characters).
MAX_TEXT_CHARS = 20_000
#: Longest short text (subject lines, names, ids).
MAX_SHORT_CHARS = 1_000
#: Largest magnitude any number may have: no count, rate or amount in an exercise comes
#: near it, and bounding it keeps every later sum and product finite.
MAX_NUMBER = 1e12


class Reader:
    """Reads fields from one input side (``"submission"`` or ``"context"``) with named errors."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, field: str, message: str) -> SubmissionError:
        return SubmissionError(field, message, source=self.source)

    def mapping(self, value: object, field: str) -> Mapping[str, object]:
        if not isinstance(value, Mapping):
            raise self.fail(field, "must be an object")
        return value

    def optional_mapping(self, value: object, field: str) -> Mapping[str, object]:
        """A mapping, or an empty one when the value is missing or null."""
        return {} if value is None else self.mapping(value, field)

    def sequence(self, value: object, field: str, *, max_items: int = 10_000) -> Sequence[object]:
        if not isinstance(value, list | tuple):
            raise self.fail(field, "must be a list")
        if len(value) > max_items:
            raise self.fail(field, f"must have at most {max_items} items")
        return value

    def text(
        self, value: object, field: str, *, max_chars: int = MAX_TEXT_CHARS, blank: bool = True
    ) -> str:
        if not isinstance(value, str):
            raise self.fail(field, "must be a string")
        if len(value) > max_chars:
            raise self.fail(field, f"must be at most {max_chars:,} characters")
        if not blank and not value.strip():
            raise self.fail(field, "must not be empty")
        return value

    def optional_text(
        self, value: object, field: str, *, max_chars: int = MAX_TEXT_CHARS
    ) -> str | None:
        return None if value is None else self.text(value, field, max_chars=max_chars)

    def text_list(self, value: object, field: str) -> tuple[str, ...]:
        if value is None:
            return ()
        items = self.sequence(value, field, max_items=1_000)
        return tuple(self.text(v, f"{field}[{i}]") for i, v in enumerate(items))

    def choice(self, value: object, field: str, choices: Sequence[str]) -> str:
        if not isinstance(value, str) or value not in choices:
            raise self.fail(field, f"must be one of {', '.join(repr(c) for c in choices)}")
        return value

    def boolean(self, value: object, field: str, *, default: bool | None = None) -> bool:
        if value is None and default is not None:
            return default
        if not isinstance(value, bool):
            raise self.fail(field, "must be true or false")
        return value

    def integer(self, value: object, field: str, *, minimum: int | None = None) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(field, "must be a whole number")
        if abs(value) > MAX_NUMBER:
            raise self.fail(field, f"must be at most {MAX_NUMBER:,.0f} in size")
        if minimum is not None and value < minimum:
            raise self.fail(field, f"must be at least {minimum}")
        return value

    def number(self, value: object, field: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(field, "must be a number")
        if isinstance(value, int) and abs(value) > MAX_NUMBER:
            raise self.fail(field, f"must be at most {MAX_NUMBER:,.0f} in size")
        result = float(value)
        if not math.isfinite(result):
            raise self.fail(field, "must be a finite number")
        if abs(result) > MAX_NUMBER:
            raise self.fail(field, f"must be at most {MAX_NUMBER:,.0f} in size")
        return result

    def optional_number(self, value: object, field: str) -> float | None:
        return None if value is None else self.number(value, field)


SUBMISSION = Reader("submission")
CONTEXT = Reader("context")


def top_level(
    submission: object, context: object
) -> tuple[Mapping[str, object], Mapping[str, object]]:
    """Check the two top-level arguments of ``grade`` are objects (context may be null)."""
    top = Reader("")
    return top.mapping(submission, "submission"), top.optional_mapping(context, "context")
