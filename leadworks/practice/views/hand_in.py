"""Handing in: the page (per exercise kind: choose the list, message, sequence or
framework, or fill in the report builder) and the post that grades the deliverable.

The composer has its own 'hand in this message' button; a refusal from there goes back
to the composer with the draft, not to this page.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from grader.qualification import FRAMEWORKS as FRAMEWORK_CRITERIA
from leadworks.core.errors import UserError
from leadworks.core.inputs import Key, Line, Passage, PathId
from leadworks.practice import handing_in, read
from leadworks.practice.sequences import sequences_of
from leadworks.practice.views.compose import ComposeForm, render_composer
from leadworks.practice.views.deliverables import (
    HANDOFF_NOTE,
    MAX_FORM_HOOKS,
    MEETING_COUNTS,
    MEETING_OTHERS,
    REPORT_RATES,
    REPORT_STAGES,
    deliverable_from,
)
from leadworks.practice.views.forms import redirect_back, reraise_conflicts
from leadworks.practice.views.run_post import form_model, run_post
from leadworks.practice.views.workspace import (
    MESSAGE_CHANNELS,
    PracticeDep,
    Workspace,
    render_run_page,
    workspace_context,
)
from leadworks.submissions.labels import MEETING_LABELS

router = APIRouter()

# Every field any kind's hand-in form has (the composer's included: it hands in too).
HandInForm = form_model(
    "HandInForm",
    {
        "list": Line,
        "notes": Passage,
        "source": Key,
        "plan_id": Key,
        "framework": Key,
        "analysis": Passage,
        **{f"count-{stage}": Key for stage in REPORT_STAGES},
        **{f"rate-{rate}": Key for rate in REPORT_RATES},
        **{f"reply-{channel}": Key for channel in MESSAGE_CHANNELS},
        "cost_per_lead": Key,
        "cost_per_acquisition": Key,
        **{f"meet-{m}": Key for m in (*MEETING_COUNTS, *MEETING_OTHERS)},
        **{f"hook-contact-{n}": Key for n in range(MAX_FORM_HOOKS)},
        **{f"hook-text-{n}": Line for n in range(MAX_FORM_HOOKS)},
        **{f"hook-source-{n}": Line for n in range(MAX_FORM_HOOKS)},
        **dict.fromkeys(HANDOFF_NOTE, Passage),
        "confirm_incomplete": Key,  # "yes": the learner read what is missing and hands in
    },
    base=ComposeForm,
)
CONFIRM = "confirm_incomplete"

RATE_LABELS = {
    "lead_to_mql": "Lead → MQL",
    "mql_to_sql": "MQL → SQL",
    "sql_to_opportunity": "SQL → Opportunity",
    "opportunity_to_customer": "Opportunity → Customer",
}


def _finished_calls(ws: Workspace) -> list[dict[str, Any]]:
    """The run's finished live calls, newest first, as the hand-in list shows them."""
    out = []
    for call in reversed(ws.sandbox.state.calls):
        contact = ws.sandbox.world.contact(call["contact_id"])
        out.append(
            {
                "contact_id": call["contact_id"],
                "contact": contact.name if contact else call["contact_id"],
                "outcome": (call["outcome"] or "").replace("_", " "),
                "turns": sum(t["speaker"] == "learner" for t in call["turns"]),
                "meeting": call["meeting"],
            }
        )
    return out


def _kind_context(session: Session, ws: Workspace) -> dict[str, Any]:
    """What the hand-in form offers to choose from, for this exercise's kind."""
    kind = ws.spec.kind
    if kind == "prospect_list":
        return {
            "lists": ws.list_sizes,
            "list_size": ws.spec.deliverable.list_size,
            "hook_rows": range(ws.spec.deliverable.hooks or 0),
        }
    if kind == "outreach":
        channel = ws.spec.deliverable.channel
        sent = [
            m
            for m in read.sent_messages(ws.sandbox)
            if (m["data"].get("channel") or "call") == channel
            or (m["type"] == "call" and channel == "call")
        ]
        return {"sent": sent}
    if kind == "sequence":
        return {
            "plans": sequences_of(session=session, run=ws.run),
            "known": read.known_contacts(ws.sandbox),
            "wanted_steps": ws.spec.deliverable.steps,
        }
    if kind in ("call", "interview"):
        return {"calls": _finished_calls(ws)}
    if kind == "handoff":
        return {"meetings": read.meetings(ws.sandbox)}
    if kind == "qualification":
        return {
            "frameworks": ws.frameworks,
            "by_framework": {f: read.qualifications(ws.sandbox, f) for f in FRAMEWORK_CRITERIA},
            "min_leads": ws.spec.deliverable.min_leads,
        }
    return {
        "stages": REPORT_STAGES,
        "rates": REPORT_RATES,
        "rate_labels": RATE_LABELS,
        "channels": ws.message_channels,
        "meeting_fields": [
            (m, MEETING_LABELS[m], "numeric" if m in MEETING_COUNTS else "decimal")
            for m in (*MEETING_COUNTS, *MEETING_OTHERS)
        ]
        if ws.spec.deliverable.meeting_figures
        else [],
    }


