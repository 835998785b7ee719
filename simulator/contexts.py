"""Grader inputs built from a world and its log, in the shapes team/CONTRACTS.md fixes.

``grading_input(sandbox)`` returns what ``grader.grade(kind, submission, context)`` takes for
a submitted sandbox. The grader sees the hidden truth through these contexts only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .merge import render
from .metrics import meeting_figures, report_figures
from .sandbox import FRAMEWORKS, Sandbox, truth_decision

REPORT_TOLERANCE = {"percent_points": 1.0, "relative": 0.05}


@dataclass(frozen=True)
class GradingInput:
    kind: str
    submission: dict[str, Any]
    context: dict[str, Any]


def prospect_list_context(sandbox: Sandbox) -> dict[str, Any]:
    """Every contact the world knows, with its real ICP fit and reachability."""
    spec = sandbox.exercise
    size = spec.deliverable.list_size
    contacts = {}
    for contact in sandbox.world.contacts:
        company = sandbox.world.company_of(contact)
        contacts[contact.id] = {
            "name": contact.name,
            "title": contact.title,
            "company": company.name,
            "fits_icp": contact.truth.fits_icp,
            "decision_maker": contact.decision_maker,
            "has_email": contact.email is not None,
            "has_phone": contact.phone is not None,
            "do_not_contact": sandbox.opted_out(contact),
        }
    icp = spec.icp.model_dump(mode="json", exclude_none=True)
    context: dict[str, Any] = {
        "icp": icp,
        "list_size": {"min": size.min, "max": size.max} if size else {"min": 1, "max": 10_000},
        "contacts": contacts,
    }
    if spec.deliverable.hooks:  # v2: research hooks, read against each named contact's profile
        context["hooks"] = _hooks_context(sandbox, spec.deliverable.hooks)
    return context


def _hooks_context(sandbox: Sandbox, wanted: int) -> dict[str, Any]:
    submitted = (sandbox.state.submitted or {}).get("submission", {})
    hooks = submitted.get("hooks") if isinstance(submitted, dict) else None
    named = {str(h.get("contact_id", "")).strip() for h in hooks or [] if isinstance(h, dict)}
    profiles = {}
    for cid in sorted(named):
        contact = sandbox.world.contact(cid)
        if contact is not None:
            profiles[cid] = sandbox.prospect_context(contact)
    return {
        "wanted": wanted,
        "year": int(sandbox.now[:4]),
        "offer": sandbox.exercise.client.offer,
        "profiles": profiles,
    }


def outreach_context(sandbox: Sandbox, contact_id: str | None, channel: str) -> dict[str, Any]:
    """Prospect (when one was named), sender and offer.

    ``do_not_contact`` is what held before the exercise began (an old opt-out, a number on
    a do-not-call list). A prospect who unsubscribed in answer to the learner's own email
    must not turn that same email, handed in afterwards, into "outreach to a do-not-contact
    person": the world already refuses any message sent after an opt-out.
    """
    contact = sandbox.world.contact(contact_id) if contact_id else None
    context = sandbox.outreach_context(contact, channel)
    note = sandbox.exercise.deliverable.accepted_note
    if contact is not None and note and channel == "linkedin":  # the message after acceptance
        context["thread"] = {"note": render(note, sandbox.merge_values(contact))[0]}
    if contact is not None:
        truth = contact.truth
        context["prospect"]["do_not_contact"] = truth.opted_out or (
            channel == "call" and truth.do_not_call
        )
    return context


def qualification_context(sandbox: Sandbox, framework: str | None = None) -> dict[str, Any]:
    """Truth per lead: criteria, what discovery calls revealed, and the right decision."""
    frameworks = sandbox.exercise.deliverable.frameworks or ("bant",)
    chosen = framework if framework is not None and framework in FRAMEWORKS else frameworks[0]
    names = FRAMEWORKS[chosen]
    ids = [cid for cid, cs in sandbox.state.contacts.items() if cs.inbound or cs.qualification]
    submitted = (sandbox.state.submitted or {}).get("submission", {})
    for lead in submitted.get("leads", []) if isinstance(submitted, dict) else []:
        cid = lead.get("contact_id") if isinstance(lead, dict) else None
        if isinstance(cid, str) and sandbox.world.contact(cid) and cid not in ids:
            ids.append(cid)
    truth: dict[str, Any] = {}
    for cid in sorted(ids):
        contact = sandbox.world.contact(cid)
        assert contact is not None
        t = contact.truth
        values = {
            "budget": t.budget,
            "money": t.budget,
            "authority": t.authority,
            "need": t.need,
            "challenges": t.need,
            "timeline": t.timeline,
            "prioritization": t.timeline,
        }
        cs = sandbox.state.contacts.get(cid)
        revealed = [n for n in names if cs is not None and n in cs.revealed]
        truth[cid] = {
            "criteria": {n: "yes" if values[n] else "no" for n in names},
            "revealed": revealed,
            "decision": truth_decision(contact),
        }
    return {"framework": chosen, "truth": truth}


def report_context(sandbox: Sandbox) -> dict[str, Any]:
    truth = report_figures(sandbox)
    if sandbox.exercise.deliverable.meeting_figures:  # report v2: the SDR's own results
        truth["meetings"] = meeting_figures(sandbox)
    return {"truth": truth, "tolerance": dict(REPORT_TOLERANCE)}


def call_input(sandbox: Sandbox, contact_id: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """(submission, context) for the ``call`` kind: the last call (with ``contact_id``
    when named; a call still in progress counts), its transcript, and what the engine
    knows about it."""
    live = sandbox.state.call  # handed in mid-call: the call so far counts too
    every = sandbox.state.calls + ([live.snapshot()] if live is not None else [])
    calls = [c for c in every if contact_id in (None, c["contact_id"])]
    if not calls:
        return {"turns": []}, {"sender": _sender(sandbox)}
    call = calls[-1]
    contact = sandbox.world.contact(call["contact_id"])
    assert contact is not None
    persona = sandbox.persona(contact)
    learner = sum(t["speaker"] == "learner" for t in call["turns"])
    turns = [{"speaker": t["speaker"], "text": t["text"]} for t in call["turns"]]
    context = {
        "sender": _sender(sandbox),
        "truth": persona.truth(),
        "revealed": dict(call["revealed"]),
        "objections": [{"kind": o["kind"], "after": o["turn"]} for o in call["objections"]],
        "meeting": call["meeting"],
        "stop_after": learner - 1 if call["do_not_call"] else None,
        "outcome": call["outcome"],
        "drill": bool(call.get("drill")),
    }
    if call.get("drill"):  # every objection the drill sets counts, reached or not
        context["drill_objections"] = list(sandbox.exercise.deliverable.drill)
    return {"turns": turns, "contact_id": call["contact_id"]}, context


def interview_input(
    sandbox: Sandbox, contact_id: str | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(submission, context) for the ``interview`` kind: the last mock interview's
    transcript (the manager's questions, the answers, then the mock call with the manager
    as ``buyer``), the questions with the answers each got (learner turns counted from 0)
    and, once the mock call began, the call rubric's context with its turns counted from
    the call's first learner turn."""
    submission, call_ctx = call_input(sandbox, contact_id)
    live = sandbox.state.call
    every = sandbox.state.calls + ([live.snapshot()] if live is not None else [])
    calls = [c for c in every if contact_id in (None, c["contact_id"]) and c.get("interview")]
    if not calls:
        return {"turns": []}, {"sender": _sender(sandbox), "questions": []}
    iv = calls[-1]["interview"]
    context: dict[str, Any] = {
        "sender": _sender(sandbox),
        "manager": iv["manager"],
        "questions": [
            {"id": a["question"], "turns": list(a["turns"]), "follow_up": a["follow_up"]}
            for a in iv["answers"]
        ],
    }
    start = iv["call_from"]
    if start is not None:
        context["call"] = {
            **call_ctx,
            "revealed": {f: t - start for f, t in call_ctx["revealed"].items() if t >= start},
            "objections": [
                {**o, "after": o["after"] - start}
                for o in call_ctx["objections"]
                if o["after"] >= start - 1
            ],
            "stop_after": None
            if call_ctx["stop_after"] is None
            else call_ctx["stop_after"] - start,
        }
    return submission, context


