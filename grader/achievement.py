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
- **Compliance in the run.** The form's compliance check of an outreach message or a
  sequence also reads the run's violations about its prospects (achievement_law.py): a
  broken law costs the check, a breach of company policy half of it.

Achievement checks weigh twice the form part (``WORK_WEIGHT``), so work-free hand-ins stay
under a third of the marks whatever their form. The facts are plain data; nothing here
knows the simulator (``docs/rubrics.md``, "Achievement").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from grader.achievement_campaign import Grader, campaign_checks
from grader.achievement_facts import (
    clean_ids,
    contact_of,
    label_of,
    names_of,
    response_fraction,
    rows_of,
    same_text,
    share_of,
)
from grader.achievement_law import capped, violations_of
from grader.results import Check, Evidence, Grade
from grader.rubric import CheckSpec

#: the achievement part's points for every 100 points of form
WORK_WEIGHT = 2.0

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
        CheckSpec(
            "meetings_show",
            20,
            "Booked meetings that were held, not missed (reminders and agendas help).",
        ),
        CheckSpec("goal_sqls", 50, "Sales-qualified leads against the brief's goal."),
        CheckSpec("goal_cost_per_lead", 30, "Cost per lead within the brief's target."),
        CheckSpec("compliance", 30, "Outreach without violations (hours, opt-outs, address)."),
        CheckSpec("outreach_sample", 40, "The outreach actually sent, on the outreach rubric."),
    ),
}


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
        provenance, checks = Provenance(1.0), campaign_checks(specs, context, work, grade_outreach)
    form_checks = tuple(_credited(c, provenance) for c in form.checks)
    broken = _violations_behind(kind, work)
    form_checks = tuple(capped(c, broken) if c.id == "compliance" else c for c in form_checks)
    return replace(form, checks=form_checks + tuple(checks))


def _violations_behind(kind: str, work: Mapping[str, Any]) -> list[Any]:
    """The run's violations about what the hand-in stands for: the named prospect of an
    outreach message, everyone a sequence went to (a campaign reads them all itself)."""
    if kind == "outreach":
        return violations_of(work, [str(work.get("contact_id") or "")])
    if kind == "sequence":
        sent = [m for m in work.get("sent") or [] if isinstance(m, Mapping)]
        return violations_of(work, {str(m.get("contact_id")) for m in sent})
    return []


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


# ---- one function per kind ------------------------------------------------------------------


def _outreach(
    specs: Mapping[str, CheckSpec], submission: Mapping[str, object], work: Mapping[str, Any]
) -> tuple[Provenance, list[Check]]:
    cid = str(work.get("contact_id") or "")
    if not cid:
        reason = "no prospect was named, so nothing in the run stands behind this message"
        none = [specs[i].award(0, f"Not credited: {reason}.", _NAME) for i in specs]
        return Provenance(0.0, reason), none
    who = label_of(work, cid)
    facts = contact_of(work, cid)
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
        if contact_of(work, i).get("fits_icp") and contact_of(work, i).get("decision_maker")
    ]
    blocked = [i for i in ids if contact_of(work, i).get("do_not_contact")]
    fraction = 0.0 if blocked else share_of(len(fit), len(ids))
    if blocked:
        verdict = f"{names_of(work, blocked)} asked not to be contacted."
    elif len(ids) == 1:
        who = label_of(work, ids[0])
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
    fraction, what = response_fraction(facts)
    return spec.award(
        fraction, f"{who}: {what}.", "A sharper, more relevant message gets more replies."
    )


def _sequence(
    specs: Mapping[str, CheckSpec], submission: Mapping[str, object], work: Mapping[str, Any]
) -> tuple[Provenance, list[Check]]:
    steps = [s for s in rows_of(submission, "steps") if isinstance(s, Mapping)]
    sent = [m for m in work.get("sent") or [] if isinstance(m, Mapping)]
    used = [any(same_text(m.get("body"), s.get("body")) for m in sent) for s in steps]
    share = share_of(sum(used), len(steps))
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
        share_of(len(seen), n),
        f"{len(seen)} of {n} prospects reached had their profile opened first."
        if n
        else "Nobody was reached.",
        "Open each prospect's profile before adding them to the sequence.",
    )
    target = _target(specs, work, seen, bool(seen)) if n else _target(specs, work, [], False)
    answered = [i for i in reached if contact_of(work, i).get("replied")]
    opened = [i for i in reached if contact_of(work, i).get("opened")]
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
    ids = list(dict.fromkeys(clean_ids(submission.get("contact_ids"))))
    viewed = set(work.get("viewed") or ())
    listed = set(work.get("listed") or ())
    unseen = [i for i in ids if i not in viewed]
    share = share_of(len(ids) - len(unseen), len(ids))
    reason = (
        f"{len(unseen)} of {len(ids)} contacts were never researched ({names_of(work, unseen)})"
    )
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
        share_of(len(in_list), len(ids)),
        f"{len(in_list)} of {len(ids)} contacts handed in were added to a list in the sandbox.",
        "Build the list in the sandbox (Add to list), then hand it in.",
    )
    return provenance, [search, research, built]


def _qualification(
    specs: Mapping[str, CheckSpec], submission: Mapping[str, object], work: Mapping[str, Any]
) -> tuple[Provenance, list[Check]]:
    leads = [lead for lead in rows_of(submission, "leads") if isinstance(lead, Mapping)]
    ids = [str(lead.get("contact_id")) for lead in leads if lead.get("contact_id")]
    spoken = [
        i for i in ids if contact_of(work, i).get("discovered") or contact_of(work, i).get("called")
    ]
    silent = [i for i in ids if i not in spoken]
    share = share_of(len(spoken), len(ids))
    reason = f"nobody spoke to {names_of(work, silent)} in your run"
    provenance = Provenance(share, reason if silent else "", (Evidence.records(silent),))
    called = [i for i in ids if contact_of(work, i).get("discovered")]
    discovery = specs["work_discovery"].award(
        share_of(len(called), len(ids)),
        f"{len(called)} of {len(ids)} leads judged had a discovery call.",
        "Run a discovery call with each lead before judging them.",
    )
    revealed = sum(len(contact_of(work, i).get("revealed") or ()) for i in ids)
    asked = sum(int(contact_of(work, i).get("criteria", 4)) for i in ids)
    reveal = specs["work_revealed"].award(
        share_of(revealed, asked),
        f"Your calls revealed {revealed} of {asked} criteria of the leads judged.",
        "Ask the questions that cover each criterion of the framework.",
    )
    recorded = [i for i in ids if contact_of(work, i).get("qualified")]
    record = specs["work_recorded"].award(
        share_of(len(recorded), len(ids)),
        f"{len(recorded)} of {len(ids)} leads judged have their qualification recorded.",
        "Record each qualification in the sandbox as you make it.",
    )
    return provenance, [discovery, reveal, record]
