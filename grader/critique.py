"""Critique rubric: find the planted flaws of a weak campaign, quote them, fix each step.

Drill ``campaign-critique`` (lessons cold-email, sequences-and-nurturing, email-rules).
Per step the learner names up to two flaws (``flaw_1``/``flaw_2``), quotes where each
shows (``quote_1``/``quote_2``) and writes a fixed version (``fix``).

The key: per step, per planted flaw, ``spans`` (where it shows; empty for something
missing), ``why`` and an optional ``weight`` (2 for the flaws that break the law: a
deceptive subject, a missing opt-out or postal address). A step's ``tolerated`` list names
flaws a fair reader could also see there (a generic opener): neither credited nor counted
as invented.

Why the fixes are read with the outreach layer: a critique that names "hype" and then
rewrites the step with more hype has not learned the point. So each fixed step must no
longer show its flaws, judged by the same detectors the outreach rubric uses (hype and
pressure phrases, the ask parser, the opt-out finder).

Blind answers earn nothing beyond the flaws they happen to name (issue #15): a flaw of
something missing has nothing to quote, so ``quotes`` judges only the flaws found that show
in words (naming "missing_footer" everywhere quotes nothing), and a fix counts for a flaw
only when that flaw was named on its step (a stock sentence under every step fixes what it
never found: nothing).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from grader import text
from grader.drill_input import Drill, HandIn, above_chance, read_drill, read_hand_in
from grader.fields import CONTEXT
from grader.outreach.asks import pushy_phrases
from grader.outreach.footer import opt_out
from grader.replies_drafts import ask_spans
from grader.results import Check, Evidence, Grade
from grader.rubric import CheckSpec, GradeBuilder, ratio_text

RUBRIC_ID = "critique"
RUBRIC_VERSION = "1.1.0"
#: Graded from a drill file (course/drills), without a sandbox run or an exercise spec.
DRILL = True

CHECKS = (
    CheckSpec(
        "flaws_found", 40, "Each planted flaw named on its step (law-breaking ones count double)."
    ),
    CheckSpec("quotes", 15, "Each flaw found is quoted from the words where it shows."),
    CheckSpec("false_flaws", 15, "No flaw named that the step does not have."),
    CheckSpec("fixes", 30, "Each fixed step no longer shows its flaws."),
)
_SPEC = {s.id: s for s in CHECKS}
SLOTS = (("flaw_1", "quote_1"), ("flaw_2", "quote_2"))
_ZONE_RE = re.compile(r"\b(?:CT|CST|CDT|central|chicago|their time|local time)\b", re.IGNORECASE)
_REPLY_RE = re.compile(r"^\s*(?:subject:\s*)?(?:re|fwd?):", re.IGNORECASE | re.MULTILINE)
_FOOTER_WORDS_RE = re.compile(r"opt[- ]?out|unsubscribe|postal address|address", re.IGNORECASE)


def _no_hype(fix: str) -> bool:
    return not text.spam_phrases(fix)


def _no_pressure(fix: str) -> bool:
    return not pushy_phrases(fix)


def _one_ask(fix: str) -> bool:
    return len(ask_spans(fix)) <= 1


def _no_fake_reply(fix: str) -> bool:
    return not _REPLY_RE.search(fix)


def _has_footer(fix: str) -> bool:
    return opt_out(fix, text.sentences(fix)) is not None or bool(_FOOTER_WORDS_RE.search(fix))


def _written(fix: str) -> bool:
    return bool(fix.strip())


def _names_zone(fix: str) -> bool:
    return bool(_ZONE_RE.search(fix))


#: What a fixed step must show for each kind of flaw (anything written, for the rest).
FIXED_WHEN: Mapping[str, Callable[[str], bool]] = {
    "hype": _no_hype,
    "pressure": _no_pressure,
    "two_asks": _one_ask,
    "fake_reply": _no_fake_reply,
    "missing_footer": _has_footer,
    "wrong_time_zone": _names_zone,
}


@dataclass(frozen=True)
class Flaw:
    step: str
    kind: str
    spans: tuple[str, ...]
    weight: float
    why: str


def grade_submission(submission: Mapping[str, object], context: Mapping[str, object]) -> Grade:
    """Grade a critique: flaws named, quoted, not invented, and fixed in the rewrite."""
    drill = read_drill(context)
    flaws = _read_flaws(drill)
    hand = read_hand_in(submission, drill)
    b = GradeBuilder(RUBRIC_ID, RUBRIC_VERSION, RUBRIC_ID, CHECKS)
    named = {step: _named(hand, step) for step in drill.items}
    b.add(_found(drill, flaws, hand, named))
    b.add(_quotes(drill, flaws, hand, named))
    b.add(_false(drill, flaws, hand, named))
    b.add(_fixes(flaws, hand, named))
    return b.build()


def _read_flaws(drill: Drill) -> list[Flaw]:
    flaws = []
    for step, raw in drill.key.items():
        if step not in drill.items:
            raise CONTEXT.fail(f"drill.key.{step}", "not a step of the campaign")
        for kind, entry in CONTEXT.mapping(raw, f"drill.key.{step}").items():
            if kind == "tolerated":
                continue
            where = f"drill.key.{step}.{kind}"
            e = CONTEXT.mapping(entry, where)
            weight = CONTEXT.optional_number(e.get("weight"), f"{where}.weight") or 1.0
            flaws.append(
                Flaw(
                    step,
                    kind,
                    CONTEXT.text_list(e.get("spans"), f"{where}.spans"),
                    weight,
                    " ".join(CONTEXT.text(e.get("why", ""), f"{where}.why").split()),
                )
            )
    return flaws


def _named(hand: HandIn, step: str) -> dict[str, str]:
    """Flaw kind -> the slot's quote field, for the flaws the learner named on ``step``."""
    found: dict[str, str] = {}
    for flaw_field, quote_field in SLOTS:
        kind = hand.value(step, flaw_field)
        if kind and kind != "none" and kind not in found:
            found[kind] = quote_field
    return found


