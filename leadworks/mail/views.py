"""The outbox, read in the browser: in development every email lands here instead of a
mail server; with SMTP configured it is the log of what was sent and what failed.

Admins only: the gate is attached where the router is included (``leadworks.routes``),
because this domain sits below accounts and knows nothing of users.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from leadworks.core.csrf import page_router
from leadworks.core.deps import SessionDep, SettingsDep
from leadworks.core.inputs import PathId
from leadworks.core.templating import render
from leadworks.mail.service import outbox, outbox_message

pages = page_router("/admin/outbox")


@pages.get("", name="admin_outbox")
def outbox_page(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    context = {"messages": outbox(session=session), "smtp_host": settings.smtp_host}
    return render(request, "mail/outbox.html", context)


@pages.get("/{message_id}", name="admin_outbox_message")
def message_page(request: Request, message_id: PathId, session: SessionDep) -> Response:
    message = outbox_message(session=session, message_id=message_id)
    return render(request, "mail/message.html", {"message": message})
