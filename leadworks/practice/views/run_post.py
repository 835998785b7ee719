"""A form posted to a run's page: the run and the form together, and the one way such a
post changes the run (``act``: once per form key, refused when the page is stale)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from leadworks.accounts.models import User
from leadworks.core.errors import UserError
from leadworks.practice import service as svc
from leadworks.practice.views.forms import (
    expected_count,
    form_text,
    idempotency_key,
    redirect_back,
    redirect_refused,
    safe_next,
)
from leadworks.practice.views.workspace import Workspace, load_workspace


@dataclass(frozen=True)
class RunPost:
    """A form posted to one of a run's pages, with all that acting on it takes."""

    request: Request
    session: Session
    user: User
    ws: Workspace
    form: FormData

    def text(self, name: str, default: str = "") -> str:
        return form_text(self.form, name, default)

    def next(self, default: str) -> str:
        """Where to go back to: the form's ``next`` when it is a page of this run."""
        return safe_next(self.form, self.ws.base, default)

    def act(self, action: dict[str, Any], *, stale_check: bool = True) -> svc.ActionOutcome:
        """Apply one learner action to the run, once per form key, refused (409) if the
        page was rendered at another event count."""
        return svc.act(
            session=self.session,
            user=self.user,
            run_id=self.ws.run.id or 0,
            action=action,
            idempotency_key=idempotency_key(self.request, self.form),
            expected_count=expected_count(self.form) if stale_check else None,
        )

    def act_and_redirect(
        self,
        action: dict[str, Any],
        *,
        back: str,
        done: str,
        refused: str,
        done_url: str | None = None,
    ) -> Response:
        """A button's whole answer: apply ``action``, then 303 to ``done_url`` (default:
        ``back``) saying ``done``; when refused, 303 back saying ``refused`` and why."""
        try:
            self.act(action)
        except UserError as error:
            return redirect_refused(self.request, back, error, prefix=refused)
        return redirect_back(self.request, done_url or back, done)


async def read_post(request: Request, session: Session, user: User, run_id: int) -> RunPost:
    """The learner's own run (404 otherwise) and the form posted to it."""
    ws = load_workspace(session, user, run_id)
    return RunPost(request, session, user, ws, await request.form())
