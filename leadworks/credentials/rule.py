"""The published completion rule: the parts a learner must meet to earn the certificate.

Each part is a small function of (session, learner, catalog, settings) that answers whether
it is met and with what evidence, so the certificate, the learner's page and the
counselors' readiness views all read the same answer. Which parts are in force is a setting
(``LEADWORKS_CREDENTIAL_RULE``); the default is the whole rule of issue #17.

Checkpoints and the final exam are read from ``leadworks.exams`` (``exam_status``). A part
the platform cannot check (the mock interview, when a deployment's course has no
``interview`` exercise) reports "not available yet" and is never met, so nobody is
certified for work nobody could check. The capstone and the mock interview are each read
from the learner's best current grade on their exercises, against their own pass mark
(``capstone_pass_percent``, ``interview_pass_percent``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from course.catalog import Catalog
from leadworks.core.config import Settings
from leadworks.counsel.overview import LOW_ACTIVITY
from leadworks.exams.service import ExamStatus, exam_statuses
from leadworks.progress.models import LessonCompletion
from leadworks.submissions.models import GradeRecord, Submission


@dataclass(frozen=True)
class Evidence:
    text: str
    submission_id: int | None = None  # a graded hand-in behind this evidence


@dataclass(frozen=True)
class PartStatus:
    key: str
    label: str
    criteria: str
    met: bool
    available: bool
    evidence: tuple[Evidence, ...] = ()

    @property
    def state(self) -> str:
        """met | missing | unavailable (for the badges pages show)."""
        if not self.available:
            return "unavailable"
        return "met" if self.met else "missing"


Graded = tuple[Submission, GradeRecord]


@dataclass(frozen=True)
class Records:
    """What the rule reads, fetched for many learners at once (three queries in all)."""

    done: dict[int, set[str]]
    graded: dict[int, list[Graded]]
    exams: dict[int, ExamStatus]
    modules: list[tuple[str, list[str]]]  # (title, lesson ids), read from the catalog once


@dataclass(frozen=True)
class RuleInputs:
    session: Session
    user_id: int
    catalog: Catalog
    settings: Settings
    records: Records


@dataclass(frozen=True)
class RulePart:
    key: str
    label: str
    criteria: str  # the published wording (the certificate's criteria narrative uses it)
    check: Callable[[RuleInputs, RulePart], PartStatus] = field(repr=False)

    def status(self, inputs: RuleInputs) -> PartStatus:
        return self.check(inputs, self)


@dataclass(frozen=True)
class RuleResult:
    parts: tuple[PartStatus, ...]

    @property
    def met(self) -> bool:
        return bool(self.parts) and all(part.met for part in self.parts)

    def part(self, key: str) -> PartStatus | None:
        return next((p for p in self.parts if p.key == key), None)


def _unavailable(part: RulePart, why: str) -> PartStatus:
    return PartStatus(
        part.key, part.label, part.criteria, False, False, (Evidence(f"Not available yet: {why}"),)
    )


def _lessons(inputs: RuleInputs, part: RulePart) -> PartStatus:
    done = inputs.records.done.get(inputs.user_id, set())
    evidence = []
    modules_done = 0
    lesson_ids: set[str] = set()
    for title, ids in inputs.records.modules:
        lesson_ids.update(ids)
        finished = sum(1 for i in ids if i in done)
        modules_done += finished == len(ids)
        if finished < len(ids):
            evidence.append(Evidence(f"{title}: {finished} of {len(ids)} lessons"))
    total = len(lesson_ids)
    count = len(lesson_ids & done)
    summary = Evidence(
        f"{modules_done} of {len(inputs.records.modules)} modules complete "
        f"({count} of {total} lessons)"
    )
    return PartStatus(
        part.key, part.label, part.criteria, count == total > 0, True, (summary, *evidence[:3])
    )


def _best_graded(
    inputs: RuleInputs, exercise_ids: list[str], min_actions: int | None
) -> Graded | None:
    """The learner's best current grade on these exercises (with enough real work)."""
    rows = [
        r
        for r in inputs.records.graded.get(inputs.user_id, [])
        if r[0].exercise_id in exercise_ids
        and (min_actions is None or (r[0].actions or 0) >= min_actions)
    ]
    if not rows:
        return None
    return max(rows, key=lambda r: (percent(r[1]), r[0].id or 0))


def percent(grade: GradeRecord) -> float:
    return round(100 * grade.final_score / grade.possible, 1) if grade.possible else 0.0


def _graded_part(
    inputs: RuleInputs,
    part: RulePart,
    exercise_ids: list[str],
    min_actions: int | None,
    threshold: float,
) -> PartStatus:
    best = _best_graded(inputs, exercise_ids, min_actions)
    if best is None:
        work = f" after at least {min_actions} actions in its run" if min_actions else ""
        return PartStatus(
            part.key, part.label, part.criteria, False, True, (Evidence(f"No hand-in{work} yet"),)
        )
    submission, grade = best
    pct = percent(grade)
    actions = f", {submission.actions} actions in the run" if submission.actions else ""
    text = (
        f"{inputs.catalog.exercise_title(submission.exercise_id)}, handed in "
        f"{submission.created_at:%Y-%m-%d}: {grade.final_score:g} of {grade.possible:g} "
        f"({pct:g}%, {threshold:g}% needed){actions}"
    )
    evidence = (Evidence(text, submission_id=submission.id),)
    return PartStatus(part.key, part.label, part.criteria, pct >= threshold, True, evidence)


