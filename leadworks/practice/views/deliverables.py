"""The hand-in form read as the grader's submission, one builder per exercise kind.

Each builder takes the learner's own work from the run (a lead list, a sent message, a
saved sequence, recorded qualifications) or from the report builder's fields, and returns
the payload in the grader's shape with the prospect it was written for (or None).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlmodel import Session

from course.vocabulary import ALL_STAGES
from grader.qualification import FRAMEWORKS as FRAMEWORK_CRITERIA
from leadworks.core.errors import UserError
from leadworks.core.inputs import parse_id
from leadworks.practice import read
from leadworks.practice import service as svc
from leadworks.practice.present import label
from leadworks.practice.sequences import sequence_for
from leadworks.practice.views.forms import form_text, require_max_chars
from leadworks.practice.views.workspace import MESSAGE_CHANNELS, Workspace

REPORT_STAGES = ALL_STAGES
REPORT_RATES = ("lead_to_mql", "mql_to_sql", "sql_to_opportunity", "opportunity_to_customer")
#: report v2's meeting figures (only where the exercise asks): counts, then rates and value
MEETING_COUNTS = ("meetings_booked", "meetings_held")
MEETING_OTHERS = ("show_rate", "meeting_to_opportunity_rate", "pipeline_value")
MAX_LIST_NOTES = 4_000
MAX_FORM_HOOKS = 20  # the most research hooks an exercise may ask for (deliverable.hooks)

Deliverable = tuple[dict[str, Any], str | None]
Form = Mapping[str, Any]  # the hand-in form's fields by their HTML names


def _prospect_list(session: Session, ws: Workspace, form: Form) -> Deliverable:
    name = form_text(form, "list")
    members = ws.sandbox.state.lists.get(name)
    if not name or members is None:
        raise UserError("Choose the lead list to hand in.", field="list")
    notes = form_text(form, "notes")
    if len(notes) > MAX_LIST_NOTES:
        raise UserError(f"Notes hold at most {MAX_LIST_NOTES:,} characters.", field="notes")
    payload: dict[str, Any] = {"contact_ids": list(members), "notes": notes}
    if ws.spec.deliverable.hooks:  # v2: a research hook and its source per top contact
        payload["hooks"] = [
            {
                "contact_id": form_text(form, f"hook-contact-{n}").strip(),
                "hook": form_text(form, f"hook-text-{n}"),
                "source": form_text(form, f"hook-source-{n}"),
            }
            for n in range(ws.spec.deliverable.hooks)
            if form_text(form, f"hook-contact-{n}").strip()
        ]
    return payload, None


def _outreach(session: Session, ws: Workspace, form: Form) -> Deliverable:
    channel = form_text(form, "channel") or ws.spec.deliverable.channel or "email"
    wanted = ws.spec.deliverable.channel
    if wanted and channel != wanted:
        raise UserError(
            f"This exercise asks for one {label(wanted).lower()} message; switch the "
            f"composer to {label(wanted)}.",
            field="channel",
        )
    contact_id = form_text(form, "contact_id")
    if not contact_id or ws.sandbox.world.contact(contact_id) is None:
        raise UserError("Name the prospect this message is for.", field="contact_id")
    body = form_text(form, "body")
    require_max_chars(body, svc.MAX_MESSAGE_CHARS, field="body", what="The message")
    subject = form_text(form, "subject").strip() or None
    return {
        "channel": channel,
        "subject": subject if channel == "email" else None,
        "body": body,
    }, contact_id


def _sequence(session: Session, ws: Workspace, form: Form) -> Deliverable:
    plan_id = parse_id(form_text(form, "plan_id"))
    if plan_id is None:
        raise UserError("Choose the sequence to hand in.", field="plan_id")
    plan = sequence_for(session=session, run=ws.run, plan_id=plan_id)
    contact_id = form_text(form, "contact_id") or (plan.contact_ids[0] if plan.contact_ids else "")
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


def _qualification(session: Session, ws: Workspace, form: Form) -> Deliverable:
    framework = form_text(form, "framework")
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


def _number(form: Form, name: str, *, whole: bool = False) -> float | int | None:
    """A report figure as typed ('1,200', '12.5%', '$40'); None when left blank."""
    raw = form_text(form, name).strip().replace(",", "").replace("%", "").replace("$", "")
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


def _filled(form: Form, fields: dict[str, str], *, whole: bool = False) -> dict[str, Any]:
    """{key: number} for each form field (key -> field name) the learner filled in."""
    out = {}
    for key, name in fields.items():
        value = _number(form, name, whole=whole)
        if value is not None:
            out[key] = value
    return out


def _report(session: Session, ws: Workspace, form: Form) -> Deliverable:
    """The report builder's figures (blank ones left out) and the written analysis."""
    figures: dict[str, Any] = {
        "stage_counts": _filled(form, {s: f"count-{s}" for s in REPORT_STAGES}, whole=True),
        "conversion_rates": _filled(form, {r: f"rate-{r}" for r in REPORT_RATES}),
    }
    replies = _filled(form, {c: f"reply-{c}" for c in MESSAGE_CHANNELS})
    if replies:
        figures["reply_rate_by_channel"] = replies
    figures |= _filled(form, {c: c for c in ("cost_per_lead", "cost_per_acquisition")})
    if ws.spec.deliverable.meeting_figures:  # blank boxes left out: "not reported"
        figures["meetings"] = _filled(
            form, {m: f"meet-{m}" for m in MEETING_COUNTS}, whole=True
        ) | _filled(form, {m: f"meet-{m}" for m in MEETING_OTHERS})
    analysis = form_text(form, "analysis")
    require_max_chars(analysis, svc.MAX_MESSAGE_CHARS, field="analysis", what="The analysis")
    return {"figures": figures, "analysis": analysis}, None


