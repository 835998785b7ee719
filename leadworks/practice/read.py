"""Read-only views of a live sandbox for pages and the API: nothing here adds an event.

The hidden truth never appears here before hand-in; the debrief (after hand-in) is the one
place that shows it.
"""

from __future__ import annotations

from typing import Any

from course.vocabulary import ALL_STAGES, STAGES
from simulator import Sandbox
from simulator.debrief import debrief, sender_reputation
from simulator.events import iso
from simulator.metrics import metrics
from simulator.packs import question_catalogue

INBOX_TYPES = frozenset(
    {
        "replied", "bounced", "unsubscribed", "complained", "connection_accepted",
        "meeting_held", "meeting_no_show", "meeting_declined", "inbound_lead", "deal_won",
        "deal_lost", "call_result", "discovery_answers", "violation",
    }
)  # fmt: skip


def summary(sandbox: Sandbox) -> dict[str, Any]:
    """What the header of every sandbox page shows: clock, budget, pipeline, inbox."""
    state = sandbox.state
    stages = dict.fromkeys(ALL_STAGES, 0)
    for cs in state.contacts.values():
        if cs.stage:
            stages[cs.stage] += 1
    days_total = (state.end - state.start) / 86_400
    days_used = (state.clock - state.start) / 86_400
    return {
        "now": sandbox.now,
        "start": state.start,
        "end": state.end,
        "ends_at": iso(state.end),
        "day": int(days_used) + 1,
        "days_total": int(days_total),
        "days_left": max(0.0, round(days_total - days_used, 1)),
        "at_end": state.clock >= state.end,
        "budget": state.budget,
        "spent": round(state.spent, 2),
        "remaining_budget": state.remaining_budget,
        "stages": stages,
        "lists": {name: len(ids) for name, ids in state.lists.items()},
        "violations": len(state.violations),
        "submitted": sandbox.submitted,
        "event_count": sandbox.event_count,
    }


def contact_label(sandbox: Sandbox, contact_id: str | None) -> str:
    contact = sandbox.world.contact(contact_id) if contact_id else None
    if contact is None:
        return contact_id or ""
    return f"{contact.name} ({sandbox.world.company_of(contact).name})"


def inbox(sandbox: Sandbox, limit: int = 200) -> list[dict[str, Any]]:
    """World outcomes the learner would see in their tools, newest first."""
    items = []
    for event in reversed(sandbox.events):
        if event.actor != "world" or event.type not in INBOX_TYPES:
            continue
        contact_id = event.data.get("contact_id")
        items.append(event.to_dict() | {"contact": contact_label(sandbox, contact_id)})
        if len(items) >= limit:
            break
    return items


def timeline(sandbox: Sandbox, contact_id: str) -> list[dict[str, Any]]:
    """Every event that concerns one contact, oldest first."""
    out = []
    for event in sandbox.events:
        data = event.data
        if data.get("contact_id") == contact_id or contact_id in (data.get("contact_ids") or ()):
            out.append(event.to_dict())
    return out


def pipeline_board(sandbox: Sandbox) -> dict[str, list[dict[str, Any]]]:
    """Contacts in each stage, the way a CRM board shows them."""
    board: dict[str, list[dict[str, Any]]] = {stage: [] for stage in ALL_STAGES}
    for contact_id, cs in sorted(sandbox.state.contacts.items()):
        if not cs.stage:
            continue
        contact = sandbox.world.contact(contact_id)
        if contact is None:
            continue
        board[cs.stage].append(
            {
                "id": contact_id,
                "name": contact.name,
                "title": contact.title,
                "company": sandbox.world.company_of(contact).name,
                "reply_kind": cs.reply_kind,
                "meeting": cs.meeting,
                "qualified": cs.qualification.get("decision") if cs.qualification else None,
            }
        )
    return board


#: a meeting's status in the diary, as the pipeline's meeting list names it
MEETING_STATUS = {
    "invited": "invited",
    "accepted": "booked",
    "held": "held",
    "no_show": "missed",
    "declined": "declined",
}


