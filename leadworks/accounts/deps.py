"""Who is calling: the session cookie for pages, a bearer token for the JSON API.

No `from __future__ import annotations` here: FastAPI must see the real Annotated
objects of the closures built by `_role_gate`, not strings it cannot resolve.
"""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from leadworks.accounts.models import ApiToken, Role, User
from leadworks.accounts.tokens import token_for
from leadworks.core.csrf import csrf_token
from leadworks.core.deps import SessionDep, open_session
from leadworks.core.errors import LoginRequired, PasswordChangeRequired, PermissionDenied

TOKEN_URL = "/api/v1/auth/token"
_bearer = OAuth2PasswordBearer(tokenUrl=TOKEN_URL, auto_error=False)

SESSION_USER_KEY = "uid"
SESSION_VERSION_KEY = "ver"
# The pages a user with an admin-chosen password may still open: choose a new one, or leave.
PASSWORD_CHANGE_ROUTES = frozenset({"account_password_form", "account_password", "logout"})


def start_session(request: Request, user: User) -> None:
    """Log ``user`` in on this browser (after a login, a sign-up or a password change)."""
    request.session.clear()  # a fresh session on login: no session fixation
    request.session[SESSION_USER_KEY] = user.id
    request.session[SESSION_VERSION_KEY] = user.session_version
    csrf_token(request)


def session_user(request: Request, session: SessionDep) -> User | None:
    """The user this browser's cookie logs in: only while the account is active and the
    cookie was issued under the user's current session version (logout, a new password
    and deactivation bump it, so a copied cookie dies with them)."""
    user_id = request.session.get(SESSION_USER_KEY)
    user = session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None:
        return None
    stale = request.session.get(SESSION_VERSION_KEY) != user.session_version
    if stale or not user.is_active:
        request.session.pop(SESSION_USER_KEY, None)
        request.session.pop(SESSION_VERSION_KEY, None)
        return None
    return user


def optional_page_user(request: Request, session: SessionDep) -> User | None:
    """The logged-in user of a page request, or None; also shown to templates. A user who
    must replace an admin-chosen password is sent to do that first."""
    user = session_user(request, session)
    request.state.user = user
    if user is not None and user.must_change_password:
        route = request.scope.get("route")
        if getattr(route, "name", None) not in PASSWORD_CHANGE_ROUTES:
            raise PasswordChangeRequired(request.app.url_path_for("account_password_form"))
    return user


def user_for_error_page(request: Request) -> User | None:
    """The signed-in user for an error page whose route never identified them (an unknown
    address, a refused CSRF token), so the page keeps the signed-in header."""
    if "session" not in request.scope or not request.session.get(SESSION_USER_KEY):
        return None
    with open_session(request) as session:
        return session_user(request, session)


def page_user(user: Annotated[User | None, Depends(optional_page_user)]) -> User:
    if user is None:
        raise LoginRequired()
    return user


def api_token(
    request: Request, session: SessionDep, token: Annotated[str | None, Depends(_bearer)]
) -> tuple[User, ApiToken]:
    """The caller of an API request and the token they used."""
    if not token:
        raise LoginRequired("Send a bearer token from POST /api/v1/auth/token.")
    found = token_for(session=session, token=token)
    if found is None:
        raise LoginRequired(
            "The bearer token is invalid or has expired (or was revoked); request a new one."
        )
    request.state.user = found[0]
    return found


def api_user(found: Annotated[tuple[User, ApiToken], Depends(api_token)]) -> User:
    return found[0]


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
ApiCaller = Annotated[tuple[User, ApiToken], Depends(api_token)]
PageAdmin = Annotated[User, Depends(page_role(Role.admin))]
PageCounselor = Annotated[User, Depends(page_role(Role.counselor))]
PageLearner = Annotated[User, Depends(page_role(Role.learner))]
ApiAdmin = Annotated[User, Depends(api_role(Role.admin))]
