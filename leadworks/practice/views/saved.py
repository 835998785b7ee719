"""Saved searches: name the search on screen to open it again later in this run, or
forget one. The rules (a name, filters that would be searched, at most 30 per run) are in
leadworks.practice.saved_searches."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Form
from fastapi.responses import Response

from leadworks.core.errors import NotFound, UserError
from leadworks.core.inputs import Line, Passage, PathId, parse_id
from leadworks.practice.saved_searches import delete_search, save_search
from leadworks.practice.views.forms import redirect_back
from leadworks.practice.views.prospects import search_context
from leadworks.practice.views.run_post import RunForm, run_post
from leadworks.practice.views.workspace import PracticeDep, render_run_page

router = APIRouter()


class SaveSearchForm(RunForm):
    name: Line = ""
    query: Passage = ""  # the search page's query string


class SearchRef(RunForm):
    search_id: Line = ""


@router.post("/runs/{run_id}/searches", name="sandbox_save_search")
def save(run_id: PathId, form: Annotated[SaveSearchForm, Form()], p: PracticeDep) -> Response:
    post = run_post(p, run_id, form)
    ws = post.ws
    # paging is where you are, not what you searched for
    pairs = [(k, v) for k, v in parse_qsl(form.query) if k not in ("page", "per_page")]
    query = urlencode(pairs)
    try:
        saved = save_search(
            session=p.session,
            user=p.user,
            run=ws.run,
            sandbox=ws.sandbox,
            name=form.name,
            query=query,
        )
    except UserError as error:
        raw: dict[str, object] = {}
        for key, value in pairs:
            raw.setdefault(key, []).append(value)  # type: ignore[union-attr]
        flat = {k: (v[0] if isinstance(v, list) and len(v) == 1 else v) for k, v in raw.items()}
        context = search_context(p.request, ws, flat, session=p.session) | {"save_error": error}
        return render_run_page(
            p.request, "practice/prospects.html", context, status_code=error.status_code
        )
    return redirect_back(
        p.request, f"{ws.base}/prospects?{saved.query}", f"Search '{saved.name}' saved."
    )


@router.post("/runs/{run_id}/searches/delete", name="sandbox_delete_search")
def forget(run_id: PathId, form: Annotated[SearchRef, Form()], p: PracticeDep) -> Response:
    post = run_post(p, run_id, form)
    search_id = parse_id(form.search_id)
    if search_id is None:
        raise NotFound("No such saved search in this run.")
    delete_search(session=p.session, run=post.ws.run, search_id=search_id)
    return redirect_back(p.request, f"{post.ws.base}/prospects", "Saved search deleted.")
