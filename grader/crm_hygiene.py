"""CRM-hygiene rubric: one fix per record of a CRM export with planted problems.

Drill ``crm-cleanup`` (lessons crm-hygiene, crm-and-pipeline, what-is-a-lead). Per record
the learner picks an ``action`` (``keep``, ``merge`` with ``merge_into``, a stage fix,
``add_source``, ``sync_opt_out``, ``suppress_bounce``) and may write a ``note``.

The key lists only the records with a problem: ``action``, ``problem`` (``opt_out``,
``duplicate``, ``stage``, ``source``, ``bounce``), ``why``, and for duplicates ``into`` (the
older record to keep) and optionally ``flag: opt_out`` (the merged record must carry it).
Every other record is clean and should be kept.

Why the opt-out weighs most: an opt-out that reached only one tool is the error that
sends an unlawful email next week; a duplicate or a wrong stage only skews the numbers.
Stages follow course/glossary.yaml: a lead has shown interest, an SQL has a first meeting
booked, a meeting is held only when the prospect was there.

Blind answers earn nothing (issue #15): ``sync_opt_out`` on every record syncs the opt-out
and wrecks 31 clean records, so each check is what it finds minus what it gets wrong
elsewhere: the share of its records fixed, less the share of the other records given its
action (``merge``, a stage move, ``add_source``, ``suppress_bounce``, ``sync_opt_out``;
for ``clean_records``, ``keep`` on a record with a problem). One action on every row
scores at most zero on every check.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from grader.drill_input import Drill, HandIn, read_drill, read_hand_in
from grader.fields import CONTEXT
from grader.results import Check, Evidence, Grade
from grader.rubric import CheckSpec, GradeBuilder, ratio_text

RUBRIC_ID = "crm_hygiene"
RUBRIC_VERSION = "1.1.0"
#: Graded from a drill file (course/drills), without a sandbox run or an exercise spec.
DRILL = True

CHECKS = (
    CheckSpec(
        "opt_outs",
        30,
        "The opt-out held in one tool only is synced, and a merge keeps the strictest flag.",
    ),
    CheckSpec("duplicates", 20, "Each duplicate merged into the older record."),
    CheckSpec("stages", 25, "Each stage error fixed by the course definitions."),
    CheckSpec("sources", 10, "Each record without a source gets one."),
    CheckSpec("bounces", 5, "A hard bounce marked invalid and suppressed."),
    CheckSpec("clean_records", 10, "Records that are right are kept as they are."),
)
_SPEC = {s.id: s for s in CHECKS}
PROBLEMS = ("opt_out", "duplicate", "stage", "source", "bounce")
_FLAG_RE = re.compile(
    r"opt[- ]?out|suppress|do[- ]not[- ]contact|unsubscrib|dnc|strictest flag", re.IGNORECASE
)


@dataclass(frozen=True)
class Fix:
    """What the key expects for one record with a problem."""

    id: str
    action: str
    problem: str
    why: str
    into: str = ""
    flag: str = ""


def grade_submission(submission: Mapping[str, object], context: Mapping[str, object]) -> Grade:
    """Grade the fix chosen for every record against the planted problems."""
    drill = read_drill(context)
    fixes = _read_fixes(drill)
    hand = read_hand_in(submission, drill)
    b = GradeBuilder(RUBRIC_ID, RUBRIC_VERSION, RUBRIC_ID, CHECKS)
    b.add(_opt_outs(drill, fixes, hand))
    b.add(_duplicates(drill, [f for f in fixes if f.problem == "duplicate"], hand))
    for check_id, problem, advice in _SIMPLE:
        mine = [f for f in fixes if f.problem == problem]
        b.add(_simple(check_id, drill, mine, hand, advice))
    b.add(_clean(drill, fixes, hand))
    return b.build()


_SIMPLE = (
    (
        "stages",
        "stage",
        "Check each stage against the definitions: no interest shown is a contact, no "
        "meeting booked is not an SQL, a no-show is not a held meeting.",
    ),
    ("sources", "source", "Fill the source from the import file (where and when)."),
    ("bounces", "bounce", "Mark a hard-bounced address invalid and suppress it at once."),
)


def _read_fixes(drill: Drill) -> list[Fix]:
    fixes = []
    for item_id in drill.items:
        if item_id not in drill.key:
            continue
        k = drill.key_for(item_id)
        where = f"drill.key.{item_id}"
        fix = Fix(
            id=item_id,
            action=CONTEXT.text(k.get("action"), f"{where}.action", blank=False),
            problem=CONTEXT.choice(k.get("problem"), f"{where}.problem", PROBLEMS),
            why=" ".join(CONTEXT.text(k.get("why", ""), f"{where}.why").split()),
            into=CONTEXT.text(k.get("into", ""), f"{where}.into"),
            flag=CONTEXT.text(k.get("flag", ""), f"{where}.flag"),
        )
        if fix.problem == "duplicate" and fix.into not in drill.items:
            raise CONTEXT.fail(f"{where}.into", "must name a record of the export")
        fixes.append(fix)
    unknown = set(drill.key) - set(drill.items) - {"clean_why"}
    if unknown:
        raise CONTEXT.fail(f"drill.key.{sorted(unknown)[0]}", "not a record of the export")
    return fixes


def _merged_into(hand: HandIn, record: str) -> str:
    return hand.value(record, "merge_into").strip().casefold()


def _needless(
    drill: Drill, hand: HandIn, actions: set[str], exempt: set[str], why: str
) -> tuple[float, list[Evidence]]:
    """The share of the records outside ``exempt`` given one of ``actions``, with evidence:
    what a blind action on every row gets wrong, taken off the check it would earn."""
    others = [i for i in drill.items if i not in exempt]
    hit = [i for i in others if hand.value(i, "action") in actions]
    evidence = [hand.quote(i, "action", why) for i in hit]
    return (len(hit) / len(others) if others else 0.0), evidence


def _opt_outs(drill: Drill, fixes: Sequence[Fix], hand: HandIn) -> Check:
    spec = _SPEC["opt_outs"]
    parts: list[tuple[float, Evidence | None]] = []
    for f in fixes:
        if f.problem == "opt_out":
            ok = hand.value(f.id, "action") == f.action
            parts.append((float(ok), None if ok else hand.quote(f.id, "action", _exp(f))))
        elif f.flag == "opt_out":
            parts.append(_flag_carried(f, hand))
    if not parts:
        raise CONTEXT.fail("drill.key", "a CRM drill needs an opt-out to sync or carry")
    # The unsynced opt-out counts three times as much as a flag carried through a merge.
    weights = [3.0 if f.problem == "opt_out" else 1.0 for f in fixes if _is_opt_out(f)]
    score = sum(w * p for w, (p, _) in zip(weights, parts, strict=True)) / sum(weights)
    evidence = [e for _, e in parts if e is not None]
    caught = sum(1 for p, _ in parts if p == 1)
    exempt = {f.id for f in fixes if _is_opt_out(f)} | {f.into for f in fixes if f.flag}
    off, wrong = _needless(drill, hand, {"sync_opt_out"}, exempt, "no opt-out to sync here")
    evidence += wrong
    return spec.award(
        score - off,
        f"Opt-outs honoured everywhere: {ratio_text(caught, len(parts))}."
        + _off_text(off, "flagged as opt-outs"),
        "Check every tool's opt-outs against the CRM each week, and when you merge, the kept "
        "record takes the strictest flag.",
        evidence or [Evidence.records([f.id for f in fixes if _is_opt_out(f)], "all honoured")],
    )


def _off_text(off: float, what: str) -> str:
    if not off:
        return ""
    return f" {100 * off:.0f}% of the other records {what} too, taken off."


def _is_opt_out(fix: Fix) -> bool:
    return fix.problem == "opt_out" or fix.flag == "opt_out"


def _flag_carried(f: Fix, hand: HandIn) -> tuple[float, Evidence | None]:
    """Full when the merge note carries the opt-out or the kept record is flagged itself."""
    if hand.value(f.into, "action") == "sync_opt_out":
        return 1.0, None
    note = hand.rows.get(f.id, {}).get("note", "")
    merged = hand.value(f.id, "action") == "merge"
    if merged and _FLAG_RE.search(note):
        return 1.0, None
    if merged:
        why = f"the kept record {f.into} must carry this record's opt-out: {f.why}"
        return 0.0, hand.quote(f.id, "note", why)
    return 0.0, hand.quote(f.id, "action", _exp(f))


def _exp(f: Fix) -> str:
    into = f" into {f.into}" if f.action == "merge" else ""
    return f"expected {f.action}{into}: {f.why}"


def _duplicates(drill: Drill, dupes: Sequence[Fix], hand: HandIn) -> Check:
    spec = _SPEC["duplicates"]
    score, evidence = 0.0, []
    for f in dupes:
        newer, older = f.id, f.into
        if hand.value(newer, "action") == "merge" and _merged_into(hand, newer) == older:
            score += 1
        elif hand.value(older, "action") == "merge" and _merged_into(hand, older) == newer:
            score += 0.5
            note = f"merged the wrong way: keep the older record {older}: {f.why}"
            evidence.append(hand.quote(older, "merge_into", note))
        elif hand.value(newer, "action") == "merge":
            evidence.append(hand.quote(newer, "merge_into", _exp(f)))
        else:
            evidence.append(hand.quote(newer, "action", _exp(f)))
    pairs = {f.id for f in dupes} | {f.into for f in dupes}
    off, wrong = _needless(drill, hand, {"merge"}, pairs, "not a duplicate: nothing to merge")
    evidence += wrong
    return spec.award(
        (score / len(dupes) if dupes else 1.0) - off,
        f"Duplicates merged into the older record: {score:g} of {len(dupes)}."
        + _off_text(off, "merged"),
        "Search by email, then company and surname; merge the newer record into the older "
        "one, bringing its history, stage and flags.",
        evidence or [Evidence.records([f.id for f in dupes], "all merged")],
    )


def _simple(check_id: str, drill: Drill, fixes: Sequence[Fix], hand: HandIn, advice: str) -> Check:
    spec = _SPEC[check_id]
    wrong = [
        hand.quote(f.id, "action", _exp(f)) for f in fixes if hand.value(f.id, "action") != f.action
    ]
    right = len(fixes) - len(wrong)
    actions = {f.action for f in fixes}
    note = f"this record needs no {check_id[:-1]} fix"
    off, needless = _needless(drill, hand, actions, {f.id for f in fixes}, note)
    wrong += needless
    return spec.award(
        (right / len(fixes) if fixes else 1.0) - off,
        f"Fixed: {ratio_text(right, len(fixes))}." + _off_text(off, "given this fix"),
        advice,
        wrong or [Evidence.records([f.id for f in fixes], "all fixed")],
    )


def _clean(drill: Drill, fixes: Sequence[Fix], hand: HandIn) -> Check:
    spec = _SPEC["clean_records"]
    why = " ".join(CONTEXT.text(drill.key.get("clean_why", ""), "drill.key.clean_why").split())
    flagged_targets = {f.into for f in fixes if f.flag == "opt_out"}
    keyed = {f.id for f in fixes}
    clean = [i for i in drill.items if i not in keyed]
    wrong = []
    for item in clean:
        allowed = {"keep", "sync_opt_out"} if item in flagged_targets else {"keep"}
        if hand.value(item, "action") not in allowed:
            wrong.append(hand.quote(item, "action", f"expected keep: {why}"))
    right = len(clean) - len(wrong)
    kept = [f for f in fixes if hand.value(f.id, "action") == "keep"]
    wrong += [hand.quote(f.id, "action", _exp(f)) for f in kept]
    off = len(kept) / len(fixes) if fixes else 0.0
    return spec.award(
        (right / len(clean) if clean else 1.0) - off,
        f"Clean records kept as they are: {ratio_text(right, len(clean))}."
        + _off_text(off, "with a problem kept"),
        "Change a record only when it breaks a definition or a required field; an "
        "unneeded fix is a new error.",
        wrong or [Evidence.records(clean, "kept")],
    )
