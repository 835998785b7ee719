"""Follow-up sequences: the step builder, saved drafts, starting one on a lead list, and
deleting a draft. Later steps go out when the clock reaches their day (the rule, and the
clock that applies it, are in leadworks.practice.sequences)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlmodel import Session

from leadworks.core.errors import NotFound, UserError
from leadworks.core.inputs import Key, Line, Passage, PathId, parse_id
from leadworks.practice import preview as drafts
from leadworks.practice.models import SequencePlan
from leadworks.practice.present import when
from leadworks.practice.sequences import (
    MAX_SEQUENCE_STEPS,
    create_sequence,
    delete_sequence,
    due_at,
    sequence_for,
    sequences_of,
    start_sequence,
)
from leadworks.practice.step_times import plan_step_times
from leadworks.practice.views.forms import (
    form_text,
    redirect_back,
    redirect_refused,
    reraise_conflicts,
)
from leadworks.practice.views.run_post import RunForm, form_model, run_post
from leadworks.practice.views.workspace import (
    PracticeDep,
    Workspace,
    render_run_page,
    workspace_context,
)

router = APIRouter()

MIN_BUILDER_ROWS = 4
STEP_FIELDS = {
    "delay_days": Key,
    "send_time": Key,
    "channel": Key,
    "subject": Line,
    "body": Passage,
}

# The builder: a name, a list, the stop rules, and a row of fields per step.
SequenceForm = form_model(
    "SequenceForm",
    {"name": Line, "list_name": Line, "stop_on_reply": Key, "stop_on_opt_out": Key}
    | {
        f"step-{i}-{field}": kind
        for i in range(MAX_SEQUENCE_STEPS)
        for field, kind in STEP_FIELDS.items()
    },
)


class PlanForm(RunForm):
    plan_id: Key = ""


def _builder_rows(ws: Workspace, steps: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """The builder's step rows: ``steps`` first, then blank ones up to what the brief wants."""
    wanted = ws.spec.deliverable.steps
    count = max(MIN_BUILDER_ROWS, wanted.max if wanted else 0, len(steps or []))
    rows = [dict(s) for s in (steps or [])]
    default_channel = ws.message_channels[0] if ws.message_channels else "email"
    while len(rows) < count:
        rows.append(
            {
                "delay_days": 0 if not rows else 3,
                "send_time": "09:00",
                "channel": default_channel,
                "subject": "",
                "body": "",
            }
        )
    return rows[:MAX_SEQUENCE_STEPS]


def _posted_step(form: Mapping[str, Any], index: int) -> dict[str, Any]:
    """One builder row as posted, every field as typed."""
    return {
        "delay_days": form_text(form, f"step-{index}-delay_days"),
        "send_time": form_text(form, f"step-{index}-send_time"),
        "channel": form_text(form, f"step-{index}-channel"),
        "subject": form_text(form, f"step-{index}-subject"),
        "body": form_text(form, f"step-{index}-body"),
    }


