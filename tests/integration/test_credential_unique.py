"""At most one active certificate per learner and achievement, held by the database itself
(a partial unique index over unrevoked, unrenewed rows), so two claims at once, from two
workers, yield one certificate. Runs on SQLite and on PostgreSQL
(LEADWORKS_TEST_DATABASE_URL)."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

from leadworks.accounts.models import Role, User
from leadworks.accounts.service import create_user
from leadworks.core.config import Settings
from leadworks.core.timeutil import utcnow
from leadworks.credentials import rule as rule_module
from leadworks.credentials import service
from leadworks.credentials.models import IssuedCredential
from leadworks.progress.models import LessonCompletion
from leadworks.submissions.models import GradeRecord, Submission
from tests.conftest import PASSWORD, project_content
from tests.integration.credentials_kit import BASE, CHECKABLE_RULE, meet_rule


@pytest.fixture
def rule(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setattr(settings, "credential_rule", CHECKABLE_RULE)
    return settings


def _row(user_id: int, **extra: Any) -> IssuedCredential:
    now = utcnow()
    return IssuedCredential(
        uuid=secrets.token_hex(18)[:36],
        user_id=user_id,
        issued_at=now,
        valid_until=now + timedelta(days=30),
        **extra,
    )


def test_the_database_refuses_a_second_active_certificate(session: Session, learner: User) -> None:
    assert learner.id is not None
    session.add(_row(learner.id))
    session.flush()
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(_row(learner.id))
        session.flush()


def test_revoked_and_renewed_certificates_leave_room_for_a_new_one(
    session: Session, learner: User, other_learner: User
) -> None:
    assert learner.id is not None and other_learner.id is not None
    session.add(_row(learner.id, revoked_at=utcnow(), revoke_reason="copied work"))
    session.add(_row(learner.id, renewed_at=utcnow()))
    session.add(_row(learner.id))  # the one active certificate
    session.add(_row(other_learner.id))  # someone else's is their own
    session.add(_row(learner.id, achievement="LW-OTHER"))  # another achievement
    session.flush()
    active = session.exec(
        select(IssuedCredential).where(
            IssuedCredential.user_id == learner.id,
            col(IssuedCredential.revoked_at).is_(None),
            col(IssuedCredential.renewed_at).is_(None),
        )
    ).all()
    assert sorted(r.achievement for r in active) == ["LW-LGP", "LW-OTHER"]


def test_an_expired_certificate_is_renewed_and_still_verifies_as_expired(
    session: Session, learner: User, rule: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = project_content().catalog
    meet_rule(session, learner)
    first = service.issue(session=session, user=learner, catalog=catalog, settings=rule, base=BASE)
    later = utcnow() + timedelta(days=rule.credential_valid_days + 1)
    monkeypatch.setattr(service, "utcnow", lambda: later)
    second = service.issue(session=session, user=learner, catalog=catalog, settings=rule, base=BASE)
    assert second.id != first.id
    session.refresh(first)
    assert first.renewed_at is not None and first.revoked_at is None
    verdict = service.verify_jwt(session=session, token=first.jwt, settings=rule)
    assert verdict.state == "expired"
    assert service.verify_jwt(session=session, token=second.jwt, settings=rule).state == "valid"
    assert service.live_credential(session=session, user_id=learner.id).id == second.id


# ---- two claims at once, each on its own connection (as two workers would) -------------------


@pytest.fixture
def committed_learner(engine: Engine, rule: Settings) -> Iterator[User]:
    """A learner who meets the rule, committed for real; removed with all they left."""
    with Session(engine, expire_on_commit=False) as db:
        user = create_user(
            session=db, email=f"claim-{secrets.token_hex(4)}@example.org", name="Claimer",
            password=PASSWORD, role=Role.learner,
        )  # fmt: skip
        meet_rule(db, user)
    yield user
    with Session(engine) as db:
        ids = select(Submission.id).where(Submission.user_id == user.id)
        db.exec(delete(GradeRecord).where(col(GradeRecord.submission_id).in_(ids)))  # type: ignore[call-overload]
        for model in (IssuedCredential, Submission, LessonCompletion):
            db.exec(delete(model).where(col(model.user_id) == user.id))  # type: ignore[call-overload]
        db.exec(delete(User).where(col(User.id) == user.id))  # type: ignore[call-overload]
        db.commit()


@pytest.fixture
def slow_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the rule check take a while, so that two claims overlap for sure."""
    real = rule_module.evaluate

    def slow(**kwargs: Any) -> rule_module.RuleResult:
        result = real(**kwargs)
        time.sleep(0.3)
        return result

    monkeypatch.setattr(service, "evaluate", slow)


@pytest.mark.parametrize("claims", [2, 4])
def test_claims_at_once_yield_one_certificate(
    engine: Engine, rule: Settings, committed_learner: User, slow_rule: None, claims: int
) -> None:
    catalog = project_content().catalog
    answers: list[Any] = []
    lock = threading.Lock()
    start = threading.Barrier(claims)

    def claim() -> None:
        with Session(engine, expire_on_commit=False) as db:
            user = db.get(User, committed_learner.id)
            start.wait()
            try:
                row = service.issue(
                    session=db, user=user, catalog=catalog, settings=rule, base=BASE
                )
                outcome: Any = row.uuid
            except Exception as error:  # noqa: BLE001 - the test reports whatever broke
                outcome = repr(error)
        with lock:
            answers.append(outcome)

    threads = [threading.Thread(target=claim) for _ in range(claims)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    with Session(engine) as db:
        rows = db.exec(
            select(IssuedCredential).where(IssuedCredential.user_id == committed_learner.id)
        ).all()
    assert len(rows) == 1, answers
    assert answers == [rows[0].uuid] * claims
    assert rows[0].jwt and rows[0].credential  # the one row is whole, not a half-written one
