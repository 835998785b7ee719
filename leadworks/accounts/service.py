"""Creating users, checking passwords, issuing API tokens and limiting login attempts."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from leadworks.accounts.models import ApiToken, LoginAttempt, Role, User
from leadworks.core.config import Settings
from leadworks.core.errors import Conflict, TooManyAttempts, UserError
from leadworks.core.security import (
    DUMMY_HASH,
    hash_password,
    new_token,
    password_problem,
    token_digest,
    verify_password,
)
from leadworks.core.timeutil import utcnow

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
WRONG_CREDENTIALS = "That email and password do not match an account."


def normalise_email(email: str) -> str:
    """Emails compare case-insensitively; store them one way."""
    return email.strip().lower()


def check_email(email: str) -> str:
    """The normalised email, or a UserError saying what is wrong with it."""
    email = normalise_email(email)
    if not email:
        raise UserError("Email is required.", field="email")
    if len(email) > 254 or not _EMAIL.match(email):
        raise UserError(f"'{email[:80]}' is not a valid email address.", field="email")
    return email


def create_user(
    *,
    session: Session,
    email: str,
    name: str,
    password: str,
    role: Role = Role.learner,
    commit: bool = True,
) -> User:
    """A new account, after checking every field; nothing is written when one is wrong.

    ``commit=False`` lets a caller (registration) add more rows in the same transaction.
    """
    email = check_email(email)
    name = name.strip()
    if not name:
        raise UserError("Name is required.", field="name")
    if len(name) > 120:
        raise UserError("Name is too long: use at most 120 characters.", field="name")
    problem = password_problem(password, email=email)
    if problem:
        raise UserError(problem, field="password")
    if session.exec(select(User.id).where(User.email == email)).first() is not None:
        raise Conflict(f"An account with the email {email} already exists.", field="email")
    user = User(email=email, name=name, role=role, password_hash=hash_password(password))
    session.add(user)
    if commit:
        session.commit()
    else:
        session.flush()
    return user


def get_user_by_email(*, session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == normalise_email(email))).first()


def _recent_failures(session: Session, column: object, value: str, since: object) -> int:
    query = select(func.count()).select_from(LoginAttempt)
    query = query.where(column == value, LoginAttempt.at >= since, LoginAttempt.succeeded == False)  # noqa: E712
    return int(session.exec(query).one())


def check_login_allowed(*, session: Session, email: str, address: str, settings: Settings) -> None:
    """Refuse a login once an account or an address has failed too often recently."""
    window = settings.login_window_seconds
    since = utcnow() - timedelta(seconds=window)
    minutes = max(1, window // 60)
    if _recent_failures(session, LoginAttempt.email, email, since) >= (
        settings.login_max_failures_per_account
    ):
        raise TooManyAttempts(
            f"Too many failed logins for this account. Try again in {minutes} minutes.",
            retry_after=window,
        )
    if _recent_failures(session, LoginAttempt.address, address, since) >= (
        settings.login_max_failures_per_address
    ):
        raise TooManyAttempts(
            f"Too many failed logins from your network address. Try again in {minutes} minutes.",
            retry_after=window,
        )


def authenticate(
    *, session: Session, email: str, password: str, address: str, settings: Settings
) -> User:
    """The user these credentials belong to; every attempt is recorded for rate limiting."""
    email = normalise_email(email)
    check_login_allowed(session=session, email=email, address=address, settings=settings)
    user = get_user_by_email(session=session, email=email)
    ok = verify_password(password, user.password_hash if user else DUMMY_HASH)
    ok = ok and user is not None and user.is_active
    session.add(LoginAttempt(email=email[:254], address=address[:64], succeeded=ok))
    if not ok or user is None:
        session.commit()
        raise UserError(WRONG_CREDENTIALS, field="password")
    user.last_seen_at = utcnow()
    session.add(user)
    session.commit()
    return user


def issue_api_token(*, session: Session, user: User, settings: Settings) -> str:
    """A new bearer token; only its digest is kept, so it is shown once."""
    token = new_token()
    expires = utcnow() + timedelta(seconds=settings.api_token_max_age_seconds)
    assert user.id is not None
    session.add(ApiToken(user_id=user.id, token_hash=token_digest(token), expires_at=expires))
    session.commit()
    return token


def user_for_token(*, session: Session, token: str) -> User | None:
    """The active user a live bearer token belongs to, or None."""
    query = select(User, ApiToken).join(ApiToken, ApiToken.user_id == User.id)
    row = session.exec(query.where(ApiToken.token_hash == token_digest(token))).first()
    if row is None:
        return None
    user, api_token = row
    if api_token.expires_at < utcnow() or not user.is_active:
        return None
    return user
