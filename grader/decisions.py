"""Decisions rubric: one choice (and an optional short reason) per scenario item.

A generic drill kind (docs/rubrics.md, "Decisions"; the drill contract's last section). The
drill declares a choice field named ``choice`` and may declare a text field named
``reason``. Its key has one row per item::

    key:
      rows:
        s01: {answer: [crm], why: "...", weight: 2, reason_terms: [opt-out, suppress]}

``answer`` lists every acceptable option (at least one option of the field must be wrong,
or the row teaches nothing); ``weight`` (default 1) is how much the row counts;
``reason_terms`` are words a good reason mentions (any one, case-insensitive).

Scoring: ``decisions`` (80 points) is the weighted share of rows chosen right, graded above
chance: the share the best single option would get if given on every row is subtracted
first (:func:`grader.drill_input.above_chance`), so answering "B" everywhere earns nothing
however many rows the key answers "B". ``reasons`` (20 points) is the weighted share of the
rows with ``reason_terms`` whose choice is right *and* whose reason names a term, graded
above the same baseline (a blind choice with reasons pasted from the table earns nothing):
a wrong choice earns no credit for its reason. When no row
has ``reason_terms`` the ``reasons`` check is skipped, so the grade is out of 80 points and
its percentage is that of ``decisions``. Unanswered rows score nothing; they are not errors.
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
    weigh,
)
from grader.fields import CONTEXT
from grader.results import Check, Evidence, Grade
from grader.rubric import CheckSpec, GradeBuilder, ratio_text

RUBRIC_ID = "decisions"
RUBRIC_VERSION = "1.1.0"
#: Graded from a drill file (course/drills), without a sandbox run or an exercise spec.
DRILL = True

CHECKS = (
    CheckSpec("decisions", 80, "Each scenario gets an acceptable choice (weighted by the key)."),
    CheckSpec("reasons", 20, "Each right choice that needs a reason names what decides it."),
)
_SPEC = {s.id: s for s in CHECKS}
CHOICE = "choice"
REASON = "reason"


@dataclass(frozen=True)
class Row:
    """What the key expects for one item."""

    id: str
    answer: tuple[str, ...]
    why: str
    weight: float
    terms: tuple[str, ...]

    def expected(self) -> str:
        return f"expected {' or '.join(self.answer)}: {self.why}"


def grade_submission(submission: Mapping[str, object], context: Mapping[str, object]) -> Grade:
    """Grade every item's choice (and reason) against the drill's key."""
    drill = read_drill(context)
    rows = read_key(drill)
    hand = read_hand_in(submission, drill)
    b = GradeBuilder(RUBRIC_ID, RUBRIC_VERSION, RUBRIC_ID, CHECKS)
    decided = _decisions(rows, hand, _chance(rows, drill.fields[CHOICE].options))
    b.add(decided)
    reasoned = [r for r in rows if r.terms]
    if reasoned and REASON in drill.fields:
        b.add(_reasons(reasoned, hand, decided.points / decided.possible))
    else:
        b.skip("reasons", "this drill asks for no reasons the key can check")
    return b.build()


def read_key(drill: Drill) -> list[Row]:
    """The key's rows in table order; a spec error (naming ``drill...``) when they do not fit."""
    field = drill.fields.get(CHOICE)
    if field is None or field.type != "choice":
        raise CONTEXT.fail("drill.fields", "a decisions drill needs a choice field named 'choice'")
    reason = drill.fields.get(REASON)
    if reason is not None and reason.type != "text":
        raise CONTEXT.fail("drill.fields", "the field 'reason' must be a text field")
    keyed = CONTEXT.mapping(drill.key.get("rows"), "drill.key.rows")
    unknown = sorted(set(keyed) - set(drill.items))
    if unknown:
        raise CONTEXT.fail(f"drill.key.rows.{unknown[0]}", "not an item of the drill")
    rows = []
    for item_id in drill.items:
        where = f"drill.key.rows.{item_id}"
        k = CONTEXT.mapping(keyed.get(item_id), where)
        answer = CONTEXT.text_list(k.get("answer"), f"{where}.answer")
        if not answer:
            raise CONTEXT.fail(f"{where}.answer", "must list at least one acceptable option")
        for i, option in enumerate(answer):
            if option not in field.options:
                raise CONTEXT.fail(f"{where}.answer[{i}]", "not an option of the choice field")
        if set(field.options) <= set(answer):
            raise CONTEXT.fail(f"{where}.answer", "every option is accepted: nothing to decide")
        why = " ".join(CONTEXT.text(k.get("why"), f"{where}.why", blank=False).split())
        weight = weigh(k.get("weight", 1), f"{where}.weight")
        terms = CONTEXT.text_list(k.get("reason_terms"), f"{where}.reason_terms")
        rows.append(Row(item_id, answer, why, weight, tuple(t.casefold() for t in terms)))
    return rows


def _right(row: Row, hand: HandIn) -> bool:
    return hand.value(row.id, CHOICE) in row.answer


def _chance(rows: Sequence[Row], options: Sequence[str]) -> float:
    """The weighted share the best single option, chosen on every row, gets right."""
    return constant_share(rows, options, lambda r, o: o in r.answer, lambda r: r.weight)


def _decisions(rows: Sequence[Row], hand: HandIn, chance: float) -> Check:
    spec = _SPEC["decisions"]
    right = [r for r in rows if _right(r, hand)]
    wrong = [r for r in rows if not _right(r, hand)]
    # The heaviest mistakes first: they cost the most.
    wrong.sort(key=lambda r: -r.weight)
    share = sum(r.weight for r in right) / sum(r.weight for r in rows)
    return spec.award(
        above_chance(share, chance),
        f"Scenarios decided right: {ratio_text(len(right), len(rows))}, "
        f"{100 * share:.0f}% by weight.{chance_text(chance)}",
        "Read each expected answer and its reason below, then reread the lesson section "
        "behind the heaviest rows you missed.",
        [hand.quote(r.id, CHOICE, r.expected()) for r in wrong]
        or [Evidence.records([r.id for r in rows], "all decided right")],
    )


def _names_a_term(row: Row, hand: HandIn) -> bool:
    reason = hand.value(row.id, REASON).casefold()
    return any(term in reason for term in row.terms)


def _reasons(rows: Sequence[Row], hand: HandIn, decided: float) -> Check:
    """The share of right choices with a good reason, times the decisions' credit above
    chance: reasons pasted beside blind choices earn nothing, and a hand-in with every choice
    right keeps the plain share of good reasons."""
    spec = _SPEC["reasons"]
    good = [r for r in rows if _right(r, hand) and _names_a_term(r, hand)]
    right = [r for r in rows if _right(r, hand)]
    missing = [r for r in right if not _names_a_term(r, hand)]
    judged = sum(r.weight for r in right)
    share = sum(r.weight for r in good) / judged if judged else 0.0
    score = share * decided
    evidence = [
        hand.quote(r.id, REASON, f"a good reason names {' or '.join(r.terms)}: {r.why}")
        for r in missing
    ]
    return spec.award(
        score,
        f"Right choices with a reason that names what decides them: "
        f"{ratio_text(len(good), len(right))}; counted as far as the choices are above chance.",
        "Say in a few words what decides the case (the fact, the rule, the figure); a wrong "
        "choice earns nothing for its reason.",
        evidence or [Evidence.records([r.id for r in good or rows], "reasons checked")],
    )
