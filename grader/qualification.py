"""Qualification rubric: per lead, a judgement of each criterion and a decision, checked
against the hidden truth of the simulated world.

Frameworks (shared/research/domain.md): BANT (budget, authority, need, timeline) and CHAMP
(challenges, authority, money, prioritization). Their criteria map one to one (need ~
challenges, budget ~ money, timeline ~ prioritization), so truth recorded in either
framework grades a submission in either.

A criterion the learner's discovery calls never uncovered ("revealed" in the truth) should
be marked "unknown": a guess is wrong even when it happens to be right. The costly mistakes
weigh double: advancing a lead with no authority or no budget wastes a salesperson's time,
and disqualifying a ready buyer throws away a sale.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from grader.fields import CONTEXT, MAX_SHORT_CHARS, SUBMISSION
from grader.results import Check, Evidence, Grade
from grader.rubric import CheckSpec, GradeBuilder, ratio_text, specs_by_id

RUBRIC_ID = "qualification"
RUBRIC_VERSION = "1.1.0"

CHECKS = (
    CheckSpec("coverage", 10, "Judges every lead the exercise handed over."),
    CheckSpec(
        "criteria_accuracy",
        30,
        "Each criterion matches what the calls revealed; unrevealed ones are marked unknown.",
    ),
    CheckSpec(
        "decision_accuracy",
        25,
        "Each decision (advance, nurture, disqualify) matches the right one; nurture and "
        "disqualify mixed up earn half.",
    ),
    CheckSpec(
        "costly_mistakes",
        25,
        "No lead advanced without authority or budget, no ready buyer disqualified "
        "(each costs 40% of this check).",
    ),
    CheckSpec(
        "notes",
        10,
        "Every yes/no judgement of a lead asked has a real note (three words or more, not filler).",
    ),
)
SPEC = specs_by_id(CHECKS)

FRAMEWORKS: Mapping[str, tuple[str, ...]] = {
    "bant": ("budget", "authority", "need", "timeline"),
    "champ": ("challenges", "authority", "money", "prioritization"),
}
#: CHAMP criterion -> its BANT counterpart (and back, below).
_CHAMP_TO_BANT = {
    "challenges": "need",
    "authority": "authority",
    "money": "budget",
    "prioritization": "timeline",
}
_BANT_TO_CHAMP = {b: c for c, b in _CHAMP_TO_BANT.items()}
VALUES = ("yes", "no", "unknown")
DECISIONS = ("advance", "nurture", "disqualify")
MAX_LEADS = 200
COSTLY_SHARE = 0.4
NOTE_MIN_WORDS = 3


@dataclass(frozen=True)
class Judgement:
    value: str
    note: str


@dataclass(frozen=True)
class Lead:
    index: int
    contact_id: str
    criteria: Mapping[str, Judgement]
    decision: str


@dataclass(frozen=True)
class Truth:
    criteria: Mapping[str, str]
    revealed: frozenset[str] | None
    decision: str


def _read_leads(submission: Mapping[str, object]) -> tuple[str, list[Lead]]:
    r = SUBMISSION
    framework = r.choice(submission.get("framework"), "framework", tuple(FRAMEWORKS))
    raw = r.sequence(submission.get("leads"), "leads", max_items=MAX_LEADS)
    if not raw:
        raise r.fail("leads", "must judge at least one lead")
    leads: list[Lead] = []
    first_seen: dict[str, int] = {}
    for i, item in enumerate(raw):
        lead = _read_lead(item, i, FRAMEWORKS[framework])
        if lead.contact_id in first_seen:
            where = f"leads[{i}].contact_id"
            raise r.fail(where, f"duplicates leads[{first_seen[lead.contact_id]}]")
        first_seen[lead.contact_id] = i
        leads.append(lead)
    return framework, leads


def _read_lead(item: object, i: int, names: Sequence[str]) -> Lead:
    r = SUBMISSION
    where = f"leads[{i}]"
    lead = r.mapping(item, where)
    cid = r.text(
        lead.get("contact_id"), f"{where}.contact_id", max_chars=MAX_SHORT_CHARS, blank=False
    )
    raw = r.mapping(lead.get("criteria"), f"{where}.criteria")
    for name in raw:
        if name not in names:
            raise r.fail(f"{where}.criteria.{name}", f"is not a criterion of {', '.join(names)}")
    criteria = {}
    for name in names:
        spot = f"{where}.criteria.{name}"
        if name not in raw:
            raise r.fail(spot, "is missing")
        c = r.mapping(raw[name], spot)
        note = r.optional_text(c.get("note"), f"{spot}.note") or ""
        criteria[name] = Judgement(r.choice(c.get("value"), f"{spot}.value", VALUES), note)
    decision = r.choice(lead.get("decision"), f"{where}.decision", DECISIONS)
    return Lead(i, cid, criteria, decision)


def _read_truth(context: Mapping[str, object], framework: str) -> dict[str, Truth] | None:
    r = CONTEXT
    if context.get("truth") is None:
        return None
    raw = r.mapping(context.get("truth"), "truth")
    truth = {}
    for cid, value in raw.items():
        where = f"truth.{cid}"
        t = r.mapping(value, where)
        crit = r.optional_mapping(t.get("criteria"), f"{where}.criteria")
        criteria = {
            _translate(str(name), framework): r.choice(v, f"{where}.criteria.{name}", ("yes", "no"))
            for name, v in crit.items()
        }
        revealed = None
        if t.get("revealed") is not None:
            names = r.text_list(t.get("revealed"), f"{where}.revealed")
            revealed = frozenset(_translate(n, framework) for n in names)
        decision = r.choice(t.get("decision"), f"{where}.decision", DECISIONS)
        truth[str(cid)] = Truth(criteria, revealed, decision)
    return truth


def _translate(name: str, framework: str) -> str:
    """A criterion name in ``framework``'s terms (unknown names pass through unchanged)."""
    if framework == "bant":
        return _CHAMP_TO_BANT.get(name, name)
    return _BANT_TO_CHAMP.get(name, name)


