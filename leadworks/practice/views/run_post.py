"""A form posted to a run's page, and the one way such a post changes the run.

Handlers are plain ``def`` functions (FastAPI runs them in its threadpool) that declare
their form as a typed model (``form: Annotated[ListForm, Form()]``): FastAPI reads and
validates the whole body before the handler starts, so no transaction is ever open while a
slow client is still sending. ``act`` applies one learner action once per form key and
refuses a page left stale by another tab.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, create_model

from leadworks.core.errors import UserError
from leadworks.core.inputs import Key, Line, OptionalCount
from leadworks.core.redirects import safe_next
from leadworks.practice import service as svc
from leadworks.practice.views.forms import redirect_back, redirect_refused
from leadworks.practice.views.workspace import Practice, Workspace


class RunForm(BaseModel):
    """What every form posted to a run carries besides its own fields."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    idempotency_key: Key = ""  # made when the page was rendered: a double click acts once
    expected_count: OptionalCount = None  # the run's event count then: stale pages refused
    next: Line = ""  # the page to go back to (only a page of this run is followed)


@dataclass(frozen=True)
class RunPost:
    """A form posted to one of a run's pages, with all that acting on it takes."""

    practice: Practice
    ws: Workspace
    form: Any  # the handler's RunForm subclass

    @property
    def request(self) -> Any:
        return self.practice.request

    def next(self, default: str) -> str:
        """Where to go back to: the form's ``next`` when it is a page of this run."""
        return safe_next(self.form.next, default, within=self.ws.base)

    def fields(self) -> dict[str, Any]:
        """The form's own fields by their HTML names (for builders that read them by name)."""
        own = self.form.model_dump(by_alias=True, exclude=set(RunForm.model_fields))
        return {k: v for k, v in own.items() if isinstance(v, str | list)}

    def key(self) -> str | None:
        """The form's own key (fixed when the page was rendered), else htmx's header."""
        return self.form.idempotency_key or self.request.headers.get("Idempotency-Key")

    def act(self, action: dict[str, Any], *, stale_check: bool = True) -> svc.ActionOutcome:
        """Apply one learner action to the run, once per form key, refused (409) if the
        page was rendered at another event count."""
        p = self.practice
        return svc.act(
            session=p.session,
            user=p.user,
            run_id=self.ws.run.id or 0,
            action=action,
            idempotency_key=self.key(),
            expected_count=self.form.expected_count if stale_check else None,
            cache=p.cache,
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


def run_post(practice: Practice, run_id: int, form: RunForm) -> RunPost:
    """The learner's own run (404 otherwise) with the form posted to it."""
    return RunPost(practice, practice.workspace(run_id), form)


def form_model(name: str, fields: dict[str, Any], base: type[RunForm] = RunForm) -> type[RunForm]:
    """A typed form whose field names are only known from data (``count-lead``,
    ``step-0-body``...): each field bounded like any other, named as the HTML names it."""
    definitions: dict[str, Any] = {
        field.replace("-", "_"): (annotation, Field("", alias=field))
        for field, annotation in fields.items()
    }
    model: type[RunForm] = create_model(name, __base__=base, **definitions)
    return model
