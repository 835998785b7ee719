"""Joining a cohort with an invite code, without telling strangers who has an account.

Registering answers "check your inbox" whether or not the email already has an account:
a new address gets a link that creates the account (so it also proves the inbox is
theirs), an existing one gets a note that they already have an account and how to get
back in. Both paths hash the password and send one email, so they take the same time.
The account, its enrolment and the invite's count are written together when the link is
followed.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, update

from leadworks.accounts.links import LinkUrl, live_link, new_link, send_or_undo, spend_link
from leadworks.accounts.models import LinkPurpose, Role, User
from leadworks.accounts.service import check_email, check_name, check_password, email_taken
from leadworks.accounts.throttle import reserve_mail
from leadworks.cohorts.models import Invite, Membership
from leadworks.cohorts.service import usable_invite
from leadworks.core.config import Settings
from leadworks.core.errors import Conflict, UserError
from leadworks.core.security import hash_password
from leadworks.mail.service import Letter


def _welcome_letter(email: str, name: str, url: str, settings: Settings) -> Letter:
    hours = settings.signup_link_max_age_seconds // 3600
    body = (
        f"Hello {name},\n\nWelcome to Leadworks Academy. Open this link to finish creating "
        f"your account and join your cohort:\n\n{url}\n\nThe link works once and for "
        f"{hours} hours. If you did not register, ignore this email: no account is made.\n"
    )
    return Letter(email, "Finish creating your Leadworks Academy account", body)


def _existing_letter(email: str, login_url: str, forgot_url: str) -> Letter:
    body = (
        "Hello,\n\nSomeone (we hope you) tried to register on Leadworks Academy with this "
        "address, but an account already uses it, so nothing was changed.\n\n"
        f"Log in here: {login_url}\nForgot your password? Get a new one here: {forgot_url}\n\n"
        "If it was not you, ignore this email.\n"
    )
    return Letter(email, "You already have a Leadworks Academy account", body)


def start_signup(
    *,
    session: Session,
    settings: Settings,
    invite_code: str,
    email: str,
    name: str,
    password: str,
    address: str,
    link_url: LinkUrl,
    login_url: str,
    forgot_url: str,
) -> str:
    """Check the form, then email either a sign-up link or an "already registered" note;
    returns the normalised email. Malformed input is refused before anything is sent."""
    invite = usable_invite(session=session, code=invite_code)
    email = check_email(email)
    name = check_name(name)
    check_password(password, email=email)
    reserve_mail(session=session, settings=settings, recipient=email, address=address)
    password_hash = hash_password(password)  # on both paths: the same time either way
    token = None
    if email_taken(session=session, email=email):
        letter = _existing_letter(email, login_url, forgot_url)
    else:
        token = new_link(
            session=session,
            settings=settings,
            purpose=LinkPurpose.signup,
            email=email,
            name=name,
            password_hash=password_hash,
            invite_id=invite.id,
        )
        session.commit()
        letter = _welcome_letter(email, name, link_url(token), settings)
    send_or_undo(session=session, settings=settings, letter=letter, link_token=token)
    return email


def pending_signup_email(*, session: Session, token: str) -> str:
    """The address a live sign-up link is for (shown before it is used)."""
    return live_link(session=session, purpose=LinkPurpose.signup, token=token).email


def complete_signup(*, session: Session, token: str) -> User:
    """Spend a sign-up link: the learner account, its enrolment and the invite's use, in one
    transaction; nothing is written when any of them cannot be."""
    link = live_link(session=session, purpose=LinkPurpose.signup, token=token)
    invite = session.get(Invite, link.invite_id) if link.invite_id is not None else None
    if invite is None or invite.uses >= invite.max_uses:
        raise UserError(
            "That invite code has been used up since you registered. Ask for a new one.",
            field="invite_code",
        )
    if email_taken(session=session, email=link.email):
        raise Conflict(
            "An account with this email exists already: log in, or reset its password.",
            field="email",
        )
    spend_link(session=session, link=link)
    seat = (
        update(Invite)
        .where(col(Invite.id) == invite.id, col(Invite.uses) < col(Invite.max_uses))
        .values(uses=col(Invite.uses) + 1)
    )
    if session.exec(seat).rowcount != 1:  # type: ignore[call-overload]
        session.rollback()
        raise UserError("That invite code has just been used up. Ask for a new one.")
    user = User(
        email=link.email, name=link.name, role=Role.learner, password_hash=link.password_hash
    )
    try:
        session.add(user)
        session.flush()
        assert user.id is not None
        session.add(Membership(cohort_id=invite.cohort_id, user_id=user.id))
        session.commit()
    except IntegrityError:  # the same address finished another sign-up at the same moment
        session.rollback()
        raise Conflict("An account with this email exists already: log in.") from None
    session.refresh(invite)
    return user
