"""Activity-plan rubric: work backwards from a monthly quota, then a time-blocked week.

Drill ``week-plan`` (lessons planning-your-week, core-skills, what-lead-generators-do).
The learner writes the figures of the working-backwards chain in the drill's texts and
gives every one-hour block of the week one kind of work (``rows.<block>.activity``).

Why the arithmetic is checked against the learner's *own* figures: the lesson teaches the
method (divide the target by each rate, stage by stage), and a learner who slips once
should lose that step, not every step after it. So each figure is recomputed from the
figures the learner stated just before it, with a tolerance for rounding. The week is then
checked against the learner's own activity numbers: does the time exist, are calls placed
when prospects pick up, and are replies, follow-ups and CRM upkeep protected.

The key: ``given`` (the quota and last month's rates), ``weeks``, the timings
(``minutes_per_new_person``, ``dials_per_hour``, ``people_per_follow_up_hour``,
``crm_min_hours``), ``answering_hours`` (prospects' local hours, ``[[start, end], ...]``),
``call_zones`` (activity -> ``offset`` in hours from the learner's zone, and a ``label``)
and ``fixed`` blocks (block id -> activity). Items carry ``start`` ("HH:MM") and ``day``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from grader.drill_input import Drill, HandIn, parse_number, read_drill, read_hand_in
from grader.fields import CONTEXT, SUBMISSION
from grader.results import Check, Evidence, Grade
from grader.rubric import CheckSpec, GradeBuilder

RUBRIC_ID = "activity_plan"
RUBRIC_VERSION = "1.1.0"
#: Graded from a drill file (course/drills), without a sandbox run or an exercise spec.
DRILL = True

CHECKS = (
    CheckSpec("inputs", 10, "Quota and rates as given; email and call bookings add up."),
    CheckSpec("working_backwards", 35, "Each figure recomputed from your own previous figures."),
    CheckSpec("fits_hours", 20, "Blocks hold the outreach and the dials your figures need."),
    CheckSpec("call_hours", 15, "Every call block falls inside the prospects' answering hours."),
    CheckSpec(
        "protected_time", 20, "Replies first every day; follow-ups, CRM and fixed blocks kept."
    ),
)
_SPEC = {s.id: s for s in CHECKS}
RATES = ("show_rate", "reply_to_meeting", "email_reply_rate")
GIVEN = ("target_held", *RATES, "dials_per_booking")
FIGURES = (
    *GIVEN,
    "bookings_needed",
    "bookings_email",
    "bookings_calls",
    "replies_needed",
    "people_per_week",
    "dials_per_week",
)
CALL_PREFIX = "calls_"
#: A rate is "as given" within half a percentage point; a figure is right within one unit
#: or 5% of its exact value, whichever is larger (people round 9.6 meetings up to 10).
RATE_TOLERANCE = 0.5
FIGURE_TOLERANCE = 0.05


@dataclass(frozen=True)
class PlanKey:
    given: Mapping[str, float]
    weeks: float
    minutes_per_new_person: float
    dials_per_hour: float
    people_per_follow_up_hour: float
    crm_min_hours: float
    windows: tuple[tuple[float, float], ...]
    zones: Mapping[str, tuple[float, str]]
    fixed: Mapping[str, str]


def grade_submission(submission: Mapping[str, object], context: Mapping[str, object]) -> Grade:
    """Grade a week plan: the chain of figures, then the blocks against those figures."""
    drill = read_drill(context)
    key = _read_key(drill)
    hand = read_hand_in(submission, drill)
    figures = {name: _figure(hand, name) for name in FIGURES if name in drill.texts}
    b = GradeBuilder(RUBRIC_ID, RUBRIC_VERSION, RUBRIC_ID, CHECKS)
    b.add(_inputs(key, hand, figures))
    chain = _chain(key, figures)
    b.add(_working_backwards(hand, figures, chain))
    blocks = {item: hand.value(item, "activity") for item in drill.items}
    if not any((chain[n].used or 0) > 0 for n in ("people_per_week", "dials_per_week")):
        for spec in CHECKS[2:]:
            b.add(_unjudged(spec))
        return b.build()
    b.add(_fits_hours(key, drill, blocks, chain))
    b.add(_call_hours(key, drill, hand, blocks, chain))
    b.add(_protected(key, drill, hand, blocks, chain))
    return b.build()


def _read_key(drill: Drill) -> PlanKey:
    r, k = CONTEXT, drill.key
    given_raw = drill.key_for("given")
    given = {n: r.number(given_raw.get(n), f"drill.key.given.{n}") for n in GIVEN}
    windows = tuple(
        (r.number(w[0], "drill.key.answering_hours"), r.number(w[1], "drill.key.answering_hours"))
        for w in (r.sequence(v, "drill.key.answering_hours") for v in _seq(k, "answering_hours"))
    )
    zones = {}
    for name, raw in drill.key_for("call_zones").items():
        zone = r.mapping(raw, f"drill.key.call_zones.{name}")
        offset = r.number(zone.get("offset"), f"drill.key.call_zones.{name}.offset")
        zones[name] = (offset, r.text(zone.get("label"), f"drill.key.call_zones.{name}.label"))
    fixed = {i: r.text(a, f"drill.key.fixed.{i}") for i, a in drill.key_for("fixed").items()}
    timings = {n: r.number(k.get(n), f"drill.key.{n}") for n in _TIMINGS}
    for name, value in timings.items():
        if value <= 0:
            raise r.fail(f"drill.key.{name}", "must be positive")
    return PlanKey(given=given, windows=windows, zones=zones, fixed=fixed, **timings)


_TIMINGS = (
    "weeks",
    "minutes_per_new_person",
    "dials_per_hour",
    "people_per_follow_up_hour",
    "crm_min_hours",
)


def _seq(k: Mapping[str, object], name: str) -> Sequence[object]:
    return CONTEXT.sequence(k.get(name), f"drill.key.{name}")


def _figure(hand: HandIn, name: str) -> float | None:
    """The learner's figure, or None when left empty; a rate may be "80", "80%" or "0.8"."""
    raw = hand.text(name).strip()
    if not raw:
        return None
    value = parse_number(raw)
    if value is None or value < 0:
        raise SUBMISSION.fail(f"texts.{name}", "must be a number (rates as percentages)")
    if name in RATES and value < 1:
        value *= 100
    return value


