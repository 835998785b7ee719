"""The inbox (what the world answered, filtered by kind, newest first) and the paged
activity log of every event. Opening the inbox clears its 'new' badge."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from leadworks.core.errors import UserError
from leadworks.core.inputs import PathId
from leadworks.practice import read
from leadworks.practice.views.describe import describe
from leadworks.practice.views.workspace import (
    PracticeDep,
    Workspace,
    inbox_seen,
    mark_inbox_seen,
    render_run_page,
    workspace_context,
)

router = APIRouter()

INBOX_FILTERS = {
    "all": ("All activity", None),
    "replies": ("Replies", {"replied", "connection_accepted"}),
    "problems": ("Bounces & opt-outs", {"bounced", "unsubscribed", "complained"}),
    "meetings": (
        "Meetings & deals",
        {
            "meeting_held",
            "meeting_no_show",
            "meeting_declined",
            "deal_won",
            "deal_lost",
        },
    ),
    "calls": ("Calls", {"call_result", "discovery_answers"}),
    "leads": ("Inbound leads", {"inbound_lead"}),
    "compliance": ("Compliance", {"violation"}),
}
LOG_PAGE = 100
INBOX_SCAN = 5_000  # newest inbox items counted per view
INBOX_SHOWN = 200  # shown at once; older ones are in the paged activity log


def _log_page(ws: Workspace, raw_page: str) -> tuple[list[dict[str, Any]], int, int]:
    """One page of the activity log, oldest first: (items, page, pages in all)."""
    try:
        page = max(1, int(raw_page))
    except ValueError:
        raise UserError("Page numbers must be whole numbers.", field="page") from None
    events = list(ws.sandbox.events)
    pages_total = max(1, -(-len(events) // LOG_PAGE))
    page = min(page, pages_total)
    chunk = events[(page - 1) * LOG_PAGE : page * LOG_PAGE]
    return [describe(ws.sandbox, e.to_dict()) for e in chunk], page, pages_total


def _inbox_view(ws: Workspace, show: str) -> tuple[list[dict[str, Any]], dict[str, int], int]:
    """The newest inbox items of one filter: (items, count per filter, how many more)."""
    if show not in INBOX_FILTERS:
        raise UserError(
            f"Unknown inbox view '{show[:30]}'; choose one of: "
            + ", ".join([*INBOX_FILTERS, "log"])
            + ".",
            field="show",
        )
    raw = read.inbox(ws.sandbox, limit=INBOX_SCAN)
    counts = {
        key: sum(1 for e in raw if types is None or e["type"] in types)
        for key, (_, types) in INBOX_FILTERS.items()
    }
    wanted = INBOX_FILTERS[show][1]
    chosen = [e for e in raw if wanted is None or e["type"] in wanted]
    items = [describe(ws.sandbox, e) for e in chosen[:INBOX_SHOWN]]
    return items, counts, len(chosen) - len(items)


@router.get("/runs/{run_id}/inbox", name="sandbox_inbox")
def inbox(run_id: PathId, p: PracticeDep) -> Response:
    request = p.request
    ws = p.workspace(run_id)
    show = request.query_params.get("show", "all")
    seen = inbox_seen(request, ws.run)
    log_page = None
    truncated = 0
    counts: dict[str, int] = {}
    if show == "log":
        items, log_page, pages_total = _log_page(ws, request.query_params.get("page", "1"))
    else:
        items, counts, truncated = _inbox_view(ws, show)
        pages_total = 1
    for item in items:
        item["new"] = show != "log" and (item["seq"] or 0) >= seen
        cs = ws.sandbox.state.contacts.get(item["contact_id"] or "")
        item["stage"] = cs.stage if cs else None
    context = workspace_context(
        request,
        ws,
        "inbox",
        items=items,
        show=show,
        filters=INBOX_FILTERS,
        counts=counts,
        log_page=log_page,
        pages_total=pages_total,
        truncated=truncated,
    )
    response = render_run_page(request, "practice/inbox.html", context)
    mark_inbox_seen(request, ws.run)
    return response