def meetings(sandbox: Sandbox) -> list[dict[str, Any]]:
    """Every meeting in the diary (booked, held, missed), soonest first: the pipeline's
    meeting list, with the preparation done for each."""
    rows = []
    for contact_id, cs in sandbox.state.contacts.items():
        if cs.meeting not in ("accepted", "held", "no_show") or cs.meeting_at is None:
            continue
        contact = sandbox.world.contact(contact_id)
        if contact is None:
            continue
        rows.append(
            {
                "id": contact_id,
                "name": contact.name,
                "company": sandbox.world.company_of(contact).name,
                "at": iso(cs.meeting_at),
                "status": MEETING_STATUS[cs.meeting],
                "prep": list(cs.meeting_prep),
            }
        )
    return sorted(rows, key=lambda r: (r["at"], r["id"]))


def meeting_counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    """Booked (every meeting accepted, whatever came of it), held and missed."""
    return {
        "booked": len(rows),
        "held": sum(r["status"] == "held" for r in rows),
        "missed": sum(r["status"] == "missed" for r in rows),
    }


PIPELINE_ORDER = STAGES


def next_stage(current: str | None) -> str | None:
    """The stage one step forward on the board ('lead' for none; None past the end)."""
    if current is None:
        return "lead"
    if current in PIPELINE_ORDER[:-1]:
        return PIPELINE_ORDER[PIPELINE_ORDER.index(current) + 1]
    return None


def lists(sandbox: Sandbox) -> dict[str, list[dict[str, Any]]]:
    out = {}
    for name, ids in sorted(sandbox.state.lists.items()):
        out[name] = [sandbox.row(c) for i in ids if (c := sandbox.world.contact(i))]
    return out


def discovery_questions() -> list[dict[str, Any]]:
    catalogue = question_catalogue()
    return [
        {"id": q.id, "text": q.text, "covers": list(q.covers)} for q in catalogue.questions.values()
    ]


def max_questions_per_call() -> int:
    return question_catalogue().max_per_call


def run_metrics(sandbox: Sandbox) -> dict[str, Any]:
    """Activity counts for the learner's dashboard (not the report figures: no auto-fill)."""
    full = metrics(sandbox)
    return {"activity": full["activity"], "outcomes": full["outcomes"], "spend": full["spend"],
            "violations": full["violations"]}  # fmt: skip


def debrief_rows(sandbox: Sandbox) -> list[dict[str, Any]]:
    """Why each reached contact did or did not answer (after hand-in only)."""
    return debrief(sandbox) if sandbox.submitted else []


def debrief_sender(sandbox: Sandbox) -> dict[str, Any] | None:
    """The sender's reputation and what lowered it (after hand-in only)."""
    return sender_reputation(sandbox) if sandbox.submitted else None


# ---- helpers for the learner's pages (leadworks.practice.views) ---------------------------

MESSAGE_TYPES = frozenset({"message_sent", "call"})


def inbox_count_since(sandbox: Sandbox, seq: int) -> int:
    """How many inbox items arrived at or after event ``seq`` (the 'new' badge)."""
    return sum(
        1
        for event in sandbox.events_since(max(0, seq))
        if event.actor == "world" and event.type in INBOX_TYPES
    )


def contact_flags(sandbox: Sandbox, contact_id: str) -> dict[str, Any]:
    """Reachability and consent flags a CRM shows beside a contact's name."""
    contact = sandbox.world.contact(contact_id)
    if contact is None:
        return {}
    cs = sandbox.state.contacts.get(contact_id)
    return {
        "has_email": contact.email is not None,
        "has_phone": contact.phone is not None,
        "has_social": contact.social is not None,
        "opted_out": sandbox.opted_out(contact),
        "do_not_call": sandbox.do_not_call(contact),
        "viewed": contact_id in sandbox.state.viewed,
        "replied": bool(cs and cs.replied_on),
        "touches": cs.touches if cs else 0,
        "connection": cs.connection if cs else None,
        "bounced": bool(cs and cs.bounced),
    }