def _quote(hand: HandIn, name: str, note: str) -> Evidence:
    raw = hand.text(name)
    if not raw.strip():
        return Evidence.records([name], f"{name} left empty; {note}")
    return Evidence.span(f"texts.{name}", raw, 0, len(raw), note)


def _close(stated: float, exact: float) -> bool:
    return abs(stated - exact) <= max(1.0, FIGURE_TOLERANCE * exact) + 1e-9


def _inputs(key: PlanKey, hand: HandIn, figures: Mapping[str, float | None]) -> Check:
    spec = _SPEC["inputs"]
    score, evidence = 0.0, []
    share = 0.75 / len(GIVEN)
    for name in GIVEN:
        stated, given = figures.get(name), key.given[name]
        tolerance = RATE_TOLERANCE if name in RATES else 1e-9
        if stated is not None and abs(stated - given) <= tolerance:
            score += share
        else:
            evidence.append(_quote(hand, name, f"expected {given:g}, as the brief gives it"))
    email, calls, needed = (figures.get(n) for n in _SPLIT)
    if None not in (email, calls, needed) and abs((email or 0) + (calls or 0) - (needed or 0)) < 1:
        score += 0.25
    else:
        evidence.append(
            _quote(hand, "bookings_email", "email plus call bookings must make the bookings needed")
        )
    return spec.award(
        score,
        "Quota and rates copied as given; bookings split."
        if not evidence
        else f"Inputs with a problem: {len(evidence)}.",
        "Start from the quota and last month's rates exactly as given, and split the bookings "
        "you need between email and calls so that they add up.",
        evidence or [Evidence.records(list(GIVEN), "as given")],
    )


_SPLIT = ("bookings_email", "bookings_calls", "bookings_needed")


@dataclass(frozen=True)
class Step:
    """One figure of the chain: what the learner stated and what their own inputs give."""

    name: str
    stated: float | None
    exact: float | None
    how: str

    @property
    def used(self) -> float | None:
        """The figure later steps build on: the learner's, else the recomputed one."""
        return self.stated if self.stated is not None else self.exact


