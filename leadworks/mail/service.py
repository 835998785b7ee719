"""Sending email: through SMTP when ``LEADWORKS_SMTP_HOST`` is set, otherwise into the
outbox table that admins read in the browser (development needs no mail server).

Callers commit what the email is about first, then send; when sending fails they undo
it and tell the person (``MailFailed``, a 503 with a plain explanation), so a request is
never lost silently. Every attempt leaves a row for admins; the body of a message that
really went out is not kept, because it may carry a one-time link.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from sqlmodel import Session, col, select

from leadworks.core.config import Settings
from leadworks.core.errors import NotFound, UserError
from leadworks.mail.models import MailMessage, MailStatus

log = logging.getLogger("leadworks.mail")
OUTBOX_PAGE_SIZE = 200


class MailFailed(UserError):
    """The email could not be sent: the person's request was undone and they are told."""

    status_code = 503


@dataclass(frozen=True)
class Letter:
    recipient: str
    subject: str
    body: str


def _message(settings: Settings, letter: Letter) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = letter.recipient
    message["Subject"] = letter.subject
    message["Date"] = formatdate(localtime=False)
    domain = parseaddr(settings.smtp_from)[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(letter.body)
    return message


def tls_context() -> ssl.SSLContext:
    """The system's trusted certificates and safe defaults (tests trust their own CA)."""
    return ssl.create_default_context()


def _smtp_send(settings: Settings, message: EmailMessage) -> None:
    context = tls_context()
    timeout = settings.smtp_timeout_seconds
    smtp: smtplib.SMTP
    if settings.smtp_ssl:
        smtp = smtplib.SMTP_SSL(
            settings.smtp_host, settings.smtp_port, timeout=timeout, context=context
        )
    else:
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
    with smtp:
        if not settings.smtp_ssl and settings.smtp_starttls:
            smtp.starttls(context=context)
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password.get_secret_value())
        smtp.send_message(message)


def _reason(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "the mail server refused the recipient address"
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return "the mail server refused our login"
    if isinstance(error, smtplib.SMTPException):
        return "the mail server refused the message"
    if isinstance(error, ssl.SSLError):
        return "no secure connection to the mail server could be made"
    return "the mail server could not be reached"


def send(*, session: Session, settings: Settings, letter: Letter) -> MailMessage:
    """Deliver ``letter`` and record it (committed); raise ``MailFailed`` when it could not
    be sent, after recording the failure for admins."""
    if not settings.sends_mail:
        record = MailMessage(
            recipient=letter.recipient,
            subject=letter.subject,
            body=letter.body,
            status=MailStatus.outbox,
        )
        session.add(record)
        session.commit()
        return record
    try:
        _smtp_send(settings, _message(settings, letter))
    except (smtplib.SMTPException, OSError) as error:
        reason = _reason(error)
        log.warning("sending %r to %s failed: %s", letter.subject, letter.recipient, error)
        session.rollback()
        failure = MailMessage(
            recipient=letter.recipient,
            subject=letter.subject,
            status=MailStatus.failed,
            error=f"{reason}: {error}"[:500],
        )
        session.add(failure)
        session.commit()
        raise MailFailed(
            f"We could not send the email to {letter.recipient}: {reason}. Nothing was "
            "changed; please try again in a few minutes, or tell an administrator if it "
            "keeps happening."
        ) from error
    record = MailMessage(recipient=letter.recipient, subject=letter.subject, status=MailStatus.sent)
    session.add(record)
    session.commit()
    return record


def outbox(*, session: Session) -> list[MailMessage]:
    """The newest messages first (the outbox in development, the send log with SMTP)."""
    query = select(MailMessage).order_by(col(MailMessage.id).desc()).limit(OUTBOX_PAGE_SIZE)
    return list(session.exec(query).all())


def outbox_message(*, session: Session, message_id: int) -> MailMessage:
    message = session.get(MailMessage, message_id)
    if message is None:
        raise NotFound("No such message in the outbox.")
    return message
