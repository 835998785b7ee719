"""Preparing a booked meeting from the prospect's call page: a reminder, a confirmed agenda.

Both are plain actions (``send_reminder``, ``confirm_agenda``) that lower the chance of a
no-show (simulator/meetings.py); the world refuses them, with the reason, when there is no
meeting ahead, when it is too early for a reminder, or when it was already done. The
handoff note is written on the same page and posted to the ordinary hand-in.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response

from leadworks.core.inputs import Passage, PathId, PathKey
from leadworks.practice.views.run_post import RunForm, run_post
from leadworks.practice.views.workspace import PracticeDep, contact_or_404

router = APIRouter()


class AgendaForm(RunForm):
    agenda: Passage = ""  # bounded by the engine's own limit, which names it


def _back(base: str, contact_id: str) -> str:
    return f"{base}/prospects/{contact_id}/conversation#meeting-title"


@router.post("/runs/{run_id}/prospects/{contact_id}/meeting/remind", name="sandbox_meeting_remind")
def remind(
    run_id: PathId, contact_id: PathKey, form: Annotated[RunForm, Form()], p: PracticeDep
) -> Response:
    post = run_post(p, run_id, form)
    contact = contact_or_404(post.ws, contact_id)
    return post.act_and_redirect(
        {"type": "send_reminder", "contact_id": contact_id},
        back=_back(post.ws.base, contact_id),
        done=f"Reminder sent to {contact.name}.",
        refused="No reminder was sent: ",
    )


@router.post("/runs/{run_id}/prospects/{contact_id}/meeting/agenda", name="sandbox_meeting_agenda")
def agenda(
    run_id: PathId, contact_id: PathKey, form: Annotated[AgendaForm, Form()], p: PracticeDep
) -> Response:
    post = run_post(p, run_id, form)
    contact = contact_or_404(post.ws, contact_id)
    return post.act_and_redirect(
        {"type": "confirm_agenda", "contact_id": contact_id, "agenda": form.agenda},
        back=_back(post.ws.base, contact_id),
        done=f"Agenda sent to {contact.name} to confirm.",
        refused="The agenda was not sent: ",
    )
