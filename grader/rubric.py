"""Rubric building blocks shared by every kind: declared checks, awards, gates, skips.

Each kind module declares its checks once, as a tuple of :class:`CheckSpec` (id, points,
what earns them). Scoring code never writes a point value: it decides a *fraction* of the
check earned and :meth:`CheckSpec.award` turns it into points. So the points of a rubric
live in exactly one place, and docs/rubrics.md is tested against that place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from grader.results import Check, Evidence, Grade


@dataclass(frozen=True)
class CheckSpec:
    """A check as declared in a rubric: its id, its points and what earns them."""

    id: str
    points: float
    earns: str

    def award(
        self,
        fraction: float,
        verdict: str,
        advice: str = "",
        evidence: Iterable[Evidence] = (),
    ) -> Check:
        """A check worth ``fraction`` (clamped to 0..1) of this spec's points.

        Advice is dropped at full marks, so "" always means "nothing to change".
        """
        fraction = min(1.0, max(0.0, fraction))
        points = round(self.points * fraction, 2)
        full = points >= self.points
        return Check(self.id, points, self.points, verdict, "" if full else advice, tuple(evidence))


def specs_by_id(specs: Sequence[CheckSpec]) -> Mapping[str, CheckSpec]:
    """Index a rubric's specs by id, refusing duplicates (a rubric bug)."""
    index = {s.id: s for s in specs}
    if len(index) != len(specs):
        raise ValueError("duplicate check id in rubric")
    return index


@dataclass(frozen=True)
class Gate:
    """A failure so serious that other checks are not credited (e.g. ``{{first_name}}`` left in).

    The gated checks still show what they would have earned, so the learner sees both the
    reason and the size of the loss.
    """

    reason: str
    advice: str
    evidence: tuple[Evidence, ...] = ()

    def apply(self, check: Check) -> Check:
        if check.points == 0:
            verdict = f"Not credited: {self.reason}."
        else:
            verdict = (
                f"Not credited: {self.reason} "
                f"(on its own this part would earn {check.points:g}/{check.possible:g})."
            )
        return Check(check.id, 0.0, check.possible, verdict, self.advice, self.evidence)


@dataclass
class GradeBuilder:
    """Collects checks and skips in rubric order, then freezes them into a :class:`Grade`."""

    rubric_id: str
    rubric_version: str
    kind: str
    specs: Sequence[CheckSpec]
    checks: dict[str, Check] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    parts: list[Grade] = field(default_factory=list)

    def add(self, check: Check) -> None:
        self.checks[check.id] = check

    def skip(self, check_id: str, reason: str) -> None:
        self.skipped[check_id] = reason

    def gate(self, gate: Gate, check_ids: Iterable[str]) -> None:
        for check_id in check_ids:
            if check_id in self.checks:
                self.checks[check_id] = gate.apply(self.checks[check_id])

    def build(self) -> Grade:
        order = [s.id for s in self.specs]
        extra = [i for i in self.checks if i not in order]
        checks = tuple(self.checks[i] for i in order + extra if i in self.checks)
        skipped = tuple((i, self.skipped[i]) for i in order + extra if i in self.skipped)
        return Grade(
            self.rubric_id, self.rubric_version, self.kind, checks, skipped, tuple(self.parts)
        )


def band(value: float, bands: Sequence[tuple[float, float]], above: float = 0.0) -> float:
    """The fraction of the first ``(limit, fraction)`` band whose limit ``value`` does not
    exceed; ``above`` past the last band."""
    for limit, fraction in bands:
        if value <= limit:
            return fraction
    return above


def ratio_text(numerator: int, denominator: int) -> str:
    """``"3 of 4 (75%)"``: counts first, so learners can check the arithmetic."""
    if denominator == 0:
        return "0 of 0"
    return f"{numerator} of {denominator} ({100 * numerator / denominator:.0f}%)"


def nest_evidence(evidence: Evidence, prefix: str) -> Evidence:
    """``body`` -> ``steps[1].body``: evidence of a part, seen from the whole submission."""
    return evidence.moved_to(f"{prefix}.{evidence.field}") if evidence.is_span else evidence


def nest_grade(grade: Grade, prefix: str) -> Grade:
    """The same grade with every span's field path put under ``prefix``."""
    checks = tuple(
        replace(c, evidence=tuple(nest_evidence(e, prefix) for e in c.evidence))
        for c in grade.checks
    )
    return replace(grade, checks=checks)
