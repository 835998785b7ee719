"""Counting attempts across every worker: logins, and the emails people can make us send.

Each counter is a row of ``login_throttle``, read and changed under a row lock
(``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite serialises writers with
``BEGIN IMMEDIATE``), and an attempt is *reserved* before the password is checked: so
thirty wrong passwords sent at once are never more than the limit checked, whichever
workers they land on.

Logins follow OWASP's advice. Failures are counted per (account, address) pair and per
address; either, once over its limit, refuses for the rest of the window. Per account,
from any address, there is only a short progressive delay (1, 2, 4 ... seconds, capped),
so someone who knows an email address can slow its owner down a little but never lock
them out. A successful login clears the pair and the account and gives the address its
attempt back. Every key exists for any email typed, so no answer says whether an account
exists.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from leadworks.accounts.models import LoginThrottle
from leadworks.core.config import Settings
from leadworks.core.db import write_intent
from leadworks.core.errors import TooManyAttempts
from leadworks.core.timeutil import utcnow


@dataclass(frozen=True)
class Limit:
    """At most ``most`` reserved attempts on ``key`` per window; ``refusal`` says why not
    (``{wait}`` becomes "3 minutes" or "20 seconds")."""

    key: str
    most: int
    refusal: str


def _wait_words(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    return f"{math.ceil(seconds / 60)} minutes"


def _locked_row(session: Session, key: str, now: datetime, window: timedelta) -> LoginThrottle:
    """The counter for ``key``, created if missing, locked until the transaction ends, with
    an expired window started afresh."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(LoginThrottle).values(key=key, hits=0, window_started_at=now)
    session.exec(statement.on_conflict_do_nothing(index_elements=["key"]))  # type: ignore[call-overload]
    query = select(LoginThrottle).where(LoginThrottle.key == key).with_for_update()
    row = session.exec(query.execution_options(populate_existing=True)).one()
    if row.window_started_at + window <= now:
        row.hits, row.window_started_at, row.not_before = 0, now, None
    return row


def _refuse(session: Session, message: str, seconds: float) -> TooManyAttempts:
    session.rollback()  # a refused attempt counts for nothing and writes nothing
    wait = max(1, math.ceil(seconds))
    return TooManyAttempts(message.format(wait=_wait_words(wait)), retry_after=wait)


def reserve(*, session: Session, settings: Settings, limits: list[Limit]) -> None:
    """Count one attempt against every limit, or refuse (429) without counting it."""
    now = utcnow()
    window = timedelta(seconds=settings.login_window_seconds)
    with write_intent(session):
        rows = [(limit, _locked_row(session, limit.key, now, window)) for limit in limits]
        for limit, row in rows:
            if row.hits >= limit.most:
                left = (row.window_started_at + window - now).total_seconds()
                raise _refuse(session, limit.refusal, left)
        for _, row in rows:
            row.hits += 1
            session.add(row)
        session.commit()


# ---- logins -------------------------------------------------------------------------------


def _login_keys(email: str, address: str) -> tuple[str, str, str]:
    return f"addr:{address[:64]}", f"pair:{email[:254]} {address[:64]}", f"acct:{email[:254]}"


def reserve_login(*, session: Session, settings: Settings, email: str, address: str) -> None:
    """Let one login attempt through, or refuse it (429 with Retry-After)."""
    now = utcnow()
    window = timedelta(seconds=settings.login_window_seconds)
    addr_key, pair_key, account_key = _login_keys(email, address)
    with write_intent(session):
        # The same order in every transaction (address, pair, account): no deadlocks.
        addr = _locked_row(session, addr_key, now, window)
        pair = _locked_row(session, pair_key, now, window)
        account = _locked_row(session, account_key, now, window)
        for row, most, message in (
            (addr, settings.login_max_failures_per_address, "from your network address"),
            (pair, settings.login_max_failures_per_pair, "for this account from your address"),
        ):
            if row.hits >= most:
                left = (row.window_started_at + window - now).total_seconds()
                raise _refuse(
                    session, f"Too many failed logins {message}. Try again in {{wait}}.", left
                )
        if account.not_before is not None and account.not_before > now:
            left = (account.not_before - now).total_seconds()
            raise _refuse(
                session,
                "This account has had several failed logins: wait {wait} before trying again.",
                left,
            )
        addr.hits += 1
        pair.hits += 1
        account.hits += 1
        free = settings.login_max_failures_per_account
        if account.hits > free:
            delay = min(2 ** min(account.hits - free - 1, 20), settings.login_max_delay_seconds)
            account.not_before = now + timedelta(seconds=delay)
        session.add_all([addr, pair, account])
        session.commit()


def login_succeeded(*, session: Session, settings: Settings, email: str, address: str) -> None:
    """The password was right: forget this pair's and this account's failures, give the
    address its attempt back, and drop counters whose window has long passed."""
    now = utcnow()
    addr_key, pair_key, account_key = _login_keys(email, address)
    stale = now - timedelta(seconds=settings.login_window_seconds)
    with write_intent(session):
        key = col(LoginThrottle.key)
        session.exec(  # type: ignore[call-overload]
            update(LoginThrottle)
            .where(key == addr_key, col(LoginThrottle.hits) > 0)
            .values(hits=LoginThrottle.hits - 1)  # type: ignore[operator]
        )
        session.exec(delete(LoginThrottle).where(key.in_([pair_key, account_key])))  # type: ignore[call-overload]
        session.exec(  # type: ignore[call-overload]
            delete(LoginThrottle).where(
                col(LoginThrottle.window_started_at) < stale,
                or_(col(LoginThrottle.not_before).is_(None), col(LoginThrottle.not_before) < now),
            )
        )
        session.commit()


# ---- emails we send on request ------------------------------------------------------------


def reserve_mail(*, session: Session, settings: Settings, recipient: str, address: str) -> None:
    """Count one requested email (sign-up, password reset) per recipient and per address, so
    nobody can flood an inbox or use the platform to send mail in bulk."""
    reserve(
        session=session,
        settings=settings,
        limits=[
            Limit(
                f"mail-addr:{address[:64]}",
                settings.mail_max_per_address,
                "Too many emails were requested from your network address. Try again in {wait}.",
            ),
            Limit(
                f"mail-to:{recipient[:254]}",
                settings.mail_max_per_recipient,
                "Too many emails were sent to this address recently. Try again in {wait}.",
            ),
        ],
    )