# ----------------------------------------------------------------------------- checks


def _coverage(leads: list[Lead], truth: Mapping[str, Truth]) -> Check:
    spec = SPEC["coverage"]
    judged = {lead.contact_id for lead in leads}
    missing = sorted(set(truth) - judged)
    extra = sorted(judged - set(truth))
    evidence = []
    if missing:
        evidence.append(Evidence.records(missing, "not judged"))
    if extra:
        evidence.append(Evidence.records(extra, "not one of this exercise's leads"))
    covered = len(truth) - len(missing)
    return spec.award(
        covered / len(truth),
        f"{ratio_text(covered, len(truth))} leads judged.",
        "Judge every lead from your discovery calls, even the clear no's.",
        evidence,
    )


def _criteria(leads: list[Lead], truth: Mapping[str, Truth]) -> Check | None:
    """Right judgements over every criterion of every lead asked: a lead left out counts
    as all of its criteria missed, so judging one easy lead of six is not 100%."""
    spec = SPEC["criteria_accuracy"]
    right = total = 0
    wrong: list[Evidence] = []
    seen = {lead.contact_id for lead in leads}
    total = sum(len(t.criteria) for cid, t in truth.items() if cid not in seen)
    for lead in leads:
        found = truth.get(lead.contact_id)
        if found is None:
            continue
        t = found
        for name, judged in lead.criteria.items():
            if name not in t.criteria:
                continue
            total += 1
            expected = t.criteria[name] if t.revealed is None or name in t.revealed else "unknown"
            if judged.value == expected:
                right += 1
            else:
                wrong.append(
                    Evidence.records([lead.contact_id], _miss(name, judged.value, expected))
                )
    if not total:
        return None
    if not wrong and right == total:
        return spec.award(1, f"All {total} criteria judged as the calls revealed them.")
    return spec.award(
        right / total,
        f"{ratio_text(right, total)} criteria of the leads asked judged right.",
        "Record only what the call revealed: yes or no with the quote, otherwise unknown.",
        wrong,
    )


def _miss(name: str, said: str, expected: str) -> str:
    if expected == "unknown":
        return f"{name}: you said {said}, but no call uncovered it: a guess (record unknown)"
    if said == "unknown":
        return f"{name}: you said unknown, but your calls revealed {expected}"
    return f"{name}: you said {said}, the calls revealed {expected}"


def _decisions(leads: list[Lead], truth: Mapping[str, Truth]) -> Check | None:
    """Right decisions over every lead asked (a lead not judged has no decision)."""
    spec = SPEC["decision_accuracy"]
    scored = [(lead, truth[lead.contact_id]) for lead in leads if lead.contact_id in truth]
    if not scored:
        return None
    asked = len(truth)
    points, wrong = 0.0, []
    for lead, t in scored:
        if lead.decision == t.decision:
            points += 1
            continue
        half = {lead.decision, t.decision} == {"nurture", "disqualify"}
        points += 0.5 if half else 0.0
        note = f"you chose {lead.decision}, the right call was {t.decision}"
        wrong.append(Evidence.records([lead.contact_id], note))
    advanced = [lead for lead, _ in scored if lead.decision == "advance"]
    ready = [cid for cid, t in truth.items() if t.decision == "advance"]  # judged or not
    hits = [lead for lead, t in scored if lead.decision == "advance" == t.decision]
    verdict = (
        f"{ratio_text(len(scored) - len(wrong), asked)} decisions of the leads asked right; "
        f"advance precision {_pct(len(hits), len(advanced))}, recall {_pct(len(hits), len(ready))}."
    )
    return spec.award(
        points / asked,
        verdict,
        "Advance only leads with a confirmed need, authority and budget; nurture the rest.",
        wrong,
    )


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:.0f}% ({n}/{d})" if d else "n/a (0/0)"


