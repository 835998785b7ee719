"""Sequence rubric: a first touch and its follow-ups to one prospect.

From shared/research/domain.md: the first follow-up lifts replies by roughly 40-50%
(Woodpecker; Belkins +49%), the second a little more, the third starts to cost (Belkins
-20%); 3-email campaigns reply best; wait 2-5 days between touches; four or more emails
roughly triple unsubscribes and spam complaints. Every step is also graded with the
outreach rubric (its grades are the ``parts`` of the sequence grade).

A follow-up that repeats an earlier step or only bumps it ("just following up") adds
nothing: it does not count as a touch, its spacing and channel are not credited, and its
message is left out of the average. Stop rules and a channel mix only count when there are
real follow-ups to stop or to mix.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from grader import text
from grader.errors import SubmissionError
from grader.fields import SUBMISSION
from grader.outreach.grading import Assessment, assess, build_grade
from grader.outreach.inputs import Message, read_context, read_message
from grader.results import Check, Evidence, Grade
from grader.rubric import CheckSpec, Gate, GradeBuilder, nest_evidence, nest_grade, specs_by_id

RUBRIC_ID = "sequence"
RUBRIC_VERSION = "2.0.0"

CHECKS = (
    CheckSpec(
        "touches", 15, "2-3 real follow-ups after the first touch (repeats and bumps do not count)."
    ),
    CheckSpec("spacing", 10, "Every real follow-up waits 2-5 days after the step before it."),
    CheckSpec(
        "channel_mix", 10, "Real follow-ups use a second channel (email plus LinkedIn or a call)."
    ),
    CheckSpec(
        "stop_rules",
        15,
        "With real follow-ups: stops on an opt-out (10 points) and on a reply (5 points).",
    ),
    CheckSpec("new_angle", 10, "Every follow-up adds something new instead of just bumping."),
    CheckSpec(
        "message_quality", 40, "The average outreach score of the first touch and real follow-ups."
    ),
)
SPEC = specs_by_id(CHECKS)

MAX_STEPS = 10
IDEAL_FOLLOW_UPS = (2, 3)
SPACING_DAYS = (2, 5)
NEW_WORDS_SHARE = 0.4
NEW_WORDS_MIN = 3

_BUMP_RE = text.Caseless(
    r"\bjust (?:following up|checking in|bumping|circling back|floating)"
    r"|\bbump(?:ing)? (?:this|my)\b|\bcircling back\b|\bany (?:update|thoughts)\b"
    r"|\bdid you (?:see|get a chance)\b|\bfollowing up on my (?:last|previous)\b"
)


@dataclass(frozen=True)
class Step:
    delay_days: int
    message: Message


@dataclass(frozen=True)
class Plan:
    steps: tuple[Step, ...]
    stop_on_reply: bool
    stop_on_opt_out: bool


def read_plan(submission: Mapping[str, object]) -> Plan:
    r = SUBMISSION
    raw = r.sequence(submission.get("steps"), "steps", max_items=MAX_STEPS)
    if not raw:
        raise r.fail("steps", "must list at least the first touch")
    steps = tuple(_read_step(item, i) for i, item in enumerate(raw))
    return Plan(
        steps=steps,
        stop_on_reply=r.boolean(submission.get("stop_on_reply"), "stop_on_reply", default=False),
        stop_on_opt_out=r.boolean(
            submission.get("stop_on_opt_out"), "stop_on_opt_out", default=False
        ),
    )


def _read_step(item: object, i: int) -> Step:
    where = f"steps[{i}]"
    step = SUBMISSION.mapping(item, where)
    delay = step.get("delay_days", 0 if i == 0 else None)
    try:
        message = read_message(step)
    except SubmissionError as exc:
        raise exc.within(where) from None
    return Step(SUBMISSION.integer(delay, f"{where}.delay_days", minimum=0), message)


# ----------------------------------------------------------------------------- checks


def _touches(plan: Plan, real: Sequence[int]) -> Check:
    spec = SPEC["touches"]
    n = len(real)
    empty = len(plan.steps) - 1 - n
    low, high = IDEAL_FOLLOW_UPS
    said = f"{n} real follow-up{'s' if n != 1 else ''} after the first touch"
    if empty:
        verb = "repeats or bumps" if empty == 1 else "repeat or bump"
        said += f" ({empty} more only {verb})"
    if low <= n <= high:
        return spec.award(1, f"{said}: the sweet spot (3-email campaigns reply best, Belkins).")
    if n == 0:
        return spec.award(
            0,
            f"{said}: campaigns with a follow-up get more replies (Woodpecker: 13% vs 9%).",
            "Add 2-3 follow-ups, 2-5 days apart, each with something new.",
        )
    if n < low:
        return spec.award(
            0.5,
            f"{said}: the first lifts replies by 40-50%, and a second still helps.",
            "Add one more follow-up 2-5 days after the last one, with a new reason to reply.",
        )
    return spec.award(
        0.5 if n == high + 1 else 0.2,
        f"{said}: from the 4th email on, unsubscribes and spam complaints roughly triple.",
        f"Cut to {high} follow-ups at most: drop or merge the weakest step.",
        [Evidence.records([f"steps[{i}]" for i in real[high:]])],
    )


def _spacing(plan: Plan, real: Sequence[int]) -> Check:
    spec = SPEC["spacing"]
    low, high = SPACING_DAYS
    if not real:
        return spec.award(
            0, "No real follow-ups to space.", f"Add follow-ups {low}-{high} days apart."
        )
    scores, off = [], []
    for i in real:
        d = plan.steps[i].delay_days
        score = 1.0 if low <= d <= high else 0.5 if d in (low - 1, high + 1, high + 2) else 0.0
        scores.append(score)
        if score < 1:
            days = f"{d} day{'s' if d != 1 else ''}"
            off.append(Evidence.records([f"steps[{i}]"], f"{days} after step {i - 1}"))
    fraction = sum(scores) / len(scores)
    if not off:
        return spec.award(1, f"Every real follow-up waits {low}-{high} days.")
    return spec.award(
        fraction,
        f"{len(off)} of {len(scores)} follow-ups are outside the {low}-{high} day window.",
        f"Wait {low}-{high} days between touches: sooner feels pushy, later is forgotten.",
        off,
    )


def _channel_mix(plan: Plan, real: Sequence[int]) -> Check:
    spec = SPEC["channel_mix"]
    if not real:
        return spec.award(
            0,
            "No real follow-ups, so no second channel.",
            "Add a follow-up on LinkedIn or by phone.",
        )
    channels = sorted({plan.steps[i].message.channel for i in [0, *real]})
    if len(channels) >= 2:
        return spec.award(1, f"Mixes channels: {', '.join(channels)}.")
    return spec.award(
        0.5,
        f"Every step is {channels[0]}.",
        "Make one follow-up a LinkedIn note or a call to reach them where they answer.",
    )


def _stop_rules(plan: Plan, real: Sequence[int]) -> Check:
    spec = SPEC["stop_rules"]
    if not real:
        return spec.award(
            0,
            "No real follow-ups, so there is nothing for a stop rule to stop.",
            "Add follow-ups, and stop them on a reply and on an opt-out.",
        )
    fraction = (2 / 3 if plan.stop_on_opt_out else 0) + (1 / 3 if plan.stop_on_reply else 0)
    if plan.stop_on_opt_out and plan.stop_on_reply:
        return spec.award(1, "Stops on a reply and on an opt-out.")
    if plan.stop_on_opt_out:
        return spec.award(
            fraction,
            "Stops on an opt-out but keeps sending after a reply.",
            "Stop the sequence on any reply and answer the person yourself.",
        )
    also = "" if plan.stop_on_reply else " and on a reply"
    return spec.award(
        fraction,
        "Keeps sending after an opt-out, which CAN-SPAM forbids (honour it within 10 "
        "business days).",
        f"Set the sequence to stop on an opt-out{also}.",
    )


def repeats(assessments: Sequence[Assessment]) -> dict[int, Evidence]:
    """Follow-ups that bring nothing new: 3+ content words, and 40% of them, must be new
    (bump-only sentences such as "just following up" do not count)."""
    seen = _stems(assessments[0]) if assessments else frozenset()
    found: dict[int, Evidence] = {}
    for i, a in enumerate(assessments[1:], start=1):
        stems = _stems(a)
        new = stems - seen
        if len(new) < NEW_WORDS_MIN or len(new) < NEW_WORDS_SHARE * len(stems):
            found[i] = nest_evidence(a.body.span(_repeat_example(a, seen)), f"steps[{i}]")
        seen |= stems
    return found


def _new_angle(assessments: Sequence[Assessment], repeated: Mapping[int, Evidence]) -> Check:
    spec = SPEC["new_angle"]
    if len(assessments) < 2:
        return spec.award(
            0, "No follow-ups to judge.", "Add follow-ups that each bring a new fact or offer."
        )
    n = len(assessments) - 1
    if not repeated:
        return spec.award(1, "Every follow-up brings something new.")
    return spec.award(
        (n - len(repeated)) / n,
        f"{len(repeated)} of {n} follow-ups mostly repeat earlier steps.",
        "Give each follow-up a new reason to reply: a fresh fact, a case study or a useful tip.",
        list(repeated.values()),
    )


def _stems(a: Assessment) -> frozenset[str]:
    """Content words of a step, leaving out the footer and any bump-only sentence."""
    body = a.body
    keep = [i for i in body.core if not _BUMP_RE.search(body.sentences[i].of(body.text))]
    return frozenset().union(*(body.stems[i] for i in keep))


def _repeat_example(a: Assessment, seen: frozenset[str]) -> text.Span:
    """The sentence that best shows the repetition: a bump, else the longest echo."""
    body = a.body
    bump = _BUMP_RE.search(body.text)
    if bump:
        return text.Span(bump.start(), bump.end())
    core = body.core or list(range(len(body.sentences)))
    return body.sentences[max(core, key=lambda i: len(body.stems[i] & seen))]


def _message_quality(parts: Sequence[Grade], counted: Sequence[int]) -> Check:
    spec = SPEC["message_quality"]
    shares = {i: parts[i].score / parts[i].possible if parts[i].possible else 0.0 for i in counted}
    listing = ", ".join(f"step {i}: {100 * s:.0f}%" for i, s in shares.items())
    mean = sum(shares.values()) / len(shares)
    verdict = f"Messages average {100 * mean:.0f}% on the outreach rubric ({listing})."
    weakest = min(shares, key=lambda i: shares[i])
    lost = [c for c in parts[weakest].checks if not c.full_marks]
    if not lost:
        return spec.award(mean, verdict)
    worst = max(lost, key=lambda c: c.possible - c.points)
    return spec.award(
        mean,
        verdict,
        f"Step {weakest}, {worst.id}: {worst.advice}",
        worst.evidence,
    )


# ----------------------------------------------------------------------------- grading


def grade_submission(submission: Mapping[str, object], context: Mapping[str, object]) -> Grade:
    plan = read_plan(submission)
    ctx = read_context(context)
    assessments = [assess(s.message, ctx, first_touch=(i == 0)) for i, s in enumerate(plan.steps)]
    parts = [nest_grade(build_grade(a, ctx), f"steps[{i}]") for i, a in enumerate(assessments)]
    repeated = repeats(assessments)
    real = [i for i in range(1, len(plan.steps)) if i not in repeated]
    builder = GradeBuilder(RUBRIC_ID, RUBRIC_VERSION, "sequence", CHECKS)
    for check in (
        _touches(plan, real),
        _spacing(plan, real),
        _channel_mix(plan, real),
        _stop_rules(plan, real),
        _new_angle(assessments, repeated),
        _message_quality(parts, [0, *real]),
    ):
        builder.add(check)
    builder.parts.extend(parts)
    if ctx.prospect.do_not_contact:
        gate = Gate(
            "this prospect asked not to be contacted, so no sequence should start",
            "Choose a prospect who has not opted out.",
        )
        builder.gate(gate, [s.id for s in CHECKS])
    return builder.build()
