"""Replies rubric: sort a batch of prospect replies, choose the CRM action, draft answers.

Drill ``reply-handling-drill`` (lessons handling-replies, sequences-and-nurturing). The
drill's hidden ``key`` gives, per reply: the accepted ``kind`` (a list), the ``crm`` action,
``opt_out: true`` for a request to stop, the ``asks`` range a good answer has
(``[0, 0]`` after an opt-out), what the answer ``must`` say, ``draft: none`` where the right
answer is silence, ``time: true`` where the answer must confirm a time, and ``why``. The
key's ``zones`` lists, per reply, the words that name the prospect's time zone.

Why opt-outs weigh most: a missed opt-out is the one mistake here that breaks the law
(CAN-SPAM, PECR, UK GDPR's right to object) and earns complaints; a misfiled "not now"
costs only a later meeting.

Blind answers earn nothing (issue #15): suppressing every reply catches every opt-out, so
``opt_outs`` is the share of opt-outs caught minus the share of other replies suppressed;
``reply_kinds`` and ``crm_actions`` are graded above what the best single option on every
reply gets, and ``answers`` above what leaving every draft empty gets (the out-of-office
rows); ``one_ask``, ``tone`` and ``time_zones`` judge only drafts that say something their
reply needs, so a stock line or a reply pasted back earns no style points.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from grader.drill_input import (
    Drill,
    HandIn,
    above_chance,
    chance_text,
    constant_share,
    read_drill,
    read_hand_in,
)
from grader.fields import CONTEXT
from grader.replies_drafts import (
    Requirement,
    ask_spans,
    clock_times,
    read_requirements,
    tone_flags,
    zoned,
)
from grader.results import Check, Evidence, Grade
from grader.rubric import CheckSpec, GradeBuilder, ratio_text
from grader.text import Span

RUBRIC_ID = "replies"
RUBRIC_VERSION = "1.1.0"
#: Graded from a drill file (course/drills), without a sandbox run or an exercise spec.
DRILL = True

CHECKS = (
    CheckSpec(
        "opt_outs",
        30,
        "Every request to stop (with or without the word unsubscribe) suppressed on all channels.",
    ),
    CheckSpec("reply_kinds", 15, "Each other reply sorted into the right kind."),
    CheckSpec("crm_actions", 15, "Each other reply given the right CRM action."),
    CheckSpec("answers", 20, "Each draft says what that reply needs; silence where none is due."),
    CheckSpec("one_ask", 10, "One clear ask at most per draft, and none after an opt-out."),
    CheckSpec("tone", 5, "No hype, pressure, shouting or exclamation runs in any draft."),
    CheckSpec("time_zones", 5, "Every time of day written in the prospect's zone."),
)
_SPEC = {s.id: s for s in CHECKS}


@dataclass(frozen=True)
class ReplyKey:
    """What the key says about one reply."""

    id: str
    kinds: tuple[str, ...]
    crm: str
    opt_out: bool
    why: str
    silent: bool
    asks: tuple[int, int]
    must: tuple[Requirement, ...]
    time: bool
    zone: tuple[str, ...]


def grade_submission(submission: Mapping[str, object], context: Mapping[str, object]) -> Grade:
    """Grade one hand-in of a reply-handling drill against the drill's key."""
    drill = read_drill(context)
    keys = _read_keys(drill)
    hand = read_hand_in(submission, drill)
    b = GradeBuilder(RUBRIC_ID, RUBRIC_VERSION, RUBRIC_ID, CHECKS)
    b.add(_opt_outs(keys, hand))
    others = [k for k in keys if not k.opt_out]
    b.add(_choices("reply_kinds", "kind", others, hand, drill.fields["kind"].options))
    b.add(_choices("crm_actions", "crm", others, hand, drill.fields["crm"].options))
    b.add(_answers(keys, hand))
    said = {k.id for k in keys if _says_something(k, hand)}
    b.add(_one_ask(keys, hand, said))
    judged = [k for k in keys if not k.silent]
    share = len(said) / len(judged) if judged else 1.0
    b.add(_tone(keys, hand, share))
    b.add(_time_zones(keys, hand, share))
    return b.build()


