"""The run workspace every run page shares: the run and its live sandbox, the tabs, the
header's context, and rendering a page whole or (for htmx) as the block it swaps.

The ``workspace`` block holds header, tabs and page together, so every form on it carries
the fresh event count after a swap.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from course.exercise_specs import ExerciseSpec
from course.vocabulary import OUTREACH_CHANNELS, PAID_CHANNELS, STAGE_LABELS
from grader.qualification import FRAMEWORKS as FRAMEWORK_CRITERIA
from leadworks.accounts.deps import PageUser
from leadworks.accounts.models import User
from leadworks.content import Content, ContentDep
from leadworks.core.deps import SessionDep
from leadworks.core.errors import NotFound
from leadworks.core.templating import render
from leadworks.practice import read
from leadworks.practice import service as svc
from leadworks.practice.live import LiveSandboxes, SandboxesDep
from leadworks.practice.models import Run, RunStatus
from leadworks.practice.present import FORMATTERS, excerpt
from leadworks.practice.views.forms import new_key
from simulator import Sandbox

MESSAGE_CHANNELS = OUTREACH_CHANNELS  # what the composer writes: email, LinkedIn, a call opener
MAX_SEEN_RUNS = 30  # runs whose last-seen inbox position the session remembers


@dataclass
class Workspace:
    run: Run
    sandbox: Sandbox
    spec: ExerciseSpec

    @property
    def base(self) -> str:
        return f"/sandbox/runs/{self.run.id}"

    @property
    def active(self) -> bool:
        return self.run.status is RunStatus.active

    @property
    def message_channels(self) -> list[str]:
        return [c for c in MESSAGE_CHANNELS if c in self.spec.channels]

    @property
    def paid_channels(self) -> list[str]:
        return [c for c in PAID_CHANNELS if c in self.spec.channels]

    @property
    def frameworks(self) -> tuple[str, ...]:
        """Qualification frameworks, the ones this exercise asks for first."""
        preferred = tuple(self.spec.deliverable.frameworks)
        return preferred + tuple(f for f in FRAMEWORK_CRITERIA if f not in preferred)

    @property
    def list_sizes(self) -> dict[str, int]:
        """Each lead list's name and size, by name."""
        return {name: len(ids) for name, ids in sorted(self.sandbox.state.lists.items())}


@dataclass(frozen=True)
class Practice:
    """What a practice page works with: the request, the caller, the database session, the
    app's live sandboxes and its course content (one dependency instead of five)."""

    request: Request
    session: Session
    user: User
    cache: LiveSandboxes
    content: Content

    def workspace(self, run_id: int) -> Workspace:
        """The caller's own run (404 otherwise) with its sandbox replayed to now."""
        run = svc.run_for(session=self.session, user=self.user, run_id=run_id)
        sandbox = svc.live_sandbox(session=self.session, run=run, cache=self.cache)
        return Workspace(run, sandbox, sandbox.exercise)

    def sandbox(self, run: Run) -> Sandbox:
        return svc.live_sandbox(session=self.session, run=run, cache=self.cache)


def _practice(
    request: Request,
    session: SessionDep,
    user: PageUser,
    cache: SandboxesDep,
    content: ContentDep,
) -> Practice:
    return Practice(request, session, user, cache, content)


PracticeDep = Annotated[Practice, Depends(_practice)]


def contact_or_404(ws: Workspace, contact_id: str) -> Any:
    contact = ws.sandbox.world.contact(contact_id)
    if contact is None:
        raise NotFound(f"No prospect with id '{contact_id[:40]}' in this market.")
    return contact


# ---- header, tabs and rendering ------------------------------------------------------------


def _tabs(ws: Workspace) -> list[tuple[str, str, str]]:
    """(key, label, href) of the workspace's tabs, as this exercise needs them."""
    tabs = [
        ("overview", "Overview", ws.base),
        ("prospects", "Prospects", f"{ws.base}/prospects"),
        ("lists", "Lists", f"{ws.base}/lists"),
    ]
    if ws.message_channels:
        tabs.append(("compose", "Compose", f"{ws.base}/compose"))
        tabs.append(("sequences", "Sequences", f"{ws.base}/sequences"))
    tabs += [
        ("inbox", "Inbox", f"{ws.base}/inbox"),
        ("pipeline", "Pipeline", f"{ws.base}/pipeline"),
    ]
    if ws.active:
        builder = "Report builder" if ws.spec.kind == "report" else "Hand in"
        tabs.append(("hand-in", builder, f"{ws.base}/hand-in"))
    else:
        tabs.append(("grade", "Grade", f"{ws.base}/grade"))
    return tabs


def inbox_seen(request: Request, run: Run) -> int:
    """The event count at which this session last opened the run's inbox (0: never)."""
    seen = request.session.get("inbox_seen") or {}
    return int(seen.get(str(run.id), 0)) if isinstance(seen, dict) else 0


def mark_inbox_seen(request: Request, run: Run) -> None:
    seen = dict(request.session.get("inbox_seen") or {})
    seen.pop(str(run.id), None)
    seen[str(run.id)] = run.event_count
    while len(seen) > MAX_SEEN_RUNS:
        seen.pop(next(iter(seen)))
    request.session["inbox_seen"] = seen


def _here(request: Request, ws: Workspace, tab: str) -> str:
    """This page's address, for forms to come back to (a POST's page: its tab's)."""
    if request.method == "GET":
        return request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return next((href for key, _, href in _tabs(ws) if key == tab), ws.base)


def workspace_context(request: Request, ws: Workspace, tab: str, **extra: Any) -> dict[str, Any]:
    """What every run page shows (header, tabs, clock, inbox badge), plus its own data."""
    summary = read.summary(ws.sandbox)
    summary["day"] = min(summary["day"], max(1, summary["days_total"]))
    elapsed = summary["days_total"] - summary["days_left"]
    return {
        "run": ws.run,
        "ws": ws,
        "spec": ws.spec,
        "summary": summary,
        "elapsed_percent": round(100 * elapsed / summary["days_total"], 1)
        if summary["days_total"]
        else 100,
        "tab": tab,
        "tabs": _tabs(ws),
        "base": ws.base,
        "here": _here(request, ws, tab),
        "active": ws.active,
        "expected": ws.run.event_count,
        "inbox_new": read.inbox_count_since(ws.sandbox, inbox_seen(request, ws.run)),
        "notices": request.session.pop("flash", []) if "session" in request.scope else [],
        "flashes": [],
        "new_key": new_key,
        **FORMATTERS,
        "excerpt": excerpt,
        "stage_labels": STAGE_LABELS,
    } | extra


def render_run_page(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    fragments: tuple[str, ...] = (),
    status_code: int = 200,
) -> HTMLResponse:
    """The whole page, or for htmx the block it targets (default: the workspace)."""
    target = request.headers.get("HX-Target", "")
    block = target if target in fragments else "workspace"
    return render(request, template, context, block=block, status_code=status_code)


def render_content_page(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """A page outside any run (exercise list, exercise, rubrics): htmx swaps ``content``."""
    return render(request, template, FORMATTERS | context, block="content", status_code=status_code)