def _costly(leads: list[Lead], truth: Mapping[str, Truth], framework: str) -> Check | None:
    spec = SPEC["costly_mistakes"]
    budget = "budget" if framework == "bant" else "money"
    mistakes: list[Evidence] = []
    scored = 0
    for lead in leads:
        t = truth.get(lead.contact_id)
        if t is None:
            continue
        scored += 1
        lacking = [n for n in ("authority", budget) if t.criteria.get(n) == "no"]
        if lead.decision == "advance" and lacking:
            note = f"advanced with no {' and no '.join(lacking)}"
            mistakes.append(Evidence.records([lead.contact_id], note))
        if lead.decision == "disqualify" and t.decision == "advance":
            mistakes.append(Evidence.records([lead.contact_id], "disqualified a ready buyer"))
    if not scored:
        return None
    coverage = scored / len(truth)
    if not mistakes:
        if coverage < 1:
            return spec.award(
                coverage,
                f"No costly mistakes in the {scored} of {len(truth)} leads judged; the rest "
                "were not judged at all.",
                "Judge every lead: a lead left out is a decision nobody made.",
            )
        return spec.award(1, "No costly mistakes.")
    n = len(mistakes)
    return spec.award(
        (1 - COSTLY_SHARE * n) * coverage,
        f"{n} costly mistake{'s' if n > 1 else ''}: {mistakes[0].note} "
        f"({mistakes[0].record_ids[0]}).",
        f"Never advance a lead whose authority or {budget} is a no, and never drop a ready buyer.",
        mistakes,
    )


def real_note(note: str) -> bool:
    """A note that says something: three words or more, at least two different real words
    (letters with a vowel), not one word repeated or a keyboard run."""
    words = [w.lower() for w in note.split()]
    if len(words) < NOTE_MIN_WORDS:
        return False
    real = {w.strip(".,;:!?'\"()") for w in words}
    real = {w for w in real if len(w) >= 2 and any(c in "aeiouy" for c in w) and w.isalpha()}
    return len(real) >= 2


def _notes(leads: list[Lead], truth: Mapping[str, Truth] | None) -> Check:
    spec = SPEC["notes"]
    counted = [lead for lead in leads if truth is None or lead.contact_id in truth]
    judged = [
        (lead, name)
        for lead in counted
        for name, j in lead.criteria.items()
        if j.value != "unknown"
    ]
    if not judged:
        return spec.award(
            0,
            "No yes/no judgement of the leads asked, so there is no evidence to note.",
            "Record what each call revealed, with the prospect's words as the note.",
        )
    bare = [(lead, name) for lead, name in judged if not real_note(lead.criteria[name].note)]
    if not bare:
        return spec.award(1, f"All {len(judged)} yes/no judgements carry a note.")
    evidence = [Evidence.records([lead.contact_id], f"{name}: no real note") for lead, name in bare]
    return spec.award(
        (len(judged) - len(bare)) / len(judged),
        f"{ratio_text(len(judged) - len(bare), len(judged))} yes/no judgements carry a note.",
        "Back every yes or no with what the prospect said, e.g. “budget: ‘£500 a month is fine’”.",
        evidence,
    )


# ----------------------------------------------------------------------------- grading


def grade_submission(submission: Mapping[str, object], context: Mapping[str, object]) -> Grade:
    framework, leads = _read_leads(submission)
    if context.get("framework") is not None:
        CONTEXT.choice(context.get("framework"), "framework", tuple(FRAMEWORKS))
    truth = _read_truth(context, framework)
    builder = GradeBuilder(RUBRIC_ID, RUBRIC_VERSION, "qualification", CHECKS)
    if not truth:
        for check_id in ("coverage", "criteria_accuracy", "decision_accuracy", "costly_mistakes"):
            builder.skip(check_id, "the context has no truth to check the judgements against")
    else:
        builder.add(_coverage(leads, truth))
        reason = "none of the judged leads is in the context's truth"
        for check_id, check in (
            ("criteria_accuracy", _criteria(leads, truth)),
            ("decision_accuracy", _decisions(leads, truth)),
            ("costly_mistakes", _costly(leads, truth, framework)),
        ):
            if check is None:
                builder.skip(check_id, reason)
            else:
                builder.add(check)
    builder.add(_notes(leads, truth))
    return builder.build()
