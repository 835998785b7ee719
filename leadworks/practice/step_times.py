"""When each step of a sequence goes out, in the prospects' own time zones and so (on the
page) in the learner's: "at 09:30 their time" is a different instant in Chicago and in
Denver, and the learner plans their day by their own clock.

Why here: the page must say what the clock will do. The instants come from the same
rules the clock applies (``sequences.due_at`` for a running plan, the step delays from now
for a draft, ``send_time.next_local`` for the step's local time), never from a second
copy of them. A call step may still wait for the contact's calling hours; the page says so.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from leadworks.practice.models import SequencePlan
from leadworks.practice.send_time import LocalTime, local_time, next_local
from leadworks.practice.sequences import DAY_SECONDS, due_at
from simulator import Sandbox

MAX_ZONES_SHOWN = 3


@dataclass(frozen=True)
class StepTime:
    """One step's send moment for the contacts in one time zone."""

    zone: str
    contacts: int
    local: LocalTime


@dataclass(frozen=True)
class StepTimes:
    """A step's moments, the busiest zones first, and how many zones were left out."""

    times: list[StepTime]
    more_zones: int


def _zones(sandbox: Sandbox, contact_ids: list[str]) -> list[tuple[str, int]]:
    counts: Counter[str] = Counter()
    for cid in contact_ids:
        contact = sandbox.world.contact(cid)
        if contact is not None:
            counts[sandbox.world.company_of(contact).timezone] += 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _step_base(sandbox: Sandbox, plan: SequencePlan, index: int) -> int | None:
    """When step ``index`` falls due: by the running plan's clock, or, for a draft, as if
    it were started now (None when the step is done or the plan finished)."""
    if plan.status == "draft":
        days = sum(int(s.get("delay_days") or 0) for s in plan.steps[1 : index + 1])
        return sandbox.state.clock + days * DAY_SECONDS
    if index < plan.next_step:
        return None
    return due_at(plan, index)


def plan_step_times(
    sandbox: Sandbox, plan: SequencePlan, list_members: list[str] | None = None
) -> list[StepTimes | None]:
    """Per step, when it goes out in each zone of the plan's contacts (its list's members
    for a draft); None for a step already sent or when nobody is known yet."""
    members = plan.contact_ids if plan.status != "draft" else (list_members or [])
    zones = _zones(sandbox, list(members))
    out: list[StepTimes | None] = []
    for index, step in enumerate(plan.steps):
        base = _step_base(sandbox, plan, index)
        if base is None or not zones:
            out.append(None)
            continue
        times = []
        for zone, count in zones[:MAX_ZONES_SHOWN]:
            hhmm = step.get("send_time")
            at = next_local(zone, base, hhmm) if hhmm else base
            times.append(StepTime(zone, count, local_time(zone, at)))
        out.append(StepTimes(times, max(0, len(zones) - MAX_ZONES_SHOWN)))
    return out
