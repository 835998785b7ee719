"""Idempotency keys: every change to a run carries one, so that a retried request (a double
click, a client's retry after a timeout) is recognised by its receipt and applied once."""

from __future__ import annotations

from leadworks.core.errors import UserError

MAX_KEY_LENGTH = 100


def check_idempotency_key(key: str | None) -> str:
    """The key, stripped; a missing or overlong one is refused before anything is read."""
    if not key or not key.strip():
        raise UserError(
            "An Idempotency-Key (any unique string per action, e.g. a UUID) is required, so a "
            "retried request is never applied twice.",
            field="idempotency_key",
        )
    if len(key) > MAX_KEY_LENGTH:
        raise UserError(
            f"The idempotency key is longer than {MAX_KEY_LENGTH} characters.",
            field="idempotency_key",
        )
    return key.strip()
