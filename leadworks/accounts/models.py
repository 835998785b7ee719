"""Users, their credentials, their API tokens, one-time account links and login throttles."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from leadworks.core.timeutil import utcnow


class Role(StrEnum):
    learner = "learner"
    counselor = "counselor"
    admin = "admin"


class UserBase(SQLModel):
    email: str = Field(index=True, unique=True, max_length=254)
    name: str = Field(max_length=120)
    role: Role = Field(default=Role.learner, max_length=16)


class User(UserBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    password_hash: str = Field(max_length=255)
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime | None = None
    # Every session cookie carries the version it was issued under; bumping it (logout,
    # a new password, deactivation) ends every session of this user on every device.
    session_version: int = 0
    # Set when an admin chose the password: the user must pick their own before anything else.
    must_change_password: bool = False


class UserCreate(SQLModel):
    email: str = Field(max_length=254)
    name: str = Field(min_length=1, max_length=120)
    password: str
    role: Role = Role.learner


class UserPublic(UserBase):
    id: int


class ApiToken(SQLModel, table=True):
    """A bearer token for the JSON API. Only its SHA-256 is stored, plus a short hint
    (its first characters) so the owner can tell their tokens apart."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(index=True, unique=True, max_length=64)
    hint: str = Field(default="", max_length=8)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime


class ApiTokenPublic(SQLModel):
    id: int
    hint: str
    created_at: datetime
    expires_at: datetime
    current: bool = False


class LinkPurpose(StrEnum):
    reset = "reset"  # forgot password: choose a new one
    signup = "signup"  # registration: confirm the email, then the account is created


class AccountLink(SQLModel, table=True):
    """A single-use, expiring link sent by email. Only the token's SHA-256 is stored.

    A sign-up link holds the pending registration (name, password hash, invite) so that
    the account exists only once its owner has shown they read that inbox.
    """

    __tablename__ = "account_link"

    id: int | None = Field(default=None, primary_key=True)
    purpose: LinkPurpose = Field(max_length=16)
    token_hash: str = Field(index=True, unique=True, max_length=64)
    email: str = Field(index=True, max_length=254)
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="CASCADE")
    name: str = Field(default="", max_length=120)
    password_hash: str = Field(default="", max_length=255)
    invite_id: int | None = Field(default=None, foreign_key="invite.id", ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None


class LoginThrottle(SQLModel, table=True):
    """One counter per throttled key ("pair:<email> <address>", "addr:<address>",
    "acct:<email>", "mail-to:<email>", ...), shared by every worker through the database
    and changed only under a row lock, so concurrent attempts cannot slip past the limit."""

    __tablename__ = "login_throttle"

    key: str = Field(primary_key=True, max_length=400)
    hits: int = 0
    window_started_at: datetime = Field(default_factory=utcnow, index=True)
    not_before: datetime | None = None
