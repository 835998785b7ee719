"""One-time links sent by email: password resets (and, through cohorts, sign-ups).

A link's token is random, only its SHA-256 is stored, it expires, and it is used up by
one atomic ``UPDATE ... WHERE used_at IS NULL``, so two tabs cannot both spend it.
Following a link only shows a form: the token is spent by the form's POST, so mail
scanners that open links do not use them up.

Whether an account exists is never shown to the person asking: a reset request always
answers "check your inbox", and the inbox gets either the link or a note saying no
account uses that address. Both paths send one email, so they also take the same time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlmodel import Session, col, select, update

from leadworks.accounts.models import AccountLink, LinkPurpose, User
from leadworks.accounts.service import check_email, check_password, set_password
from leadworks.accounts.throttle import reserve_mail
from leadworks.core.config import Settings
from leadworks.core.errors import UserError
from leadworks.core.security import new_token, token_digest
from leadworks.core.timeutil import utcnow
from leadworks.mail.service import Letter, MailFailed, send

DEAD_LINK = "This link has expired or was already used. Ask for a new one."
LinkUrl = Callable[[str], str]
"""Builds the absolute address of a link from its token (the views know the routes)."""


def new_link(
    *, session: Session, settings: Settings, purpose: LinkPurpose, email: str, **fields: object
) -> str:
    """A fresh link's token; the row is added, not committed."""
    token = new_token()
    seconds = (
        settings.password_reset_max_age_seconds
        if purpose is LinkPurpose.reset
        else settings.signup_link_max_age_seconds
    )
    link = AccountLink(
        purpose=purpose,
        token_hash=token_digest(token),
        email=email,
        expires_at=utcnow() + timedelta(seconds=seconds),
        **fields,
    )
    session.add(link)
    return token


def live_link(*, session: Session, purpose: LinkPurpose, token: str) -> AccountLink:
    """The unexpired, unused link behind ``token``, or a 400 saying it is dead."""
    if not token or len(token) > 100:
        raise UserError(DEAD_LINK, field="token")
    query = select(AccountLink).where(
        AccountLink.token_hash == token_digest(token), AccountLink.purpose == purpose
    )
    link = session.exec(query).first()
    if link is None or link.used_at is not None or link.expires_at <= utcnow():
        raise UserError(DEAD_LINK, field="token")
    return link


def spend_link(*, session: Session, link: AccountLink) -> None:
    """Mark the link used, atomically; a link spent meanwhile by another request is dead.
    Not committed: the caller commits it with what the link was for."""
    statement = (
        update(AccountLink)
        .where(col(AccountLink.id) == link.id, col(AccountLink.used_at).is_(None))
        .values(used_at=utcnow())
    )
    if session.exec(statement).rowcount != 1:  # type: ignore[call-overload]
        session.rollback()
        raise UserError(DEAD_LINK, field="token")


def send_or_undo(
    *, session: Session, settings: Settings, letter: Letter, link_token: str | None
) -> None:
    """Send ``letter``; when that fails, delete the link it carried and re-raise, so a
    link nobody received cannot linger and the person is told what happened."""
    try:
        send(session=session, settings=settings, letter=letter)
    except MailFailed:
        if link_token is not None:
            digest = token_digest(link_token)
            stale = session.exec(select(AccountLink).where(AccountLink.token_hash == digest))
            for link in stale.all():
                session.delete(link)
            session.commit()
        raise


def _reset_letter(user: User | None, email: str, url: str | None, settings: Settings) -> Letter:
    if user is not None and url is not None:
        minutes = settings.password_reset_max_age_seconds // 60
        body = (
            f"Hello {user.name},\n\nSomeone (we hope you) asked to reset the password of your "
            f"Leadworks Academy account. Choose a new password here:\n\n{url}\n\n"
            f"The link works once and for {minutes} minutes. If you did not ask, ignore this "
            "email: your password stays as it is.\n"
        )
        return Letter(email, "Reset your Leadworks Academy password", body)
    if user is not None:  # the account exists but is switched off
        body = (
            "Hello,\n\nSomeone asked to reset the password of the Leadworks Academy account "
            "that uses this address. That account is deactivated, so no reset link was made: "
            "ask an administrator to reactivate it.\n"
        )
    else:
        body = (
            "Hello,\n\nSomeone asked to reset the password of a Leadworks Academy account "
            "for this address, but no account uses it. If that was you, you may have "
            "registered with another address. If not, ignore this email.\n"
        )
    return Letter(email, "Your Leadworks Academy password reset request", body)


def request_password_reset(
    *, session: Session, settings: Settings, email: str, address: str, link_url: LinkUrl
) -> None:
    """Email a reset link to the account using ``email``, or a note when there is none; the
    caller answers the same either way."""
    email = check_email(email)
    reserve_mail(session=session, settings=settings, recipient=email, address=address)
    user = session.exec(select(User).where(User.email == email)).first()
    token = None
    if user is not None and user.is_active:
        token = new_link(
            session=session,
            settings=settings,
            purpose=LinkPurpose.reset,
            email=email,
            user_id=user.id,
        )
        session.commit()
    letter = _reset_letter(user, email, link_url(token) if token else None, settings)
    send_or_undo(session=session, settings=settings, letter=letter, link_token=token)


def reset_password(
    *, session: Session, token: str, new_password: str, confirm_password: str
) -> User:
    """Spend a reset link on a new password: every session and token of the user ends."""
    link = live_link(session=session, purpose=LinkPurpose.reset, token=token)
    user = session.get(User, link.user_id) if link.user_id is not None else None
    if user is None or not user.is_active:
        raise UserError(DEAD_LINK, field="token")
    if new_password != confirm_password:
        raise UserError("The new password and its confirmation differ.", field="confirm_password")
    check_password(new_password, email=user.email, field="new_password")
    spend_link(session=session, link=link)
    others = (
        update(AccountLink)
        .where(
            col(AccountLink.user_id) == user.id,
            col(AccountLink.purpose) == LinkPurpose.reset,
            col(AccountLink.used_at).is_(None),
        )
        .values(used_at=utcnow())
    )
    session.exec(others)  # type: ignore[call-overload]
    set_password(session=session, user=user, password=new_password)
    return user