def _blind_share(drill: Drill, flaws: Sequence[Flaw]) -> float:
    """The weighted share of the planted flaws the best fixed set of flaw names, named on
    every step (one per slot), would find: what naming without reading gets."""
    options = [o for o in drill.fields[SLOTS[0][0]].options if o != "none"]
    total = sum(f.weight for f in flaws)
    if not total:
        return 0.0
    return max(
        (
            sum(f.weight for f in flaws if f.kind in names) / total
            for names in combinations(options, min(len(SLOTS), len(options)))
        ),
        default=0.0,
    )


def _found(
    drill: Drill, flaws: Sequence[Flaw], hand: HandIn, named: Mapping[str, Mapping[str, str]]
) -> Check:
    spec = _SPEC["flaws_found"]
    got = sum(f.weight for f in flaws if f.kind in named[f.step])
    missed = [f for f in flaws if f.kind not in named[f.step]]
    evidence = [Evidence.records([f.step], f"missed {f.kind}: {f.why}") for f in missed]
    total = sum(f.weight for f in flaws)
    chance = _blind_share(drill, flaws)
    return spec.award(
        above_chance(got / total, chance) if total else 1.0,
        f"Planted flaws found: {ratio_text(len(flaws) - len(missed), len(flaws))}, "
        f"{100 * got / total if total else 100:.0f}% by weight. The same "
        f"{len(SLOTS)} flaw names on every step would find {100 * chance:.0f}%, so only what "
        "is above that counts.",
        "Read each step for hype, asks, honesty of the subject, the footer, timing in the "
        "prospect's zone, and whether it adds anything new.",
        evidence or [Evidence.records(sorted({f.step for f in flaws}), "all found")],
    )


def _norm(value: str) -> str:
    return " ".join(value.split()).casefold()


def _step_text(drill: Drill, step: str) -> str:
    item = drill.items[step]
    return _norm(" ".join(str(item.get(k, "")) for k in ("send", "subject", "body")))


def _overlaps(haystack: str, quote: str, spans: Sequence[str]) -> bool:
    at = haystack.find(quote)
    if not quote or at < 0:
        return False
    for span in spans:
        s = haystack.find(_norm(span))
        if s >= 0 and at < s + len(_norm(span)) and s < at + len(quote):
            return True
    return False


