"""Events as the lines of a CRM activity feed: who, what happened, the text, a tone.

Used by the inbox, the activity log and a prospect's timeline. Pure: an event and the
sandbox it belongs to in, a dict for the template out.
"""

from __future__ import annotations

from collections.abc import Mapping
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


def describe(sandbox: Sandbox, event: Mapping[str, Any]) -> dict[str, Any]:
    """One event as a CRM activity line: who, what happened, the text, a tone."""
    data = event.get("data") or {}
    kind = event.get("type", "")
    cid = data.get("contact_id")
    contact = sandbox.world.contact(cid) if isinstance(cid, str) else None
    name = contact.name if contact else ""
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
    channel = label(data.get("channel"))
    if kind == "message_sent":
        noun = "emailed" if data.get("channel") == "email" else "messaged on LinkedIn"
        out.update(
            title=f"You {noun} {name}",
            text=(f"Subject: {data['subject']} — " if data.get("subject") else "")
            + excerpt(data.get("body"), 240),
            tone="outbound",
        )
        if data.get("unfilled_fields"):
            out["badge"] = "unfilled merge field"
    elif kind == "call":
        out.update(
            title=f"You called {name}", text=excerpt(data.get("opener"), 200), tone="outbound"
        )
    elif kind == "call_result":
        result = (
            f"conversation ({label(data.get('kind'))})"
            if data.get("conversation")
            else ("connected" if data.get("connected") else "no answer")
        )
        out.update(title=f"Call with {name}: {result}", text=data.get("text", ""), tone="call")
    elif kind == "delivered":
        out.update(title=f"Delivered to {name}")
    elif kind == "opened":
        out.update(title=f"{name} opened your email")
    elif kind == "bounced":
        out.update(title=f"Email to {name} bounced", text="The address does not exist.", tone="bad")
    elif kind == "replied":
        reply = data.get("kind")
        out.update(
            title=f"{name} replied on {channel}",
            text=data.get("text", ""),
            tone="good" if reply in POSITIVE_REPLIES else "reply",
            badge=REPLY_LABELS.get(reply or "", label(reply)),
        )
    elif kind == "unsubscribed":
        out.update(title=f"{name} unsubscribed ({channel})", tone="bad")
    elif kind == "complained":
        out.update(title=f"{name} reported your email as spam", tone="bad")
    elif kind == "connection_accepted":
        out.update(title=f"{name} accepted your LinkedIn connection", tone="good")
    elif kind == "meeting_accepted":
        out.update(
            title=f"{name} accepted a meeting for {when(data.get('meeting_at'))}", tone="good"
        )
    elif kind in ("meeting_declined", "meeting_no_show"):
        verb = "declined the meeting" if kind == "meeting_declined" else "did not show up"
        out.update(title=f"{name} {verb}", text=data.get("text", ""), tone="bad")
    elif kind == "meeting_held":
        extra = " — wants a proposal" if data.get("wants_proposal") else ""
        out.update(title=f"Meeting held with {name}{extra}", text=data.get("text", ""), tone="good")
    elif kind in ("deal_won", "deal_lost"):
        won = kind == "deal_won"
        out.update(
            title=f"{'Deal won' if won else 'Deal lost'}: {name}",
            text=data.get("text", ""),
            tone="good" if won else "bad",
        )
    elif kind == "inbound_lead":
        source = label(data.get("channel"))
        out.update(
            title=f"New inbound lead: {name} (via {source.lower()})",
            text=data.get("text", ""),
            tone="good",
            badge="wants a call" if data.get("wants_call") else "",
        )
    elif kind == "discovery_call":
        out.update(
            title=f"Discovery call with {name}",
            text=f"{len(data.get('questions', []))} questions",
            tone="call",
        )
    elif kind == "discovery_answers":
        answers = data.get("answers", [])
        out.update(
            title=f"{name} answered {len(answers)} question(s)",
            text=" ".join(a.get("text", "") for a in answers),
            tone="call",
        )
    elif kind == "record_qualification":
        out.update(
            title=f"You qualified {name} ({str(data.get('framework', '')).upper()})",
            text=DECISION_LABELS.get(data.get("decision", ""), ""),
        )
    elif kind == "change_stage":
        out.update(title=f"You moved {name} to {label(data.get('stage'))}")
    elif kind == "view_profile":
        out.update(title=f"You researched {name}")
    elif kind in ("add_to_list", "remove_from_list"):
        ids = data.get("contact_ids") or []
        who = name or f"{len(ids)} prospect(s)"
        verb = "added to" if kind == "add_to_list" else "removed from"
        out.update(title=f"{who} {verb} the list '{data.get('list', '')}'")
    elif kind == "book_meeting":
        out.update(
            title=f"You invited {name} to a meeting on {when(data.get('at'))}", tone="outbound"
        )
    elif kind == "violation":
        out.update(
            title=f"Compliance problem: {label(data.get('kind'))}",
            text=f"{data.get('detail', '')} ({name})" if name else data.get("detail", ""),
            tone="bad",
        )
    elif kind == "spend":
        out.update(
            title=f"You spent {money(data.get('amount'))} on {label(data.get('channel')).lower()}"
        )
    elif kind == "search":
        out.update(title=f"You searched prospects ({data.get('results', 0)} matches)")
    elif kind == "advance_clock":
        out.update(title=f"Clock moved to {when(data.get('until'), 'short')}")
    elif kind == "exercise_opened":
        out.update(title="The exercise opened")
    elif kind == "submit":
        out.update(title="Handed in", tone="good")
    return out