def _hand_in_context(
    request: Request,
    session: Session,
    ws: Workspace,
    *,
    values: dict[str, Any] | None = None,
    error: UserError | None = None,
) -> dict[str, Any]:
    return workspace_context(
        request,
        ws,
        "hand-in",
        values=values or {},
        hand_in_error=error,
        kind=ws.spec.kind,
        **_kind_context(session, ws),
    )


def missing_work(ws: Workspace, payload: dict[str, Any], contact_id: str | None) -> str:
    """What a hand-in lacks that the grade will miss, in the learner's words ("" if
    nothing): a report without figures or analysis, a message never sent, contacts never
    researched. The hand-in then asks first instead of a generic "are you sure?"."""
    sandbox, kind = ws.sandbox, ws.spec.kind
    if not ws.active:  # handed in already: the service says so
        return ""
    if kind == "report":
        figures = payload.get("figures") or {}
        filled = any(v not in (None, {}, "") for v in figures.values())
        if not filled:
            return "Your report has no figures: every figure left blank earns nothing."
        return ""
    if kind == "outreach" and contact_id:
        contact = sandbox.world.contact(contact_id)
        name = contact.name if contact else contact_id
        if not same_as_sent(sandbox, contact_id, payload):
            return f"You never sent this message to {name} in the sandbox: unsent, it earns little."
        return ""
    if kind == "handoff" and contact_id:
        cs = sandbox.state.contacts.get(contact_id)
        if cs is None or cs.meeting != "held":
            return (
                "The meeting with this prospect has not been held: a handoff without a held"
                " meeting earns little."
            )
        return ""
    if kind == "prospect_list":
        ids = [str(i) for i in payload.get("contact_ids") or []]
        unseen = [i for i in ids if i not in sandbox.state.viewed]
        if unseen:
            return (
                f"You never opened the profile of {len(unseen)} of the {len(ids)} contacts on "
                "your list: unresearched contacts earn nothing."
            )
    return ""


def same_as_sent(sandbox: Any, contact_id: str, payload: dict[str, Any]) -> bool:
    """Whether the message went to this prospect on its channel in the run (as the grade's
    achievement part counts it)."""
    channel = payload.get("channel")
    for event in sandbox.events:
        data = event.data
        if event.type not in ("message_sent", "call") or data.get("contact_id") != contact_id:
            continue
        if (data.get("channel") or "call") == channel:
            return True
    return False


@router.get("/runs/{run_id}/hand-in", name="sandbox_hand_in_page")
def hand_in_page(run_id: PathId, p: PracticeDep) -> Response:
    ws = p.workspace(run_id)
    if not ws.active:
        return RedirectResponse(f"{ws.base}/grade", status_code=303)
    context = _hand_in_context(p.request, p.session, ws)
    return render_run_page(p.request, "practice/hand_in.html", context)


@router.post("/runs/{run_id}/hand-in", name="sandbox_hand_in")
def hand_in(run_id: PathId, form: Annotated[HandInForm, Form()], p: PracticeDep) -> Response:  # type: ignore[valid-type]
    request, session = p.request, p.session
    post = run_post(p, run_id, form)
    fields = post.fields()
    try:
        payload, contact_id = deliverable_from(session, post.ws, fields)
        question = missing_work(post.ws, payload, contact_id)
        if question and fields.get(CONFIRM) != "yes":
            raise UserError(f"{question} Hand in anyway?", field=CONFIRM)
        _, grade = handing_in.hand_in(
            session=session,
            user=p.user,
            run_id=run_id,
            payload=payload,
            contact_id=contact_id,
            idempotency_key=post.key(),
            cache=p.cache,
        )
    except UserError as error:
        reraise_conflicts(error)
        if fields.get("source") == "composer":
            return render_composer(post, error, confirm_hand_in=error.field == CONFIRM)
        values = {k: v for k, v in fields.items() if isinstance(v, str)}
        context = _hand_in_context(request, session, post.ws, values=values, error=error)
        return render_run_page(
            request, "practice/hand_in.html", context, status_code=error.status_code
        )
    score = f"{grade.final_score:g} of {grade.possible:g}"
    return redirect_back(request, f"{post.ws.base}/grade", f"Handed in and graded: {score} points.")
