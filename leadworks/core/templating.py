"""Jinja2 rendering: one template, two uses (a whole page, or the block htmx swaps).

``render`` adds what every page needs (the user, the role's navigation, the CSRF token,
flash messages) so views pass only their own data.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import pass_context
from jinja2_fragments.fastapi import Jinja2Blocks

from leadworks.core.csrf import csrf_token

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "templates"
templates = Jinja2Blocks(directory=str(TEMPLATE_DIR))


@pass_context
def path_for(context: Any, name: str, /, **params: Any) -> str:
    """The path of a named route (``path_for('sandbox_lists', run_id=run.id)``): templates
    link through route names, so a moved route cannot leave a dead link behind."""
    return str(context["request"].app.url_path_for(name, **{k: str(v) for k, v in params.items()}))


templates.env.globals["path_for"] = path_for


@dataclass(frozen=True)
class NavItem:
    label: str
    href: str


def navigation_for(request: Request, user: object) -> tuple[NavItem, ...]:
    """The app's navigation bar for ``user`` (composed by the app: core knows no domain)."""
    navigation = getattr(request.app.state, "navigation", None)
    return navigation(user) if navigation is not None else ()


def flash(request: Request, message: str, category: str = "info") -> None:
    """A one-time message shown on the next rendered page (after a redirect)."""
    # Reassign rather than append: the session only notices a changed top-level key.
    request.session["flash"] = [*request.session.get("flash", []), [category, message]]


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    block: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """Render a page, or only ``block`` of it when htmx asked for a partial update."""
    user = getattr(request.state, "user", None)
    full: dict[str, Any] = {
        "user": user,
        "nav": navigation_for(request, user),
        "csrf_token": csrf_token(request),
        "flashes": request.session.pop("flash", []) if "session" in request.scope else [],
        "current_path": request.url.path,
    }
    full.update(context or {})
    if block is not None and is_htmx(request):
        return templates.TemplateResponse(
            request, name, full, block_name=block, status_code=status_code
        )
    return templates.TemplateResponse(request, name, full, status_code=status_code)
