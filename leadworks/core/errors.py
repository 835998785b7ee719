"""Errors a service raises for a person to read; views turn them into 4xx answers.

Services never raise HTTPException: they are called from pages, the JSON API and the CLI
alike, and each of those shows the same message its own way.
"""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a refused action: the message is safe and meant for the person."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(UserError):
    status_code = 404


class Conflict(UserError):
    status_code = 409


class PermissionDenied(UserError):
    status_code = 403


class TooManyAttempts(UserError):
    status_code = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class LoginRequired(Exception):
    """No valid session or token: pages redirect to the login form, the API answers 401."""

    def __init__(self, message: str = "Please log in to continue.") -> None:
        super().__init__(message)
        self.message = message


class PasswordChangeRequired(Exception):
    """The user's password was chosen by an admin: pages redirect to ``location`` to choose
    their own, the API answers 403 until they have."""

    message = "Choose a new password first: yours was set by an administrator."

    def __init__(self, location: str) -> None:
        super().__init__(self.message)
        self.location = location
