"""Pipeline-report rubric: the learner's figures against the ones derived from the event log,
and a written analysis that finds the biggest drop-off and recommends something concrete.

Definitions (shared/research/domain.md, section 4): conversion rate = advanced to the next
stage / entered the stage x 100; reply rate = people who replied on a channel / people
reached on it x 100 (per person, as simulator.metrics computes it); cost per lead = spend /
new leads; cost per acquisition = spend / closed deals. Rates are compared in percentage
points, counts and costs relatively (``context.tolerance``). The biggest drop-off is the
stage transition with the lowest conversion rate; transitions within the rate tolerance of
it count as ties.

Version 2 adds the SDR's own results (course/glossary.yaml): meetings booked; meetings
held; show rate = meetings held / meetings that were due to take place x 100 (a meeting
still in the future is not due); meeting-to-opportunity rate = opportunities created from
held meetings / meetings held x 100; pipeline value = the estimated deal values of those
opportunities, summed. They are checked only when the truth holds them (the exercise asks
for them); otherwise the check is skipped and the score is what version 1 gave.

True figures are never quoted back: feedback says which figure is off and in which
direction, so the learner still has to recount.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from grader.fields import CONTEXT, SUBMISSION, Reader
from grader.report_analysis import TRANSITIONS, drop_off, recommendation
from grader.results import Check, Evidence, Grade
from grader.rubric import CheckSpec, GradeBuilder, ratio_text, specs_by_id

RUBRIC_ID = "report"
RUBRIC_VERSION = "2.0.0"

CHECKS = (
    CheckSpec("stage_counts", 15, "Each stage count matches the log (within the tolerance)."),
    CheckSpec("conversion_rates", 20, "Each stage conversion rate matches the log."),
    CheckSpec("reply_rates", 10, "The reply rate of every channel used matches the log."),
    CheckSpec("costs", 15, "Cost per lead and cost per acquisition match the log."),
    CheckSpec(
        "meetings",
        15,
        "Meetings booked and held, show rate, meeting-to-opportunity rate and pipeline value "
        "match the log (when the exercise asks for them).",
    ),
    CheckSpec("drop_off", 20, "The analysis names the stage transition with the biggest drop-off."),
    CheckSpec(
        "recommendation",
        20,
        "The analysis recommends an action and ties it to a figure from the report.",
    ),
)
SPEC = specs_by_id(CHECKS)

STAGES = ("lead", "mql", "sql", "opportunity", "customer", "lost")
CHANNELS = ("email", "linkedin", "call")
COSTS = ("cost_per_lead", "cost_per_acquisition")
#: figure -> how it is read and compared ("count", "percent" or "amount")
MEETING_FIGURES = {
    "meetings_booked": "count",
    "meetings_held": "count",
    "show_rate": "percent",
    "meeting_to_opportunity_rate": "percent",
    "pipeline_value": "amount",
}
DEFAULT_TOLERANCE = {"percent_points": 1.0, "relative": 0.05}


@dataclass(frozen=True)
class Figures:
    """A report's numbers; a missing key is absent from the dict, a null is None."""

    stage_counts: Mapping[str, float | None]
    conversion_rates: Mapping[str, float | None]
    reply_rates: Mapping[str, float | None]
    costs: Mapping[str, float | None]
    meetings: Mapping[str, float | None] | None = None  # None: not in this report at all

    def values(self) -> Iterable[tuple[str, float]]:
        """Every reported number with its kind ("rate" or "amount")."""
        for group, kind in (
            (self.stage_counts, "amount"),
            (self.conversion_rates, "rate"),
            (self.reply_rates, "rate"),
            (self.costs, "amount"),
        ):
            for value in group.values():
                if value is not None:
                    yield kind, value
        for name, value in (self.meetings or {}).items():
            if value is not None:
                yield ("rate" if MEETING_FIGURES[name] == "percent" else "amount"), value


@dataclass(frozen=True)
class Tolerance:
    percent_points: float
    relative: float

    def close(self, said: float, true: float, kind: str) -> bool:
        if kind == "rate":
            return abs(said - true) <= self.percent_points + 1e-9
        return abs(said - true) <= self.relative * abs(true) + 1e-9


# ----------------------------------------------------------------------------- reading