def _read_keys(drill: Drill) -> list[ReplyKey]:
    zones = CONTEXT.optional_mapping(drill.key.get("zones"), "drill.key.zones")
    keys = []
    for item_id in drill.items:
        if item_id not in drill.key:
            continue
        k = drill.key_for(item_id)
        where = f"drill.key.{item_id}"
        asks = CONTEXT.sequence(k.get("asks", [0, 1]), f"{where}.asks", max_items=2)
        if len(asks) != 2:
            raise CONTEXT.fail(f"{where}.asks", "must be [fewest, most]")
        low, high = (CONTEXT.integer(a, f"{where}.asks", minimum=0) for a in asks)
        keys.append(
            ReplyKey(
                id=item_id,
                kinds=CONTEXT.text_list(k.get("kind"), f"{where}.kind"),
                crm=CONTEXT.text(k.get("crm"), f"{where}.crm", blank=False),
                opt_out=CONTEXT.boolean(k.get("opt_out"), f"{where}.opt_out", default=False),
                why=" ".join(CONTEXT.text(k.get("why", ""), f"{where}.why").split()),
                silent=k.get("draft") == "none",
                asks=(low, high),
                must=read_requirements(k.get("must"), f"{where}.must"),
                time=CONTEXT.boolean(k.get("time"), f"{where}.time", default=False),
                zone=CONTEXT.text_list(zones.get(item_id), f"drill.key.zones.{item_id}"),
            )
        )
    if not any(k.opt_out for k in keys):
        raise CONTEXT.fail("drill.key", "a reply drill needs at least one opt-out reply")
    return keys


def _opt_outs(keys: Sequence[ReplyKey], hand: HandIn) -> Check:
    """Opt-outs caught minus other replies suppressed: suppressing everyone catches nothing."""
    spec = _SPEC["opt_outs"]
    wanted = [k for k in keys if k.opt_out]
    others = [k for k in keys if not k.opt_out]
    suppress = wanted[0].crm
    missed = [k for k in wanted if hand.value(k.id, "crm") != k.crm]
    needless = [k for k in others if hand.value(k.id, "crm") == suppress]
    caught = len(wanted) - len(missed)
    evidence = [hand.quote(k.id, "crm", f"expected {k.crm}: {k.why}") for k in missed]
    evidence += [
        hand.quote(k.id, "crm", f"not a request to stop; expected {k.crm}: {k.why}")
        for k in needless
    ]
    score = caught / len(wanted) - (len(needless) / len(others) if others else 0.0)
    return spec.award(
        score,
        f"Opt-outs suppressed on every channel: {ratio_text(caught, len(wanted))}; other "
        f"replies suppressed too: {ratio_text(len(needless), len(others))} (each share of "
        "those is taken off).",
        'Treat any request to stop ("don\'t email me again", "stop spamming me") as an '
        "opt-out: flag the record, add it to the suppression list and stop every task; "
        "suppress no one who did not ask.",
        evidence or [Evidence.records([k.id for k in wanted], "every request to stop suppressed")],
    )


def _choices(
    check_id: str, field: str, keys: Sequence[ReplyKey], hand: HandIn, options: Sequence[str]
) -> Check:
    spec = _SPEC[check_id]
    chance = constant_share(keys, options, lambda k, o: o in _accepted(k, field))
    wrong = []
    for k in keys:
        accepted = _accepted(k, field)
        if hand.value(k.id, field) not in accepted:
            wrong.append(hand.quote(k.id, field, f"expected {' or '.join(accepted)}: {k.why}"))
    right = len(keys) - len(wrong)
    label = "Replies sorted" if field == "kind" else "CRM actions"
    advice = (
        "Sort by what the reply asks for: a question, a referral, a date, silence."
        if field == "kind"
        else "Record what the reply changes: a new contact, a dated nurture, a pause, a lead."
    )
    return spec.award(
        above_chance(right / len(keys), chance) if keys else 1.0,
        f"{label} right: {ratio_text(right, len(keys))}.{chance_text(chance)}",
        advice,
        wrong or [Evidence.records([k.id for k in keys], "all as expected")],
    )


def _accepted(k: ReplyKey, field: str) -> tuple[str, ...]:
    return k.kinds if field == "kind" else (k.crm,)


def _says_something(k: ReplyKey, hand: HandIn) -> bool:
    """A draft for a reply that needs one, saying at least one thing the key says it must."""
    draft = hand.rows.get(k.id, {}).get("draft", "")
    if k.silent or not draft.strip():
        return False
    return not k.must or any(req.find(draft) is not None for req in k.must)