def known_contacts(sandbox: Sandbox, limit: int = 500) -> list[dict[str, Any]]:
    """Contacts the learner has met (researched, listed or touched), by name: the
    composer's and the sequence builder's choice of prospect."""
    ids: set[str] = set(sandbox.state.viewed) | set(sandbox.state.contacts)
    for members in sandbox.state.lists.values():
        ids.update(members)
    rows = []
    for contact_id in ids:
        contact = sandbox.world.contact(contact_id)
        if contact is not None:
            rows.append(
                {
                    "id": contact_id,
                    "name": contact.name,
                    "company": sandbox.world.company_of(contact).name,
                    "title": contact.title,
                }
            )
    rows.sort(key=lambda row: (row["name"], row["id"]))
    return rows[:limit]


def sent_messages(sandbox: Sandbox, contact_id: str | None = None) -> list[dict[str, Any]]:
    """Messages and calls the learner sent, newest first (optionally to one contact); a
    scheduled send is logged by the world when it goes out, and is the learner's too."""
    out = []
    for event in reversed(sandbox.events):
        if event.type not in MESSAGE_TYPES:
            continue
        target = event.data.get("contact_id")
        if contact_id is not None and target != contact_id:
            continue
        out.append(event.to_dict() | {"contact": contact_label(sandbox, target)})
    return out


def discovery_log(sandbox: Sandbox, contact_id: str) -> list[dict[str, Any]]:
    """Every discovery call with one contact: when, and each question with its answer."""
    texts = {q["id"]: q["text"] for q in discovery_questions()}
    calls = []
    for event in sandbox.events:
        if event.type != "discovery_answers" or event.data.get("contact_id") != contact_id:
            continue
        answers = [
            {
                "question": answer["question"],
                "question_text": texts.get(answer["question"], answer["question"]),
                "text": answer["text"],
                "covers": sorted(answer.get("reveals") or {}),
            }
            for answer in event.data.get("answers", [])
        ]
        calls.append({"at": event.at, "seq": event.seq, "answers": answers})
    return calls


def qualifications(sandbox: Sandbox, framework: str | None = None) -> list[dict[str, Any]]:
    """The learner's recorded qualifications (latest per contact), optionally one framework."""
    out = []
    for contact_id, cs in sorted(sandbox.state.contacts.items()):
        record = cs.qualification
        if not record or (framework and record.get("framework") != framework):
            continue
        contact = sandbox.world.contact(contact_id)
        if contact is None:
            continue
        out.append(
            {
                "contact_id": contact_id,
                "name": contact.name,
                "company": sandbox.world.company_of(contact).name,
                "framework": record.get("framework"),
                "criteria": record.get("criteria", {}),
                "decision": record.get("decision"),
                "stage": cs.stage,
            }
        )
    return out


def leads_to_qualify(sandbox: Sandbox) -> list[dict[str, Any]]:
    """Contacts worth qualifying: inbound leads, anyone who replied or talked, anyone
    already in the pipeline or already qualified."""
    calls: dict[str, int] = {}
    for event in sandbox.events:
        if event.type == "discovery_answers":
            contact_id = event.data.get("contact_id", "")
            calls[contact_id] = calls.get(contact_id, 0) + 1
    out = []
    for contact_id, cs in sorted(sandbox.state.contacts.items()):
        if not (cs.inbound or cs.replied_on or cs.stage or cs.qualification or cs.revealed):
            continue
        contact = sandbox.world.contact(contact_id)
        if contact is None:
            continue
        out.append(
            {
                "id": contact_id,
                "name": contact.name,
                "title": contact.title,
                "company": sandbox.world.company_of(contact).name,
                "stage": cs.stage,
                "reply_kind": cs.reply_kind,
                "inbound": cs.inbound,
                "calls": calls.get(contact_id, 0),
                "qualified": (cs.qualification or {}).get("decision"),
            }
        )
    return out
