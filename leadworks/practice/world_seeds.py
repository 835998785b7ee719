"""World seeds keyed with the server's secret, so nobody can work a world out.

A run's world is a pure function of (exercise, seed): whoever knows the seed can generate
the same world with ``leadworks market --seed N --truth`` and read every contact's hidden
truth (fit, budget, authority, need, interest). A seed derived from public inputs alone
(learner id, exercise, attempt) is as good as published, so the platform keys it with
``settings.secret_key`` (HMAC-SHA256). The seed is stored on the run (``run.seed``) and
read only on the server: replay, regrading and counselors use the stored value, so a
world never changes, even if the secret does. Learners never see it (``practice.hidden``).
"""

from __future__ import annotations

import hashlib
import hmac

SEED_LABEL = "leadworks-world-seed/1"


def world_seed(secret: str, user_id: int, exercise_id: str, attempt: int) -> int:
    """A 64-bit seed for one attempt: the same inputs and secret give the same world."""
    message = "\x1f".join((SEED_LABEL, str(user_id), exercise_id, str(attempt)))
    digest = hmac.new(secret.encode("utf-8"), message.encode("utf-8"), hashlib.sha256)
    return int.from_bytes(digest.digest()[:8], "big")
