"""The learner's sandbox pages under /sandbox: exercises, the run workspace, hand-in, grade.

Views stay thin: read the form, call simulator.sandbox.service (every change to a run goes
through ``act`` or ``hand_in`` with an idempotency key), render. Forms carry a hidden
``idempotency_key`` made when the page was rendered, so a double click applies once, and
``expected_count`` (the run's event count then), so a page left stale by another tab is
refused with a 409 and changes nothing.

One template, two uses: a run page renders whole, or (for htmx) only its ``workspace``
block: header, tabs and page together, so every form on it carries the fresh event count.
The prospect search also answers with just its ``results``, the composer with its
``preview``. State-changing posts answer 303 back to the page with a flash message; htmx
follows the redirect and swaps the block.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape
from sqlmodel import Session, select
from starlette.datastructures import FormData

from course.catalog import CONTRACT_EXERCISE_IDS
from course.exercise_specs import ExerciseSpec
from grader.registry import KINDS
from simulator.accounts.deps import PageUser
from simulator.accounts.models import User
from simulator.core.config import PROJECT_ROOT
from simulator.core.content import course_catalog
from simulator.core.csrf import csrf_protect
from simulator.core.deps import SessionDep
from simulator.core.errors import Conflict, NotFound, UserError
from simulator.core.templating import flash, is_htmx, render
from simulator.sandbox import read
from simulator.sandbox import service as svc
from simulator.sandbox.models import Run, RunStatus
from simulator.submissions.models import GradeRecord, Submission
from simulator.submissions.service import current_grade, submissions_with_grades
from simulator.world import Sandbox

log = logging.getLogger("leadworks.sandbox")
pages = APIRouter(prefix="/sandbox", dependencies=[Depends(csrf_protect)])

MESSAGE_CHANNELS = ("email", "linkedin", "call")
PAID_CHANNELS = ("search_ads", "social_ads")
CHANNEL_LABELS = {
    "email": "Email",
    "linkedin": "LinkedIn",
    "call": "Call",
    "search_ads": "Search ads",
    "social_ads": "Social ads",
    "form": "Website form",
}
KIND_LABELS = {
    "prospect_list": "Prospect list",
    "outreach": "Outreach message",
    "sequence": "Follow-up sequence",
    "qualification": "Qualification",
    "report": "Pipeline report",
}
SENIORITY_LABELS = {
    "owner": "Owner",
    "c_level": "C-level",
    "vp": "VP",
    "director": "Director",
    "manager": "Manager",
    "staff": "Staff",
}
REPLY_LABELS = {
    "interested": "Interested",
    "curious": "Curious",
    "not_now": "Not now",
    "referral": "Referral",
    "objection_tool": "Has a tool",
    "objection_price": "Price objection",
    "not_interested": "Not interested",
}
POSITIVE_REPLIES = frozenset({"interested", "curious", "not_now"})
FRAMEWORK_CRITERIA = {
    "bant": ("budget", "authority", "need", "timeline"),
    "champ": ("challenges", "authority", "money", "prioritization"),
}
CRITERION_HELP = {
    "budget": "Can they pay for it?",
    "authority": "Do they decide, or who does?",
    "need": "Do they have the problem the offer solves?",
    "timeline": "Will they act soon?",
    "challenges": "Which problems hurt them?",
    "money": "Is there money for a fix?",
    "prioritization": "Is it near the top of their list?",
}
DECISION_LABELS = {
    "advance": "Advance to sales",
    "nurture": "Nurture",
    "disqualify": "Disqualify",
}
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
REPORT_STAGES = ("lead", "mql", "sql", "opportunity", "customer", "lost")
REPORT_RATES = ("lead_to_mql", "mql_to_sql", "sql_to_opportunity", "opportunity_to_customer")
RATE_LABELS = {
    "lead_to_mql": "Lead → MQL",
    "mql_to_sql": "MQL → SQL",
    "sql_to_opportunity": "SQL → Opportunity",
    "opportunity_to_customer": "Opportunity → Customer",
}
MAX_START_KEYS = 10
MAX_SEEN_RUNS = 30


# ---- small presentation helpers ------------------------------------------------------------


def new_key() -> str:
    """A fresh idempotency key for one rendered form."""
    return uuid.uuid4().hex


def when(iso: str | None, style: str = "long") -> str:
    """Simulated time as people read it: 'Mon 3 Mar 2025, 13:00 UTC'."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    if style == "short":
        return f"{moment:%a} {moment.day} {moment:%b}, {moment:%H:%M}"
    if style == "date":
        return f"{moment:%a} {moment.day} {moment:%b %Y}"
    return f"{moment:%a} {moment.day} {moment:%b %Y}, {moment:%H:%M} UTC"


def money(amount: float | int | None) -> str:
    if amount is None:
        return "—"
    value = float(amount)
    return f"${value:,.0f}" if value.is_integer() else f"${value:,.2f}"


def label(name: str | None) -> str:
    """A machine name as a label: 'c_level' -> 'C-level', 'size_band' -> 'Size band'."""
    if not name:
        return ""
    for table in (SENIORITY_LABELS, CHANNEL_LABELS, REPLY_LABELS, read.STAGE_LABELS):
        if name in table:
            return table[name]
    return name.replace("_", " ").capitalize()


def _excerpt(text: str | None, limit: int = 160) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ---- the run workspace ---------------------------------------------------------------------


@dataclass
class Workspace:
    run: Run
    sandbox: Sandbox
    spec: ExerciseSpec

    @property
    def base(self) -> str:
        return f"/sandbox/runs/{self.run.id}"

    @property
    def active(self) -> bool:
        return self.run.status is RunStatus.active

    @property
    def message_channels(self) -> list[str]:
        return [c for c in MESSAGE_CHANNELS if c in self.spec.channels]

    @property
    def paid_channels(self) -> list[str]:
        return [c for c in PAID_CHANNELS if c in self.spec.channels]


def _workspace(session: Session, user: User, run_id: int) -> Workspace:
    run = svc.run_for(session=session, user=user, run_id=run_id)
    sandbox = svc.live_sandbox(session=session, run=run)
    return Workspace(run, sandbox, sandbox.exercise)


def _tabs(ws: Workspace) -> list[tuple[str, str, str]]:
    """(key, label, href) of the workspace's tabs, as this exercise needs them."""
    tabs = [
        ("overview", "Overview", ws.base),
        ("prospects", "Prospects", f"{ws.base}/prospects"),
        ("lists", "Lists", f"{ws.base}/lists"),
    ]
    if ws.message_channels:
        tabs.append(("compose", "Compose", f"{ws.base}/compose"))
        tabs.append(("sequences", "Sequences", f"{ws.base}/sequences"))
    tabs += [
        ("inbox", "Inbox", f"{ws.base}/inbox"),
        ("pipeline", "Pipeline", f"{ws.base}/pipeline"),
    ]
    if ws.active:
        builder = "Report builder" if ws.spec.kind == "report" else "Hand in"
        tabs.append(("hand-in", builder, f"{ws.base}/hand-in"))
    else:
        tabs.append(("grade", "Grade", f"{ws.base}/grade"))
    return tabs


def _seen(request: Request, run: Run) -> int:
    seen = request.session.get("inbox_seen") or {}
    return int(seen.get(str(run.id), 0)) if isinstance(seen, dict) else 0


def _mark_seen(request: Request, run: Run) -> None:
    seen = dict(request.session.get("inbox_seen") or {})
    seen.pop(str(run.id), None)
    seen[str(run.id)] = run.event_count
    while len(seen) > MAX_SEEN_RUNS:
        seen.pop(next(iter(seen)))
    request.session["inbox_seen"] = seen


def _here(request: Request, ws: Workspace, tab: str) -> str:
    """This page's address, for forms to come back to (a POST's page: its tab's)."""
    if request.method == "GET":
        return request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return next((href for key, _, href in _tabs(ws) if key == tab), ws.base)


def _context(request: Request, ws: Workspace, tab: str, **extra: Any) -> dict[str, Any]:
    summary = read.summary(ws.sandbox)
    summary["day"] = min(summary["day"], max(1, summary["days_total"]))
    elapsed = summary["days_total"] - summary["days_left"]
    return {
        "run": ws.run,
        "ws": ws,
        "spec": ws.spec,
        "summary": summary,
        "elapsed_percent": round(100 * elapsed / summary["days_total"], 1)
        if summary["days_total"]
        else 100,
        "tab": tab,
        "tabs": _tabs(ws),
        "base": ws.base,
        "here": _here(request, ws, tab),
        "active": ws.active,
        "expected": ws.run.event_count,
        "inbox_new": read.inbox_count_since(ws.sandbox, _seen(request, ws.run)),
        "notices": request.session.pop("flash", []) if "session" in request.scope else [],
        "flashes": [],
        "new_key": new_key,
        "when": when,
        "money": money,
        "label": label,
        "excerpt": _excerpt,
        "kind_labels": KIND_LABELS,
        "stage_labels": read.STAGE_LABELS,
    } | extra


