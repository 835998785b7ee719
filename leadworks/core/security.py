"""Passwords, random tokens and CSRF: the small set of primitives every route relies on."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

_hasher = PasswordHash((Argon2Hasher(),))

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 128
_COMMON_PASSWORDS = frozenset(
    {
        "password", "password1", "password123", "1234567890", "123456789", "12345678",
        "qwertyuiop", "qwerty1234", "iloveyou12", "letmein123", "welcome123", "admin12345",
        "abc1234567", "passw0rd12", "leadworks1", "football12", "baseball12", "trustno1234",
    }
)  # fmt: skip


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return _hasher.verify(password, password_hash)
    except Exception:  # noqa: BLE001 - a corrupt hash is simply not a match
        return False


# A fixed hash to verify against when the account does not exist, so that a login for an
# unknown email costs as much time as one for a known email (no user enumeration by timing).
DUMMY_HASH = hash_password("not-a-real-password-for-timing-only")


def password_problem(password: str, *, email: str = "") -> str | None:
    """Why a password is too weak, in words a person can act on; None when it is fine."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Password is too short: use at least {MIN_PASSWORD_LENGTH} characters."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Password is too long: use at most {MAX_PASSWORD_LENGTH} characters."
    if len(set(password)) < 4:
        return "Password repeats too few characters: mix at least four different ones."
    if password.lower() in _COMMON_PASSWORDS:
        return "Password is one of the most common passwords: choose something less guessable."
    local = email.split("@", 1)[0].lower()
    if len(local) >= 4 and local in password.lower():
        return "Password contains your email name: choose something others cannot guess."
    return None


def new_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def token_digest(token: str) -> str:
    """What we store for a bearer token: its SHA-256, so a database leak leaks no tokens."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_invite_code() -> str:
    """Eight characters from an alphabet with no look-alikes (no 0/O, 1/I/L)."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


def tokens_match(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison; any text may be given (``compare_digest`` refuses
    non-ASCII str, so both sides are compared as bytes)."""
    if not expected or not given:
        return False
    return hmac.compare_digest(_bytes(str(expected)), _bytes(str(given)))


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")