def _posted_steps(form: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The posted rows that hold a message (a blank delay means the same day)."""
    steps = []
    for index in range(MAX_SEQUENCE_STEPS):
        step = _posted_step(form, index)
        if step["body"].strip():
            steps.append(step | {"delay_days": step["delay_days"] or "0"})
    return steps


def _plan_row(ws: Workspace, plan: SequencePlan) -> dict[str, Any]:
    """A saved sequence with when its next step is due, and when each step goes out in
    the prospects' zones (a draft: if started now, to its list)."""
    due = due_at(plan, plan.next_step)  # the same rule the clock uses
    members = ws.sandbox.state.lists.get(plan.list_name or "")
    return {
        "step_times": plan_step_times(ws.sandbox, plan, list(members or [])),
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
    plans = sequences_of(session=session, run=ws.run)
    return workspace_context(
        request,
        ws,
        "sequences",
        rows=rows or _builder_rows(ws),
        seq_name=name,
        seq_list=list_name,
        stop_on_reply=stop_on_reply,
        stop_on_opt_out=stop_on_opt_out,
        lists=ws.list_sizes,
        plans=[_plan_row(ws, p) for p in reversed(plans)],
        builder_error=error,
        merge_fields=drafts.merge_fields(),
        wanted_steps=ws.spec.deliverable.steps,
    )


@router.get("/runs/{run_id}/sequences", name="sandbox_sequences")
def sequences(run_id: PathId, p: PracticeDep) -> Response:
    request, session = p.request, p.session
    ws = p.workspace(run_id)
    source = parse_id(request.query_params.get("from", ""))
    extra: dict[str, Any] = {}
    if source is not None:
        plan = sequence_for(session=session, run=ws.run, plan_id=source)
        extra = {
            "rows": _builder_rows(ws, plan.steps),
            "name": f"{plan.name} (copy)",
            "list_name": plan.list_name or "",
            "stop_on_reply": plan.stop_on_reply,
            "stop_on_opt_out": plan.stop_on_opt_out,
        }
    context = _sequence_context(request, session, ws, **extra)
    return render_run_page(request, "practice/sequences.html", context)


@router.post("/runs/{run_id}/sequences", name="sandbox_sequence_create")
def sequence_create(
    run_id: PathId,
    form: Annotated[SequenceForm, Form()],
    p: PracticeDep,  # type: ignore[valid-type]
) -> Response:
    request, session = p.request, p.session
    post = run_post(p, run_id, form)
    fields = post.fields()
    name = fields["name"]
    list_name = fields["list_name"]
    stop_on_reply = fields["stop_on_reply"] == "yes"
    stop_on_opt_out = fields["stop_on_opt_out"] == "yes"
    try:
        plan = create_sequence(
            session=session,
            user=p.user,
            run_id=run_id,
            name=name,
            steps=_posted_steps(fields),
            stop_on_reply=stop_on_reply,
            stop_on_opt_out=stop_on_opt_out,
            list_name=list_name or None,
            idempotency_key=post.key(),
            cache=p.cache,
        )
    except UserError as error:
        reraise_conflicts(error)
        given = form.model_fields_set  # type: ignore[attr-defined]
        posted = [
            _posted_step(fields, i) for i in range(MAX_SEQUENCE_STEPS) if f"step_{i}_body" in given
        ]
        context = _sequence_context(
            request,
            session,
            post.ws,
            rows=_builder_rows(post.ws, posted),
            name=name,
            list_name=list_name,
            stop_on_reply=stop_on_reply,
            stop_on_opt_out=stop_on_opt_out,
            error=error,
        )
        return render_run_page(
            request, "practice/sequences.html", context, status_code=error.status_code
        )
    return redirect_back(
        request,
        f"{post.ws.base}/sequences",
        f"Sequence '{plan.name}' saved as a draft with {len(plan.steps)} steps. "
        "Start it when you are ready.",
    )


def _plan_id(form: PlanForm) -> int:
    plan_id = parse_id(form.plan_id)
    if plan_id is None:
        raise NotFound("No such sequence in this practice run.")
    return plan_id


@router.post("/runs/{run_id}/sequences/start", name="sandbox_sequence_start")
def sequence_start(run_id: PathId, form: Annotated[PlanForm, Form()], p: PracticeDep) -> Response:
    request = p.request
    post = run_post(p, run_id, form)
    back = f"{post.ws.base}/sequences"
    plan_id = _plan_id(form)
    try:
        sends = start_sequence(
            session=p.session,
            user=p.user,
            run_id=run_id,
            plan_id=plan_id,
            expected_count=form.expected_count,
            cache=p.cache,
        )
    except UserError as error:
        return redirect_refused(request, back, error, prefix="The sequence did not start: ")
    message = f"Sequence started: step 1 went to {sends.sent} contact(s)"
    message += f", {sends.skipped} skipped." if sends.skipped else "."
    return redirect_back(
        request, back, message + " Later steps go out as the clock reaches their day."
    )


@router.post("/runs/{run_id}/sequences/delete", name="sandbox_sequence_delete")
def sequence_delete(run_id: PathId, form: Annotated[PlanForm, Form()], p: PracticeDep) -> Response:
    post = run_post(p, run_id, form)
    delete_sequence(session=p.session, user=p.user, run_id=run_id, plan_id=_plan_id(form))
    return redirect_back(p.request, f"{post.ws.base}/sequences", "Draft sequence deleted.")