def _chain(key: PlanKey, f: Mapping[str, float | None]) -> Mapping[str, Step]:
    def got(name: str) -> float:
        value = f.get(name)
        return key.given[name] if value is None else value

    def div(a: float | None, b: float) -> float | None:
        return None if a is None or b <= 0 else a / b

    steps: dict[str, Step] = {}
    held, show, r2m = got("target_held"), got("show_rate"), got("reply_to_meeting")
    exact = div(held, show / 100)
    steps["bookings_needed"] = Step(
        "bookings_needed", f.get("bookings_needed"), exact, f"{held:g} held ÷ {show:g}% show rate"
    )
    email = f.get("bookings_email")
    exact = div(email, r2m / 100)
    how = f"{_g(email)} email bookings ÷ {r2m:g}% reply-to-meeting"
    steps["replies_needed"] = Step("replies_needed", f.get("replies_needed"), exact, how)
    replies, rate = steps["replies_needed"].used, got("email_reply_rate")
    exact = div(div(replies, rate / 100), key.weeks)
    how = f"{_g(replies)} replies ÷ {rate:g}% reply rate ÷ {key.weeks:g} weeks"
    steps["people_per_week"] = Step("people_per_week", f.get("people_per_week"), exact, how)
    calls, dpb = f.get("bookings_calls"), got("dials_per_booking")
    exact = div(None if calls is None else calls * dpb, key.weeks)
    how = f"{_g(calls)} call bookings × {dpb:g} dials ÷ {key.weeks:g} weeks"
    steps["dials_per_week"] = Step("dials_per_week", f.get("dials_per_week"), exact, how)
    return steps


def _g(value: float | None) -> str:
    return "?" if value is None else f"{value:g}"


def _working_backwards(
    hand: HandIn, figures: Mapping[str, float | None], chain: Mapping[str, Step]
) -> Check:
    spec = _SPEC["working_backwards"]
    right, evidence = 0, []
    for step in chain.values():
        # a chain of zeros is consistent but plans no work: only a positive figure counts
        exact = step.exact
        if step.stated is not None and exact is not None and exact > 0:
            if _close(step.stated, exact):
                right += 1
                continue
        expected = "cannot be worked out" if exact is None or exact <= 0 else f"{exact:.1f}"
        evidence.append(
            _quote(hand, step.name, f"expected {expected} from your figures: {step.how}")
        )
    return spec.award(
        right / len(chain),
        f"Figures that follow from your own rates: {right} of {len(chain)}.",
        "Divide backwards, stage by stage: bookings = held ÷ show rate; replies = email "
        "bookings ÷ reply-to-meeting rate; people = replies ÷ reply rate, per week.",
        evidence or [Evidence.records(list(chain), "each figure follows from the one before")],
    )


def _h(hours: float) -> str:
    return "1 hour" if hours == 1 else f"{hours:g} hours"


def _hours(blocks: Mapping[str, str], *activities: str) -> int:
    counts = Counter(blocks.values())
    return sum(counts[a] for a in activities)


def _unjudged(spec: CheckSpec) -> Check:  # no weekly work to hold: the blocks are no plan
    return spec.award(
        0.0,
        "No weekly work (people to email, dials) to check the week against.",
        "Work out the people to email and the dials to make each week first.",
        [Evidence.records(["people_per_week", "dials_per_week"], "both left empty or zero")],
    )


def _fits_hours(
    key: PlanKey, drill: Drill, blocks: Mapping[str, str], chain: Mapping[str, Step]
) -> Check:
    spec = _SPEC["fits_hours"]
    people = chain["people_per_week"].used or 0.0
    dials = chain["dials_per_week"].used or 0.0
    needs = [
        ("research and emails", people * key.minutes_per_new_person / 60, ("research", "emails")),
        ("calls", dials / key.dials_per_hour, tuple(key.zones)),
    ]
    score, evidence = 0.0, []
    for label, need, activities in needs:
        have = _hours(blocks, *activities)
        if have >= need - 1e-9:
            score += 0.35
            continue
        score += 0.35 * have / need
        evidence.append(
            Evidence.records(
                [i for i, a in blocks.items() if a in activities] or ["(none)"],
                f"{label}: {_h(have)} blocked, {need:.1f} needed by your own figures",
            )
        )
    days = len({str(item.get("day", "")) for item in drill.items.values()})
    fixed = len(key.fixed)
    follow = math.ceil(people / key.people_per_follow_up_hour - 1e-9)
    total = sum(n for _, n, _ in needs) + follow + key.crm_min_hours + days + fixed
    if total <= len(blocks) + 1e-9:
        score += 0.3
    else:
        note = (
            f"the week: your figures need about {total:.0f} hours (outreach, calls, "
            f"{follow} of follow-ups, {key.crm_min_hours:g} of CRM, {days} of replies, "
            f"{fixed} fixed) and the week has {len(blocks)}"
        )
        evidence.append(Evidence.records(["(week)"], note))
    return spec.award(
        score,
        "The week holds the activity your figures need."
        if not evidence
        else f"Short of time for: {', '.join(e.note.split(':')[0] for e in evidence)}.",
        "Time each activity and block enough hours for it; if it cannot fit, change a rate "
        "or the channel mix, or say the target needs more time.",
        evidence or [Evidence.records(["(week)"], "enough hours blocked for your figures")],
    )


