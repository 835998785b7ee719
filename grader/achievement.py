"""What the learner achieved in the run, beside the form of what they handed in.

A deliverable's rubric (``grader.outreach``, ``grader.report``...) reads the hand-in alone,
so a well-formed text typed into the hand-in box, with nothing done in the simulated
world, could pass. When the context carries ``work`` (facts about the run, gathered by
the platform from the event log), the grade gets a second part:

- **Provenance.** A deliverable the run did not produce earns nothing for the part it
  claims: an email never sent to the prospect, a list of contacts never researched, a
  judgement of a lead nobody spoke to. The form checks still show what they would have
  earned (like a :class:`grader.rubric.Gate`), scaled by the share the run did produce.
- **Achievement checks** per kind, declared below with their points: research done,
  the right targets, what the world answered; for a campaign (the capstone) the brief's
  goals (meetings held, SQLs, cost per lead), compliance, and a sample of the outreach
  actually sent, graded with the outreach rubric.

Achievement checks weigh twice the form part (``WORK_WEIGHT``), so work-free hand-ins stay
under a third of the marks whatever their form. The facts are plain data; nothing here
knows the simulator (``docs/rubrics.md``, "Achievement").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from typing import Any

from grader.results import Check, Evidence, Grade
from grader.rubric import CheckSpec, band

#: the achievement part's points for every 100 points of form
WORK_WEIGHT = 2.0
#: how close (0..1) a sent text must be to the handed-in one to count as the same message
SAME_TEXT = 0.6

CHECKS: Mapping[str, tuple[CheckSpec, ...]] = {
    "outreach": (
        CheckSpec("work_sent", 30, "The handed-in message was sent to the named prospect."),
        CheckSpec("work_research", 70, "The prospect's profile was researched in the run."),
        CheckSpec("work_target", 70, "A researched prospect who fits the ICP and decides."),
        CheckSpec("work_response", 30, "What the prospect did: delivered, opened, replied."),
    ),
    "sequence": (
        CheckSpec("work_used", 50, "The sequence was sent to prospects in the run (5 or more)."),
        CheckSpec("work_research", 60, "The prospects it went to were researched first."),
        CheckSpec("work_target", 60, "The prospects it went to fit the ICP."),
        CheckSpec("work_response", 30, "Someone answered it."),
    ),
    "prospect_list": (
        CheckSpec("work_search", 40, "The market was searched in the run."),
        CheckSpec("work_research", 100, "Each listed contact's profile was opened."),
        CheckSpec("work_listed", 60, "The list handed in was built in the sandbox."),
    ),
    "qualification": (
        CheckSpec("work_discovery", 100, "A discovery call with every lead judged."),
        CheckSpec("work_revealed", 60, "The judged criteria were revealed by those calls."),
        CheckSpec("work_recorded", 40, "The qualification was recorded in the run."),
    ),
    "report": (
        CheckSpec("goal_meetings", 50, "Meetings held against the brief's goal."),
        CheckSpec("goal_sqls", 50, "Sales-qualified leads against the brief's goal."),
        CheckSpec("goal_cost_per_lead", 30, "Cost per lead within the brief's target."),
        CheckSpec("compliance", 30, "Outreach without violations (hours, opt-outs, address)."),
        CheckSpec("outreach_sample", 40, "The outreach actually sent, on the outreach rubric."),
    ),
}

Grader = Callable[[Mapping[str, object], Mapping[str, object]], Grade]


@dataclass(frozen=True)
class Provenance:
    """The share (0..1) of the deliverable the run produced, and why not all of it."""

    share: float
    reason: str = ""
    evidence: tuple[Evidence, ...] = ()


def work_checks(kind: str, form_possible: float) -> tuple[CheckSpec, ...]:
    """The achievement checks of ``kind`` with the points they carry beside a form part
    worth ``form_possible`` (for pages that show the rubric before anything is graded)."""
    return tuple(_scaled(CHECKS.get(kind, ()), form_possible).values())


def applies(kind: str, context: Mapping[str, object]) -> bool:
    """A ``work`` part is graded when the platform passed facts and the kind has one."""
    work = context.get("work")
    return isinstance(work, Mapping) and kind in CHECKS and not work.get("preplayed")


def combine(
    kind: str,
    form: Grade,
    submission: Mapping[str, object],
    context: Mapping[str, object],
    grade_outreach: Grader | None = None,
) -> Grade:
    """The form grade, credited for what the run produced, plus the achievement checks."""
    work = _facts(context)
    specs = _scaled(CHECKS[kind], form.possible)
    if kind == "outreach":
        provenance, checks = _outreach(specs, submission, work)
    elif kind == "sequence":
        provenance, checks = _sequence(specs, submission, work)
    elif kind == "prospect_list":
        provenance, checks = _prospect_list(specs, submission, work)
    elif kind == "qualification":
        provenance, checks = _qualification(specs, submission, work)
    else:
        provenance, checks = Provenance(1.0), _campaign(specs, context, work, grade_outreach)
    form_checks = tuple(_credited(c, provenance) for c in form.checks)
    return replace(form, checks=form_checks + tuple(checks))


# ---- helpers ----------------------------------------------------------------------------


def _facts(context: Mapping[str, object]) -> Mapping[str, Any]:
    work = context.get("work")
    return work if isinstance(work, Mapping) else {}


def _scaled(specs: Sequence[CheckSpec], form_possible: float) -> dict[str, CheckSpec]:
    """Work specs sized so that they weigh ``WORK_WEIGHT`` times the form part."""
    total = sum(s.points for s in specs) or 1.0
    factor = WORK_WEIGHT * (form_possible or 100.0) / total
    return {s.id: replace(s, points=round(s.points * factor, 2)) for s in specs}


def _credited(check: Check, provenance: Provenance) -> Check:
    if provenance.share >= 1.0:
        return check
    share = max(0.0, provenance.share)
    would = f"on its own this part would earn {check.points:g}/{check.possible:g}"
    if share == 0:
        verdict = f"Not credited: {provenance.reason} ({would})."
    else:
        verdict = f"{share:.0%} credited: {provenance.reason} ({would})."
    return Check(
        check.id,
        round(check.points * share, 2),
        check.possible,
        verdict,
        check.advice or "Do the work in the sandbox, then hand in what it produced.",
        check.evidence + provenance.evidence,
    )


def _norm(text: object) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().lower()


def same_text(a: object, b: object) -> bool:
    """Whether two message texts are the same message (small edits allowed)."""
    x, y = _norm(a), _norm(b)
    if not x or not y:
        return False
    return x == y or SequenceMatcher(None, x, y, autojunk=False).ratio() >= SAME_TEXT


def _ids(values: object) -> list[str]:
    if not isinstance(values, Sequence) or isinstance(values, str):
        return []
    return [str(v).strip() for v in values if isinstance(v, str) and v.strip()]


def _rows(submission: Mapping[str, object], key: str) -> list[object]:
    """A list field of a hand-in, or nothing when it is missing or not a list."""
    value = submission.get(key)
    return list(value) if isinstance(value, list | tuple) else []


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _contact(work: Mapping[str, Any], contact_id: str) -> Mapping[str, Any]:
    found = (work.get("contacts") or {}).get(contact_id)
    return found if isinstance(found, Mapping) else {}


def _label(work: Mapping[str, Any], contact_id: str) -> str:
    name = _contact(work, contact_id).get("name")
    return str(name) if name else contact_id


def _names(work: Mapping[str, Any], ids: Sequence[str], limit: int = 5) -> str:
    shown = ", ".join(_label(work, i) for i in ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def _response_fraction(facts: Mapping[str, Any]) -> tuple[float, str]:
    if facts.get("replied"):
        return 1.0, "they replied"
    if facts.get("opened"):
        return 0.5, "opened, no reply yet"
    if facts.get("bounced"):
        return 0.0, "it bounced"
    if facts.get("delivered"):
        return 0.25, "delivered, not opened"
    return 0.0, "nothing arrived"


# ---- one function per kind ------------------------------------------------------------------


def _outreach(
    specs: Mapping[str, CheckSpec], submission: Mapping[str, object], work: Mapping[str, Any]
) -> tuple[Provenance, list[Check]]:
    cid = str(work.get("contact_id") or "")
    if not cid:
        reason = "no prospect was named, so nothing in the run stands behind this message"
        none = [specs[i].award(0, f"Not credited: {reason}.", _NAME) for i in specs]
        return Provenance(0.0, reason), none
    who = _label(work, cid)
    facts = _contact(work, cid)
    channel = str(submission.get("channel") or "")
    sent = [
        m
        for m in work.get("sent") or []
        if m.get("contact_id") == cid and (not channel or m.get("channel") == channel)
    ]
    matched = any(same_text(m.get("body"), submission.get("body")) for m in sent)
    records = (Evidence.records([cid], who),)
    if matched:
        provenance = Provenance(1.0)
        sent_check = specs["work_sent"].award(1, f"You sent this message to {who} in the run.")
    else:
        why = (
            f"this message was never sent to {who} in your run"
            if not sent
            else f"what you sent {who} in the run is not this message"
        )
        provenance = Provenance(0.0, why, records)
        sent_check = specs["work_sent"].award(
            0, f"Not credited: {why}.", "Send it in the sandbox, then hand in what you sent."
        )
    researched = cid in set(work.get("viewed") or ())
    research = specs["work_research"].award(
        1 if researched else 0,
        f"You opened {who}'s profile before writing."
        if researched
        else f"You never opened {who}'s profile: the message is not based on research.",
        "Open the prospect's profile and use what you find.",
        records,
    )
    return provenance, [
        sent_check,
        research,
        _target(specs, work, [cid], researched),
        _reply(specs, facts, matched, who),
    ]


_NAME = "Name the prospect the message is for when you hand it in."


def _target(
    specs: Mapping[str, CheckSpec], work: Mapping[str, Any], ids: Sequence[str], researched: bool
) -> Check:
    spec = specs["work_target"]
    if not ids:
        return spec.award(0, "Nobody was reached, so there is no target to judge.")
    if not researched:
        return spec.award(
            0,
            "Not credited: a prospect picked without research is a guess.",
            "Research prospects before choosing whom to write to.",
        )
    fit = [
        i
        for i in ids
        if _contact(work, i).get("fits_icp") and _contact(work, i).get("decision_maker")
    ]
    blocked = [i for i in ids if _contact(work, i).get("do_not_contact")]
    fraction = 0.0 if blocked else _share(len(fit), len(ids))
    if blocked:
        verdict = f"{_names(work, blocked)} asked not to be contacted."
    elif len(ids) == 1:
        who = _label(work, ids[0])
        verdict = (
            f"{who} fits the ideal customer profile and makes the decision."
            if fit
            else f"{who} does not fit the ideal customer profile, or does not decide."
        )
    else:
        verdict = f"{len(fit)} of {len(ids)} prospects reached fit the ICP and decide."
    return spec.award(
        fraction,
        verdict,
        "Check the profile against the ICP: size, segment, signals, and the decision maker.",
        (Evidence.records(list(ids)[:20], "prospects reached"),),
    )


def _reply(specs: Mapping[str, CheckSpec], facts: Mapping[str, Any], sent: bool, who: str) -> Check:
    spec = specs["work_response"]
    if not sent:
        return spec.award(0, "Nothing was sent, so nobody could answer.")
    fraction, what = _response_fraction(facts)
    return spec.award(
        fraction, f"{who}: {what}.", "A sharper, more relevant message gets more replies."
    )


def _sequence(
    specs: Mapping[str, CheckSpec], submission: Mapping[str, object], work: Mapping[str, Any]
) -> tuple[Provenance, list[Check]]:
    steps = [s for s in _rows(submission, "steps") if isinstance(s, Mapping)]
    sent = [m for m in work.get("sent") or [] if isinstance(m, Mapping)]
    used = [any(same_text(m.get("body"), s.get("body")) for m in sent) for s in steps]
    share = _share(sum(used), len(steps))
    missing = [str(i + 1) for i, u in enumerate(used) if not u]
    reason = f"step {', '.join(missing)} never went out in your run" if missing else ""
    provenance = Provenance(share, reason)
    first = steps[0].get("body") if steps else None
    reached = sorted(
        {
            str(m["contact_id"])
            for m in sent
            if m.get("contact_id") and same_text(m.get("body"), first)
        }
    )
    n = len(reached)
    used_check = specs["work_used"].award(
        min(1.0, n / 5),
        f"The first step went to {n} prospect{'s' if n != 1 else ''} in the run."
        if n
        else "Not credited: the first step was never sent to anyone in your run.",
        "Run the sequence in the sandbox on five prospects or more.",
    )
    viewed = set(work.get("viewed") or ())
    seen = [i for i in reached if i in viewed]
    research = specs["work_research"].award(
        _share(len(seen), n),
        f"{len(seen)} of {n} prospects reached had their profile opened first."
        if n
        else "Nobody was reached.",
        "Open each prospect's profile before adding them to the sequence.",
    )
    target = _target(specs, work, seen, bool(seen)) if n else _target(specs, work, [], False)
    answered = [i for i in reached if _contact(work, i).get("replied")]
    opened = [i for i in reached if _contact(work, i).get("opened")]
    fraction = 1.0 if answered else (0.5 if opened else 0.0)
    response = specs["work_response"].award(
        fraction,
        f"{len(answered)} replied, {len(opened)} opened." if n else "Nothing was sent.",
        "A relevant first step and a real follow-up get answers.",
    )
    return provenance, [used_check, research, target, response]


def _prospect_list(
    specs: Mapping[str, CheckSpec], submission: Mapping[str, object], work: Mapping[str, Any]
) -> tuple[Provenance, list[Check]]:
    ids = list(dict.fromkeys(_ids(submission.get("contact_ids"))))
    viewed = set(work.get("viewed") or ())
    listed = set(work.get("listed") or ())
    unseen = [i for i in ids if i not in viewed]
    share = _share(len(ids) - len(unseen), len(ids))
    reason = f"{len(unseen)} of {len(ids)} contacts were never researched ({_names(work, unseen)})"
    provenance = Provenance(share, reason if unseen else "", (Evidence.records(unseen[:40]),))
    searches = int((work.get("actions") or {}).get("search", 0))
    search = specs["work_search"].award(
        1 if searches else 0,
        f"You searched the market {searches} time{'s' if searches != 1 else ''}."
        if searches
        else "You never searched the market in this run.",
        "Search with the ICP's filters: size, segment, region, signals.",
    )
    research = specs["work_research"].award(
        share,
        f"{len(ids) - len(unseen)} of {len(ids)} listed contacts had their profile opened.",
        "Open each profile before listing the contact: the ICP's signals are there.",
    )
    in_list = [i for i in ids if i in listed]
    built = specs["work_listed"].award(
        _share(len(in_list), len(ids)),
        f"{len(in_list)} of {len(ids)} contacts handed in were added to a list in the sandbox.",
        "Build the list in the sandbox (Add to list), then hand it in.",
    )
    return provenance, [search, research, built]


def _qualification(
    specs: Mapping[str, CheckSpec], submission: Mapping[str, object], work: Mapping[str, Any]
) -> tuple[Provenance, list[Check]]:
    leads = [lead for lead in _rows(submission, "leads") if isinstance(lead, Mapping)]
    ids = [str(lead.get("contact_id")) for lead in leads if lead.get("contact_id")]
    spoken = [
        i for i in ids if _contact(work, i).get("discovered") or _contact(work, i).get("called")
    ]
    silent = [i for i in ids if i not in spoken]
    share = _share(len(spoken), len(ids))
    reason = f"nobody spoke to {_names(work, silent)} in your run"
    provenance = Provenance(share, reason if silent else "", (Evidence.records(silent),))
    called = [i for i in ids if _contact(work, i).get("discovered")]
    discovery = specs["work_discovery"].award(
        _share(len(called), len(ids)),
        f"{len(called)} of {len(ids)} leads judged had a discovery call.",
        "Run a discovery call with each lead before judging them.",
    )
    revealed = sum(len(_contact(work, i).get("revealed") or ()) for i in ids)
    asked = sum(int(_contact(work, i).get("criteria", 4)) for i in ids)
    reveal = specs["work_revealed"].award(
        _share(revealed, asked),
        f"Your calls revealed {revealed} of {asked} criteria of the leads judged.",
        "Ask the questions that cover each criterion of the framework.",
    )
    recorded = [i for i in ids if _contact(work, i).get("qualified")]
    record = specs["work_recorded"].award(
        _share(len(recorded), len(ids)),
        f"{len(recorded)} of {len(ids)} leads judged have their qualification recorded.",
        "Record each qualification in the sandbox as you make it.",
    )
    return provenance, [discovery, reveal, record]


def _campaign(
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


def _compliance(spec: CheckSpec, work: Mapping[str, Any]) -> Check:
    touches = int(work.get("touches") or 0)
    violations = [v for v in work.get("violations") or [] if isinstance(v, Mapping)]
    if not touches:
        return spec.award(0, "Nothing was sent or called, so there is no compliance to credit.")
    fraction = max(0.0, 1.0 - 10 * len(violations) / touches)
    if not violations:
        return spec.award(1, f"{touches} touches, no violations.")
    kinds = sorted({str(v.get("label") or v.get("kind")) for v in violations})
    return spec.award(
        fraction,
        f"{len(violations)} violation{'s' if len(violations) != 1 else ''} in {touches} touches: "
        + ", ".join(kinds)
        + ".",
        "Call within 08:00-21:00 the prospect's time; every email needs an opt-out and an address.",
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
