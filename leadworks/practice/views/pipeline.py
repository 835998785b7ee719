"""The pipeline board (contacts by stage, the meetings booked and held, leads worth
qualifying) and moving a contact to another stage."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response

from leadworks.core.inputs import Key, PathId
from leadworks.practice import read
from leadworks.practice.present import DECISION_LABELS, label
from leadworks.practice.views.run_post import RunForm, run_post
from leadworks.practice.views.workspace import (
    PracticeDep,
    contact_or_404,
    render_run_page,
    workspace_context,
)

router = APIRouter()


class MoveForm(RunForm):
    contact_id: Key = ""
    stage: Key = ""


@router.get("/runs/{run_id}/pipeline", name="sandbox_pipeline")
def pipeline(run_id: PathId, p: PracticeDep) -> Response:
    ws = p.workspace(run_id)
    board = read.pipeline_board(ws.sandbox)
    meetings = read.meetings(ws.sandbox)
    for stage, cards in board.items():
        for card in cards:
            card["next"] = read.next_stage(stage)
    context = workspace_context(
        p.request,
        ws,
        "pipeline",
        board=board,
        leads=read.leads_to_qualify(ws.sandbox),
        meetings=meetings,
        meeting_counts=read.meeting_counts(meetings),
        decisions=DECISION_LABELS,
    )
    return render_run_page(p.request, "practice/pipeline.html", context)


@router.post("/runs/{run_id}/pipeline/move", name="sandbox_move")
def move(run_id: PathId, form: Annotated[MoveForm, Form()], p: PracticeDep) -> Response:
    post = run_post(p, run_id, form)
    back = post.next(f"{post.ws.base}/pipeline")
    contact_id, stage = form.contact_id, form.stage
    contact = contact_or_404(post.ws, contact_id)
    return post.act_and_redirect(
        {"type": "change_stage", "contact_id": contact_id, "stage": stage},
        back=back,
        done=f"Moved {contact.name} to {label(stage)}.",
        refused=f"{contact.name} stays where they are: ",
    )
