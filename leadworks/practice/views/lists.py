"""Lead lists: the page that shows them, adding ticked prospects, removing them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from leadworks.accounts.deps import PageUser
from leadworks.accounts.models import User
from leadworks.core.deps import SessionDep
from leadworks.core.errors import UserError
from leadworks.practice import read
from leadworks.practice.views.forms import form_ids, form_text, redirect_back, redirect_refused
from leadworks.practice.views.run_post import read_post
from leadworks.practice.views.workspace import (
    Workspace,
    load_workspace,
    render_run_page,
    workspace_context,
)

router = APIRouter()

MAX_LIST_NAME = 60


def _added(ws: Workspace, ids: list[str], name: str) -> str:
    noun = "prospect" if len(ids) == 1 else "prospects"
    return f"Added {len(ids)} {noun} to the list '{name}'."


def _removed(ws: Workspace, ids: list[str], name: str) -> str:
    who = read.contact_label(ws.sandbox, ids[0]) if len(ids) == 1 else f"{len(ids)} prospects"
    return f"Removed {who} from '{name}'."


@dataclass(frozen=True)
class _ListChange:
    """Adding to or removing from a list: its action and what the page says about it."""

    action: str
    none_ticked: str
    refused: str
    done: Callable[[Workspace, list[str], str], str]


_ADD = _ListChange(
    "add_to_list", "Tick at least one prospect to add to a list.", "Nothing was added: ", _added
)
_REMOVE = _ListChange(
    "remove_from_list", "Choose a prospect to remove.", "Nothing was removed: ", _removed
)


def _list_name(form: FormData) -> str:
    """The list chosen, or the new one typed (a new name wins), spaces folded."""
    name = " ".join((form_text(form, "new_list") or form_text(form, "list")).split())
    if not name:
        raise UserError("Choose a list or type a name for a new one.", field="list")
    if len(name) > MAX_LIST_NAME:
        raise UserError(f"A list name holds at most {MAX_LIST_NAME} characters.", field="list")
    return name


async def _change_list(
    change: _ListChange, run_id: int, request: Request, session: Session, user: User
) -> Response:
    post = await read_post(request, session, user, run_id)
    back = post.next(f"{post.ws.base}/lists")
    ids = form_ids(post.form)
    if not ids:
        return redirect_back(request, back, change.none_ticked, "error")
    try:
        name = _list_name(post.form)
    except UserError as error:
        return redirect_refused(request, back, error, prefix=change.refused)
    return post.act_and_redirect(
        {"type": change.action, "contact_ids": ids, "list_name": name},
        back=back,
        done=change.done(post.ws, ids, name),
        refused=change.refused,
    )


@router.get("/runs/{run_id}/lists", name="sandbox_lists")
def lists_page(run_id: int, request: Request, session: SessionDep, user: PageUser) -> Response:
    ws = load_workspace(session, user, run_id)
    members = read.lists(ws.sandbox)
    for rows in members.values():
        for row in rows:
            row.update(read.contact_flags(ws.sandbox, row["id"]))
    size = ws.spec.deliverable.list_size
    context = workspace_context(request, ws, "lists", lists=members, list_size=size)
    return render_run_page(request, "practice/lists.html", context)


@router.post("/runs/{run_id}/lists/add", name="sandbox_list_add")
async def list_add(run_id: int, request: Request, session: SessionDep, user: PageUser) -> Response:
    return await _change_list(_ADD, run_id, request, session, user)


@router.post("/runs/{run_id}/lists/remove", name="sandbox_list_remove")
async def list_remove(
    run_id: int, request: Request, session: SessionDep, user: PageUser
) -> Response:
    return await _change_list(_REMOVE, run_id, request, session, user)
