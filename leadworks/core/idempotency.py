"""Idempotency keys as a request brings them: present, and not overlong.

Every request that changes something a retry must not repeat (a sandbox action or
hand-in, a drill hand-in) carries one; what a key is bound to and where its receipt is
kept is each caller's own (``practice.idempotency``, ``drills.service``).
"""

from __future__ import annotations

from leadworks.core.errors import UserError

MAX_KEY_LENGTH = 100


def check_idempotency_key(key: str | None, *, per: str = "action", twice: str = "applied") -> str:
    """The key, stripped; a missing or overlong one is refused before anything is read.

    ``per`` names what one key stands for and ``twice`` what a retry must not do again, in
    the message for a missing key ("any unique string per hand-in ... never handed in twice").
    """
    if not key or not key.strip():
        raise UserError(
            f"An Idempotency-Key (any unique string per {per}, e.g. a UUID) is required, so a "
            f"retried request is never {twice} twice.",
            field="idempotency_key",
        )
    if len(key) > MAX_KEY_LENGTH:
        raise UserError(
            f"The idempotency key is longer than {MAX_KEY_LENGTH} characters.",
            field="idempotency_key",
        )
    return key.strip()
