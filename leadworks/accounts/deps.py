"""Who is calling: the session cookie for pages, a bearer token for the JSON API.

No `from __future__ import annotations` here: FastAPI must see the real Annotated
objects of the closures built by `_role_gate`, not strings it cannot resolve.
"""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from leadworks.accounts.models import Role, User
from leadworks.accounts.service import user_for_token
from leadworks.core.csrf import csrf_token
from leadworks.core.deps import SessionDep
from leadworks.core.errors import LoginRequired, PermissionDenied

TOKEN_URL = "/api/v1/auth/token"
_bearer = OAuth2PasswordBearer(tokenUrl=TOKEN_URL, auto_error=False)

SESSION_USER_KEY = "uid"


def start_session(request: Request, user_id: int) -> None:
    """Log ``user_id`` in on this browser (after a login or a registration)."""
    request.session.clear()  # a fresh session id on login: no session fixation
    request.session[SESSION_USER_KEY] = user_id
    csrf_token(request)


def optional_page_user(request: Request, session: SessionDep) -> User | None:
    """The logged-in user of a page request, or None; also shown to templates."""
    user_id = request.session.get(SESSION_USER_KEY)
    user = session.get(User, user_id) if isinstance(user_id, int) else None
    if user is not None and not user.is_active:
        user = None
    request.state.user = user
    return user


def page_user(user: Annotated[User | None, Depends(optional_page_user)]) -> User:
    if user is None:
        raise LoginRequired()
    return user


def api_user(
    request: Request, session: SessionDep, token: Annotated[str | None, Depends(_bearer)]
) -> User:
    if not token:
        raise LoginRequired("Send a bearer token from POST /api/v1/auth/token.")
    user = user_for_token(session=session, token=token)
    if user is None:
        raise LoginRequired("The bearer token is invalid or has expired; request a new one.")
    request.state.user = user
    return user


def _role_gate(source: Callable[..., User], roles: tuple[Role, ...]) -> Callable[[User], User]:
    allowed = ", ".join(role.value for role in roles)

    def gate(user: Annotated[User, Depends(source)]) -> User:
        if user.role not in roles:
            raise PermissionDenied(f"This page is for {allowed} accounts only.")
        return user

    return gate


def page_role(*roles: Role) -> Callable[[User], User]:
    """A page dependency that admits only the given roles (admins are always added)."""
    return _role_gate(page_user, tuple(dict.fromkeys((*roles, Role.admin))))


def api_role(*roles: Role) -> Callable[[User], User]:
    return _role_gate(api_user, tuple(dict.fromkeys((*roles, Role.admin))))


PageUser = Annotated[User, Depends(page_user)]
OptionalPageUser = Annotated[User | None, Depends(optional_page_user)]
ApiUser = Annotated[User, Depends(api_user)]
PageAdmin = Annotated[User, Depends(page_role(Role.admin))]
PageCounselor = Annotated[User, Depends(page_role(Role.counselor))]
PageLearner = Annotated[User, Depends(page_role(Role.learner))]
ApiAdmin = Annotated[User, Depends(api_role(Role.admin))]
