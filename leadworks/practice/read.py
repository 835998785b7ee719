"""Read-only views of a live sandbox for pages and the API: nothing here adds an event.

The hidden truth never appears here before hand-in; the debrief (after hand-in) is the one
place that shows it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from grader.text import word_strings
from leadworks.core.errors import UserError
from leadworks.practice.service import MAX_MESSAGE_CHARS
from simulator import Sandbox
from simulator.debrief import debrief
from simulator.merge import FIELDS, fields_in, render
from simulator.metrics import metrics
from simulator.packs import question_catalogue
from simulator.state import ALL_STAGES

STAGE_LABELS = {
    "lead": "Lead",
    "mql": "MQL",
    "sql": "SQL",
    "opportunity": "Opportunity",
    "customer": "Customer",
    "lost": "Lost",
}
CHOICE_FILTERS = ("seniority", "size_band", "segment", "region", "city")
PER_PAGE_CHOICES = (25, 50, 100)
INBOX_TYPES = frozenset(
    {
        "replied", "bounced", "unsubscribed", "complained", "connection_accepted",
        "meeting_held", "meeting_no_show", "meeting_declined", "inbound_lead", "deal_won",
        "deal_lost", "call_result", "discovery_answers", "violation",
    }
)  # fmt: skip


def filter_options(sandbox: Sandbox) -> dict[str, list[str]]:
    """The values each choice filter can take in this world (for the search form)."""
    world = sandbox.world
    values: dict[str, set[str]] = {name: set() for name in CHOICE_FILTERS}
    for contact in world.contacts:
        values["seniority"].add(contact.seniority)
    for company in world.companies:
        values["size_band"].add(company.size_band)
        values["segment"].add(company.segment)
        values["region"].add(company.region)
        values["city"].add(company.city)
    return {name: sorted(found) for name, found in values.items()}


@dataclass(frozen=True)
class SearchQuery:
    filters: dict[str, Any]
    page: int
    per_page: int


def _flag(raw: Any, name: str) -> bool | None:
    if raw in (None, "", "any"):
        return None
    if raw in (True, "true", "yes", "1", 1):
        return True
    if raw in (False, "false", "no", "0", 0):
        return False
    raise UserError(f"Filter '{name}' must be yes, no or any.", field=name)


def parse_search(raw: Mapping[str, Any], options: Mapping[str, list[str]]) -> SearchQuery:
    """Check every filter value against what this world has; say which one is wrong."""
    filters: dict[str, Any] = {}
    for name in ("query", "title"):
        text = str(raw.get(name) or "").strip()
        if len(text) > 100:
            raise UserError(f"Filter '{name}' is longer than 100 characters.", field=name)
        if text:
            filters[name] = text
    for name in CHOICE_FILTERS:
        value = raw.get(name)
        chosen = [value] if isinstance(value, str) else list(value or [])
        chosen = [v for v in chosen if v not in ("", "any")]
        unknown = [v for v in chosen if v not in options[name]]
        if unknown:
            allowed = ", ".join(options[name][:12])
            raise UserError(
                f"Filter '{name}' has no value '{str(unknown[0])[:40]}'; choose from: {allowed}.",
                field=name,
            )
        if chosen:
            filters[name] = chosen if len(chosen) > 1 else chosen[0]
    for name in ("decision_maker", "has_email", "has_phone"):
        flag = _flag(raw.get(name), name)
        if flag is not None:
            filters[name] = flag
    list_name = str(raw.get("list") or "").strip()
    if list_name:
        filters["list"] = list_name[:60]
    try:
        page = int(raw.get("page") or 1)
        per_page = int(raw.get("per_page") or PER_PAGE_CHOICES[0])
    except (TypeError, ValueError):
        raise UserError("Page numbers must be whole numbers.", field="page") from None
    if page < 1 or page > 10_000:
        raise UserError("Page must be between 1 and 10,000.", field="page")
    if per_page not in PER_PAGE_CHOICES:
        choices = ", ".join(map(str, PER_PAGE_CHOICES))
        raise UserError(f"Results per page must be one of {choices}.", field="per_page")
    return SearchQuery(filters, page, per_page)


def search_rows(sandbox: Sandbox, query: SearchQuery) -> tuple[list[dict[str, Any]], int]:
    """One page of matching contacts (public fields) and the number of matches."""
    matches = sandbox.find(query.filters)
    start = (query.page - 1) * query.per_page
    rows = [sandbox.row(c) for c in matches[start : start + query.per_page]]
    return rows, len(matches)


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


PIPELINE_ORDER = ("lead", "mql", "sql", "opportunity", "customer")


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


# ---- helpers for the learner's pages (leadworks.practice.views) ---------------------------

LEARNER = "learner"
MESSAGE_TYPES = frozenset({"message_sent", "call"})
EMAIL_WORDS = (50, 125)  # the outreach rubric's bands (grader.outreach.rubric), for guidance
CALL_WORDS = (50, 100)  # 20-40 seconds of speech at 150 words a minute
SUBJECT_MAX_CHARS = 50
LINKEDIN_MESSAGE_MAX = 5_000


def last_search_filters(sandbox: Sandbox) -> dict[str, Any] | None:
    """The filters of the learner's most recent logged search (None before the first)."""
    for event in reversed(sandbox.events):
        if event.type == "search" and event.actor == LEARNER:
            return dict(event.data.get("filters") or {})
    return None


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
    """Messages and calls the learner sent, newest first (optionally to one contact)."""
    out = []
    for event in reversed(sandbox.events):
        if event.actor != LEARNER or event.type not in MESSAGE_TYPES:
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