def _call(session: Session, ws: Workspace, form: Form) -> Deliverable:
    """A live call is handed in by naming it (its prospect): the engine supplies the
    transcript. Naming none hands in the last call, or none at all (which earns 0)."""
    contact_id = form_text(form, "contact_id") or None
    if contact_id and not any(c["contact_id"] == contact_id for c in ws.sandbox.state.calls):
        raise UserError("You have no finished call with that prospect.", field="contact_id")
    return {}, contact_id


#: the handoff note's fields (grader.handoff reads the same names), each a text
HANDOFF_NOTE = ("pains", "stakeholders", "budget", "timeline", "current_vendor", "next_meeting")
HANDOFF_CHARS = 5_000  # each field (the grader's own limit)


def _handoff(session: Session, ws: Workspace, form: Form) -> Deliverable:
    """The handoff note for the account executive, about a prospect the learner called:
    the platform adds what the call uncovered when it grades (simulator.contexts)."""
    contact_id = form_text(form, "contact_id")
    if not any(c["contact_id"] == contact_id for c in ws.sandbox.state.calls):
        raise UserError("Name a prospect you finished a call with.", field="contact_id")
    note: dict[str, Any] = {}
    for name in (*HANDOFF_NOTE, "notes"):
        text = form_text(form, name)
        require_max_chars(text, HANDOFF_CHARS, field=name, what="Each part of the note")
        note[name] = text
    if not any(v.strip() for v in note.values()):
        raise UserError("Write the note: the account executive gets nothing.", field="pains")
    return note, contact_id


_BUILDERS: dict[str, Callable[[Session, Workspace, Form], Deliverable]] = {
    "call": _call,
    "interview": _call,  # a mock interview is a call: the engine supplies its transcript
    "handoff": _handoff,
    "prospect_list": _prospect_list,
    "outreach": _outreach,
    "sequence": _sequence,
    "qualification": _qualification,
    "report": _report,
}


def deliverable_from(session: Session, ws: Workspace, form: Form) -> Deliverable:
    """The deliverable as the grader takes it, built from the learner's own work."""
    return _BUILDERS.get(ws.spec.kind, _report)(session, ws, form)