def _read_figures(r: Reader, value: object, where: str) -> Figures:
    figures = r.mapping(value, where)

    def group(key: str, names: Sequence[str], check: str) -> dict[str, float | None]:
        spot = f"{where}.{key}"
        raw = r.optional_mapping(figures.get(key), spot)
        return {n: _number(r, raw[n], f"{spot}.{n}", check) for n in names if n in raw}

    return Figures(
        stage_counts=group("stage_counts", STAGES, "count"),
        conversion_rates=group("conversion_rates", tuple(TRANSITIONS), "percent"),
        reply_rates=group("reply_rate_by_channel", CHANNELS, "percent"),
        costs={k: _number(r, figures[k], f"{where}.{k}", "amount") for k in COSTS if k in figures},
        meetings=_read_meetings(r, figures.get("meetings"), f"{where}.meetings"),
    )


def _read_meetings(r: Reader, value: object, where: str) -> dict[str, float | None] | None:
    if value is None:
        return None
    raw = r.mapping(value, where)
    return {
        name: _number(r, raw[name], f"{where}.{name}", check)
        for name, check in MEETING_FIGURES.items()
        if name in raw
    }


def _number(r: Reader, value: object, where: str, check: str) -> float | None:
    """A count (whole, >= 0), a percent (0-100) or an amount (>= 0); null is allowed."""
    number = r.optional_number(value, where)
    if number is None:
        return None
    if number < 0:
        raise r.fail(where, "must not be negative")
    if check == "count" and not number.is_integer():
        raise r.fail(where, "must be a whole number")
    if check == "percent" and number > 100:
        raise r.fail(where, "must be a percentage between 0 and 100")
    return number


def _read_tolerance(context: Mapping[str, object]) -> Tolerance:
    raw = CONTEXT.optional_mapping(context.get("tolerance"), "tolerance")
    values = {}
    for key, default in DEFAULT_TOLERANCE.items():
        v = CONTEXT.optional_number(raw.get(key), f"tolerance.{key}")
        if v is not None and v < 0:
            raise CONTEXT.fail(f"tolerance.{key}", "must not be negative")
        values[key] = default if v is None else v
    return Tolerance(values["percent_points"], values["relative"])


# ----------------------------------------------------------------------------- figure checks


def _compare(
    check_id: str,
    label: str,
    path: str,
    said: Mapping[str, float | None],
    true: Mapping[str, float | None],
    kind: str,
    tol: Tolerance,
    advice: str,
    *,
    skip_null: bool = False,
) -> Check | None:
    """One check over a group of figures; None when the truth holds none of them.

    A figure missing from the truth is skipped. A null true figure cannot be computed (no
    spend, no customers): a number reported for it is wrong, and a blank beside it is not
    counted, for or against, because a blank figure never matches anything (issue #15:
    blank boxes used to "match" and earn full marks). With ``skip_null`` (channels) a null
    means "not used" and is skipped.
    """
    spec = SPEC[check_id]
    names = [n for n in true if true[n] is not None or (not skip_null and said.get(n) is not None)]
    if not names:
        return None
    wrong = []
    for name in names:
        note = _mismatch(said.get(name), true[name], kind, tol)
        if note:
            wrong.append(Evidence.records([f"{path}.{name}"], note))
    right = len(names) - len(wrong)
    if not wrong:
        return spec.award(1, f"All {len(names)} {label} match the log.")
    if kind == "rate" and _looks_like_fractions(said, true, names):
        advice = (
            "Your rates look like fractions (0.375) where the report wants percentages "
            "(37.5): multiply each by 100."
        )
    return spec.award(
        right / len(names), f"{ratio_text(right, len(names))} {label} match the log.", advice, wrong
    )


def _looks_like_fractions(
    said: Mapping[str, float | None], true: Mapping[str, float | None], names: Sequence[str]
) -> bool:
    """Every reported rate is 1 or less while the true rates run past 1: 0.375 for 37.5%."""
    pairs = [(said.get(n), true[n]) for n in names]
    given = [(s, t) for s, t in pairs if s is not None and t is not None]
    return bool(given) and all(s <= 1 for s, _ in given) and any(t > 1 for _, t in given)