@dataclass(frozen=True)
class Preview:
    """What the composer's live preview shows: the text as this prospect would read it,
    its size against the channel's limits, and what would go wrong (never a grade)."""

    channel: str
    subject: str | None
    body: str
    words: int
    characters: int
    subject_characters: int
    limit: int | None
    limit_label: str
    guidance: str
    over_limit: bool
    unfilled: tuple[str, ...]
    unknown_fields: tuple[str, ...]
    warnings: tuple[str, ...]


def preview(
    sandbox: Sandbox, contact_id: str | None, channel: str, subject: str | None, body: str
) -> Preview:
    """Render a draft for one prospect without sending it (no event is added)."""
    contact = sandbox.world.contact(contact_id) if contact_id else None
    values = sandbox.merge_values(contact) if contact is not None else {}
    warnings: list[str] = []
    used = set(fields_in(body)) | set(fields_in(subject or ""))
    unknown = tuple(sorted(name for name in used if name not in FIELDS))
    if contact is None:
        text, missing = body, tuple(name for name in fields_in(body))
        rendered_subject = subject
        warnings.append("Choose a prospect to see the merge fields filled in.")
    else:
        text, missing = render(body, values)
        rendered_subject, missing_subject = render(subject, values) if subject else (subject, ())
        missing = tuple(missing) + tuple(missing_subject)
    unfilled = tuple(sorted(set(missing) - set(unknown)))
    if contact is not None and "fact" in unfilled:
        warnings.append(
            "{{fact}} stays empty until you open this prospect's profile: research first."
        )
    cs = sandbox.state.contacts.get(contact.id) if contact else None
    words = len(word_strings(text))
    characters = len(text)
    limit: int | None = MAX_MESSAGE_CHARS
    limit_label = f"{MAX_MESSAGE_CHARS:,} characters (the sandbox's limit)"
    if channel == "email":
        guidance = f"Cold emails that get answers run {EMAIL_WORDS[0]}-{EMAIL_WORDS[1]} words."
        if contact is not None and contact.email is None:
            warnings.append(f"{contact.name} has no known email address.")
    elif channel == "linkedin":
        note = cs is None or cs.connection is None
        if note:
            limit = int(sandbox.params.linkedin_note_limit)
            limit_label = f"{limit} characters (a LinkedIn connection note)"
            guidance = "A connection note: one personal reason to connect, no pitch."
        else:
            limit = LINKEDIN_MESSAGE_MAX
            limit_label = f"{limit:,} characters (a message to a connection)"
            guidance = "You are connected: a short, specific message."
        if contact is not None and contact.social is None:
            warnings.append(f"{contact.name} has no LinkedIn profile.")
        if cs is not None and cs.connection == "pending":
            warnings.append("Your connection request is still pending: wait until it is accepted.")
        rendered_subject = None
    else:
        guidance = (
            f"A call opener is about 20-40 seconds spoken: {CALL_WORDS[0]}-{CALL_WORDS[1]} words."
        )
        rendered_subject = None
        if contact is not None and contact.phone is None:
            warnings.append(f"{contact.name} has no known phone number.")
        if contact is not None and sandbox.do_not_call(contact):
            warnings.append(f"{contact.name} is on a do-not-call list: do not call.")
    if contact is not None and sandbox.opted_out(contact):
        warnings.append(f"{contact.name} has opted out: the CRM will block any message.")
    if channel == "email" and rendered_subject and len(rendered_subject) > SUBJECT_MAX_CHARS:
        warnings.append(
            f"The subject has {len(rendered_subject)} characters; keep it under "
            f"{SUBJECT_MAX_CHARS}."
        )
    if unknown:
        names = ", ".join("{{" + name + "}}" for name in unknown)
        warnings.append(f"Unknown merge field(s) {names}: they would be sent as written.")
    over = limit is not None and characters > limit
    return Preview(
        channel=channel,
        subject=rendered_subject,
        body=text,
        words=words,
        characters=characters,
        subject_characters=len(rendered_subject or ""),
        limit=limit,
        limit_label=limit_label,
        guidance=guidance,
        over_limit=over,
        unfilled=unfilled,
        unknown_fields=unknown,
        warnings=tuple(warnings),
    )


def merge_fields() -> dict[str, str]:
    """Every merge field with what it holds (the composer's reference list)."""
    return dict(FIELDS)
