"""API bearer tokens: issued at login, listed and revoked by their owner or an admin.

Only a token's SHA-256 is stored, so the token itself is shown once, when it is issued.
A token works while it is unexpired and its owner is active; revoking deletes it.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, delete, func, select

from leadworks.accounts.models import ApiToken, ApiTokenPublic, User
from leadworks.core.config import Settings
from leadworks.core.errors import NotFound
from leadworks.core.security import new_token, token_digest
from leadworks.core.timeutil import utcnow

HINT_LENGTH = 6


def issue_api_token(*, session: Session, user: User, settings: Settings) -> str:
    """A new bearer token (expired ones of this user are cleared on the way)."""
    assert user.id is not None
    token = new_token()
    now = utcnow()
    expired = col(ApiToken.user_id) == user.id, col(ApiToken.expires_at) < now
    session.exec(delete(ApiToken).where(*expired))  # type: ignore[call-overload]
    session.add(
        ApiToken(
            user_id=user.id,
            token_hash=token_digest(token),
            hint=token[:HINT_LENGTH],
            expires_at=now + timedelta(seconds=settings.api_token_max_age_seconds),
        )
    )
    session.commit()
    return token


def token_for(*, session: Session, token: str) -> tuple[User, ApiToken] | None:
    """The active user a live bearer token belongs to, and the token's row; or None."""
    query = select(User, ApiToken).join(ApiToken, col(ApiToken.user_id) == col(User.id))
    row = session.exec(query.where(ApiToken.token_hash == token_digest(token))).first()
    if row is None:
        return None
    user, api_token = row
    if api_token.expires_at < utcnow() or not user.is_active:
        return None
    return user, api_token


def user_for_token(*, session: Session, token: str) -> User | None:
    found = token_for(session=session, token=token)
    return found[0] if found else None


def live_tokens(
    *, session: Session, user: User, current_id: int | None = None
) -> list[ApiTokenPublic]:
    """The user's unexpired tokens, newest first; ``current_id`` marks the one in use."""
    query = select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.expires_at > utcnow())
    rows = session.exec(query.order_by(col(ApiToken.id).desc())).all()
    return [
        ApiTokenPublic.model_validate(
            row, from_attributes=True, update={"current": row.id == current_id}
        )
        for row in rows
    ]


def revoke_token(*, session: Session, user: User, token_id: int) -> None:
    """Delete one of ``user``'s tokens; someone else's token is simply not found."""
    api_token = session.get(ApiToken, token_id)
    if api_token is None or api_token.user_id != user.id:
        raise NotFound("No such token.")
    session.delete(api_token)
    session.commit()


def revoke_all_tokens(*, session: Session, user: User, commit: bool = True) -> int:
    """Delete every token of ``user`` (a new password, deactivation); returns how many."""
    count = len(session.exec(select(ApiToken.id).where(ApiToken.user_id == user.id)).all())
    session.exec(delete(ApiToken).where(col(ApiToken.user_id) == user.id))  # type: ignore[call-overload]
    if commit:
        session.commit()
    return count


def live_token_counts(*, session: Session) -> dict[int, int]:
    """How many live tokens each user holds (users without any are left out)."""
    query = (
        select(ApiToken.user_id, func.count())
        .where(ApiToken.expires_at > utcnow())
        .group_by(col(ApiToken.user_id))
    )
    return {user_id: int(count) for user_id, count in session.exec(query).all()}
