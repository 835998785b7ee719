"""Users, their credentials and their login history."""

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


class UserCreate(SQLModel):
    email: str = Field(max_length=254)
    name: str = Field(min_length=1, max_length=120)
    password: str
    role: Role = Role.learner


class UserPublic(UserBase):
    id: int


class ApiToken(SQLModel, table=True):
    """A bearer token for the JSON API. Only its SHA-256 is stored."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(index=True, unique=True, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime


class LoginAttempt(SQLModel, table=True):
    """Failed and successful logins, kept in the database so every worker sees them."""

    __tablename__ = "login_attempt"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(index=True, max_length=254)
    address: str = Field(index=True, max_length=64)
    succeeded: bool
    at: datetime = Field(default_factory=utcnow, index=True)
