"""The campaign part of the achievement grade: the brief's goals, compliance, a sample.

A campaign exercise (the capstone) is judged on what the run achieved against the
client's brief, on the run's own violations, and on the outreach actually sent, graded
with the outreach rubric; the platform passes these facts in as plain data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from grader.achievement_law import advice, summary, violations_of, weight
from grader.results import Check, Evidence, Grade
from grader.rubric import CheckSpec, band

#: how the campaign grades a sample of sent messages (the outreach kind, passed in)
Grader = Callable[[Mapping[str, object], Mapping[str, object]], Grade]


def campaign_checks(
    specs: Mapping[str, CheckSpec],
    context: Mapping[str, object],
    work: Mapping[str, Any],
    grade_outreach: Grader | None,
) -> list[Check]:
    goals = work.get("goals") or {}
    out = work.get("outcomes") or {}
    checks = [
        _goal(
            specs["goal_meetings"],
            "meetings held",
            out.get("meetings_held"),
            goals.get("meetings_held"),
        ),
        _show(specs["meetings_show"], out),
        _goal(specs["goal_sqls"], "SQLs", out.get("sqls"), goals.get("sqls")),
    ]
    cpl, target = out.get("cost_per_lead"), goals.get("cost_per_lead")
    spec = specs["goal_cost_per_lead"]
    if not out.get("leads"):
        checks.append(spec.award(0, "No leads, so no cost per lead to meet the target."))
    elif not target:
        checks.append(spec.award(1, f"{out.get('leads')} leads (the brief sets no cost target)."))
    elif cpl is None:
        checks.append(spec.award(1, f"{out.get('leads')} leads at no paid cost."))
    else:
        fraction = band(float(cpl) / float(target), ((1.0, 1.0), (1.25, 0.5), (1.5, 0.25)))
        checks.append(
            spec.award(
                fraction,
                f"Cost per lead ${float(cpl):,.2f} against a target of ${float(target):,.2f}.",
                "Put the budget where leads come cheapest; stop what does not convert.",
            )
        )
    checks.append(_compliance(specs["compliance"], work))
    checks.append(_sample(specs["outreach_sample"], work, grade_outreach))
    return checks


def _goal(spec: CheckSpec, what: str, achieved: object, goal: object) -> Check:
    got = int(achieved) if isinstance(achieved, int | float) else 0
    aim = int(goal) if isinstance(goal, int | float) and goal else 0
    if not aim:
        return spec.award(1 if got else 0, f"{got} {what} (the brief sets no goal).")
    return spec.award(
        got / aim,
        f"{got} {what} against a goal of {aim}.",
        f"The brief asks for {aim} {what}: more reach, better targets, faster follow-up.",
    )


def _count(value: object) -> int:
    return int(value) if isinstance(value, int | float) else 0


def _show(spec: CheckSpec, out: Mapping[str, Any]) -> Check:
    """Held meetings among those whose time came (booked and still ahead do not count),
    with the calls and live calls behind them in the verdict."""
    held, missed = _count(out.get("meetings_held")), _count(out.get("meetings_missed"))
    booked = _count(out.get("meetings_booked"))
    calls = f"{_count(out.get('calls'))} calls logged, {_count(out.get('live_calls'))} live calls"
    if not booked:
        return spec.award(
            0,
            f"No meeting booked ({calls}).",
            "Book meetings with a day and a time, on a call or by email, then prepare them.",
        )
    due = held + missed
    if not due:
        return spec.award(1, f"{booked} booked, none due yet ({calls}).")
    return spec.award(
        held / due,
        f"{held} of the {due} meetings due were held, {missed} missed ({booked} booked; {calls}).",
        "Send a reminder in the two days before a meeting and confirm its agenda.",
    )


def _compliance(spec: CheckSpec, work: Mapping[str, Any]) -> Check:
    """Ten violations per hundred touches cost the check; company policy counts half."""
    touches = int(work.get("touches") or 0)
    violations = violations_of(work)
    if not touches:
        return spec.award(0, "Nothing was sent or called, so there is no compliance to credit.")
    fraction = max(0.0, 1.0 - 10 * weight(violations) / touches)
    if not violations:
        return spec.award(1, f"{touches} touches, no violations.")
    return spec.award(
        fraction,
        f"{len(violations)} violation{'s' if len(violations) != 1 else ''} in {touches} touches: "
        + summary(violations)
        + ".",
        advice(violations),
        (Evidence.records([str(v.get("contact_id")) for v in violations][:20], "contacts"),),
    )


def _sample(spec: CheckSpec, work: Mapping[str, Any], grade_outreach: Grader | None) -> Check:
    sample = [s for s in work.get("sample") or [] if isinstance(s, Mapping)]
    if not sample or grade_outreach is None:
        return spec.award(0, "No outreach was sent, so there is none to grade.")
    scores: list[float] = []
    for item in sample:
        graded = grade_outreach(item.get("submission") or {}, item.get("context") or {})
        scores.append(graded.percent)
    mean = sum(scores) / len(scores)
    shown = ", ".join(f"{s:.0f}%" for s in scores)
    return spec.award(
        mean / 100,
        f"{len(scores)} messages you sent average {mean:.0f}% on the outreach rubric ({shown}).",
        "Personalise, give a reason to reply, and keep to one clear ask.",
        (Evidence.records([str(s.get("contact_id")) for s in sample], "messages sampled"),),
    )
