"""Lead lists: the page that shows them, adding ticked prospects, removing them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response
from pydantic import Field

from leadworks.core.errors import UserError
from leadworks.core.inputs import Key, Line, PathId
from leadworks.practice import read
from leadworks.practice.views.forms import redirect_back, redirect_refused
from leadworks.practice.views.run_post import RunForm, run_post
from leadworks.practice.views.workspace import (
    PracticeDep,
    Workspace,
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


class ListForm(RunForm):
    contact_ids: Annotated[list[Key], Field(max_length=1_000)] = []
    chosen_list: Line = Field("", alias="list")
    new_list: Line = ""


def _list_name(form: ListForm) -> str:
    """The list chosen, or the new one typed (a new name wins), spaces folded."""
    name = " ".join((form.new_list or form.chosen_list).split())
    if not name:
        raise UserError("Choose a list or type a name for a new one.", field="list")
    if len(name) > MAX_LIST_NAME:
        raise UserError(f"A list name holds at most {MAX_LIST_NAME} characters.", field="list")
    return name


def _change_list(change: _ListChange, run_id: int, form: ListForm, p: PracticeDep) -> Response:
    post = run_post(p, run_id, form)
    back = post.next(f"{post.ws.base}/lists")
    ids = [i for i in form.contact_ids if i]
    if not ids:
        return redirect_back(p.request, back, change.none_ticked, "error")
    try:
        name = _list_name(form)
    except UserError as error:
        return redirect_refused(p.request, back, error, prefix=change.refused)
    return post.act_and_redirect(
        {"type": change.action, "contact_ids": ids, "list_name": name},
        back=back,
        done=change.done(post.ws, ids, name),
        refused=change.refused,
    )


@router.get("/runs/{run_id}/lists", name="sandbox_lists")
def lists_page(run_id: PathId, p: PracticeDep) -> Response:
    ws = p.workspace(run_id)
    members = read.lists(ws.sandbox)
    for rows in members.values():
        for row in rows:
            row.update(read.contact_flags(ws.sandbox, row["id"]))
    size = ws.spec.deliverable.list_size
    context = workspace_context(p.request, ws, "lists", lists=members, list_size=size)
    return render_run_page(p.request, "practice/lists.html", context)


@router.post("/runs/{run_id}/lists/add", name="sandbox_list_add")
def list_add(run_id: PathId, form: Annotated[ListForm, Form()], p: PracticeDep) -> Response:
    return _change_list(_ADD, run_id, form, p)


@router.post("/runs/{run_id}/lists/remove", name="sandbox_list_remove")
def list_remove(run_id: PathId, form: Annotated[ListForm, Form()], p: PracticeDep) -> Response:
    return _change_list(_REMOVE, run_id, form, p)