def _quotes(
    drill: Drill, flaws: Sequence[Flaw], hand: HandIn, named: Mapping[str, Mapping[str, str]]
) -> Check:
    spec = _SPEC["quotes"]
    # A flaw of something missing has no words to quote: only flaws that show are judged.
    judged = [f for f in flaws if f.kind in named[f.step] and f.spans]
    good, evidence = 0, []
    for f in judged:
        field = named[f.step][f.kind]
        quote = _norm(hand.value(f.step, field))
        if _overlaps(_step_text(drill, f.step), quote, f.spans):
            good += 1
            continue
        note = f"expected the words where {f.kind} shows, e.g. {f.spans[0]!r}"
        evidence.append(hand.quote(f.step, field, note))
    return spec.award(
        good / len(judged) if judged else 0.0,
        f"Flaws quoted where they show: {ratio_text(good, len(judged))}.",
        "Copy the exact words from the step, so the writer sees what to change.",
        evidence
        or [
            Evidence.records(
                [f.step for f in judged] or ["(none)"],
                "quoted" if judged else "no flaw found that shows in words",
            )
        ],
    )


def _nothing_wrong(ids: list[str], note: str, empty_note: str) -> Evidence:
    return Evidence.records(ids, note) if ids else Evidence.records(["(none)"], empty_note)


def _false(
    drill: Drill, flaws: Sequence[Flaw], hand: HandIn, named: Mapping[str, Mapping[str, str]]
) -> Check:
    spec = _SPEC["false_flaws"]
    planted = {(f.step, f.kind) for f in flaws}
    for step, raw in drill.key.items():
        entry = CONTEXT.mapping(raw, f"drill.key.{step}")
        tolerated = CONTEXT.text_list(entry.get("tolerated"), f"drill.key.{step}.tolerated")
        planted |= {(step, kind) for kind in tolerated}
    wrong = []
    for step in drill.items:
        for flaw_field, _ in SLOTS:
            kind = hand.value(step, flaw_field)
            if kind and kind != "none" and (step, kind) not in planted:
                wrong.append(hand.quote(step, flaw_field, f"{step} does not have {kind}"))
    # Naming only what a fair reader might also see (a tolerated flaw) finds nothing: the
    # check counts once at least one planted flaw is named where it is.
    anything = any(f.kind in named[f.step] for f in flaws)
    return spec.award(
        (1 - 0.25 * len(wrong)) if anything else 0.0,
        f"Flaws named that are not there: {len(wrong)}.",
        "Name only what you can quote or show: a made-up flaw sends the writer the wrong way.",
        wrong
        or [
            Evidence.records(
                list(drill.items), "none invented" if anything else "no planted flaw named"
            )
        ],
    )


def _fixes(flaws: Sequence[Flaw], hand: HandIn, named: Mapping[str, Mapping[str, str]]) -> Check:
    """The weighted share of the flaws named on their step *and* gone from its fixed version
    (a law-breaking flaw weighs double here too)."""
    spec = _SPEC["fixes"]
    steps = sorted({f.step for f in flaws})
    got, evidence = 0.0, []
    for step in steps:
        fix = hand.rows.get(step, {}).get("fix", "")
        if not fix.strip():
            evidence.append(Evidence.records([step], "no fixed version"))
            continue
        mine = [f for f in flaws if f.step == step]
        unnamed = [f.kind for f in mine if f.kind not in named[step]]
        still = [
            f.kind
            for f in mine
            if f.kind in named[step] and not FIXED_WHEN.get(f.kind, _written)(fix)
        ]
        got += sum(f.weight for f in mine if f.kind not in unnamed and f.kind not in still)
        if still or unnamed:
            said = [f"still shows: {', '.join(still)}"] if still else []
            said += [f"fixes no flaw you did not name: {', '.join(unnamed)}"] if unnamed else []
            note = f"the fixed version {'; '.join(said)}"
            evidence.append(Evidence.span(f"rows.{step}.fix", fix, 0, len(fix), note))
    total = sum(f.weight for f in flaws)
    return spec.award(
        got / total if total else 1.0,
        f"Flaws named and fixed: {100 * got / total if total else 100:.0f}% by weight (a flaw "
        "counts as fixed only when you named it on its step).",
        "Rewrite each step so the flaw is gone: one ask, no hype or pressure, an honest "
        "subject, the footer, the send time in the prospect's zone.",
        evidence or [Evidence.records(steps, "every step fixed")],
    )
