"""Deliverability rubric: audit a sending domain's DNS records and first-week figures.

Drill ``deliverability-audit`` (lesson email-deliverability). Per row (a DNS record, a
header finding, a figure) the learner says ``fine`` or ``problem``, picks a ``fix`` and
gives each problem a place (``order``, 1 = first) in the plan.

The key: ``problems`` (row -> ``fix``, ``area``: authentication, volume, rates or
unsubscribe, and ``why``), ``fine_why``, ``order_groups`` (lists of rows; every row of an
earlier group should come before every row of a later one) and ``order_why``. Rows not
under ``problems`` are fine.

Why these weights: authentication and the spam/bounce rates decide whether any mail lands
(Google's and Yahoo's sender rules, docs/sources.md ``gmail-senders``; the course's bounce
rule ``course-bounce-rule``), so they carry the most; a finding with the wrong fix earns
half, because seeing the problem is the first half of the job.

Blind answers earn nothing (issue #15): "problem" on every row finds every problem, so
finding counts only as far as the learner tells problems from fine rows: each area check
is multiplied by the share of fine rows left alone, ``fine_rows`` is the share left alone
less the share of problems called fine, and ``order`` counts the pairs in a safe order less
the pairs the wrong way round (a blind order, such as the table's, gets no more than a
random one: nothing).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from grader.drill_input import Drill, HandIn, parse_number, read_drill, read_hand_in
from grader.fields import CONTEXT
from grader.results import Check, Evidence, Grade
from grader.rubric import CheckSpec, GradeBuilder, ratio_text

RUBRIC_ID = "deliverability"
RUBRIC_VERSION = "1.1.0"
#: Graded from a drill file (course/drills), without a sandbox run or an exercise spec.
DRILL = True

CHECKS = (
    CheckSpec("authentication", 25, "Missing or misaligned SPF, DKIM and DMARC found and fixed."),
    CheckSpec("volume", 15, "The volume and warm-up problem found and fixed."),
    CheckSpec("rates", 20, "Bounce and spam rates over the thresholds found and fixed."),
    CheckSpec("unsubscribe", 15, "The missing one-click unsubscribe found and fixed."),
    CheckSpec("fine_rows", 10, "Rows that meet the rules left alone."),
    CheckSpec("order", 15, "Pause first, then authentication, then the list."),
)
_SPEC = {s.id: s for s in CHECKS}
AREAS = ("authentication", "volume", "rates", "unsubscribe")
_ADVICE = {
    "authentication": "Check that SPF lists every service that sends for you, that DKIM signs "
    "with your own domain, and that a DMARC record exists.",
    "volume": "A new domain starts at a few dozen emails a day and rises over weeks.",
    "rates": "Compare the bounce rate with 2 in 100 and the spam rate with Google's 0.3%; "
    "over either, pause and fix the list or the targeting.",
    "unsubscribe": "A 'reply STOP' line is not one-click unsubscribe: add the "
    "List-Unsubscribe and List-Unsubscribe-Post headers.",
}


@dataclass(frozen=True)
class Problem:
    id: str
    fix: str
    area: str
    why: str


def grade_submission(submission: Mapping[str, object], context: Mapping[str, object]) -> Grade:
    """Grade an audit: each planted problem found and fixed, fine rows left, sensible order."""
    drill = read_drill(context)
    problems = _read_problems(drill)
    hand = read_hand_in(submission, drill)
    b = GradeBuilder(RUBRIC_ID, RUBRIC_VERSION, RUBRIC_ID, CHECKS)
    flagged = {p.id for p in problems}
    fine = [i for i in drill.items if i not in flagged]
    alone = sum(1 for i in fine if hand.value(i, "status") != "problem") / len(fine) if fine else 1
    for area in AREAS:
        b.add(_area(area, [p for p in problems if p.area == area], hand, alone))
    b.add(_fine(drill, problems, hand))
    b.add(_order(drill, hand))
    return b.build()


def _read_problems(drill: Drill) -> list[Problem]:
    raw = drill.key_for("problems")
    found = []
    for item_id, entry in raw.items():
        where = f"drill.key.problems.{item_id}"
        if item_id not in drill.items:
            raise CONTEXT.fail(where, "not a row of the audit")
        p = CONTEXT.mapping(entry, where)
        found.append(
            Problem(
                item_id,
                CONTEXT.text(p.get("fix"), f"{where}.fix", blank=False),
                CONTEXT.choice(p.get("area"), f"{where}.area", AREAS),
                " ".join(CONTEXT.text(p.get("why", ""), f"{where}.why").split()),
            )
        )
    return found


def _area(area: str, problems: Sequence[Problem], hand: HandIn, alone: float) -> Check:
    """Problems found and fixed, times ``alone`` (the share of fine rows not called problems):
    calling every row a problem finds nothing."""
    spec = _SPEC[area]
    score, evidence = 0.0, []
    for p in problems:
        status, fix = hand.value(p.id, "status"), hand.value(p.id, "fix")
        if status == "problem" and fix == p.fix:
            score += 1
        elif status == "problem":
            score += 0.5
            evidence.append(hand.quote(p.id, "fix", f"expected {p.fix}: {p.why}"))
        else:
            evidence.append(hand.quote(p.id, "status", f"expected problem, fix {p.fix}: {p.why}"))
    found = sum(1 for p in problems if hand.value(p.id, "status") == "problem")
    fixed = sum(1 for p in problems if hand.value(p.id, "fix") == p.fix)
    verdict = f"Problems found: {ratio_text(found, len(problems))}; with the right fix: {fixed}."
    if alone < 1:
        verdict += (
            f" Only {100 * alone:.0f}% of the fine rows were left alone, so finding counts"
            " that far."
        )
    return spec.award(
        (score / len(problems) if problems else 1.0) * alone,
        verdict,
        _ADVICE[area],
        evidence or [Evidence.records([p.id for p in problems], "found and fixed")],
    )


def _fine(drill: Drill, problems: Sequence[Problem], hand: HandIn) -> Check:
    spec = _SPEC["fine_rows"]
    why = " ".join(CONTEXT.text(drill.key.get("fine_why", ""), "drill.key.fine_why").split())
    flagged = {p.id for p in problems}
    fine = [i for i in drill.items if i not in flagged]
    wrong = [
        hand.quote(i, "status", f"expected fine: {why}")
        for i in fine
        if hand.value(i, "status") != "fine"
    ]
    right = len(fine) - len(wrong)
    missed = [p for p in problems if hand.value(p.id, "status") == "fine"]
    wrong += [hand.quote(p.id, "status", f"expected problem: {p.why}") for p in missed]
    off = len(missed) / len(problems) if problems else 0.0
    verdict = f"Fine rows left alone: {ratio_text(right, len(fine))}."
    if off:
        verdict += f" {100 * off:.0f}% of the problems were called fine too, taken off."
    return spec.award(
        (right / len(fine) if fine else 1.0) - off,
        verdict,
        "Fix only what breaks a rule: a needless change costs time and can break what works.",
        wrong or [Evidence.records(fine, "left alone")],
    )


def _order(drill: Drill, hand: HandIn) -> Check:
    spec = _SPEC["order"]
    why = " ".join(CONTEXT.text(drill.key.get("order_why", ""), "drill.key.order_why").split())
    groups = [
        CONTEXT.text_list(g, f"drill.key.order_groups[{i}]")
        for i, g in enumerate(
            CONTEXT.sequence(drill.key.get("order_groups"), "drill.key.order_groups")
        )
    ]
    rank = {g_item: n for n, group in enumerate(groups) for g_item in group}
    places = {i: parse_number(hand.value(i, "order")) for i in rank}
    pairs = [
        (a, b) for a, b in combinations(sorted(rank, key=lambda i: rank[i]), 2) if rank[a] < rank[b]
    ]
    good = reversed_ = 0
    evidence: list[Evidence] = []
    for a, b in pairs:
        pa, pb = places[a], places[b]
        if pa is not None and pb is not None and pa < pb:
            good += 1
            continue
        if pa is not None and pb is not None and pa > pb:
            reversed_ += 1
        if len(evidence) < 6:
            note = f"{a} should come before {b}: {why}"
            evidence.append(hand.quote(b, "order", note))
    return spec.award(
        (good - reversed_) / len(pairs) if pairs else 1.0,
        f"Fixes in a safe order: {ratio_text(good, len(pairs))} of the pairs; the wrong way "
        f"round: {reversed_}, each taken off one in the safe order.",
        "Pause sending first, fix authentication next, and verify the list before restarting.",
        evidence or [Evidence.records(list(rank), "in a safe order")],
    )
