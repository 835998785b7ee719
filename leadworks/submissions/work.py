"""The facts about a run that the grader's achievement part reads (``context["work"]``).

The grader never sees the simulator: this module reads a submitted sandbox (its event log,
its folded state and the world's truth about the contacts involved) and writes plain data
into the grade context, so that ``grader.achievement`` can tell work done in the run from
a deliverable typed into the hand-in box. Only contacts the run or the hand-in involves are
described, and the campaign's outreach sample is capped, so a stored context stays small.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from simulator import Sandbox, grading_input
from simulator import events as ev
from simulator.contexts import GradingInput, outreach_context

#: how many sent messages of a campaign the outreach rubric grades
SAMPLE_SIZE = 5
#: messages kept for provenance (outreach and sequences compare the hand-in against them)
MAX_SENT = 400
SENT_ACTIONS = (ev.MESSAGE_SENT, ev.CALL)
BOOKED = ("accepted", "held", "no_show")


def grading_input_with_work(sandbox: Sandbox) -> GradingInput:
    """The simulator's grader input, its context completed with the run's work facts."""
    graded = grading_input(sandbox)
    context = dict(graded.context)
    context["work"] = work_facts(sandbox)
    return GradingInput(graded.kind, graded.submission, context)


def work_facts(sandbox: Sandbox) -> dict[str, Any]:
    """What the learner did in the run and what it achieved, as plain JSON."""
    spec = sandbox.exercise
    raw = sandbox.state.submitted or {}
    if spec.preplayed is not None:
        # the log is a colleague's campaign: the hand-in is judged on reading it right
        return {"preplayed": True}
    learner = [e for e in sandbox.events if e.actor == ev.LEARNER]
    actions = Counter(e.type for e in learner if e.type != ev.SUBMIT)
    # a scheduled send goes out as a world event of the same type: it is the learner's work
    sends = [e for e in sandbox.events if e.type in SENT_ACTIONS]
    sent = [_sent(e) for e in sends][:MAX_SENT]
    state = sandbox.state
    named = raw.get("contact_id")
    ids = set(_submitted_ids(raw.get("submission"))) | {m["contact_id"] for m in sent}
    if isinstance(named, str):
        ids.add(named)
    ids |= {str(v.get("contact_id")) for v in state.violations if v.get("contact_id")}
    discovered = {e.data.get("contact_id") for e in learner if e.type == ev.DISCOVERY_CALL}
    called = {e.data.get("contact_id") for e in sends if e.type == ev.CALL}
    facts: dict[str, Any] = {
        "contact_id": named,
        "actions": dict(sorted(actions.items())),
        "viewed": sorted(state.viewed),
        "listed": sorted({cid for members in state.lists.values() for cid in members}),
        "sent": _kept(spec.kind, named, sent),
        "touches": sum(cs.touches for cs in state.contacts.values()),
        "violations": [dict(v) for v in state.violations],
        "spent": state.spent,
        "budget": state.budget,
        "contacts": {
            cid: _contact(sandbox, cid, cid in discovered, cid in called) for cid in sorted(ids)
        },
    }
    if spec.goals is not None:
        facts["goals"] = spec.goals.model_dump(exclude_none=True)
    if spec.kind == "report":
        facts["outcomes"] = _outcomes(sandbox)
        facts["sample"] = _sample(sandbox, sent)
    return facts


def _kept(kind: str, named: object, sent: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The sent texts the achievement part compares against the hand-in (none for reports)."""
    texts = [m for m in sent if m["channel"] != "call" or m["body"]]
    if kind == "outreach":
        return [m for m in texts if m["contact_id"] == named]
    return texts if kind == "sequence" else []


def _sent(event: ev.Event) -> dict[str, Any]:
    data = event.data
    if event.type == ev.CALL:
        return {
            "contact_id": data.get("contact_id"),
            "channel": "call",
            "subject": None,
            "body": data.get("opener") or "",
        }
    return {
        "contact_id": data.get("contact_id"),
        "channel": data.get("channel"),
        "subject": data.get("subject"),
        "body": data.get("body") or "",
    }


def _submitted_ids(submission: object) -> list[str]:
    if not isinstance(submission, dict):
        return []
    ids = submission.get("contact_ids")
    found = [i for i in ids if isinstance(i, str)] if isinstance(ids, list) else []
    for lead in submission.get("leads") or []:
        if isinstance(lead, dict) and isinstance(lead.get("contact_id"), str):
            found.append(lead["contact_id"])
    return [i.strip() for i in found][:200]


def _contact(sandbox: Sandbox, contact_id: str, discovered: bool, called: bool) -> dict[str, Any]:
    contact = sandbox.world.contact(contact_id)
    if contact is None:
        return {"known": False}
    cs = sandbox.state.contacts.get(contact_id)
    return {
        "name": contact.name,
        "fits_icp": contact.truth.fits_icp,
        "decision_maker": contact.decision_maker,
        "do_not_contact": contact.truth.opted_out,
        "delivered": bool(cs and cs.delivered),
        "bounced": bool(cs and cs.bounced),
        "opened": bool(cs and cs.opened),
        "replied": bool(cs and cs.replied),
        "meeting": cs.meeting if cs else None,
        "stage": cs.stage if cs else None,
        "discovered": discovered,
        "called": called,
        "revealed": list(cs.revealed) if cs else [],
        "qualified": bool(cs and cs.qualification),
    }


def _outcomes(sandbox: Sandbox) -> dict[str, Any]:
    contacts = sandbox.state.contacts.values()
    reached: Counter[str] = Counter()
    for cs in contacts:
        reached.update(cs.stages_reached)
    leads = reached["lead"]
    spent = sandbox.state.spent
    return {
        "leads": leads,
        "sqls": reached["sql"],
        "customers": reached["customer"],
        # booked: accepted, whatever came of it (an invitation or a refusal is not a booking)
        "meetings_booked": sum(1 for cs in contacts if cs.meeting in BOOKED),
        "meetings_held": sum(1 for cs in contacts if cs.meeting == "held"),
        "meetings_missed": sum(1 for cs in contacts if cs.meeting == "no_show"),
        "calls": sandbox.state.counts["calls"],
        "live_calls": sandbox.state.counts["live_calls"],
        "cost_per_lead": round(spent / leads, 2) if leads and spent else None,
    }


def _sample(sandbox: Sandbox, sent: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Up to SAMPLE_SIZE written messages, spread evenly over the campaign (deterministic)."""
    written = [m for m in sent if m["channel"] in ("email", "linkedin") and m["body"].strip()]
    if not written:
        return []
    step = max(1, len(written) // SAMPLE_SIZE)
    picked = written[::step][:SAMPLE_SIZE]
    return [
        {
            "contact_id": m["contact_id"],
            "submission": {"channel": m["channel"], "subject": m["subject"], "body": m["body"]},
            "context": outreach_context(sandbox, m["contact_id"], m["channel"]),
        }
        for m in picked
    ]