def _capstone(inputs: RuleInputs, part: RulePart) -> PartStatus:
    exercise = inputs.settings.capstone_exercise
    if exercise not in inputs.catalog.exercises:
        return _unavailable(part, f"the course has no capstone exercise '{exercise}'.")
    return _graded_part(
        inputs, part, [exercise], LOW_ACTIVITY, inputs.settings.capstone_pass_percent
    )


def _mock_interview(inputs: RuleInputs, part: RulePart) -> PartStatus:
    ids = _interview_exercises(inputs.catalog)
    if not ids:
        return _unavailable(part, "the course has no mock interview exercise yet.")
    return _graded_part(inputs, part, ids, None, inputs.settings.interview_pass_percent)


def _interview_exercises(catalog: Catalog) -> list[str]:
    return [
        ex.id for ex in catalog.exercises.values() if getattr(ex.spec, "kind", None) == "interview"
    ]


def _checkpoints(inputs: RuleInputs, part: RulePart) -> PartStatus:
    status = inputs.records.exams[inputs.user_id]
    missing = [c for c in status.all_checkpoints if c not in status.passed_checkpoints]
    evidence = [
        Evidence(
            f"{len(status.all_checkpoints) - len(missing)} of {len(status.all_checkpoints)}"
            " module checkpoints passed"
        )
    ]
    evidence += [Evidence(f"Not passed yet: {c}") for c in missing[:3]]
    met = bool(status.all_checkpoints) and status.all_checkpoints_passed
    return PartStatus(part.key, part.label, part.criteria, met, True, tuple(evidence))


def _final_exam(inputs: RuleInputs, part: RulePart) -> PartStatus:
    status = inputs.records.exams[inputs.user_id]
    best = status.final_exam_percent
    text = (
        "Not attempted yet"
        if best is None
        else f"Best attempt {best:.0f}%" + (" (passed)" if status.final_exam_passed else "")
    )
    return PartStatus(
        part.key, part.label, part.criteria, status.final_exam_passed, True, (Evidence(text),)
    )


PARTS: tuple[RulePart, ...] = (
    RulePart(
        "lessons",
        "Modules",
        "Every lesson of every module of the course marked complete.",
        _lessons,
    ),
    RulePart(
        "checkpoints",
        "Checkpoints",
        "The checkpoint of every module passed.",
        _checkpoints,
    ),
    RulePart(
        "final_exam",
        "Final exam",
        "The final exam passed.",
        _final_exam,
    ),
    RulePart(
        "capstone",
        "Capstone",
        "The 30-day capstone campaign handed in after real work in the simulator "
        f"(at least {LOW_ACTIVITY} actions in the run) and graded at or above the pass mark.",
        _capstone,
    ),
    RulePart(
        "mock_interview",
        "Mock interview",
        "A mock SDR interview in the conversation practice (questions, then a mock cold"
        " call) graded on the interview rubric at or above the pass mark.",
        _mock_interview,
    ),
)
PART_KEYS = tuple(part.key for part in PARTS)


def parts_in_force(settings: Settings) -> tuple[RulePart, ...]:
    """The rule's parts this deployment requires, in the published order."""
    unknown = set(settings.credential_rule) - set(PART_KEYS)
    if unknown:
        raise ValueError(f"LEADWORKS_CREDENTIAL_RULE names unknown parts: {sorted(unknown)}")
    return tuple(part for part in PARTS if part.key in settings.credential_rule)


def load_records(
    *, session: Session, user_ids: list[int], catalog: Catalog, settings: Settings
) -> Records:
    """Lessons done and current grades on the rule's graded exercises, for all learners."""
    done: dict[int, set[str]] = {u: set() for u in user_ids}
    graded: dict[int, list[Graded]] = {u: [] for u in user_ids}
    modules = [(m.short_title, [x.id for x in catalog.lessons(m.slug)]) for m in catalog.modules()]
    exams = exam_statuses(session, user_ids, catalog)
    if not user_ids:
        return Records(done, graded, exams, modules)
    for user_id, lesson_id in session.exec(
        select(LessonCompletion.user_id, LessonCompletion.lesson_id).where(
            col(LessonCompletion.user_id).in_(user_ids)
        )
    ).all():
        done[user_id].add(lesson_id)
    exercises = [settings.capstone_exercise, *_interview_exercises(catalog)]
    for submission, grade in session.exec(
        select(Submission, GradeRecord)
        .join(GradeRecord, col(GradeRecord.submission_id) == Submission.id)
        .where(
            col(Submission.user_id).in_(user_ids),
            col(Submission.exercise_id).in_(exercises),
            col(GradeRecord.is_current).is_(True),
        )
    ).all():
        graded[submission.user_id].append((submission, grade))
    return Records(done, graded, exams, modules)


def evaluate_many(
    *, session: Session, user_ids: list[int], catalog: Catalog, settings: Settings
) -> dict[int, RuleResult]:
    """The rule for many learners in a fixed number of queries (the readiness views)."""
    parts = parts_in_force(settings)
    records = load_records(session=session, user_ids=user_ids, catalog=catalog, settings=settings)
    return {
        user_id: RuleResult(
            tuple(p.status(RuleInputs(session, user_id, catalog, settings, records)) for p in parts)
        )
        for user_id in user_ids
    }


def evaluate(*, session: Session, user_id: int, catalog: Catalog, settings: Settings) -> RuleResult:
    """Which parts of the rule this learner meets, with the evidence for each."""
    return evaluate_many(session=session, user_ids=[user_id], catalog=catalog, settings=settings)[
        user_id
    ]


def describe(settings: Settings) -> list[dict[str, str]]:
    """The rule as published (label and criteria of each part in force)."""
    return [
        {"key": p.key, "label": p.label, "criteria": p.criteria} for p in parts_in_force(settings)
    ]
