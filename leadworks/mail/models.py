"""Every email the platform sent or tried to send, and the development outbox."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from leadworks.core.timeutil import utcnow


class MailStatus(StrEnum):
    outbox = "outbox"  # no SMTP server configured: kept here for an admin to read
    sent = "sent"  # handed to the SMTP server (the body is not kept: it may hold a link)
    failed = "failed"  # the SMTP server could not be reached or refused it


class MailMessage(SQLModel, table=True):
    __tablename__ = "mail_message"

    id: int | None = Field(default=None, primary_key=True)
    recipient: str = Field(index=True, max_length=254)
    subject: str = Field(max_length=200)
    body: str = Field(default="", max_length=20_000)
    status: MailStatus = Field(max_length=16)
    error: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow, index=True)
