"""Reading what the platform sent: the outbox rows (no SMTP host) and the links in them."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from sqlmodel import Session, col, select

from leadworks.mail.models import MailMessage

_LINK = re.compile(r"https?://\S+")


def mails_to(session: Session, recipient: str) -> list[MailMessage]:
    query = select(MailMessage).where(MailMessage.recipient == recipient.lower())
    return list(session.exec(query.order_by(col(MailMessage.id))).all())


def last_mail(session: Session, recipient: str) -> MailMessage:
    found = mails_to(session, recipient)
    assert found, f"no email was written to {recipient}"
    return found[-1]


def links_in(body: str) -> list[str]:
    return _LINK.findall(body)


def local_link(body: str, path_part: str) -> str:
    """The path and query of the first link in ``body`` whose path contains ``path_part``."""
    for link in links_in(body):
        parts = urlsplit(link)
        if path_part in parts.path:
            return f"{parts.path}?{parts.query}" if parts.query else parts.path
    raise AssertionError(f"no link to {path_part} in:\n{body}")
