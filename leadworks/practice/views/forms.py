"""Reading the sandbox's forms and answering them with a redirect.

Every state-changing form carries a hidden ``idempotency_key`` (made when the page was
rendered, so a double click applies once) and ``expected_count`` (the run's event count
then, so a page left stale by another tab is refused). A post answers 303 back to a page
with a flash message.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from leadworks.core.errors import Conflict, NotFound, UserError
from leadworks.core.templating import flash


def new_key() -> str:
    """A fresh idempotency key for one rendered form."""
    return uuid.uuid4().hex


def form_text(form: FormData | Mapping[str, Any], name: str, default: str = "") -> str:
    """A text field's value (an upload or a missing field reads as ``default``)."""
    value = form.get(name)
    return value if isinstance(value, str) else default


def form_ids(form: FormData, name: str = "contact_ids") -> list[str]:
    """The non-empty values of a multi-valued field, e.g. the ticked prospects."""
    return [v for v in form.getlist(name) if isinstance(v, str) and v]


def idempotency_key(request: Request, form: FormData) -> str | None:
    """The form's own key (fixed when the page was rendered), else htmx's header."""
    return form_text(form, "idempotency_key") or request.headers.get("Idempotency-Key")


def expected_count(form: FormData) -> int | None:
    """The event count the page was rendered at (None when the form does not say)."""
    raw = form_text(form, "expected_count").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise UserError("The page's event count is not a number; reload the page.") from None


def redirect_back(request: Request, url: str, message: str, category: str = "success") -> Response:
    """303 to ``url``, with ``message`` flashed on the page it shows."""
    if message:
        flash(request, message, category)
    return RedirectResponse(url, status_code=303)


def reraise_conflicts(error: UserError) -> None:
    """A stale page (409) or a missing record (404) keeps its own status and error page;
    only the other refusals are the learner's to fix on the form."""
    if isinstance(error, Conflict | NotFound):
        raise error


def redirect_refused(request: Request, url: str, error: UserError, *, prefix: str = "") -> Response:
    """A refused button action: back to the page, saying why (conflicts stay 409s)."""
    reraise_conflicts(error)
    return redirect_back(request, url, f"{prefix}{error.message}", "error")


def require_max_chars(text: str, limit: int, *, field: str, what: str, then: str = "") -> None:
    """Refuse a text longer than ``limit``: 'The message is 6,000 characters long; ...'."""
    if len(text) > limit:
        raise UserError(
            f"{what} is {len(text):,} characters long; the limit is {limit:,}.{then}",
            field=field,
        )
