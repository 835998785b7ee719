"""Login throttling: atomic across connections (so across workers), per (account, address)
pair and per address, and only a short, capped delay per account, so nobody who knows an
email address can lock its owner out."""

from __future__ import annotations

import secrets
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from leadworks.accounts import service as accounts_service
from leadworks.accounts import throttle
from leadworks.accounts.models import LoginThrottle, User
from leadworks.accounts.service import authenticate, create_user
from leadworks.core.config import Settings
from leadworks.core.errors import TooManyAttempts, UserError
from leadworks.core.timeutil import utcnow
from tests.conftest import PASSWORD


class Clock:
    """A frozen, movable ``utcnow`` for the throttle."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self):
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    frozen = Clock()
    monkeypatch.setattr(throttle, "utcnow", frozen)
    return frozen


def _try(session: Session, settings: Settings, email: str, password: str, address: str) -> str:
    """'ok', 'wrong' (the password was checked and refused) or 'throttled' (not checked)."""
    try:
        authenticate(
            session=session, email=email, password=password, address=address, settings=settings
        )
    except TooManyAttempts:
        return "throttled"
    except UserError:
        return "wrong"
    return "ok"


def test_a_pair_is_refused_after_its_limit_but_the_owner_elsewhere_is_not(
    session: Session, settings: Settings, learner: User, clock: Clock
) -> None:
    attacker, owner = "198.51.100.1", "203.0.113.9"
    results = [_try(session, settings, learner.email, "guess-guess", attacker) for _ in range(12)]
    assert results.count("wrong") == settings.login_max_failures_per_pair
    assert results[settings.login_max_failures_per_pair :] == ["throttled"] * 7
    assert _try(session, settings, learner.email, PASSWORD, attacker) == "throttled"
    assert _try(session, settings, learner.email, PASSWORD, owner) == "ok"
    clock.advance(settings.login_window_seconds)
    assert _try(session, settings, learner.email, PASSWORD, attacker) == "ok"


def test_many_addresses_only_slow_the_account_down_never_lock_it(
    session: Session, settings: Settings, learner: User, clock: Clock
) -> None:
    """A botnet guessing one account's password: the owner waits at most the capped delay."""
    free, cap = settings.login_max_failures_per_account, settings.login_max_delay_seconds
    waits = []
    for n in range(200):
        try:
            accounts_service.authenticate(
                session=session,
                email=learner.email,
                password="guess-guess",
                address=f"10.0.{n // 250}.{n % 250}",
                settings=settings,
            )
        except TooManyAttempts as refused:
            waits.append(refused.retry_after)
            clock.advance(refused.retry_after)
        except UserError:
            pass
    assert waits and max(waits) <= cap
    assert waits[:6] == [1, 2, 4, 8, 16, min(32, cap)]  # progressive, then capped
    owner = "203.0.113.9"
    try:
        authenticate(
            session=session,
            email=learner.email,
            password=PASSWORD,
            address=owner,
            settings=settings,
        )
    except TooManyAttempts as refused:
        assert refused.retry_after <= cap
        assert "wait" in refused.message and "seconds" in refused.message
        clock.advance(refused.retry_after)
    assert _try(session, settings, learner.email, PASSWORD, owner) == "ok"
    # ...and a success clears the account's delay at once.
    for n in range(free):
        assert _try(session, settings, learner.email, "guess-guess", f"10.9.9.{n}") == "wrong"
    assert _try(session, settings, learner.email, PASSWORD, owner) == "ok"


def test_an_address_guessing_many_accounts_is_refused(
    session: Session, settings: Settings, clock: Clock
) -> None:
    address = "192.0.2.55"
    results = [
        _try(session, settings, f"nobody{n}@example.org", "guess-guess", address)
        for n in range(settings.login_max_failures_per_address + 3)
    ]
    assert results.count("wrong") == settings.login_max_failures_per_address
    assert results[-3:] == ["throttled"] * 3


def test_successful_logins_do_not_use_up_the_address(
    session: Session, settings: Settings, learner: User, clock: Clock
) -> None:
    """A classroom behind one address: everyone's successful logins count for nothing."""
    for _ in range(settings.login_max_failures_per_address * 2):
        assert _try(session, settings, learner.email, PASSWORD, "192.0.2.77") == "ok"


def test_refusals_are_the_same_for_unknown_emails(
    session: Session, settings: Settings, learner: User, clock: Clock
) -> None:
    """Throttling says nothing about which emails have accounts."""
    unknown = f"ghost-{secrets.token_hex(3)}@example.org"
    messages = []
    for email in (learner.email, unknown):
        for _ in range(settings.login_max_failures_per_pair):
            _try(session, settings, email, "guess-guess", "192.0.2.88")
        with pytest.raises(TooManyAttempts) as refused:
            authenticate(
                session=session, email=email, password="x", address="192.0.2.88", settings=settings
            )
        messages.append((refused.value.message, refused.value.retry_after))
    assert messages[0] == messages[1]


# ---- concurrency: separate connections, as separate workers would have ---------------------


@pytest.fixture
def committed_user(engine: Engine) -> Iterator[User]:
    """A user committed for real (other connections must see it), removed afterwards."""
    email = f"target-{secrets.token_hex(4)}@example.org"
    with Session(engine, expire_on_commit=False) as db:
        user = create_user(session=db, email=email, name="Target", password=PASSWORD)
    yield user
    with Session(engine) as db:
        db.exec(delete(LoginThrottle).where(col(LoginThrottle.key).contains(email)))  # type: ignore[call-overload]
        db.exec(delete(User).where(col(User.id) == user.id))  # type: ignore[call-overload]
        db.commit()


def _storm(engine: Engine, settings: Settings, email: str, addresses: list[str]) -> Counter[str]:
    """One thread per address, all released at once, each on its own connection."""
    results: Counter[str] = Counter()
    lock = threading.Lock()
    start = threading.Barrier(len(addresses))

    def attempt(address: str) -> None:
        with Session(engine, expire_on_commit=False) as db:
            start.wait()
            outcome = _try(db, settings, email, "guess-guess", address)
        with lock:
            results[outcome] += 1

    threads = [threading.Thread(target=attempt, args=(a,)) for a in addresses]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.fixture
def slow_password_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the password check take a while, so concurrent attempts overlap for sure."""
    real = accounts_service.verify_password

    def slow(password: str, hashed: str) -> bool:
        time.sleep(0.05)
        return real(password, hashed)

    monkeypatch.setattr(accounts_service, "verify_password", slow)


def test_thirty_concurrent_wrong_passwords_from_one_address_check_at_most_the_limit(
    engine: Engine, settings: Settings, committed_user: User, slow_password_checks: None
) -> None:
    results = _storm(engine, settings, committed_user.email, ["198.51.100.30"] * 30)
    assert sum(results.values()) == 30
    assert results["wrong"] == settings.login_max_failures_per_pair, results
    assert results["throttled"] == 30 - settings.login_max_failures_per_pair


def test_thirty_concurrent_wrong_passwords_from_thirty_addresses_hit_the_account_delay(
    engine: Engine,
    settings: Settings,
    committed_user: User,
    slow_password_checks: None,
    clock: Clock,
) -> None:
    """With time frozen, the account lets its free failures through, then one more that
    starts the delay; every other concurrent attempt waits."""
    addresses = [f"198.51.101.{n}" for n in range(30)]
    results = _storm(engine, settings, committed_user.email, addresses)
    assert results["wrong"] == settings.login_max_failures_per_account + 1, results
    assert results["throttled"] == 30 - results["wrong"]