#: the facts a handoff note is scored on (grader.handoff), as the persona holds them
HANDOFF_FACTS = ("need", "budget", "authority", "timeline", "vendor")


def handoff_context(sandbox: Sandbox, contact_id: str | None) -> dict[str, Any]:
    """What the handoff grader checks a note against: the facts the last call with the
    contact uncovered (each with the buyer's words that revealed it), every buyer line,
    and the meeting agreed with its status now. Facts never uncovered carry no value: a
    note that states them states something the call did not reveal."""
    every = sandbox.state.calls
    calls = [c for c in every if contact_id in (None, c["contact_id"])]
    booked = [c for c in calls if c.get("meeting")]
    if not calls:
        return {"facts": {}, "buyer_lines": [], "meeting": None, "sender": _sender(sandbox)}
    call = (booked or calls)[-1]
    contact = sandbox.world.contact(call["contact_id"])
    assert contact is not None
    persona = sandbox.persona(contact)
    after = _buyer_lines_after_turns(call["turns"])
    facts: dict[str, Any] = {}
    for fact in HANDOFF_FACTS:
        turn = call["revealed"].get(fact)
        if turn is None:
            facts[fact] = {"uncovered": False}
            continue
        facts[fact] = {
            "uncovered": True,
            "value": getattr(persona, fact),
            "said": _said(fact, call["revealed"], after.get(turn, [])),
        }
    if "authority" in call["revealed"]:
        facts["authority"]["decider"] = persona.decider
    meeting = None
    if call.get("meeting"):
        cs = sandbox.state.contacts.get(call["contact_id"])
        status = cs.meeting if cs is not None and cs.meeting_cause is not None else "accepted"
        meeting = {**call["meeting"], "status": status}
    return {
        "buyer": {"name": persona.name, "company": persona.company},
        "facts": facts,
        "buyer_lines": [t["text"] for t in call["turns"] if t["speaker"] == "buyer"],
        "meeting": meeting,
        "sender": _sender(sandbox),
    }


