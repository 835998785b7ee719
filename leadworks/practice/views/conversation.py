"""A live call with a prospect: dial, say each turn in your own words, hang up.

The page shows the transcript (the call in progress with this prospect, else their last
finished call) and one form per move. Each post goes through ``RunPost.act`` like every
other action: once per form key (a double click says a turn once), refused when the page
is stale, and a refusal from the world (calling hours, a do-not-call request, an empty or
too long turn, a turn after the call ended) comes back as a message that changes nothing.
An htmx post is answered with the page's ``workspace`` block, so the transcript and the
form's fresh keys swap in together.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import Response

from leadworks.core.inputs import Passage, PathId, PathKey
from leadworks.practice import read
from leadworks.practice.present import HANDOFF_FIELDS
from leadworks.practice.send_time import check_hours, timing_context
from leadworks.practice.views.run_post import RunForm, run_post
from leadworks.practice.views.workspace import (
    PracticeDep,
    Workspace,
    contact_or_404,
    render_run_page,
    workspace_context,
)
from simulator.actions import TURN_CHARS

router = APIRouter()


class SayForm(RunForm):
    text: Passage = ""  # bounded by the engine's own limit, which names it (TURN_CHARS)


def _transcript(ws: Workspace, contact_id: str) -> tuple[dict[str, Any] | None, bool]:
    """(the call to show, whether it is live): the live call with this prospect, else
    their last finished call, else None."""
    live = ws.sandbox.state.call
    if live is not None and live.contact_id == contact_id:
        return live.snapshot(), True
    finished = [c for c in ws.sandbox.state.calls if c["contact_id"] == contact_id]
    return (finished[-1] if finished else None), False


@router.get("/runs/{run_id}/prospects/{contact_id}/conversation", name="sandbox_conversation")
def conversation(run_id: PathId, contact_id: PathKey, p: PracticeDep) -> Response:
    ws = p.workspace(run_id)
    contact = contact_or_404(ws, contact_id)
    call, live = _transcript(ws, contact_id)
    busy = ws.sandbox.state.call is not None and not live
    context = workspace_context(
        p.request,
        ws,
        "pipeline",
        contact=contact,
        company=ws.sandbox.world.company_of(contact),
        call=call,
        live=live,
        busy_elsewhere=busy,
        turn_chars=TURN_CHARS,
        **timing_context(ws.sandbox, contact),
        hours=check_hours(ws.sandbox, contact, "call", ws.sandbox.state.clock),
        meeting=_meeting(ws, contact_id),
        handoff=ws.spec.kind == "handoff",
        interview=ws.spec.deliverable.interview,
        handoff_fields=HANDOFF_FIELDS,
    )
    return render_run_page(p.request, "practice/conversation.html", context)


def _meeting(ws: Workspace, contact_id: str) -> dict[str, Any] | None:
    """The meeting in the diary with this prospect (booked, held or missed), if any."""
    row = next((m for m in read.meetings(ws.sandbox) if m["id"] == contact_id), None)
    if row is None:
        return None
    cs = ws.sandbox.state.contacts[contact_id]
    ahead = cs.meeting == "accepted" and (cs.meeting_at or 0) > ws.sandbox.state.clock
    return {**row, "ahead": ahead}


def _back(ws: Workspace, contact_id: str) -> str:
    return f"{ws.base}/prospects/{contact_id}/conversation"


@router.post(
    "/runs/{run_id}/prospects/{contact_id}/conversation/start",
    name="sandbox_conversation_start",
)
def start(
    run_id: PathId, contact_id: PathKey, form: Annotated[RunForm, Form()], p: PracticeDep
) -> Response:
    post = run_post(p, run_id, form)
    contact = contact_or_404(post.ws, contact_id)
    back = _back(post.ws, contact_id)
    return post.act_and_redirect(
        {"type": "start_conversation", "contact_id": contact_id},
        back=back,
        done=f"Calling {contact.name}: someone picked up.",
        refused="No call was made: ",
    )


@router.post(
    "/runs/{run_id}/prospects/{contact_id}/conversation/say", name="sandbox_conversation_say"
)
def say(
    run_id: PathId, contact_id: PathKey, form: Annotated[SayForm, Form()], p: PracticeDep
) -> Response:
    post = run_post(p, run_id, form)
    contact_or_404(post.ws, contact_id)
    back = _back(post.ws, contact_id)
    return post.act_and_redirect(
        {"type": "say", "text": form.text},
        back=back,
        done="Said.",
        done_url=back + "#last",
        refused="Not said: ",
    )


@router.post(
    "/runs/{run_id}/prospects/{contact_id}/conversation/end", name="sandbox_conversation_end"
)
def end(
    run_id: PathId, contact_id: PathKey, form: Annotated[RunForm, Form()], p: PracticeDep
) -> Response:
    post = run_post(p, run_id, form)
    contact_or_404(post.ws, contact_id)
    return post.act_and_redirect(
        {"type": "end_conversation"},
        back=_back(post.ws, contact_id),
        done="You hung up.",
        refused="",
    )
