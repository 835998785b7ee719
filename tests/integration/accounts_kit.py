"""The access table's account things: a live API token of the learner and an outbox email."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from leadworks.accounts.models import ApiToken, User
from leadworks.accounts.tokens import issue_api_token
from leadworks.core.config import Settings
from leadworks.mail.service import Letter, send


def accounts_placeholders(session: Session, *, learner: User, settings: Settings) -> dict[str, Any]:
    issue_api_token(session=session, user=learner, settings=settings)
    token = session.exec(select(ApiToken).where(ApiToken.user_id == learner.id)).one()
    message = send(
        session=session,
        settings=settings,
        letter=Letter(learner.email, "Access test", "A message in the outbox."),
    )
    return {"user_id": learner.id, "token_id": token.id, "message_id": message.id}