def _call_hours(
    key: PlanKey, drill: Drill, hand: HandIn, blocks: Mapping[str, str], chain: Mapping[str, Step]
) -> Check:
    spec = _SPEC["call_hours"]
    calls = [i for i, a in blocks.items() if a in key.zones]
    bad = []
    for item in calls:
        offset, label = key.zones[blocks[item]]
        start = _start_hour(drill, item) + offset
        if not any(lo <= start and start + 1 <= hi for lo, hi in key.windows):
            local = f"{int(start) % 24:02d}:{int(round(start % 1 * 60)):02d}"
            note = f"starts at {local} {label} time, outside the prospects' answering hours"
            bad.append(hand.quote(item, "activity", note))
    planned = chain["dials_per_week"].used
    if not calls:
        fraction, verdict = (1.0 if planned == 0 else 0.0), "No call blocks."
    else:
        fraction = (len(calls) - len(bad)) / len(calls)
        verdict = f"Call blocks inside answering hours: {len(calls) - len(bad)} of {len(calls)}."
    windows = ", ".join(f"{lo:g}:00-{hi:g}:00" for lo, hi in key.windows)
    return spec.award(
        fraction,
        verdict,
        f"Convert each call block to the prospect's zone; they pick up {windows} their time.",
        bad or [Evidence.records(calls or ["(none)"], "calls when prospects pick up")],
    )


def _start_hour(drill: Drill, item: str) -> float:
    raw = CONTEXT.text(drill.items[item].get("start"), f"drill.materials.items.{item}.start")
    hours, _, minutes = raw.partition(":")
    try:
        return int(hours) + int(minutes or 0) / 60
    except ValueError as exc:
        raise CONTEXT.fail(f"drill.materials.items.{item}.start", "must be HH:MM") from exc


def _protected(
    key: PlanKey, drill: Drill, hand: HandIn, blocks: Mapping[str, str], chain: Mapping[str, Step]
) -> Check:
    spec = _SPEC["protected_time"]
    evidence = []
    days: dict[str, list[str]] = {}
    for item in drill.items:
        days.setdefault(str(drill.items[item].get("day", "")), []).append(item)
    # Replies first counts on a day that holds other work too: all replies protects nothing.
    busy = [i for i in days.values() if any(blocks[j] not in ("replies", "") for j in i)]
    first = [min(items, key=lambda i: _start_hour(drill, i)) for items in days.values()]
    missing = [i for i in first if blocks[i] != "replies" or not any(i in d for d in busy)]
    evidence += [hand.quote(i, "activity", "the day's first block is for replies") for i in missing]
    score = 0.4 * (len(first) - len(missing)) / len(first)
    people = chain["people_per_week"].used or 0.0
    need_follow = max(1, math.ceil(people / key.people_per_follow_up_hour - 1e-9))
    for label, have, need, share in (
        ("follow-up steps", _hours(blocks, "follow_ups"), need_follow, 0.25),
        ("CRM upkeep", _hours(blocks, "crm"), key.crm_min_hours, 0.25),
    ):
        score += share * (1.0 if need <= 0 else min(1.0, have / need))
        if have < need:
            evidence.append(Evidence.records([label], f"{_h(have)} blocked, {need:g} needed"))
    moved = [i for i, a in key.fixed.items() if blocks.get(i) != a]
    score += 0.1 * (1 - len(moved) / len(key.fixed)) if key.fixed else 0.1
    evidence += [hand.quote(i, "activity", f"fixed block: {key.fixed[i]}") for i in moved]
    return spec.award(
        score,
        "Replies, follow-ups, CRM and fixed blocks protected."
        if not evidence
        else f"Protected time with a gap: {len(evidence)}.",
        "Start every day with replies, and block the follow-up and CRM hours your volume "
        "needs before adding new outreach.",
        evidence or [Evidence.records(first, "replies first every day")],
    )
