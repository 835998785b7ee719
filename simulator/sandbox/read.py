"""Read-only views of a live sandbox for pages and the API: nothing here adds an event.

The hidden truth never appears here before hand-in; the debrief (after hand-in) is the one
place that shows it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from simulator.core.errors import UserError
from simulator.world import Sandbox
from simulator.world.debrief import debrief
from simulator.world.metrics import metrics
from simulator.world.packs import question_catalogue
from simulator.world.state import ALL_STAGES

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

    def world_filters(self) -> dict[str, Any]:
        return dict(self.filters)


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
    matches = sandbox._search(query.filters)  # noqa: SLF001 - the world's read-only matcher
    start = (query.page - 1) * query.per_page
    rows = [sandbox._row(c) for c in matches[start : start + query.per_page]]  # noqa: SLF001
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


def lists(sandbox: Sandbox) -> dict[str, list[dict[str, Any]]]:
    out = {}
    for name, ids in sorted(sandbox.state.lists.items()):
        out[name] = [sandbox._row(c) for i in ids if (c := sandbox.world.contact(i))]  # noqa: SLF001
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