def _said(fact: str, revealed: dict[str, int], lines: list[str]) -> str:
    """The buyer's line that revealed ``fact``: the machine answers the facts one turn
    uncovers last, one line each in FACT order, after any reply to the turn itself (an
    objection's "fair enough"); all the lines when they cannot be told apart."""
    turn = revealed[fact]
    together = [f for f in HANDOFF_FACTS if revealed.get(f) == turn]
    if len(lines) < len(together):
        return " ".join(lines)
    return lines[len(lines) - len(together) + together.index(fact)]


def _buyer_lines_after_turns(turns: list[dict[str, Any]]) -> dict[int, list[str]]:
    """Learner turn ordinal -> the buyer's lines said in answer to it."""
    out: dict[int, list[str]] = {}
    ordinal = -1
    for turn in turns:
        if turn["speaker"] == "learner":
            ordinal += 1
        elif turn["speaker"] == "buyer":
            out.setdefault(ordinal, []).append(turn["text"])
    return out


def _sender(sandbox: Sandbox) -> dict[str, str]:
    client = sandbox.exercise.client
    return {"name": client.sender_name, "company": client.company}


def grading_input(sandbox: Sandbox) -> GradingInput:
    """(kind, submission, context) for a submitted sandbox; ValueError before submission."""
    if sandbox.state.submitted is None:
        raise ValueError("nothing has been submitted yet")
    kind = sandbox.exercise.kind
    raw = sandbox.state.submitted
    submission = dict(raw["submission"])
    contact_id = raw.get("contact_id")
    if kind == "prospect_list":
        context = prospect_list_context(sandbox)
    elif kind in ("outreach", "sequence"):
        channel = str(submission.get("channel") or sandbox.exercise.deliverable.channel or "email")
        context = outreach_context(sandbox, contact_id, channel)
    elif kind == "call":
        submission, context = call_input(sandbox, contact_id)
    elif kind == "interview":
        submission, context = interview_input(sandbox, contact_id)
    elif kind == "handoff":  # the note, with the call behind it graded as a part
        context = handoff_context(sandbox, contact_id)
        call, context["call"] = call_input(sandbox, contact_id)
        submission["turns"] = call["turns"]
    elif kind == "qualification":
        context = qualification_context(sandbox, submission.get("framework"))
    else:
        context = report_context(sandbox)
    return GradingInput(kind, submission, context)
