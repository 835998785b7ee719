"""The pipeline board (contacts by stage, leads worth qualifying) and moving a contact to
another stage."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from leadworks.accounts.deps import PageUser
from leadworks.core.deps import SessionDep
from leadworks.practice import read
from leadworks.practice.present import DECISION_LABELS, label
from leadworks.practice.views.run_post import read_post
from leadworks.practice.views.workspace import (
    contact_or_404,
    load_workspace,
    render_run_page,
    workspace_context,
)

router = APIRouter()


@router.get("/runs/{run_id}/pipeline", name="sandbox_pipeline")
def pipeline(run_id: int, request: Request, session: SessionDep, user: PageUser) -> Response:
    ws = load_workspace(session, user, run_id)
    board = read.pipeline_board(ws.sandbox)
    for stage, cards in board.items():
        for card in cards:
            card["next"] = read.next_stage(stage)
    context = workspace_context(
        request,
        ws,
        "pipeline",
        board=board,
        leads=read.leads_to_qualify(ws.sandbox),
        decisions=DECISION_LABELS,
    )
    return render_run_page(request, "practice/pipeline.html", context)


@router.post("/runs/{run_id}/pipeline/move", name="sandbox_move")
async def move(run_id: int, request: Request, session: SessionDep, user: PageUser) -> Response:
    post = await read_post(request, session, user, run_id)
    back = post.next(f"{post.ws.base}/pipeline")
    contact_id = post.text("contact_id")
    stage = post.text("stage")
    contact = contact_or_404(post.ws, contact_id)
    return post.act_and_redirect(
        {"type": "change_stage", "contact_id": contact_id, "stage": stage},
        back=back,
        done=f"Moved {contact.name} to {label(stage)}.",
        refused=f"{contact.name} stays where they are: ",
    )
