"""Prospect research: the filtered search, a prospect's profile, and booking a meeting.

The search page is a GET (its filters in the address, so results can be paged and
linked); posting the filter form logs a ``search`` event, once per change of filters.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import Field
from sqlmodel import Session

from leadworks.core.errors import UserError
from leadworks.core.inputs import Key, Line, PathId, PathKey
from leadworks.practice import read, search
from leadworks.practice import service as svc
from leadworks.practice.notes import note_for
from leadworks.practice.present import label, when
from leadworks.practice.saved_searches import (
    icp_signals,
    marked_facts,
    row_icp_signals,
    saved_searches_of,
)
from leadworks.practice.send_time import local_time, timing_context
from leadworks.practice.views.describe import describe
from leadworks.practice.views.run_post import RunForm, run_post
from leadworks.practice.views.workspace import (
    PracticeDep,
    Workspace,
    contact_or_404,
    render_run_page,
    workspace_context,
)
from simulator.buying_signals import SIGNAL_LABELS

router = APIRouter()

CHIP_NAMES = {
    "signal": "Buying signal",
    "technology": "Technology used",
    "min_employees": "Employees at least",
    "max_employees": "Employees at most",
}
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
Choices = Annotated[list[Key], Field(max_length=200)]


class SearchForm(RunForm):
    """The filter form: each choice filter may be ticked several times."""

    query: Line = ""
    title: Line = ""
    seniority: Choices = []
    size_band: Choices = []
    segment: Choices = []
    region: Choices = []
    city: Choices = []
    signal: Choices = []
    technology: Choices = []
    min_employees: Key = ""
    max_employees: Key = ""
    decision_maker: Key = ""
    has_email: Key = ""
    has_phone: Key = ""
    in_list: Line = Field("", alias="list")
    per_page: Key = ""

    def filters(self) -> dict[str, Any]:
        """The filters as ``search.parse_search`` reads them (a lone choice as a string)."""
        raw = self.model_dump(by_alias=True, exclude=set(RunForm.model_fields))
        return {k: v for k, v in raw.items() if v not in ("", [])}


class MeetingForm(RunForm):
    at: Key = ""


# ---- the search form and its address -------------------------------------------------------


def _multi(items: list[tuple[str, str]]) -> dict[str, Any]:
    """Form or query pairs as filters: a list where a name repeats or may repeat."""
    out: dict[str, list[str]] = {}
    for key, value in items:
        out.setdefault(key, []).append(value)
    return {k: (v if len(v) > 1 or k in search.CHOICE_FILTERS else v[0]) for k, v in out.items()}


def _query_string(filters: Mapping[str, Any], **extra: Any) -> str:
    pairs: list[tuple[str, str]] = []
    for key, value in filters.items():
        if isinstance(value, bool):
            pairs.append((key, "yes" if value else "no"))
        elif isinstance(value, list | tuple):
            pairs.extend((key, str(v)) for v in value)
        else:
            pairs.append((key, str(value)))
    pairs.extend((k, str(v)) for k, v in extra.items() if v not in (None, ""))
    return urlencode(pairs)


def _chosen(raw: Mapping[str, Any]) -> dict[str, Any]:
    """What the filter form shows as chosen (whether or not it was valid)."""
    out: dict[str, Any] = {}
    for name in search.CHOICE_FILTERS:
        value = raw.get(name)
        out[name] = set([value] if isinstance(value, str) else (value or []))
    for name in (
        "query",
        "title",
        "decision_maker",
        "has_email",
        "has_phone",
        "list",
        *search.NUMBER_FILTERS,
    ):
        value = raw.get(name)
        out[name] = value if isinstance(value, str) else ""
    out["per_page"] = str(raw.get("per_page") or search.PER_PAGE_CHOICES[0])
    return out


def _filter_chips(filters: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The active filters as (name, value) for the 'Filtered by' line."""
    chips = []
    for name, value in filters.items():
        if isinstance(value, bool):
            text = "yes" if value else "no"
        elif isinstance(value, list | tuple):
            text = ", ".join(label(str(v)) for v in value)
        else:
            text = label(str(value)) if name in ("seniority", "segment") else str(value)
        if name == "signal":
            values = value if isinstance(value, list | tuple) else [value]
            text = ", ".join(SIGNAL_LABELS.get(str(v), str(v)) for v in values)
        chips.append((CHIP_NAMES.get(name, label(name)), text))
    return chips


