"""A stored grade as people see it: the grader's checks with counselor overrides folded in.

Overrides never rewrite the grader's result: ``GradeRecord.result`` stays exactly what the
grader said, and each override is a row in an append-only log. The effective points of a
check are those of its latest override; the grade's final score is the latest override's
``score_after``. Keeping both lets a page say "was 4, now 8, because ..." and lets
rescoring carry a counselor's decision over to a new rubric version. Pure functions: no
database, so the same arithmetic serves the override form, the preview and the commit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from leadworks.core.errors import UserError

FAILING_RATIO = 0.5  # a check earning less than half its points counts as failed


class OverrideLike(Protocol):
    """What folding needs from a GradeOverride row (kept abstract for pure tests)."""

    @property
    def check_id(self) -> str | None: ...

    @property
    def points_after(self) -> float: ...


@dataclass(frozen=True)
class CheckView:
    """One check of a grade, with its effective points after any override."""

    id: str
    points: float
    grader_points: float
    possible: float
    verdict: str
    advice: str
    evidence: tuple[dict[str, Any], ...]

    @property
    def overridden(self) -> bool:
        return abs(self.points - self.grader_points) > 1e-9

    @property
    def percent(self) -> float:
        return round(100 * self.points / self.possible, 1) if self.possible else 0.0

    @property
    def failing(self) -> bool:
        return self.points < FAILING_RATIO * self.possible

    @property
    def full_marks(self) -> bool:
        return self.points >= self.possible - 1e-9


@dataclass(frozen=True)
class OverrideStep:
    """The before and after of one override, ready to be written as a GradeOverride."""

    check_id: str | None
    points_before: float
    points_after: float
    score_before: float
    score_after: float


def _checks(result: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {str(c["id"]): c for c in result.get("checks", ())}


def _clamp(value: float, high: float) -> float:
    return round(min(max(value, 0.0), high), 2)


def effective_points(
    result: Mapping[str, Any], overrides: Sequence[OverrideLike]
) -> dict[str, float]:
    """Check id -> points after the overrides (the latest override of a check wins)."""
    points = {cid: float(c["points"]) for cid, c in _checks(result).items()}
    for override in overrides:
        if override.check_id is not None and override.check_id in points:
            points[override.check_id] = float(override.points_after)
    return points


def check_views(result: Mapping[str, Any], overrides: Sequence[OverrideLike]) -> list[CheckView]:
    points = effective_points(result, overrides)
    return [
        CheckView(
            id=cid,
            points=points[cid],
            grader_points=float(c["points"]),
            possible=float(c["possible"]),
            verdict=str(c.get("verdict", "")),
            advice=str(c.get("advice", "")),
            evidence=tuple(c.get("evidence", ())),
        )
        for cid, c in _checks(result).items()
    ]


def plan_override(
    result: Mapping[str, Any],
    overrides: Sequence[OverrideLike],
    *,
    score: float,
    possible: float,
    check_id: str | None,
    points: float,
) -> OverrideStep:
    """Validate an override of the whole grade (``check_id`` None) or of one check."""
    if check_id is None:
        if not 0 <= points <= possible:
            raise UserError(f"The score must be between 0 and {possible:g}.", field="points")
        step = OverrideStep(None, score, round(points, 2), score, round(points, 2))
    else:
        check = _checks(result).get(check_id)
        if check is None:
            raise UserError(f"This grade has no check '{check_id[:60]}'.", field="check_id")
        top = float(check["possible"])
        if not 0 <= points <= top:
            raise UserError(
                f"Points for '{check_id}' must be between 0 and {top:g}.", field="points"
            )
        before = effective_points(result, overrides)[check_id]
        after = round(points, 2)
        moved = _clamp(score + after - before, possible)
        step = OverrideStep(check_id, before, after, score, moved)
    if abs(step.points_after - step.points_before) < 1e-9:
        raise UserError("That is already the score: nothing to change.", field="points")
    return step


def refold(
    result: Mapping[str, Any], overrides: Sequence[OverrideLike], *, possible: float
) -> tuple[list[tuple[OverrideLike, OverrideStep]], list[OverrideLike]]:
    """Apply earlier overrides, in order, to a fresh grader result (rescoring).

    Returns the steps still needed (each with the override it comes from) and the
    overrides that no longer apply because the new rubric has no such check. An override
    the new grade already agrees with needs no step.
    """
    checks = _checks(result)
    score = float(result.get("score", 0.0))
    applied: list[OverrideStep] = []  # steps quack like overrides: check_id, points_after
    steps: list[tuple[OverrideLike, OverrideStep]] = []
    dropped: list[OverrideLike] = []
    for override in overrides:
        if override.check_id is not None and override.check_id not in checks:
            dropped.append(override)
            continue
        cid = override.check_id
        top = possible if cid is None else float(checks[cid]["possible"])
        try:
            step = plan_override(
                result,
                applied,
                score=score,
                possible=possible,
                check_id=override.check_id,
                points=_clamp(float(override.points_after), top),
            )
        except UserError:
            continue  # the new grade already gives what the counselor decided
        steps.append((override, step))
        applied.append(step)
        score = step.score_after
    return steps, dropped
