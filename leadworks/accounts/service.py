"""Creating users, checking passwords, changing them, and switching accounts off and on.

Anything that should end a user's sessions (logout, a new password, deactivation) bumps
``User.session_version``: every cookie carries the version it was issued under, and an
old version no longer logs anyone in, on any worker or device.
"""

from __future__ import annotations

import re
import secrets

from sqlmodel import Session, col, func, select

from leadworks.accounts.models import Role, User
from leadworks.accounts.throttle import login_succeeded, reserve_login
from leadworks.accounts.tokens import revoke_all_tokens
from leadworks.core.config import Settings
from leadworks.core.errors import Conflict, PermissionDenied, UserError
from leadworks.core.security import DUMMY_HASH, hash_password, password_problem, verify_password
from leadworks.core.timeutil import utcnow

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
WRONG_CREDENTIALS = "That email and password do not match an account."
DEACTIVATED = "This account has been deactivated. Ask an administrator to reactivate it."


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


def check_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise UserError("Name is required.", field="name")
    if len(name) > 120:
        raise UserError("Name is too long: use at most 120 characters.", field="name")
    return name


def check_password(password: str, *, email: str, field: str = "password") -> str:
    problem = password_problem(password, email=email)
    if problem:
        raise UserError(problem, field=field)
    return password


def email_taken(*, session: Session, email: str) -> bool:
    return session.exec(select(User.id).where(User.email == email)).first() is not None


def create_user(
    *,
    session: Session,
    email: str,
    name: str,
    password: str,
    role: Role = Role.learner,
    temporary: bool = False,
    commit: bool = True,
) -> User:
    """A new account, after checking every field; nothing is written when one is wrong.

    ``temporary`` marks a password someone else chose (an admin): its owner must replace
    it at their first login. ``commit=False`` lets a caller add rows in the same transaction.
    """
    email = check_email(email)
    name = check_name(name)
    check_password(password, email=email)
    if email_taken(session=session, email=email):
        raise Conflict(f"An account with the email {email} already exists.", field="email")
    user = User(
        email=email,
        name=name,
        role=role,
        password_hash=hash_password(password),
        must_change_password=temporary,
    )
    session.add(user)
    if commit:
        session.commit()
    else:
        session.flush()
    return user


def get_user_by_email(*, session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == normalise_email(email))).first()


def authenticate(
    *, session: Session, email: str, password: str, address: str, settings: Settings
) -> User:
    """The user these credentials belong to. The attempt is reserved against the throttle
    before the password is checked, so concurrent guesses cannot exceed the limits."""
    email = normalise_email(email)[:254]
    reserve_login(session=session, settings=settings, email=email, address=address)
    user = get_user_by_email(session=session, email=email)
    ok = verify_password(password, user.password_hash if user else DUMMY_HASH)
    if not ok or user is None:
        raise UserError(WRONG_CREDENTIALS, field="password")
    login_succeeded(session=session, settings=settings, email=email, address=address)
    if not user.is_active:
        raise PermissionDenied(DEACTIVATED)
    user.last_seen_at = utcnow()
    session.add(user)
    session.commit()
    return user


def end_sessions(user: User) -> None:
    """Make every session cookie issued so far for ``user`` worthless (not committed)."""
    user.session_version += 1


def logout_everywhere(*, session: Session, user: User) -> None:
    end_sessions(user)
    session.add(user)
    session.commit()


def set_password(*, session: Session, user: User, password: str, temporary: bool = False) -> int:
    """Store a new password, end every session and revoke every API token of the user;
    returns how many tokens were revoked. Nothing is written when the password is weak."""
    check_password(password, email=user.email, field="new_password")
    user.password_hash = hash_password(password)
    user.must_change_password = temporary
    end_sessions(user)
    revoked = revoke_all_tokens(session=session, user=user, commit=False)
    session.add(user)
    session.commit()
    return revoked


def change_password(
    *,
    session: Session,
    settings: Settings,
    user: User,
    address: str,
    current: str,
    new: str,
    confirm: str,
) -> int:
    """The owner changes their password: the current one is checked under the login
    throttle (a stolen session cannot guess it freely)."""
    if new != confirm:
        raise UserError("The new password and its confirmation differ.", field="confirm_password")
    check_password(new, email=user.email, field="new_password")
    if new == current:
        raise UserError("Choose a password different from the current one.", field="new_password")
    reserve_login(session=session, settings=settings, email=user.email, address=address)
    if not verify_password(current, user.password_hash):
        raise UserError("Your current password is not right.", field="current_password")
    login_succeeded(session=session, settings=settings, email=user.email, address=address)
    return set_password(session=session, user=user, password=new)


def rename(*, session: Session, user: User, name: str) -> User:
    user.name = check_name(name)
    session.add(user)
    session.commit()
    return user


_TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def new_temporary_password() -> str:
    """Four groups of four readable characters (no look-alikes), e.g. ``k7mq-2xhp-...``."""
    groups = ("".join(secrets.choice(_TEMPORARY_ALPHABET) for _ in range(4)) for _ in range(4))
    return "-".join(groups)


def issue_temporary_password(*, session: Session, user: User) -> str:
    """An admin resets someone's password: a random one, shown once, to change at login."""
    password = new_temporary_password()
    set_password(session=session, user=user, password=password, temporary=True)
    return password


def _active_admins(session: Session) -> int:
    query = select(func.count()).select_from(User)
    return int(session.exec(query.where(User.role == Role.admin, col(User.is_active))).one())


def deactivate(*, session: Session, user: User, by: User | None = None) -> None:
    """Switch an account off: its sessions and tokens stop working at once."""
    if by is not None and by.id == user.id:
        raise Conflict("You cannot deactivate your own account.", field="user_id")
    if user.role is Role.admin and user.is_active and _active_admins(session) <= 1:
        raise Conflict("This is the last active admin: make another admin first.", field="user_id")
    user.is_active = False
    end_sessions(user)
    revoke_all_tokens(session=session, user=user, commit=False)
    session.add(user)
    session.commit()


def reactivate(*, session: Session, user: User) -> None:
    """Switch an account back on (its old sessions and tokens stay ended)."""
    user.is_active = True
    session.add(user)
    session.commit()
