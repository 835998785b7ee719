"""Events as the lines of a CRM activity feed: who, what happened, the text, a tone.

Used by the inbox, the activity log and a prospect's timeline. Pure: an event and the
sandbox it belongs to in, a dict for the template out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from leadworks.practice import read
from leadworks.practice.present import (
    DECISION_LABELS,
    POSITIVE_REPLIES,
    REPLY_LABELS,
    excerpt,
    label,
    money,
    when,
)
from simulator import Sandbox

Line = dict[str, Any]  # what ``describe`` adds for one kind of event: title, text, tone, badge
Describer = Callable[[Mapping[str, Any], str], Line]


def _message_sent(d: Mapping[str, Any], name: str) -> Line:
    noun = "emailed" if d.get("channel") == "email" else "messaged on LinkedIn"
    subject = f"Subject: {d['subject']} — " if d.get("subject") else ""
    line: Line = {
        "title": f"You {noun} {name}",
        "text": subject + excerpt(d.get("body"), 240),
        "tone": "outbound",
    }
    if d.get("unfilled_fields"):
        line["badge"] = "unfilled merge field"
    return line


def _call_result(d: Mapping[str, Any], name: str) -> Line:
    if d.get("conversation"):
        result = f"conversation ({label(d.get('kind'))})"
    else:
        result = "connected" if d.get("connected") else "no answer"
    return {"title": f"Call with {name}: {result}", "text": d.get("text", ""), "tone": "call"}


def _replied(d: Mapping[str, Any], name: str) -> Line:
    reply = d.get("kind")
    return {
        "title": f"{name} replied on {label(d.get('channel'))}",
        "text": d.get("text", ""),
        "tone": "good" if reply in POSITIVE_REPLIES else "reply",
        "badge": REPLY_LABELS.get(reply or "", label(reply)),
    }


def _meeting_missed(kind: str) -> Describer:
    verb = "declined the meeting" if kind == "meeting_declined" else "did not show up"
    return lambda d, name: {"title": f"{name} {verb}", "text": d.get("text", ""), "tone": "bad"}


def _meeting_held(d: Mapping[str, Any], name: str) -> Line:
    extra = " — wants a proposal" if d.get("wants_proposal") else ""
    return {"title": f"Meeting held with {name}{extra}", "text": d.get("text", ""), "tone": "good"}


def _deal(won: bool) -> Describer:
    title, tone = ("Deal won", "good") if won else ("Deal lost", "bad")
    return lambda d, name: {"title": f"{title}: {name}", "text": d.get("text", ""), "tone": tone}


def _inbound_lead(d: Mapping[str, Any], name: str) -> Line:
    return {
        "title": f"New inbound lead: {name} (via {label(d.get('channel')).lower()})",
        "text": d.get("text", ""),
        "tone": "good",
        "badge": "wants a call" if d.get("wants_call") else "",
    }


def _discovery_answers(d: Mapping[str, Any], name: str) -> Line:
    answers = d.get("answers", [])
    return {
        "title": f"{name} answered {len(answers)} question(s)",
        "text": " ".join(a.get("text", "") for a in answers),
        "tone": "call",
    }


def _list_change(kind: str) -> Describer:
    verb = "added to" if kind == "add_to_list" else "removed from"

    def line(d: Mapping[str, Any], name: str) -> Line:
        who = name or f"{len(d.get('contact_ids') or [])} prospect(s)"
        return {"title": f"{who} {verb} the list '{d.get('list', '')}'"}

    return line


def _violation(d: Mapping[str, Any], name: str) -> Line:
    detail = d.get("detail", "")
    return {
        "title": f"Compliance problem: {label(d.get('kind'))}",
        "text": f"{detail} ({name})" if name else detail,
        "tone": "bad",
    }


# One entry per event type: (event data, the contact's name) -> the line's fields.
DESCRIBERS: dict[str, Describer] = {
    "message_sent": _message_sent,
    "call": lambda d, name: {
        "title": f"You called {name}",
        "text": excerpt(d.get("opener"), 200),
        "tone": "outbound",
    },
    "call_result": _call_result,
    "delivered": lambda d, name: {"title": f"Delivered to {name}"},
    "opened": lambda d, name: {"title": f"{name} opened your email"},
    "bounced": lambda d, name: {
        "title": f"Email to {name} bounced",
        "text": "The address does not exist.",
        "tone": "bad",
    },
    "replied": _replied,
    "unsubscribed": lambda d, name: {
        "title": f"{name} unsubscribed ({label(d.get('channel'))})",
        "tone": "bad",
    },
    "complained": lambda d, name: {"title": f"{name} reported your email as spam", "tone": "bad"},
    "connection_accepted": lambda d, name: {
        "title": f"{name} accepted your LinkedIn connection",
        "tone": "good",
    },
    "meeting_accepted": lambda d, name: {
        "title": f"{name} accepted a meeting for {when(d.get('meeting_at'))}",
        "tone": "good",
    },
    "meeting_declined": _meeting_missed("meeting_declined"),
    "meeting_no_show": _meeting_missed("meeting_no_show"),
    "meeting_held": _meeting_held,
    "deal_won": _deal(won=True),
    "deal_lost": _deal(won=False),
    "inbound_lead": _inbound_lead,
    "discovery_call": lambda d, name: {
        "title": f"Discovery call with {name}",
        "text": f"{len(d.get('questions', []))} questions",
        "tone": "call",
    },
    "discovery_answers": _discovery_answers,
    "record_qualification": lambda d, name: {
        "title": f"You qualified {name} ({str(d.get('framework', '')).upper()})",
        "text": DECISION_LABELS.get(d.get("decision", ""), ""),
    },
    "change_stage": lambda d, name: {"title": f"You moved {name} to {label(d.get('stage'))}"},
    "view_profile": lambda d, name: {"title": f"You researched {name}"},
    "add_to_list": _list_change("add_to_list"),
    "remove_from_list": _list_change("remove_from_list"),
    "book_meeting": lambda d, name: {
        "title": f"You invited {name} to a meeting on {when(d.get('at'))}",
        "tone": "outbound",
    },
    "violation": _violation,
    "send_scheduled": lambda d, name: {
        "title": f"You scheduled a {label(d.get('channel')).lower()} to {name}"
        f" for {when(d.get('at'), 'short')} UTC",
        "tone": "outbound",
    },
    "scheduled_send_skipped": lambda d, name: {
        "title": f"A scheduled {label(d.get('channel')).lower()} to {name} was not sent",
        "text": str(d.get("reason") or ""),
        "tone": "bad",
    },
    "spend": lambda d, name: {
        "title": f"You spent {money(d.get('amount'))} on {label(d.get('channel')).lower()}"
    },
    "search": lambda d, name: {"title": f"You searched prospects ({d.get('results', 0)} matches)"},
    "advance_clock": lambda d, name: {"title": f"Clock moved to {when(d.get('until'), 'short')}"},
    "exercise_opened": lambda d, name: {"title": "The exercise opened"},
    "submit": lambda d, name: {"title": "Handed in", "tone": "good"},
}


def describe(sandbox: Sandbox, event: Mapping[str, Any]) -> dict[str, Any]:
    """One event as a CRM activity line: who, what happened, the text, a tone."""
    data = event.get("data") or {}
    kind = event.get("type", "")
    cid = data.get("contact_id")
    contact = sandbox.world.contact(cid) if isinstance(cid, str) else None
    out: dict[str, Any] = {
        "seq": event.get("seq"),
        "at": event.get("at"),
        "type": kind,
        "actor": event.get("actor"),
        "contact_id": cid if contact else None,
        "contact": read.contact_label(sandbox, cid) if contact else "",
        "title": label(kind),
        "text": "",
        "tone": "neutral",
        "badge": "",
    }
    describer = DESCRIBERS.get(kind)
    if describer is not None:
        out.update(describer(data, contact.name if contact else ""))
    return out