def _mismatch(said: float | None, true: float | None, kind: str, tol: Tolerance) -> str:
    """Why a reported figure is wrong ("" when it is right), without revealing the truth."""
    if true is None:
        return "" if said is None else f"you wrote {said:g}, but the log gives no basis for it"
    if said is None:
        return "not reported"
    if tol.close(said, true, kind):
        return ""
    direction = "too high" if said > true else "too low"
    margin = f"{tol.percent_points:g} points" if kind == "rate" else f"{tol.relative:.0%}"
    return f"you wrote {said:g}: {direction} by more than {margin}"


def _figure_checks(said: Figures, true: Figures, tol: Tolerance) -> dict[str, Check | None]:
    return {
        "stage_counts": _compare(
            "stage_counts", "stage counts", "figures.stage_counts",
            said.stage_counts, true.stage_counts, "amount", tol,
            "Recount each stage from the event log: a contact counts once per stage reached.",
        ),
        "conversion_rates": _compare(
            "conversion_rates", "conversion rates", "figures.conversion_rates",
            said.conversion_rates, true.conversion_rates, "rate", tol,
            "Recompute each rate as advanced to the next stage / entered the stage x 100.",
        ),
        "reply_rates": _compare(
            "reply_rates", "channel reply rates", "figures.reply_rate_by_channel",
            said.reply_rates, true.reply_rates, "rate", tol,
            "Recompute each channel's reply rate per person: people who replied on it / "
            "people you reached on it x 100 (a person who replies twice counts once).",
            skip_null=True,
        ),
        "costs": _compare(
            "costs", "cost figures", "figures", said.costs, true.costs, "amount", tol,
            "Cost per lead = spend / new leads; cost per acquisition = spend / closed deals.",
        ),
        "meetings": _meetings(said, true, tol),
    }  # fmt: skip


def _meetings(said: Figures, true: Figures, tol: Tolerance) -> Check | None:
    """The SDR's results, each compared as its kind (rates in points, the rest relatively)."""
    if true.meetings is None:
        return None
    spec = SPEC["meetings"]
    given = said.meetings or {}
    names = [n for n in MEETING_FIGURES if n in true.meetings]
    names = [n for n in names if true.meetings[n] is not None or given.get(n) is not None]
    if not names:
        return None
    wrong = []
    for name in names:
        kind = "rate" if MEETING_FIGURES[name] == "percent" else "amount"
        note = _mismatch(given.get(name), true.meetings[name], kind, tol)
        if note:
            wrong.append(Evidence.records([f"figures.meetings.{name}"], note))
    right = len(names) - len(wrong)
    if not wrong:
        return spec.award(1, f"All {len(names)} meeting figures match the log.")
    return spec.award(
        right / len(names),
        f"{ratio_text(right, len(names))} meeting figures match the log.",
        "Recount from the log: show rate = meetings held / meetings that were due (not all "
        "booked) x 100; meeting-to-opportunity rate = opportunities from held meetings / "
        "meetings held x 100; pipeline value = those opportunities' deal values, summed.",
        wrong,
    )


# ----------------------------------------------------------------------------- grading


def grade_submission(submission: Mapping[str, object], context: Mapping[str, object]) -> Grade:
    said = _read_figures(SUBMISSION, submission.get("figures"), "figures")
    analysis = SUBMISSION.text(submission.get("analysis"), "analysis")
    tol = _read_tolerance(context)
    true = (
        None
        if context.get("truth") is None
        else _read_figures(CONTEXT, context.get("truth"), "truth")
    )
    builder = GradeBuilder(RUBRIC_ID, RUBRIC_VERSION, "report", CHECKS)
    if true is None:
        reason = "the context has no true figures from the event log"
        for check_id in (
            "stage_counts",
            "conversion_rates",
            "reply_rates",
            "costs",
            "meetings",
            "drop_off",
        ):
            builder.skip(check_id, reason)
    else:
        results: dict[str, Check | None] = _figure_checks(said, true, tol)
        results["drop_off"] = drop_off(
            SPEC["drop_off"], analysis, true.conversion_rates, tol.percent_points
        )
        for check_id, check in results.items():
            if check is None and check_id == "meetings":
                builder.skip(check_id, "this exercise does not ask for meeting figures")
            elif check is None:
                builder.skip(check_id, f"the log has no figures for {check_id.replace('_', ' ')}")
            else:
                builder.add(check)
    figures = list(said.values()) + (list(true.values()) if true else [])
    builder.add(recommendation(SPEC["recommendation"], analysis, figures, tol.close))
    return builder.build()
