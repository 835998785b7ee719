"""Talking to a lead: discovery calls (pick the questions, read the answers), notes on a
prospect, and recording a BANT or CHAMP qualification with a decision."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import Field

from grader.qualification import FRAMEWORKS as FRAMEWORK_CRITERIA
from leadworks.core.errors import UserError
from leadworks.core.inputs import Key, Passage, PathId, PathKey
from leadworks.practice import read
from leadworks.practice.notes import MAX_NOTE_CHARS, note_for, save_note
from leadworks.practice.present import DECISION_LABELS
from leadworks.practice.views.forms import redirect_back, reraise_conflicts
from leadworks.practice.views.run_post import RunForm, form_model, run_post
from leadworks.practice.views.workspace import (
    PracticeDep,
    Workspace,
    contact_or_404,
    render_run_page,
    workspace_context,
)

router = APIRouter()

CRITERION_HELP = {
    "budget": "Can they pay for it?",
    "authority": "Do they decide, or who does?",
    "need": "Do they have the problem the offer solves?",
    "timeline": "Will they act soon?",
    "challenges": "Which problems hurt them?",
    "money": "Is there money for a fix?",
    "prioritization": "Is it near the top of their list?",
}
JUDGEMENTS = ("yes", "no", "unknown")
MAX_CRITERION_NOTE = 1_000
CRITERIA = tuple(dict.fromkeys(c for names in FRAMEWORK_CRITERIA.values() for c in names))


class DiscoveryForm(RunForm):
    questions: Annotated[list[Key], Field(max_length=50)] = []


class NotesForm(RunForm):
    notes: Passage = ""


# A judgement and a note per criterion of every framework, named as the form names them.
QualifyForm = form_model(
    "QualifyForm",
    {"framework": Key, "decision": Key}
    | {f"{name}-value": Key for name in CRITERIA}
    | {f"{name}-note": Passage for name in CRITERIA},
)


# ---- discovery calls and notes -------------------------------------------------------------


@router.get("/runs/{run_id}/prospects/{contact_id}/discovery", name="sandbox_discovery")
def discovery(run_id: PathId, contact_id: PathKey, p: PracticeDep) -> Response:
    request, session = p.request, p.session
    ws = p.workspace(run_id)
    contact = contact_or_404(ws, contact_id)
    cs = ws.sandbox.state.contacts.get(contact_id)
    context = workspace_context(
        request,
        ws,
        "pipeline",
        contact=contact,
        company=ws.sandbox.world.company_of(contact),
        engaged=bool(cs and (cs.interest_at is not None or cs.meeting == "held")),
        questions=read.discovery_questions(),
        max_questions=read.max_questions_per_call(),
        calls=read.discovery_log(ws.sandbox, contact_id),
        note=note_for(session=session, run=ws.run, contact_id=contact_id),
        max_note=MAX_NOTE_CHARS,
    )
    return render_run_page(request, "practice/discovery.html", context)


@router.post("/runs/{run_id}/prospects/{contact_id}/discovery", name="sandbox_discovery_call")
def discovery_call(
    run_id: PathId, contact_id: PathKey, form: Annotated[DiscoveryForm, Form()], p: PracticeDep
) -> Response:
    post = run_post(p, run_id, form)
    contact = contact_or_404(post.ws, contact_id)
    back = f"{post.ws.base}/prospects/{contact_id}/discovery"
    questions = list(form.questions)
    return post.act_and_redirect(
        {"type": "discovery_call", "contact_id": contact_id, "questions": questions},
        back=back,
        done=f"Call with {contact.name} logged: {len(questions)} answer(s) below.",
        done_url=back + "#calls",
        refused="No call was made: ",
    )


@router.post("/runs/{run_id}/prospects/{contact_id}/notes", name="sandbox_notes")
def notes(
    run_id: PathId, contact_id: PathKey, form: Annotated[NotesForm, Form()], p: PracticeDep
) -> Response:
    post = run_post(p, run_id, form)
    contact_or_404(post.ws, contact_id)
    back = post.next(f"{post.ws.base}/prospects/{contact_id}")
    save_note(
        session=p.session,
        user=p.user,
        run_id=run_id,
        contact_id=contact_id,
        body=form.notes,
        cache=p.cache,
    )
    return redirect_back(p.request, back, "Notes saved.")


# ---- qualification -------------------------------------------------------------------------


def _known_framework(framework: str) -> str:
    if framework not in FRAMEWORK_CRITERIA:
        raise UserError("The framework must be bant or champ.", field="framework")
    return framework


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
    uncovered = ws.sandbox.uncovered_on_calls(contact.id)
    if values is None:
        values = {"criteria": {}, "decision": ""}
        if record and record.get("framework") == framework:
            values = {"criteria": record.get("criteria", {}), "decision": record.get("decision")}
        else:  # a first look: the buyer's own words from the live call prefill the notes
            values["criteria"] = {
                name: {"value": "unknown", "note": f"“{found['answer']}”"}
                for name, found in uncovered.items()
                if name in FRAMEWORK_CRITERIA[framework]
            }
    return workspace_context(
        request,
        ws,
        "pipeline",
        contact=contact,
        company=ws.sandbox.world.company_of(contact),
        framework=framework,
        frameworks=ws.frameworks,
        criteria=FRAMEWORK_CRITERIA[framework],
        criterion_help=CRITERION_HELP,
        decisions=DECISION_LABELS,
        values=values,
        record=record,
        calls=read.discovery_log(ws.sandbox, contact.id),
        uncovered=uncovered,
        qualify_error=error,
    )


@router.get("/runs/{run_id}/prospects/{contact_id}/qualify", name="sandbox_qualify")
def qualify(run_id: PathId, contact_id: PathKey, p: PracticeDep) -> Response:
    request = p.request
    ws = p.workspace(run_id)
    contact = contact_or_404(ws, contact_id)
    framework = request.query_params.get("framework", "")
    if not framework:
        cs = ws.sandbox.state.contacts.get(contact_id)
        recorded = (cs.qualification or {}).get("framework") if cs else None
        framework = recorded or ws.frameworks[0]
    context = _qualify_context(request, ws, contact, _known_framework(framework))
    return render_run_page(request, "practice/qualify.html", context)


def _check_judgements(criteria: dict[str, dict[str, str]], decision: str) -> None:
    """Every criterion judged yes, no or unknown with a short note, and a decision made."""
    for name, judgement in criteria.items():
        if judgement["value"] not in JUDGEMENTS:
            raise UserError(f"Judge {name}: yes, no or unknown.", field=f"{name}-value")
        if len(judgement["note"]) > MAX_CRITERION_NOTE:
            raise UserError(
                f"The note on {name} holds at most {MAX_CRITERION_NOTE:,} characters.",
                field=f"{name}-note",
            )
    if decision not in DECISION_LABELS:
        raise UserError("Choose a decision: advance, nurture or disqualify.", field="decision")


@router.post("/runs/{run_id}/prospects/{contact_id}/qualify", name="sandbox_qualify_save")
def qualify_save(
    run_id: PathId,
    contact_id: PathKey,
    form: Annotated[QualifyForm, Form()],
    p: PracticeDep,  # type: ignore[valid-type]
) -> Response:
    request = p.request
    post = run_post(p, run_id, form)
    fields = post.fields()
    contact = contact_or_404(post.ws, contact_id)
    framework = _known_framework(fields["framework"])
    criteria = {
        name: {"value": fields[f"{name}-value"], "note": fields[f"{name}-note"].strip()}
        for name in FRAMEWORK_CRITERIA[framework]
    }
    decision = fields["decision"]
    try:
        _check_judgements(criteria, decision)
        post.act(
            {
                "type": "record_qualification",
                "contact_id": contact_id,
                "framework": framework,
                "criteria": criteria,
                "decision": decision,
            }
        )
    except UserError as error:
        reraise_conflicts(error)
        values = {"criteria": criteria, "decision": decision}
        context = _qualify_context(request, post.ws, contact, framework, values, error)
        return render_run_page(
            request, "practice/qualify.html", context, status_code=error.status_code
        )
    back = post.next(f"{post.ws.base}/prospects/{contact_id}")
    return redirect_back(
        request,
        back,
        f"{contact.name} qualified with {framework.upper()}: {DECISION_LABELS[decision].lower()}.",
    )
