"""Grades as plain, frozen data: what was scored, why, and where in the learner's text.

A :class:`Grade` is the only thing the grader returns. It is immutable, compares by value,
and round-trips through JSON (``Grade.from_dict(g.to_dict()) == g``), so a stored grade can
be shown again, years later, exactly as it was given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

_EPSILON = 1e-9


@dataclass(frozen=True)
class Evidence:
    """What a check looked at: a quoted span of a submission field, or some record ids.

    A span names ``field`` (a path into the submission such as ``"body"`` or
    ``"steps[1].body"``) and character offsets so that
    ``submission[field][start:end] == quote``. Record evidence lists ``record_ids``
    (contact ids, figure names, step indexes) instead. Either may carry a short ``note``.
    """

    field: str | None = None
    start: int | None = None
    end: int | None = None
    quote: str | None = None
    record_ids: tuple[str, ...] = ()
    note: str = ""

    @classmethod
    def span(cls, field: str, text: str, start: int, end: int, note: str = "") -> Evidence:
        """Quote ``text[start:end]`` from the named field."""
        return cls(field=field, start=start, end=end, quote=text[start:end], note=note)

    @classmethod
    def records(cls, record_ids: Sequence[str], note: str = "") -> Evidence:
        """Point at records (contact ids, figures, steps) rather than text."""
        return cls(record_ids=tuple(record_ids), note=note)

    @property
    def is_span(self) -> bool:
        return self.field is not None

    def moved_to(self, field: str) -> Evidence:
        """The same span under a longer path (used when a grade is nested in another)."""
        if not self.is_span:
            return self
        return Evidence(field, self.start, self.end, self.quote, self.record_ids, self.note)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any]
        if self.is_span:
            data = {"field": self.field, "start": self.start, "end": self.end, "quote": self.quote}
        else:
            data = {"record_ids": list(self.record_ids)}
        if self.note:
            data["note"] = self.note
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Evidence:
        note = str(data.get("note", ""))
        if "field" in data:
            return cls(
                field=str(data["field"]),
                start=int(data["start"]),
                end=int(data["end"]),
                quote=str(data["quote"]),
                note=note,
            )
        return cls(record_ids=tuple(str(r) for r in data.get("record_ids", ())), note=note)


@dataclass(frozen=True)
class Check:
    """One scored criterion: points earned out of possible, a verdict and one piece of advice.

    ``advice`` is empty when the check earned full marks; otherwise it is one concrete
    sentence saying what to change.
    """

    id: str
    points: float
    possible: float
    verdict: str
    advice: str = ""
    evidence: tuple[Evidence, ...] = ()

    def __post_init__(self) -> None:
        # Always floats, so a grade serialises the same before and after a JSON round trip.
        object.__setattr__(self, "points", float(self.points))
        object.__setattr__(self, "possible", float(self.possible))
        # Verdict and advice are one line each, even when they quote multi-line text.
        for name in ("verdict", "advice"):
            value = getattr(self, name)
            if "\n" in value or "\r" in value:
                object.__setattr__(self, name, " ".join(value.split()))
        if self.possible <= 0:
            raise ValueError(f"check {self.id!r}: possible must be positive")
        if not -_EPSILON <= self.points <= self.possible + _EPSILON:
            raise ValueError(f"check {self.id!r}: {self.points} is outside 0..{self.possible}")

    @property
    def full_marks(self) -> bool:
        return self.points >= self.possible - _EPSILON

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "points": self.points,
            "possible": self.possible,
            "verdict": self.verdict,
            "advice": self.advice,
            "evidence": [e.to_dict() for e in self.evidence],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Check:
        return cls(
            id=str(data["id"]),
            points=float(data["points"]),
            possible=float(data["possible"]),
            verdict=str(data["verdict"]),
            advice=str(data.get("advice", "")),
            evidence=tuple(Evidence.from_dict(e) for e in data.get("evidence", ())),
        )


@dataclass(frozen=True)
class Grade:
    """The result of grading one submission against one version of one rubric.

    ``skipped`` lists ``(check_id, reason)`` for checks the context did not allow (they
    count neither for nor against). ``parts`` holds nested grades, e.g. the outreach grade
    of every step of a sequence.
    """

    rubric_id: str
    rubric_version: str
    kind: str
    checks: tuple[Check, ...]
    skipped: tuple[tuple[str, str], ...] = ()
    parts: tuple[Grade, ...] = ()

    def __post_init__(self) -> None:
        ids = [c.id for c in self.checks] + [s[0] for s in self.skipped]
        if len(ids) != len(set(ids)):
            raise ValueError(f"grade {self.rubric_id!r}: check ids must be unique: {ids}")

    @property
    def score(self) -> float:
        return round(sum(c.points for c in self.checks), 2)

    @property
    def possible(self) -> float:
        return round(sum(c.possible for c in self.checks), 2)

    @property
    def percent(self) -> float:
        """Score as a percentage of what was possible (0.0 when nothing was possible)."""
        return round(100 * self.score / self.possible, 1) if self.possible else 0.0

    def check(self, check_id: str) -> Check:
        """The check with this id (KeyError when it was skipped or does not exist)."""
        for c in self.checks:
            if c.id == check_id:
                return c
        raise KeyError(check_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "rubric_id": self.rubric_id,
            "rubric_version": self.rubric_version,
            "score": self.score,
            "possible": self.possible,
            "percent": self.percent,
            "checks": [c.to_dict() for c in self.checks],
            "skipped": [{"id": i, "reason": r} for i, r in self.skipped],
            "parts": [p.to_dict() for p in self.parts],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Grade:
        """Rebuild a stored grade; ``score``, ``possible`` and ``percent`` are recomputed."""
        skipped = tuple(_skipped_entry(s) for s in data.get("skipped", ()))
        return cls(
            rubric_id=str(data["rubric_id"]),
            rubric_version=str(data["rubric_version"]),
            kind=str(data["kind"]),
            checks=tuple(Check.from_dict(c) for c in data["checks"]),
            skipped=skipped,
            parts=tuple(Grade.from_dict(p) for p in data.get("parts", ())),
        )


def _skipped_entry(entry: Any) -> tuple[str, str]:
    """Accept both the stored object form and a bare ``[id, reason]`` pair."""
    if isinstance(entry, Mapping):
        return (str(entry["id"]), str(entry["reason"]))
    check_id, reason = entry
    return (str(check_id), str(reason))