def search_context(
    request: Request,
    ws: Workspace,
    raw: Mapping[str, Any],
    error: UserError | None = None,
    *,
    session: Session,
) -> dict[str, Any]:
    """The search page: the filters, one page of results, the saved searches."""
    options = search.filter_options(ws.sandbox)
    rows: list[dict[str, Any]] = []
    total = 0
    query = None
    if error is None:
        try:
            query = search.parse_search(raw, options)
        except UserError as problem:
            error = problem
    if query is not None:
        rows, total = search.search_rows(ws.sandbox, query)
        for row in rows:
            row.update(read.contact_flags(ws.sandbox, row["id"]))
            row["icp_signals"] = row_icp_signals(ws.sandbox, ws.spec, row["company_id"])
            # their clock, to judge a call or a send from the list
            zone = ws.sandbox.world.company(row["company_id"]).timezone
            row["local"] = local_time(zone, ws.sandbox.state.clock)
    page = query.page if query else 1
    per_page = query.per_page if query else search.PER_PAGE_CHOICES[0]
    pages_total = max(1, -(-total // per_page))
    filters = query.filters if query else {}
    return workspace_context(
        request,
        ws,
        "prospects",
        options=options,
        chosen=_chosen(raw),
        rows=rows,
        total=total,
        page=page,
        per_page=per_page,
        pages_total=pages_total,
        filters=filters,
        page_url=lambda n: (
            f"{ws.base}/prospects?" + _query_string(filters, page=n, per_page=per_page)
        ),
        search_error=error,
        filter_chips=_filter_chips(filters),
        lists=sorted(ws.sandbox.state.lists),
        per_page_choices=search.PER_PAGE_CHOICES,
        signal_labels=SIGNAL_LABELS,
        icp_signals=icp_signals(ws.spec),
        saved_searches=saved_searches_of(session, ws.run),
        query_string=_query_string(filters),
    )


@router.get("/runs/{run_id}/prospects", name="sandbox_prospects")
def prospects(run_id: PathId, p: PracticeDep) -> Response:
    request = p.request
    ws = p.workspace(run_id)
    raw = _multi(request.query_params.multi_items())
    context = search_context(request, ws, raw, session=p.session)
    status = context["search_error"].status_code if context["search_error"] else 200
    return render_run_page(
        request, "practice/prospects.html", context, fragments=("results",), status_code=status
    )


@router.post("/runs/{run_id}/prospects/search", name="sandbox_search")
def search_post(run_id: PathId, form: Annotated[SearchForm, Form()], p: PracticeDep) -> Response:
    """Log a search (only when its filters differ from the last one logged), then show it."""
    request = p.request
    post = run_post(p, run_id, form)
    ws = post.ws
    raw = form.filters()
    try:
        query = search.parse_search(raw, search.filter_options(ws.sandbox))
    except UserError as error:
        context = search_context(request, ws, raw, error, session=p.session)
        return render_run_page(
            request, "practice/prospects.html", context, status_code=error.status_code
        )
    if ws.active and query.filters != search.last_search_filters(ws.sandbox):
        post.act({"type": "search", **query.filters}, stale_check=False)
    target = f"{ws.base}/prospects?" + _query_string(query.filters, per_page=query.per_page)
    return RedirectResponse(target, status_code=303)


# ---- a prospect's profile ------------------------------------------------------------------


def _meeting_slots(ws: Workspace, contact: Any) -> list[tuple[str, str]]:
    """Meeting times to offer: the next working days at 10:00 and 14:00 their time."""
    company = ws.sandbox.world.company_of(contact)
    zone = ZoneInfo(company.timezone)
    now = datetime.fromtimestamp(ws.sandbox.state.clock, UTC)
    end = datetime.fromtimestamp(ws.sandbox.state.end, UTC)
    local = now.astimezone(zone)
    slots = []
    for days in range(1, 8):
        day = (local + timedelta(days=days)).date()
        if day.weekday() >= 5:
            continue
        for hour in (10, 14):
            moment = datetime(day.year, day.month, day.day, hour, tzinfo=zone).astimezone(UTC)
            if now + timedelta(hours=1) <= moment <= end:
                text = f"{moment.astimezone(zone):%a} {day.day} {moment.astimezone(zone):%b}, "
                slots.append((moment.strftime("%Y-%m-%dT%H:%M:%SZ"), f"{text}{hour}:00 their time"))
    return slots[:8]


@router.get("/runs/{run_id}/prospects/{contact_id}", name="sandbox_profile")
def profile(run_id: PathId, contact_id: PathKey, p: PracticeDep) -> Response:
    """A prospect's profile. Opening it is research: the first visit logs a view_profile
    (its key names the contact, so it is logged once however often the page is opened)."""
    request, session = p.request, p.session
    ws = p.workspace(run_id)
    contact = contact_or_404(ws, contact_id)
    if ws.active and contact_id not in ws.sandbox.state.viewed:
        svc.act(
            session=session,
            user=p.user,
            run_id=run_id,
            action={"type": "view_profile", "contact_id": contact_id},
            idempotency_key=f"view:{contact_id}",
            cache=p.cache,
        )
        ws = p.workspace(run_id)
    data = ws.sandbox.profile(contact_id)
    cs = ws.sandbox.state.contacts.get(contact_id)
    events = read.timeline(ws.sandbox, contact_id)
    context = workspace_context(
        request,
        ws,
        "prospects",
        contact=contact,
        profile=data,
        flags=read.contact_flags(ws.sandbox, contact_id),
        weekday=WEEKDAYS[data["local_weekday"]],
        **timing_context(ws.sandbox, contact),
        facts=marked_facts(ws.sandbox, ws.spec, contact.company_id),
        timeline=[describe(ws.sandbox, e) for e in reversed(events)],
        note=note_for(session=session, run=ws.run, contact_id=contact_id),
        lists=sorted(ws.sandbox.state.lists),
        stage=cs.stage if cs else None,
        next_stage=read.next_stage(cs.stage if cs else None),
        meeting=cs.meeting if cs else None,
        can_book=bool(
            cs and cs.interest_at is not None and cs.meeting not in ("invited", "accepted")
        ),
        slots=_meeting_slots(ws, contact),
        qualification=cs.qualification if cs else None,
        colleagues=[
            {"id": c.id, "name": c.name, "title": c.title}
            for c in ws.sandbox.world.colleagues(contact)
        ],
    )
    return render_run_page(request, "practice/profile.html", context)


@router.post("/runs/{run_id}/prospects/{contact_id}/meeting", name="sandbox_meeting")
def book_meeting(
    run_id: PathId, contact_id: PathKey, form: Annotated[MeetingForm, Form()], p: PracticeDep
) -> Response:
    post = run_post(p, run_id, form)
    contact = contact_or_404(post.ws, contact_id)
    at = form.at
    return post.act_and_redirect(
        {"type": "book_meeting", "contact_id": contact_id, "at": at},
        back=post.next(f"{post.ws.base}/prospects/{contact_id}"),
        done=f"Invitation sent to {contact.name} for {when(at)}: watch the inbox.",
        refused="No invitation sent: ",
    )