def _answers(keys: Sequence[ReplyKey], hand: HandIn) -> Check:
    spec = _SPEC["answers"]
    score = 0.0
    evidence = []
    for k in keys:
        draft = hand.rows.get(k.id, {}).get("draft", "")
        field = f"rows.{k.id}.draft"
        if k.silent:
            if draft.strip():
                evidence.append(
                    Evidence.span(field, draft, 0, len(draft), f"expected no answer: {k.why}")
                )
            else:
                score += 1
            continue
        if not draft.strip():
            evidence.append(Evidence.records([k.id], f"no draft; expected an answer: {k.why}"))
            continue
        missing = [req.label for req in k.must if req.find(draft) is None]
        score += 1 - len(missing) / len(k.must) if k.must else 1
        if missing:
            note = f"missing {'; '.join(missing)}: {k.why}"
            evidence.append(Evidence.span(field, draft, 0, len(draft), note))
    # Leaving every draft empty is right for the silent rows: only what is above that counts.
    chance = sum(1 for k in keys if k.silent) / len(keys)
    return spec.award(
        above_chance(score / len(keys), chance),
        f"Drafts that say what the reply needs: {score:.1f} of {len(keys)}. Leaving every "
        f"draft empty would get {100 * chance:.0f}% of these, so only what is above that counts.",
        "Answer the question that was asked (the source, the price, a named month), and "
        "send nothing to an out-of-office.",
        evidence or [Evidence.records([k.id for k in keys], "every draft answers its reply")],
    )


def _one_ask(keys: Sequence[ReplyKey], hand: HandIn, said: set[str]) -> Check:
    spec = _SPEC["one_ask"]
    judged = [k for k in keys if not k.silent]
    good = 0
    evidence = []
    for k in judged:
        draft = hand.rows.get(k.id, {}).get("draft", "")
        if not draft.strip():
            evidence.append(Evidence.records([k.id], "no draft to judge"))
            continue
        spans = ask_spans(draft)
        low, high = k.asks
        if low <= len(spans) <= high:
            if k.id in said:
                good += 1
            else:
                note = f"the draft says nothing this reply needs: {k.why}"
                evidence.append(Evidence.span(f"rows.{k.id}.draft", draft, 0, len(draft), note))
            continue
        field = f"rows.{k.id}.draft"
        want = "no ask at all" if high == 0 else f"{low} to {high} asks"
        if low == high and high:
            want = f"exactly {low}"
        note = f"{len(spans)} asks; expected {want}"
        quoted = spans or [Span(0, len(draft))]
        evidence += [Evidence.span(field, draft, s.start, s.end, note) for s in quoted]
    return spec.award(
        good / len(judged) if judged else 1.0,
        f"Drafts with the right number of asks: {ratio_text(good, len(judged))}.",
        "End with one easy next step; after an opt-out or an angry reply, ask for nothing.",
        evidence or [Evidence.records([k.id for k in judged], "one clear ask at most")],
    )


def _tone(keys: Sequence[ReplyKey], hand: HandIn, said: float) -> Check:
    """Calm drafts, counted as far as the drafts say what their replies need (``said``)."""
    spec = _SPEC["tone"]
    evidence = []
    for k in keys:
        draft = hand.rows.get(k.id, {}).get("draft", "")
        for span, what in tone_flags(draft):
            note = f"{what}: answers to replies are plain and calm"
            evidence.append(Evidence.span(f"rows.{k.id}.draft", draft, span.start, span.end, note))
    return spec.award(
        (1 - 0.25 * len(evidence)) * said,
        f"Hype, pressure or shouting found: {len(evidence)}; counted for the "
        f"{100 * said:.0f}% of drafts that say what their reply needs.",
        "Write answers as one person to another: no hype words, urgency or capitals.",
        evidence or [Evidence.records([k.id for k in keys], "plain and calm")],
    )


def _time_zones(keys: Sequence[ReplyKey], hand: HandIn, said: float) -> Check:
    """Zoned times, counted as far as the drafts say what their replies need (``said``)."""
    spec = _SPEC["time_zones"]
    total = good = 0
    evidence = []
    for k in keys:
        draft = hand.rows.get(k.id, {}).get("draft", "")
        times = clock_times(draft)
        if k.time and not times:
            total += 1
            evidence.append(Evidence.records([k.id], f"no time confirmed: {k.why}"))
        for span in times:
            total += 1
            if zoned(draft, span, k.zone):
                good += 1
                continue
            note = f"no time zone with this time; expected one of: {', '.join(k.zone)}"
            evidence.append(Evidence.span(f"rows.{k.id}.draft", draft, span.start, span.end, note))
    return spec.award(
        (good / total if total else 1.0) * said,
        f"Times written in the prospect's zone: {ratio_text(good, total)}; counted for the "
        f"{100 * said:.0f}% of drafts that say what their reply needs.",
        'Write every time in the prospect\'s zone and say so ("Thursday 2pm ET").',
        evidence or [Evidence.records([k.id for k in keys], "no time without its zone")],
    )