def _page(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    fragments: tuple[str, ...] = (),
    status_code: int = 200,
) -> HTMLResponse:
    """The whole page, or for htmx the block it targets (default: the workspace)."""
    target = request.headers.get("HX-Target", "")
    block = target if target in fragments else "workspace"
    return render(request, template, context, block=block, status_code=status_code)


def _content_page(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    context = {"when": when, "money": money, "label": label, "kind_labels": KIND_LABELS} | context
    return render(request, template, context, block="content", status_code=status_code)


# ---- forms and redirects -------------------------------------------------------------------


def _text(form: FormData | Mapping[str, Any], name: str, default: str = "") -> str:
    value = form.get(name)
    return value if isinstance(value, str) else default


def _key(request: Request, form: FormData) -> str | None:
    """The form's own key (fixed when the page was rendered), else htmx's header."""
    return _text(form, "idempotency_key") or request.headers.get("Idempotency-Key")


def _expected(form: FormData) -> int | None:
    raw = _text(form, "expected_count").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise UserError("The page's event count is not a number; reload the page.") from None


_SAFE_NEXT = re.compile(r"^/sandbox/runs/\d+(/[A-Za-z0-9_\-/]*)?(\?[A-Za-z0-9_\-=&%.+]*)?$")


def _next(ws: Workspace, form: FormData, default: str) -> str:
    """Where to go back to: a page of this same run, never anywhere else."""
    target = _text(form, "next")
    if target and _SAFE_NEXT.match(target) and target.startswith(ws.base):
        return target
    return default


def _back(request: Request, url: str, message: str, category: str = "success") -> Response:
    if message:
        flash(request, message, category)
        # Reassign so the session counts as changed even when flash() appended to a list
        # that was already there (two messages before the next page is shown).
        request.session["flash"] = list(request.session["flash"])
    return RedirectResponse(url, status_code=303)


def _act(
    request: Request,
    session: Session,
    user: User,
    ws: Workspace,
    form: FormData,
    action: dict[str, Any],
    *,
    stale_check: bool = True,
) -> svc.ActionOutcome:
    return svc.act(
        session=session,
        user=user,
        run_id=ws.run.id or 0,
        action=action,
        idempotency_key=_key(request, form),
        expected_count=_expected(form) if stale_check else None,
    )


def _refusal_back(request: Request, url: str, error: UserError, *, prefix: str = "") -> Response:
    """A refused button action: back to the page, saying why (conflicts stay 409s)."""
    if isinstance(error, Conflict | NotFound):
        raise error
    return _back(request, url, f"{prefix}{error.message}", "error")


def _contact_or_404(ws: Workspace, contact_id: str) -> Any:
    contact = ws.sandbox.world.contact(contact_id)
    if contact is None:
        raise NotFound(f"No prospect with id '{contact_id[:40]}' in this market.")
    return contact


# ---- exercise list, exercise page, rubric reference ---------------------------------------


def _scores(session: Session, user: User) -> dict[int, GradeRecord]:
    """Current grade per handed-in run of this learner."""
    assert user.id is not None
    out: dict[int, GradeRecord] = {}
    for submission, grade in submissions_with_grades(session=session, user_id=user.id):
        if submission.run_id is not None and grade is not None:
            out[submission.run_id] = grade
    return out


def _percent(grade: GradeRecord | None) -> float | None:
    if grade is None or not grade.possible:
        return None
    return round(100 * grade.final_score / grade.possible, 1)


@pages.get("/", name="sandbox_home")
def sandbox_home(request: Request, session: SessionDep, user: PageUser) -> Response:
    catalog = course_catalog()
    assert user.id is not None
    runs = svc.runs_of(session=session, user_id=user.id)
    scores = _scores(session, user)
    rows = []
    order = {exercise_id: n for n, exercise_id in enumerate(CONTRACT_EXERCISE_IDS)}
    exercises = sorted(catalog.exercises.values(), key=lambda x: (order.get(x.id, 99), x.id))
    for exercise in exercises:
        mine = [r for r in runs if r.exercise_id == exercise.id]
        percents = [p for r in mine if (p := _percent(scores.get(r.id or 0))) is not None]
        active = next((r for r in mine if r.status is RunStatus.active), None)
        rows.append(
            {
                "exercise": exercise,
                "spec": exercise.spec,
                "attempts": len(mine),
                "best": max(percents) if percents else None,
                "active": active,
                "last": max((r.updated_at for r in mine), default=None),
            }
        )
    recent = sorted(runs, key=lambda r: r.updated_at, reverse=True)[:5]
    context = {
        "rows": rows,
        "recent": recent,
        "titles": {x.id: x.title for x in catalog.exercises.values()},
        "scores": {run_id: _percent(g) for run_id, g in scores.items()},
    }
    return _content_page(request, "sandbox/index.html", context)


def rubric_checks(kind: str) -> list[dict[str, Any]]:
    """The checks a kind's rubric declares, with their points (from the grader itself)."""
    module = KINDS.get(kind)
    if module is None:
        return []
    return [{"id": c.id, "points": c.points, "earns": c.earns} for c in module.CHECKS]


@pages.get("/exercises/{exercise_id}", name="sandbox_exercise")
def exercise_page(
    exercise_id: str, request: Request, session: SessionDep, user: PageUser
) -> Response:
    spec = svc.spec_or_404(exercise_id)
    catalog = course_catalog()
    assert user.id is not None
    runs = svc.runs_of(session=session, user_id=user.id, exercise_id=exercise_id)
    scores = _scores(session, user)
    attempts = [{"run": r, "percent": _percent(scores.get(r.id or 0))} for r in runs]
    percents = [a["percent"] for a in attempts if a["percent"] is not None]
    context = {
        "spec": spec,
        "lessons": catalog.lessons_for_exercise(exercise_id),
        "attempts": attempts,
        "best": max(percents) if percents else None,
        "active": next((r for r in runs if r.status is RunStatus.active), None),
        "checks": rubric_checks(spec.kind),
        "total_points": sum(c["points"] for c in rubric_checks(spec.kind)),
        "new_key": new_key,
        "message_channels": [c for c in spec.channels if c in MESSAGE_CHANNELS],
        "paid_channels": [c for c in spec.channels if c in PAID_CHANNELS],
    }
    return _content_page(request, "sandbox/exercise.html", context)


@pages.post("/exercises/{exercise_id}/runs", name="sandbox_start")
async def start_attempt(
    exercise_id: str, request: Request, session: SessionDep, user: PageUser
) -> Response:
    form = await request.form()
    key = _key(request, form)
    started = dict(request.session.get("start_keys") or {})
    if key and key in started:
        return RedirectResponse(f"/sandbox/runs/{started[key]}", status_code=303)
    run = svc.start_run(session=session, user=user, exercise_id=exercise_id)
    if key:
        started[key] = run.id
        while len(started) > MAX_START_KEYS:
            started.pop(next(iter(started)))
        request.session["start_keys"] = started
    flash(
        request,
        f"Attempt {run.attempt} started. Your client's market is ready: start with the "
        "brief on this page, then research prospects.",
        "success",
    )
    return RedirectResponse(f"/sandbox/runs/{run.id}", status_code=303)


def rubric_reference_html() -> Markup | None:
    """docs/rubrics.md (written by the grader's authors) as HTML, when it exists."""
    path = PROJECT_ROOT / "docs" / "rubrics.md"
    if not path.exists():
        return None
    import markdown

    text = path.read_text(encoding="utf-8")
    html = markdown.markdown(
        text,
        extensions=["tables", "fenced_code", "toc", "sane_lists"],
        extension_configs={"toc": {"baselevel": 2}},  # the page has its own h1
    )
    return Markup(html)  # the repository's own documentation


@pages.get("/rubrics", name="sandbox_rubrics")
def rubrics(request: Request, user: PageUser) -> Response:
    kinds = [
        {"kind": kind, "label": KIND_LABELS[kind], "checks": rubric_checks(kind)}
        for kind in KIND_LABELS
    ]
    for item in kinds:
        item["total"] = sum(c["points"] for c in item["checks"])
        item["exercises"] = [
            x for x in course_catalog().exercises.values() if x.spec.kind == item["kind"]
        ]
    context = {"kinds": kinds, "reference": rubric_reference_html()}
    return _content_page(request, "sandbox/rubrics.html", context)


# ---- overview, clock, spend ----------------------------------------------------------------

NEXT_STEPS = {
    "prospect_list": [
        "Read the ideal customer profile below.",
        "Search prospects with the filters in the sidebar; open profiles to check the fit.",
        "Add the ones that fit to a lead list.",
        "Hand in the list when it holds the number the brief asks for.",
    ],
    "outreach": [
        "Search for prospects that match the profile and open their profiles.",
        "Write a message in the composer: the preview shows it as they will read it.",
        "Send it and advance the clock to see who answers.",
        "Hand in the message you are proudest of, naming its prospect.",
    ],
    "sequence": [
        "Build a lead list of prospects who fit.",
        "Design a sequence of steps in Sequences and start it on the list.",
        "Advance the clock: later steps go out on their day, repliers are skipped.",
        "Hand in the sequence with one prospect to render it for.",
    ],
    "qualification": [
        "Your inbound leads are waiting in the inbox and on the pipeline board.",
        "Hold a discovery call with each: pick the questions that uncover the criteria.",
        "Record BANT or CHAMP judgements and a decision for each lead.",
        "Hand in your qualifications.",
    ],
    "report": [
        "Play (or read) the campaign: the inbox and the pipeline board hold the log.",
        "Count stages, conversion rates, reply rates and costs yourself.",
        "Write the analysis: where is the biggest drop-off, and what would you change?",
        "Enter everything in the report builder and hand it in.",
    ],
}


@pages.get("/runs/{run_id}", name="sandbox_run")
def run_overview(run_id: int, request: Request, session: SessionDep, user: PageUser) -> Response:
    ws = _workspace(session, user, run_id)
    metrics = read.run_metrics(ws.sandbox)
    stats = [
        (label(name), value)
        for group in ("activity", "outcomes")
        for name, value in metrics[group].items()
        if value
    ]
    context = _context(
        request,
        ws,
        "overview",
        stats=stats,
        next_steps=NEXT_STEPS.get(ws.spec.kind, []),
        sequences=svc.sequences_of(session=session, run=ws.run),
        violations=ws.sandbox.state.violations[-10:],
        lessons=course_catalog().lessons_for_exercise(ws.spec.id),
        spent_by_channel=dict(ws.sandbox.state.spent_by_channel),
    )
    return _page(request, "sandbox/overview.html", context)


@pages.post("/runs/{run_id}/clock", name="sandbox_clock")
async def move_clock(
    run_id: int, request: Request, session: SessionDep, user: PageUser
) -> Response:
    ws = _workspace(session, user, run_id)
    form = await request.form()
    back = _next(ws, form, ws.base)
    mode = _text(form, "mode", "day")
    try:
        outcome = svc.advance_clock(
            session=session,
            user=user,
            run_id=run_id,
            mode=mode,
            idempotency_key=_key(request, form),
            expected_count=_expected(form),
        )
    except UserError as error:
        return _refusal_back(request, back, error, prefix="The clock did not move: ")
    if outcome.replayed:
        return _back(request, back, "That clock move was already made.", "info")
    sandbox = svc.live_sandbox(session=session, run=outcome.run)
    inbox = [e for e in outcome.events if e["type"] in read.INBOX_TYPES]
    parts = [f"It is now {when(sandbox.now)}."]
    if inbox:
        parts.append(f"{len(inbox)} new in your inbox.")
    else:
        parts.append("Nothing new in the inbox yet.")
    if outcome.sends.sent or outcome.sends.skipped:
        parts.append(
            f"Sequence steps sent: {outcome.sends.sent}"
            + (f" ({outcome.sends.skipped} skipped)." if outcome.sends.skipped else ".")
        )
    return _back(request, back, " ".join(parts), "success")


@pages.post("/runs/{run_id}/spend", name="sandbox_spend")
async def spend(run_id: int, request: Request, session: SessionDep, user: PageUser) -> Response:
    ws = _workspace(session, user, run_id)
    form = await request.form()
    back = _next(ws, form, ws.base)
    channel = _text(form, "channel")
    try:
        amount = round(float(_text(form, "amount").replace(",", "").replace("$", "")), 2)
    except ValueError:
        return _back(request, back, "Enter the amount to spend as a number, e.g. 250.", "error")
    try:
        _act(
            request,
            session,
            user,
            ws,
            form,
            {"type": "spend", "channel": channel, "amount": amount},
        )
    except UserError as error:
        return _refusal_back(request, back, error, prefix="Nothing was spent: ")
    return _back(
        request,
        back,
        f"{money(amount)} on {label(channel).lower()}: inbound leads arrive over the next days.",
    )


# ---- prospects: search, profile ------------------------------------------------------------


def _multi(items: list[tuple[str, str]]) -> dict[str, Any]:
    out: dict[str, list[str]] = {}
    for key, value in items:
        out.setdefault(key, []).append(value)
    return {k: (v if len(v) > 1 or k in read.CHOICE_FILTERS else v[0]) for k, v in out.items()}


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
    for name in read.CHOICE_FILTERS:
        value = raw.get(name)
        out[name] = set([value] if isinstance(value, str) else (value or []))
    for name in ("query", "title", "decision_maker", "has_email", "has_phone", "list"):
        value = raw.get(name)
        out[name] = value if isinstance(value, str) else ""
    out["per_page"] = str(raw.get("per_page") or read.PER_PAGE_CHOICES[0])
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
        chips.append((label(name), text))
    return chips


def _search_context(
    request: Request, ws: Workspace, raw: Mapping[str, Any], error: UserError | None = None
) -> dict[str, Any]:
    options = read.filter_options(ws.sandbox)
    rows: list[dict[str, Any]] = []
    total = 0
    query = None
    if error is None:
        try:
            query = read.parse_search(raw, options)
        except UserError as problem:
            error = problem
    if query is not None:
        rows, total = read.search_rows(ws.sandbox, query)
        for row in rows:
            row.update(read.contact_flags(ws.sandbox, row["id"]))
    page = query.page if query else 1
    per_page = query.per_page if query else read.PER_PAGE_CHOICES[0]
    pages_total = max(1, -(-total // per_page))
    filters = query.filters if query else {}
    return _context(
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
        last_logged=read.last_search_filters(ws.sandbox),
        per_page_choices=read.PER_PAGE_CHOICES,
    )


@pages.get("/runs/{run_id}/prospects", name="sandbox_prospects")
def prospects(run_id: int, request: Request, session: SessionDep, user: PageUser) -> Response:
    ws = _workspace(session, user, run_id)
    context = _search_context(request, ws, _multi(request.query_params.multi_items()))
    status = context["search_error"].status_code if context["search_error"] else 200
    return _page(
        request, "sandbox/prospects.html", context, fragments=("results",), status_code=status
    )


@pages.post("/runs/{run_id}/prospects/search", name="sandbox_search")
async def search(run_id: int, request: Request, session: SessionDep, user: PageUser) -> Response:
    """Log a search (only when its filters differ from the last one logged), then show it."""
    ws = _workspace(session, user, run_id)
    form = await request.form()
    raw = _multi([(k, v) for k, v in form.multi_items() if isinstance(v, str)])
    for name in ("csrf_token", "idempotency_key", "expected_count", "next", "page"):
        raw.pop(name, None)
    try:
        query = read.parse_search(raw, read.filter_options(ws.sandbox))
    except UserError as error:
        context = _search_context(request, ws, raw, error)
        return _page(request, "sandbox/prospects.html", context, status_code=error.status_code)
    if ws.active and query.filters != read.last_search_filters(ws.sandbox):
        action = {"type": "search", **query.filters}
        _act(request, session, user, ws, form, action, stale_check=False)
    target = f"{ws.base}/prospects?" + _query_string(query.filters, per_page=query.per_page)
    return RedirectResponse(target, status_code=303)


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


def _next_stage(current: str | None) -> str | None:
    order = ("lead", "mql", "sql", "opportunity", "customer")
    if current is None:
        return "lead"
    if current in order[:-1]:
        return order[order.index(current) + 1]
    return None


@pages.get("/runs/{run_id}/prospects/{contact_id}", name="sandbox_profile")
def profile(
    run_id: int, contact_id: str, request: Request, session: SessionDep, user: PageUser
) -> Response:
    """A prospect's profile. Opening it is research: the first visit logs a view_profile
    (its key names the contact, so it is logged once however often the page is opened)."""
    ws = _workspace(session, user, run_id)
    contact = _contact_or_404(ws, contact_id)
    if ws.active and contact_id not in ws.sandbox.state.viewed:
        svc.act(
            session=session,
            user=user,
            run_id=run_id,
            action={"type": "view_profile", "contact_id": contact_id},
            idempotency_key=f"view:{contact_id}",
        )
        ws = _workspace(session, user, run_id)
    data = ws.sandbox.profile(contact_id)
    cs = ws.sandbox.state.contacts.get(contact_id)
    events = read.timeline(ws.sandbox, contact_id)
    context = _context(
        request,
        ws,
        "prospects",
        contact=contact,
        profile=data,
        flags=read.contact_flags(ws.sandbox, contact_id),
        weekday=("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[data["local_weekday"]],
        timeline=[describe(ws.sandbox, e) for e in reversed(events)],
        note=svc.note_for(session=session, run=ws.run, contact_id=contact_id),
        lists=sorted(ws.sandbox.state.lists),
        stage=cs.stage if cs else None,
        next_stage=_next_stage(cs.stage if cs else None),
        engaged=bool(cs and (cs.interest_at is not None or cs.meeting == "held")),
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
    return _page(request, "sandbox/profile.html", context)


@pages.post("/runs/{run_id}/prospects/{contact_id}/meeting", name="sandbox_meeting")
async def book_meeting(
    run_id: int, contact_id: str, request: Request, session: SessionDep, user: PageUser
) -> Response:
    ws = _workspace(session, user, run_id)
    contact = _contact_or_404(ws, contact_id)
    form = await request.form()
    back = _next(ws, form, f"{ws.base}/prospects/{contact_id}")
    at = _text(form, "at")
    try:
        _act(
            request,
            session,
            user,
            ws,
            form,
            {"type": "book_meeting", "contact_id": contact_id, "at": at},
        )
    except UserError as error:
        return _refusal_back(request, back, error, prefix="No invitation sent: ")
    return _back(
        request, back, f"Invitation sent to {contact.name} for {when(at)}: watch the inbox."
    )


# ---- lists ---------------------------------------------------------------------------------


@pages.get("/runs/{run_id}/lists", name="sandbox_lists")
def lists_page(run_id: int, request: Request, session: SessionDep, user: PageUser) -> Response:
    ws = _workspace(session, user, run_id)
    members = read.lists(ws.sandbox)
    for rows in members.values():
        for row in rows:
            row.update(read.contact_flags(ws.sandbox, row["id"]))
    size = ws.spec.deliverable.list_size
    context = _context(request, ws, "lists", lists=members, list_size=size)
    return _page(request, "sandbox/lists.html", context)


def _list_name(form: FormData) -> str:
    name = " ".join((_text(form, "new_list") or _text(form, "list")).split())
    if not name:
        raise UserError("Choose a list or type a name for a new one.", field="list")
    if len(name) > 60:
        raise UserError("A list name holds at most 60 characters.", field="list")
    return name


@pages.post("/runs/{run_id}/lists/add", name="sandbox_list_add")
async def list_add(run_id: int, request: Request, session: SessionDep, user: PageUser) -> Response:
    ws = _workspace(session, user, run_id)
    form = await request.form()
    back = _next(ws, form, f"{ws.base}/lists")
    ids = [v for v in form.getlist("contact_ids") if isinstance(v, str) and v]
    if not ids:
        return _back(request, back, "Tick at least one prospect to add to a list.", "error")
    try:
        name = _list_name(form)
        _act(
            request,
            session,
            user,
            ws,
            form,
            {"type": "add_to_list", "contact_ids": ids, "list_name": name},
        )
    except UserError as error:
        return _refusal_back(request, back, error, prefix="Nothing was added: ")
    noun = "prospect" if len(ids) == 1 else "prospects"
    return _back(request, back, f"Added {len(ids)} {noun} to the list '{name}'.")


@pages.post("/runs/{run_id}/lists/remove", name="sandbox_list_remove")
async def list_remove(
    run_id: int, request: Request, session: SessionDep, user: PageUser
) -> Response:
    ws = _workspace(session, user, run_id)
    form = await request.form()
    back = _next(ws, form, f"{ws.base}/lists")
    ids = [v for v in form.getlist("contact_ids") if isinstance(v, str) and v]
    if not ids:
        return _back(request, back, "Choose a prospect to remove.", "error")
    try:
        name = _list_name(form)
        _act(
            request,
            session,
            user,
            ws,
            form,
            {"type": "remove_from_list", "contact_ids": ids, "list_name": name},
        )
    except UserError as error:
        return _refusal_back(request, back, error, prefix="Nothing was removed: ")
    label_ = read.contact_label(ws.sandbox, ids[0]) if len(ids) == 1 else f"{len(ids)} prospects"
    return _back(request, back, f"Removed {label_} from '{name}'.")


# ---- composer, preview, templates ----------------------------------------------------------


def _draft(form: Mapping[str, Any], ws: Workspace) -> dict[str, Any]:
    channel = _text(form, "channel") or (ws.message_channels[0] if ws.message_channels else "")
    return {
        "contact_id": _text(form, "contact_id"),
        "channel": channel,
        "subject": _text(form, "subject"),
        "body": _text(form, "body"),
        "template_id": _text(form, "template_id"),
        "template_name": _text(form, "template_name"),
    }


def _compose_context(
    request: Request,
    session: Session,
    user: User,
    ws: Workspace,
    draft: dict[str, Any],
    error: UserError | None = None,
) -> dict[str, Any]:
    contact_id = draft["contact_id"]
    contact = ws.sandbox.world.contact(contact_id) if contact_id else None
    if contact_id and contact is None:
        draft["contact_id"] = contact_id = ""
    known = read.known_contacts(ws.sandbox)
    if contact is not None and all(k["id"] != contact_id for k in known):
        known.insert(
            0,
            {
                "id": contact_id,
                "name": contact.name,
                "company": ws.sandbox.world.company_of(contact).name,
                "title": contact.title,
            },
        )
    channel = draft["channel"] if draft["channel"] in ws.message_channels else ""
    preview = (
        read.preview(ws.sandbox, contact_id or None, channel, draft["subject"], draft["body"])
        if channel
        else None
    )
    templates = svc.templates_of(session=session, user=user)
    return _context(
        request,
        ws,
        "compose",
        draft=draft,
        channel=channel,
        contact=contact,
        flags=read.contact_flags(ws.sandbox, contact_id) if contact else {},
        known=known,
        preview=preview,
        templates=[t for t in templates if t.channel in ws.message_channels],
        merge_fields=read.merge_fields(),
        sent=read.sent_messages(ws.sandbox)[:15],
        compose_error=error,
        can_hand_in=ws.active and ws.spec.kind == "outreach",
        deliverable_channel=ws.spec.deliverable.channel,
        max_chars=svc.MAX_MESSAGE_CHARS,
    )


@pages.get("/runs/{run_id}/compose", name="sandbox_compose")
def compose(run_id: int, request: Request, session: SessionDep, user: PageUser) -> Response:
    ws = _workspace(session, user, run_id)
    draft = _draft(request.query_params, ws)
    if draft["template_id"].isdigit():
        template = svc.template_for(
            session=session, user=user, template_id=int(draft["template_id"])
        )
        draft.update(
            channel=template.channel,
            subject=template.subject or "",
            body=template.body,
            template_name=template.name,
        )
    context = _compose_context(request, session, user, ws, draft)
    return _page(request, "sandbox/compose.html", context, fragments=("preview",))


@pages.post("/runs/{run_id}/compose/preview", name="sandbox_preview")
async def compose_preview(
    run_id: int, request: Request, session: SessionDep, user: PageUser
) -> Response:
    """The live preview (htmx swaps just the preview; without JavaScript, the whole page)."""
    ws = _workspace(session, user, run_id)
    form = await request.form()
    context = _compose_context(request, session, user, ws, _draft(form, ws))
    if is_htmx(request):
        return render(request, "sandbox/compose.html", context, block="preview")
    return render(request, "sandbox/compose.html", context)


@pages.post("/runs/{run_id}/compose/send", name="sandbox_send")
async def compose_send(
    run_id: int, request: Request, session: SessionDep, user: PageUser
) -> Response:
    ws = _workspace(session, user, run_id)
    form = await request.form()
    draft = _draft(form, ws)
    channel, contact_id = draft["channel"], draft["contact_id"]
    try:
        if channel not in ws.message_channels:
            names = ", ".join(label(c) for c in ws.message_channels) or "none"
            raise UserError(f"Choose a channel this exercise uses ({names}).", field="channel")
        contact = ws.sandbox.world.contact(contact_id) if contact_id else None
        if contact is None:
            raise UserError("Choose the prospect to send this to.", field="contact_id")
        if len(draft["body"]) > svc.MAX_MESSAGE_CHARS:
            raise UserError(
                f"The message is {len(draft['body']):,} characters long; the limit is "
                f"{svc.MAX_MESSAGE_CHARS:,}. Nothing was sent.",
                field="body",
            )
        if channel == "call":
            action = {"type": "call", "contact_id": contact_id, "opener": draft["body"]}
        else:
            action = {
                "type": "send_message",
                "contact_id": contact_id,
                "channel": channel,
                "body": draft["body"],
            }
            if channel == "email" and draft["subject"].strip():
                action["subject"] = draft["subject"]
        outcome = _act(request, session, user, ws, form, action)
    except UserError as error:
        if isinstance(error, Conflict | NotFound):
            raise
        context = _compose_context(request, session, user, ws, draft, error)
        return _page(request, "sandbox/compose.html", context, status_code=error.status_code)
    keep = {"channel": channel, "template_id": draft["template_id"]}
    target = f"{ws.base}/compose?" + urlencode({k: v for k, v in keep.items() if v})
    if channel == "call":
        result = outcome.result if isinstance(outcome.result, dict) else {}
        said = _excerpt(str(result.get("text") or ""), 220)
        return _back(request, target, f"You called {contact.name}. {said}", "info")
    what = "Email" if channel == "email" else "LinkedIn message"
    return _back(
        request,
        target,
        f"{what} sent to {contact.name}. Advance the clock to see what happens.",
    )


@pages.post("/runs/{run_id}/templates", name="sandbox_save_template")
async def save_template(
    run_id: int, request: Request, session: SessionDep, user: PageUser
) -> Response:
    ws = _workspace(session, user, run_id)
    form = await request.form()
    draft = _draft(form, ws)
    try:
        template = svc.save_template(
            session=session,
            user=user,
            name=draft["template_name"],
            channel=draft["channel"],
            subject=draft["subject"],
            body=draft["body"],
        )
    except UserError as error:
        context = _compose_context(request, session, user, ws, draft, error)
        return _page(request, "sandbox/compose.html", context, status_code=error.status_code)
    query = urlencode(
        {
            k: v
            for k, v in {"template_id": template.id, "contact_id": draft["contact_id"]}.items()
            if v
        }
    )
    return _back(
        request, f"{ws.base}/compose?{query}", f"Template '{template.name}' saved for reuse."
    )


@pages.post("/runs/{run_id}/templates/delete", name="sandbox_delete_template")
async def delete_template(
    run_id: int, request: Request, session: SessionDep, user: PageUser
) -> Response:
    ws = _workspace(session, user, run_id)
    form = await request.form()
    raw = _text(form, "template_id")
    if not raw.isdigit():
        raise NotFound("No such saved template.")
    svc.delete_template(session=session, user=user, template_id=int(raw))
    return _back(request, f"{ws.base}/compose", "Template deleted.")


# ---- sequences -----------------------------------------------------------------------------


def _builder_rows(ws: Workspace, steps: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    wanted = ws.spec.deliverable.steps
    count = max(4, wanted.max if wanted else 0, len(steps or []))
    rows = [dict(s) for s in (steps or [])]
    default_channel = ws.message_channels[0] if ws.message_channels else "email"
    while len(rows) < count:
        rows.append(
            {
                "delay_days": 0 if not rows else 3,
                "channel": default_channel,
                "subject": "",
                "body": "",
            }
        )
    return rows[: svc.MAX_SEQUENCE_STEPS]


def _form_steps(form: FormData) -> list[dict[str, Any]]:
    steps = []
    for index in range(svc.MAX_SEQUENCE_STEPS):
        body = _text(form, f"step-{index}-body")
        if not body.strip():
            continue
        steps.append(
            {
                "delay_days": _text(form, f"step-{index}-delay_days") or "0",
                "channel": _text(form, f"step-{index}-channel"),
                "subject": _text(form, f"step-{index}-subject"),
                "body": body,
            }
        )
    return steps


def _plan_view(ws: Workspace, plan: Any) -> dict[str, Any]:
    due = svc._due_at(plan, plan.next_step)  # noqa: SLF001 - the same rule the clock uses
    return {
        "plan": plan,
        "next_due": when(datetime.fromtimestamp(due, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
        if due is not None
        else None,
        "contacts": len(plan.contact_ids),
    }


def _sequence_context(
    request: Request,
    session: Session,
    ws: Workspace,
    *,
    rows: list[dict[str, Any]] | None = None,
    name: str = "",
    list_name: str = "",
    stop_on_reply: bool = True,
    stop_on_opt_out: bool = True,
    error: UserError | None = None,
) -> dict[str, Any]:
    plans = svc.sequences_of(session=session, run=ws.run)
    return _context(
        request,
        ws,
        "sequences",
        rows=rows or _builder_rows(ws),
        seq_name=name,
        seq_list=list_name,
        stop_on_reply=stop_on_reply,
        stop_on_opt_out=stop_on_opt_out,
        lists={n: len(ids) for n, ids in sorted(ws.sandbox.state.lists.items())},
        plans=[_plan_view(ws, p) for p in reversed(plans)],
        builder_error=error,
        merge_fields=read.merge_fields(),
        wanted_steps=ws.spec.deliverable.steps,
    )


@pages.get("/runs/{run_id}/sequences", name="sandbox_sequences")
def sequences(run_id: int, request: Request, session: SessionDep, user: PageUser) -> Response:
    ws = _workspace(session, user, run_id)
    source = request.query_params.get("from", "")
    extra: dict[str, Any] = {}
    if source.isdigit():
        plan = svc.sequence_for(session=session, run=ws.run, plan_id=int(source))
        extra = {
            "rows": _builder_rows(ws, plan.steps),
            "name": f"{plan.name} (copy)",
            "list_name": plan.list_name or "",
            "stop_on_reply": plan.stop_on_reply,
            "stop_on_opt_out": plan.stop_on_opt_out,
        }
    context = _sequence_context(request, session, ws, **extra)
    return _page(request, "sandbox/sequences.html", context)


@pages.post("/runs/{run_id}/sequences", name="sandbox_sequence_create")
async def sequence_create(
    run_id: int, request: Request, session: SessionDep, user: PageUser
) -> Response:
    ws = _workspace(session, user, run_id)
    form = await request.form()
    steps = _form_steps(form)
    name = _text(form, "name")
    list_name = _text(form, "list_name")
    stop_on_reply = _text(form, "stop_on_reply") == "yes"
    stop_on_opt_out = _text(form, "stop_on_opt_out") == "yes"
    try:
        plan = svc.create_sequence(
            session=session,
            user=user,
            run_id=run_id,
            name=name,
            steps=steps,
            stop_on_reply=stop_on_reply,
            stop_on_opt_out=stop_on_opt_out,
            list_name=list_name or None,
            idempotency_key=_key(request, form),
        )
    except UserError as error:
        if isinstance(error, Conflict | NotFound):
            raise
        rows = _builder_rows(
            ws,
            [
                {
                    "delay_days": _text(form, f"step-{i}-delay_days"),
                    "channel": _text(form, f"step-{i}-channel"),
                    "subject": _text(form, f"step-{i}-subject"),
                    "body": _text(form, f"step-{i}-body"),
                }
                for i in range(svc.MAX_SEQUENCE_STEPS)
                if f"step-{i}-body" in form
            ],
        )
        context = _sequence_context(
            request,
            session,
            ws,
            rows=rows,
            name=name,
            list_name=list_name,
            stop_on_reply=stop_on_reply,
            stop_on_opt_out=stop_on_opt_out,
            error=error,
        )
        return _page(request, "sandbox/sequences.html", context, status_code=error.status_code)
    return _back(
        request,
        f"{ws.base}/sequences",
        f"Sequence '{plan.name}' saved as a draft with {len(plan.steps)} steps. "
        "Start it when you are ready.",
    )


@pages.post("/runs/{run_id}/sequences/start", name="sandbox_sequence_start")
async def sequence_start(
    run_id: int, request: Request, session: SessionDep, user: PageUser
) -> Response:
    ws = _workspace(session, user, run_id)
    form = await request.form()
    back = f"{ws.base}/sequences"
    raw = _text(form, "plan_id")
    if not raw.isdigit():
        raise NotFound("No such sequence in this practice run.")
    try:
        sends = svc.start_sequence(
            session=session,
            user=user,
            run_id=run_id,
            plan_id=int(raw),
            expected_count=_expected(form),
        )
    except UserError as error:
        return _refusal_back(request, back, error, prefix="The sequence did not start: ")
    message = f"Sequence started: step 1 went to {sends.sent} contact(s)"
    message += f", {sends.skipped} skipped." if sends.skipped else "."
    return _back(request, back, message + " Later steps go out as the clock reaches their day.")


@pages.post("/runs/{run_id}/sequences/delete", name="sandbox_sequence_delete")
async def sequence_delete(
    run_id: int, request: Request, session: SessionDep, user: PageUser
) -> Response:
    ws = _workspace(session, user, run_id)
    form = await request.form()
    raw = _text(form, "plan_id")
    if not raw.isdigit():
        raise NotFound("No such sequence in this practice run.")
    svc.delete_sequence(session=session, user=user, run_id=run_id, plan_id=int(raw))
    return _back(request, f"{ws.base}/sequences", "Draft sequence deleted.")


# ---- inbox and activity --------------------------------------------------------------------


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
            + _excerpt(data.get("body"), 240),
            tone="outbound",
        )
        if data.get("unfilled_fields"):
            out["badge"] = "unfilled merge field"
    elif kind == "call":
        out.update(
            title=f"You called {name}", text=_excerpt(data.get("opener"), 200), tone="outbound"
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
            badge=REPLY_LABELS.get(reply, label(reply)),
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


@pages.get("/runs/{run_id}/inbox", name="sandbox_inbox")
def inbox(run_id: int, request: Request, session: SessionDep, user: PageUser) -> Response:
    ws = _workspace(session, user, run_id)
    show = request.query_params.get("show", "all")
    seen = _seen(request, ws.run)
    log_page = None
    truncated = 0
    if show == "log":
        try:
            log_page = max(1, int(request.query_params.get("page", "1")))
        except ValueError:
            raise UserError("Page numbers must be whole numbers.", field="page") from None
        events = list(ws.sandbox.events)
        pages_total = max(1, -(-len(events) // LOG_PAGE))
        log_page = min(log_page, pages_total)
        chunk = events[(log_page - 1) * LOG_PAGE : log_page * LOG_PAGE]
        items = [describe(ws.sandbox, e.to_dict()) for e in chunk]
        counts: dict[str, int] = {}
    else:
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
        truncated = len(chosen) - len(items)
        pages_total = 1
    for item in items:
        item["new"] = show != "log" and (item["seq"] or 0) >= seen
        cs = ws.sandbox.state.contacts.get(item["contact_id"] or "")
        item["stage"] = cs.stage if cs else None
    context = _context(
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
    response = _page(request, "sandbox/inbox.html", context)
    _mark_seen(request, ws.run)
    return response


# ---- discovery calls and notes -------------------------------------------------------------


@pages.get("/runs/{run_id}/prospects/{contact_id}/discovery", name="sandbox_discovery")
def discovery(
    run_id: int, contact_id: str, request: Request, session: SessionDep, user: PageUser
) -> Response:
    ws = _workspace(session, user, run_id)
    contact = _contact_or_404(ws, contact_id)
    cs = ws.sandbox.state.contacts.get(contact_id)
    context = _context(
        request,
        ws,
        "pipeline",
        contact=contact,
        company=ws.sandbox.world.company_of(contact),
        engaged=bool(cs and (cs.interest_at is not None or cs.meeting == "held")),
        questions=read.discovery_questions(),
        max_questions=read.max_questions_per_call(),
        calls=read.discovery_log(ws.sandbox, contact_id),
        note=svc.note_for(session=session, run=ws.run, contact_id=contact_id),
        max_note=svc.MAX_NOTE_CHARS,
    )
    return _page(request, "sandbox/discovery.html", context)


@pages.post("/runs/{run_id}/prospects/{contact_id}/discovery", name="sandbox_discovery_call")
async def discovery_call(
    run_id: int, contact_id: str, request: Request, session: SessionDep, user: PageUser
) -> Response:
    ws = _workspace(session, user, run_id)
    contact = _contact_or_404(ws, contact_id)
    form = await request.form()
    back = f"{ws.base}/prospects/{contact_id}/discovery"
    questions = [q for q in form.getlist("questions") if isinstance(q, str)]
    try:
        _act(
            request,
            session,
            user,
            ws,
            form,
            {"type": "discovery_call", "contact_id": contact_id, "questions": questions},
        )
    except UserError as error:
        return _refusal_back(request, back, error, prefix="No call was made: ")
    return _back(
        request,
        back + "#calls",
        f"Call with {contact.name} logged: {len(questions)} answer(s) below.",
    )


@pages.post("/runs/{run_id}/prospects/{contact_id}/notes", name="sandbox_notes")
async def notes(
    run_id: int, contact_id: str, request: Request, session: SessionDep, user: PageUser
) -> Response:
    ws = _workspace(session, user, run_id)
    _contact_or_404(ws, contact_id)
    form = await request.form()
    back = _next(ws, form, f"{ws.base}/prospects/{contact_id}")
    svc.save_note(
        session=session, user=user, run_id=run_id, contact_id=contact_id, body=_text(form, "notes")
    )
    return _back(request, back, "Notes saved.")


# ---- qualification -------------------------------------------------------------------------


def _frameworks(ws: Workspace) -> tuple[str, ...]:
    preferred = tuple(ws.spec.deliverable.frameworks)
    return preferred + tuple(f for f in ("bant", "champ") if f not in preferred)


def _qualify_context(
    request: Request,
    ws: Workspace,
    contact: Any,
    framework: str,
    values: dict[str, Any] | None = None,
    error: UserError | None = None,
) -> dict[str, Any]:
    cs = ws.sandbox.state.contacts.get(contact.id)
    record = cs.qualification if cs else None
    if values is None:
        values = {"criteria": {}, "decision": ""}
        if record and record.get("framework") == framework:
            values = {"criteria": record.get("criteria", {}), "decision": record.get("decision")}
    return _context(
        request,
        ws,
        "pipeline",
        contact=contact,
        company=ws.sandbox.world.company_of(contact),
        framework=framework,
        frameworks=_frameworks(ws),
        criteria=FRAMEWORK_CRITERIA[framework],
        criterion_help=CRITERION_HELP,
        decisions=DECISION_LABELS,
        values=values,
        record=record,
        calls=read.discovery_log(ws.sandbox, contact.id),
        qualify_error=error,
    )


@pages.get("/runs/{run_id}/prospects/{contact_id}/qualify", name="sandbox_qualify")
def qualify(
    run_id: int, contact_id: str, request: Request, session: SessionDep, user: PageUser
) -> Response:
    ws = _workspace(session, user, run_id)
    contact = _contact_or_404(ws, contact_id)
    framework = request.query_params.get("framework", "")
    if not framework:
        cs = ws.sandbox.state.contacts.get(contact_id)
        recorded = (cs.qualification or {}).get("framework") if cs else None
        framework = recorded or _frameworks(ws)[0]
    if framework not in FRAMEWORK_CRITERIA:
        raise UserError("The framework must be bant or champ.", field="framework")
    return _page(request, "sandbox/qualify.html", _qualify_context(request, ws, contact, framework))


@pages.post("/runs/{run_id}/prospects/{contact_id}/qualify", name="sandbox_qualify_save")
async def qualify_save(
    run_id: int, contact_id: str, request: Request, session: SessionDep, user: PageUser
) -> Response:
    ws = _workspace(session, user, run_id)
    contact = _contact_or_404(ws, contact_id)
    form = await request.form()
    framework = _text(form, "framework")
    if framework not in FRAMEWORK_CRITERIA:
        raise UserError("The framework must be bant or champ.", field="framework")
    criteria = {
        name: {"value": _text(form, f"{name}-value"), "note": _text(form, f"{name}-note").strip()}
        for name in FRAMEWORK_CRITERIA[framework]
    }
    decision = _text(form, "decision")
    try:
        for name, judgement in criteria.items():
            if judgement["value"] not in ("yes", "no", "unknown"):
                raise UserError(f"Judge {name}: yes, no or unknown.", field=f"{name}-value")
            if len(judgement["note"]) > 1_000:
                raise UserError(
                    f"The note on {name} holds at most 1,000 characters.", field=f"{name}-note"
                )
        if decision not in DECISION_LABELS:
            raise UserError("Choose a decision: advance, nurture or disqualify.", field="decision")
        _act(
            request,
            session,
            user,
            ws,
            form,
            {
                "type": "record_qualification",
                "contact_id": contact_id,
                "framework": framework,
                "criteria": criteria,
                "decision": decision,
            },
        )
    except UserError as error:
        if isinstance(error, Conflict | NotFound):
            raise
        values = {"criteria": criteria, "decision": decision}
        context = _qualify_context(request, ws, contact, framework, values, error)
        return _page(request, "sandbox/qualify.html", context, status_code=error.status_code)
    back = _next(ws, form, f"{ws.base}/prospects/{contact_id}")
    return _back(
        request,
        back,
        f"{contact.name} qualified with {framework.upper()}: {DECISION_LABELS[decision].lower()}.",
    )


# ---- pipeline board ------------------------------------------------------------------------


@pages.get("/runs/{run_id}/pipeline", name="sandbox_pipeline")
def pipeline(run_id: int, request: Request, session: SessionDep, user: PageUser) -> Response:
    ws = _workspace(session, user, run_id)
    board = read.pipeline_board(ws.sandbox)
    for stage, cards in board.items():
        for card in cards:
            card["next"] = _next_stage(stage)
    context = _context(
        request,
        ws,
        "pipeline",
        board=board,
        leads=read.leads_to_qualify(ws.sandbox),
        decisions=DECISION_LABELS,
    )
    return _page(request, "sandbox/pipeline.html", context)


@pages.post("/runs/{run_id}/pipeline/move", name="sandbox_move")
async def move(run_id: int, request: Request, session: SessionDep, user: PageUser) -> Response:
    ws = _workspace(session, user, run_id)
    form = await request.form()
    back = _next(ws, form, f"{ws.base}/pipeline")
    contact_id = _text(form, "contact_id")
    stage = _text(form, "stage")
    contact = _contact_or_404(ws, contact_id)
    try:
        _act(
            request,
            session,
            user,
            ws,
            form,
            {"type": "change_stage", "contact_id": contact_id, "stage": stage},
        )
    except UserError as error:
        return _refusal_back(request, back, error, prefix=f"{contact.name} stays where they are: ")
    return _back(request, back, f"Moved {contact.name} to {label(stage)}.")


# ---- hand-in -------------------------------------------------------------------------------


def _hand_in_context(
    request: Request,
    session: Session,
    ws: Workspace,
    *,
    values: dict[str, Any] | None = None,
    error: UserError | None = None,
) -> dict[str, Any]:
    kind = ws.spec.kind
    extra: dict[str, Any] = {"values": values or {}, "hand_in_error": error, "kind": kind}
    if kind == "prospect_list":
        extra["lists"] = {n: len(ids) for n, ids in sorted(ws.sandbox.state.lists.items())}
        extra["list_size"] = ws.spec.deliverable.list_size
    elif kind == "outreach":
        channel = ws.spec.deliverable.channel
        extra["sent"] = [
            m
            for m in read.sent_messages(ws.sandbox)
            if (m["data"].get("channel") or "call") == channel
            or (m["type"] == "call" and channel == "call")
        ]
    elif kind == "sequence":
        extra["plans"] = svc.sequences_of(session=session, run=ws.run)
        extra["known"] = read.known_contacts(ws.sandbox)
        extra["wanted_steps"] = ws.spec.deliverable.steps
    elif kind == "qualification":
        extra["frameworks"] = _frameworks(ws)
        extra["by_framework"] = {f: read.qualifications(ws.sandbox, f) for f in FRAMEWORK_CRITERIA}
        extra["min_leads"] = ws.spec.deliverable.min_leads
    else:
        extra["stages"] = REPORT_STAGES
        extra["rates"] = REPORT_RATES
        extra["rate_labels"] = RATE_LABELS
        extra["channels"] = [c for c in MESSAGE_CHANNELS if c in ws.spec.channels]
    return _context(request, ws, "hand-in", **extra)


@pages.get("/runs/{run_id}/hand-in", name="sandbox_hand_in_page")
def hand_in_page(run_id: int, request: Request, session: SessionDep, user: PageUser) -> Response:
    ws = _workspace(session, user, run_id)
    if not ws.active:
        return RedirectResponse(f"{ws.base}/grade", status_code=303)
    return _page(request, "sandbox/hand_in.html", _hand_in_context(request, session, ws))


def _number(form: FormData, name: str, *, whole: bool = False) -> float | int | None:
    raw = _text(form, name).strip().replace(",", "").replace("%", "").replace("$", "")
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise UserError(f"'{raw[:20]}' is not a number.", field=name) from None
    if whole:
        if not value.is_integer():
            raise UserError("Stage counts are whole numbers.", field=name)
        return int(value)
    return value


def _report_payload(form: FormData, ws: Workspace) -> dict[str, Any]:
    figures: dict[str, Any] = {"stage_counts": {}, "conversion_rates": {}}
    for stage in REPORT_STAGES:
        value = _number(form, f"count-{stage}", whole=True)
        if value is not None:
            figures["stage_counts"][stage] = value
    for rate in REPORT_RATES:
        value = _number(form, f"rate-{rate}")
        if value is not None:
            figures["conversion_rates"][rate] = value
    replies = {}
    for channel in MESSAGE_CHANNELS:
        value = _number(form, f"reply-{channel}")
        if value is not None:
            replies[channel] = value
    if replies:
        figures["reply_rate_by_channel"] = replies
    for cost in ("cost_per_lead", "cost_per_acquisition"):
        value = _number(form, cost)
        if value is not None:
            figures[cost] = value
    analysis = _text(form, "analysis")
    if len(analysis) > svc.MAX_MESSAGE_CHARS:
        raise UserError(
            f"The analysis is {len(analysis):,} characters long; the limit is "
            f"{svc.MAX_MESSAGE_CHARS:,}.",
            field="analysis",
        )
    return {"figures": figures, "analysis": analysis}


def _hand_in_payload(
    session: Session, ws: Workspace, form: FormData
) -> tuple[dict[str, Any], str | None]:
    """The deliverable as the grader takes it, built from the learner's own work."""
    kind = ws.spec.kind
    if kind == "prospect_list":
        name = _text(form, "list")
        members = ws.sandbox.state.lists.get(name)
        if not name or members is None:
            raise UserError("Choose the lead list to hand in.", field="list")
        notes = _text(form, "notes")
        if len(notes) > 4_000:
            raise UserError("Notes hold at most 4,000 characters.", field="notes")
        return {"contact_ids": list(members), "notes": notes}, None
    if kind == "outreach":
        channel = _text(form, "channel") or ws.spec.deliverable.channel or "email"
        wanted = ws.spec.deliverable.channel
        if wanted and channel != wanted:
            raise UserError(
                f"This exercise asks for one {label(wanted).lower()} message; switch the "
                f"composer to {label(wanted)}.",
                field="channel",
            )
        contact_id = _text(form, "contact_id")
        if not contact_id or ws.sandbox.world.contact(contact_id) is None:
            raise UserError("Name the prospect this message is for.", field="contact_id")
        body = _text(form, "body")
        if len(body) > svc.MAX_MESSAGE_CHARS:
            raise UserError(
                f"The message is {len(body):,} characters long; the limit is "
                f"{svc.MAX_MESSAGE_CHARS:,}.",
                field="body",
            )
        subject = _text(form, "subject").strip() or None
        return {
            "channel": channel,
            "subject": subject if channel == "email" else None,
            "body": body,
        }, contact_id
    if kind == "sequence":
        raw = _text(form, "plan_id")
        if not raw.isdigit():
            raise UserError("Choose the sequence to hand in.", field="plan_id")
        plan = svc.sequence_for(session=session, run=ws.run, plan_id=int(raw))
        contact_id = _text(form, "contact_id") or (plan.contact_ids[0] if plan.contact_ids else "")
        if not contact_id or ws.sandbox.world.contact(contact_id) is None:
            raise UserError(
                "Choose a prospect to render the sequence's merge fields for.", field="contact_id"
            )
        steps = [
            {k: step.get(k) for k in ("delay_days", "channel", "subject", "body")}
            for step in plan.steps
        ]
        return {
            "steps": steps,
            "stop_on_reply": plan.stop_on_reply,
            "stop_on_opt_out": plan.stop_on_opt_out,
        }, contact_id
    if kind == "qualification":
        framework = _text(form, "framework")
        if framework not in FRAMEWORK_CRITERIA:
            raise UserError("Choose the framework you qualified with.", field="framework")
        leads = [
            {"contact_id": q["contact_id"], "criteria": q["criteria"], "decision": q["decision"]}
            for q in read.qualifications(ws.sandbox, framework)
        ]
        if not leads:
            raise UserError(
                f"You have not recorded any {framework.upper()} qualification yet.",
                field="framework",
            )
        return {"framework": framework, "leads": leads}, None
    return _report_payload(form, ws), None


@pages.post("/runs/{run_id}/hand-in", name="sandbox_hand_in")
async def hand_in(run_id: int, request: Request, session: SessionDep, user: PageUser) -> Response:
    ws = _workspace(session, user, run_id)
    form = await request.form()
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    try:
        payload, contact_id = _hand_in_payload(session, ws, form)
        submission, grade = svc.hand_in(
            session=session,
            user=user,
            run_id=run_id,
            payload=payload,
            contact_id=contact_id,
            idempotency_key=_key(request, form),
        )
    except UserError as error:
        if isinstance(error, Conflict | NotFound):
            raise
        if _text(form, "source") == "composer":
            draft = _draft(form, ws)
            context = _compose_context(request, session, user, ws, draft, error)
            return _page(request, "sandbox/compose.html", context, status_code=error.status_code)
        context = _hand_in_context(request, session, ws, values=values, error=error)
        return _page(request, "sandbox/hand_in.html", context, status_code=error.status_code)
    score = f"{grade.final_score:g} of {grade.possible:g}"
    return _back(request, f"{ws.base}/grade", f"Handed in and graded: {score} points.")


# ---- grade and debrief ---------------------------------------------------------------------

_PATH_TOKEN = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


def field_text(payload: Any, path: str) -> str | None:
    """The text at a grader field path such as 'body' or 'steps[1].body'."""
    value = payload
    for index, name in _PATH_TOKEN.findall(path or ""):
        if index:
            position = int(index)
            value = value[position] if isinstance(value, list) and position < len(value) else None
        else:
            value = value.get(name) if isinstance(value, dict) else None
        if value is None:
            return None
    return value if isinstance(value, str) else None


def _valid_span(text: str | None, evidence: Mapping[str, Any]) -> bool:
    start, end = evidence.get("start"), evidence.get("end")
    return (
        text is not None
        and isinstance(start, int)
        and isinstance(end, int)
        and 0 <= start < end <= len(text)
        and text[start:end] == evidence.get("quote")
    )


def highlight(text: str, spans: list[tuple[int, int, str]]) -> Markup:
    """The learner's text with every evidence span marked; overlapping spans nest into
    segments that name every check citing them."""
    cuts = sorted({0, len(text), *[s for s, _, _ in spans], *[e for _, e, _ in spans]})
    out = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        piece = escape(text[start:end])
        checks = sorted({c for s, e, c in spans if s <= start and end <= e})
        if checks:
            names = " ".join(checks)
            out.append(
                Markup('<mark class="ev" data-checks="{}" title="Cited by: {}">{}</mark>').format(
                    names, ", ".join(checks), piece
                )
            )
        else:
            out.append(piece)
    return Markup("").join(out)


def in_context(text: str, start: int, end: int, width: int = 60) -> Markup:
    """A quote shown inside its sentence: '…before <mark>quote</mark> after…'."""
    before = text[max(0, start - width) : start]
    after = text[end : end + width]
    return Markup("{}{}<mark>{}</mark>{}{}").format(
        "…" if start > width else "",
        before,
        text[start:end],
        after,
        "…" if end + width < len(text) else "",
    )


def _text_fields(kind: str, payload: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(path, label) of the learner's own text, in reading order."""
    if kind == "outreach":
        return [("subject", "Subject"), ("body", "Message")]
    if kind == "sequence":
        out = []
        for index, _ in enumerate(payload.get("steps") or []):
            out += [
                (f"steps[{index}].subject", f"Step {index + 1} subject"),
                (f"steps[{index}].body", f"Step {index + 1} message"),
            ]
        return out
    if kind == "report":
        return [("analysis", "Analysis")]
    if kind == "prospect_list":
        return [("notes", "Notes")]
    return []


def grade_view(
    sandbox: Sandbox, base: str, kind: str, payload: Mapping[str, Any], result: Mapping[str, Any]
) -> dict[str, Any]:
    """The stored grade ready to show: checks (and nested parts) with their evidence
    resolved against the learner's own text, and that text with every citation marked."""
    spans: dict[str, list[tuple[int, int, str]]] = {}

    def checks_of(grade: Mapping[str, Any], prefix: str = "") -> list[dict[str, Any]]:
        out = []
        for check in grade.get("checks", []):
            cid = f"{prefix}{check['id']}"
            items = []
            for evidence in check.get("evidence", []):
                if "field" in evidence:
                    text = field_text(payload, evidence["field"])
                    if _valid_span(text, evidence):
                        assert text is not None
                        spans.setdefault(evidence["field"], []).append(
                            (evidence["start"], evidence["end"], cid)
                        )
                        items.append(
                            {
                                "kind": "span",
                                "field": evidence["field"],
                                "html": in_context(text, evidence["start"], evidence["end"]),
                                "note": evidence.get("note", ""),
                            }
                        )
                    else:
                        items.append(
                            {
                                "kind": "quote",
                                "field": evidence["field"],
                                "quote": evidence.get("quote", ""),
                                "note": evidence.get("note", ""),
                            }
                        )
                else:
                    records = []
                    for rid in evidence.get("record_ids", []):
                        contact = sandbox.world.contact(rid)
                        records.append(
                            {
                                "id": rid,
                                "href": f"{base}/prospects/{rid}" if contact else None,
                                "name": contact.name if contact else "",
                            }
                        )
                    items.append(
                        {"kind": "records", "records": records, "note": evidence.get("note", "")}
                    )
            possible = float(check.get("possible") or 0)
            points = float(check.get("points") or 0)
            out.append(
                {
                    "id": cid,
                    "name": label(check["id"]),
                    "points": points,
                    "possible": possible,
                    "full": points >= possible - 1e-9,
                    "zero": points <= 1e-9,
                    "verdict": check.get("verdict", ""),
                    "advice": check.get("advice", ""),
                    "evidence": items,
                }
            )
        return out

    checks = checks_of(result)
    parts = [
        {"index": i, "checks": checks_of(part, f"step{i + 1}."), "grade": part}
        for i, part in enumerate(result.get("parts") or [])
    ]
    texts = []
    for path, title in _text_fields(kind, payload):
        text = field_text(payload, path)
        if text:
            texts.append(
                {"path": path, "label": title, "html": highlight(text, spans.get(path, []))}
            )
    known = {t["path"] for t in texts}
    for path, marks in spans.items():
        text = field_text(payload, path)
        if path not in known and text:
            texts.append({"path": path, "label": path, "html": highlight(text, marks)})
    return {
        "checks": checks,
        "parts": parts,
        "texts": texts,
        "skipped": result.get("skipped") or [],
    }


def _counsel_feedback(session: Session, submission: Submission) -> Any:
    """Comments, overrides and regrade answers from the counselor workspace (built by its
    own domain), when that domain is installed; the grade page works without it."""
    try:
        from simulator.counsel.feedback import feedback_for
    except ImportError:
        return None
    try:
        return feedback_for(session=session, submission=submission)
    except Exception:  # the grade must show even if the feedback panel breaks
        log.exception("counsel feedback failed for submission %s", submission.id)
        return None


def _submission_of(session: Session, run: Run) -> Submission | None:
    return session.exec(select(Submission).where(Submission.run_id == run.id)).first()


@pages.get("/runs/{run_id}/grade", name="sandbox_grade")
def grade_page(run_id: int, request: Request, session: SessionDep, user: PageUser) -> Response:
    ws = _workspace(session, user, run_id)
    submission = _submission_of(session, ws.run)
    grade = (
        current_grade(session=session, submission_id=submission.id)
        if submission is not None and submission.id is not None
        else None
    )
    extra: dict[str, Any] = {"submission": submission, "grade": grade}
    if submission is not None and grade is not None:
        extra["view"] = grade_view(
            ws.sandbox, ws.base, submission.kind, submission.payload, grade.result
        )
        extra["percent"] = _percent(grade)
        assert user.id is not None
        runs = svc.runs_of(session=session, user_id=user.id, exercise_id=ws.spec.id)
        scores = _scores(session, user)
        extra["attempts"] = [{"run": r, "percent": _percent(scores.get(r.id or 0))} for r in runs]
        percents = [a["percent"] for a in extra["attempts"] if a["percent"] is not None]
        extra["best"] = max(percents) if percents else None
        contact_id = (ws.sandbox.state.submitted or {}).get("contact_id")
        extra["handed_contact"] = read.contact_label(ws.sandbox, contact_id) if contact_id else None
        extra["handed_contact_id"] = contact_id
        extra["lessons"] = course_catalog().lessons_for_exercise(ws.spec.id)
        extra["feedback"] = _counsel_feedback(session, submission)
    return _page(request, "sandbox/grade.html", _context(request, ws, "grade", **extra))


@pages.get("/runs/{run_id}/debrief", name="sandbox_debrief")
def debrief_page(run_id: int, request: Request, session: SessionDep, user: PageUser) -> Response:
    ws = _workspace(session, user, run_id)
    rows = read.debrief_rows(ws.sandbox)
    answered = sum(1 for r in rows if r["answered"])
    context = _context(
        request,
        ws,
        "grade",
        rows=rows,
        answered=answered,
        decisions=DECISION_LABELS,
        reply_labels=REPLY_LABELS,
    )
    return _page(request, "sandbox/debrief.html", context)
