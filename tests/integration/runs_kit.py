"""A run committed for real, for tests where several connections act at once (as several
workers would): the usual per-test transaction is invisible to other connections."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, delete

from leadworks.accounts.models import Role, User
from leadworks.accounts.service import create_user
from leadworks.core.config import Settings
from leadworks.practice import service as svc
from leadworks.practice.live import LiveSandboxes
from leadworks.practice.models import ActionReceipt, Run, RunEvent
from leadworks.submissions.models import Submission
from tests.conftest import PASSWORD

EXERCISE = "cold-email-dental"


def worker_cache(settings: Settings) -> LiveSandboxes:
    """The memory of one worker (each worker has its own)."""
    return LiveSandboxes(settings.exercises_dir.resolve(), seed_secret=settings.secret_key)


@pytest.fixture
def committed_run(engine: Engine, settings: Settings) -> Iterator[tuple[User, int]]:
    """A learner and a run committed for real (other connections must see them)."""
    cache = worker_cache(settings)
    with Session(engine, expire_on_commit=False) as db:
        user = create_user(
            session=db, email=f"race-{secrets.token_hex(4)}@example.org", name="Racer",
            password=PASSWORD, role=Role.learner,
        )  # fmt: skip
        run = svc.start_run(session=db, user=user, exercise_id=EXERCISE, cache=cache)
        assert run.id is not None
        run_id = run.id
    yield user, run_id
    with Session(engine) as db:
        for model in (ActionReceipt, RunEvent):
            db.exec(delete(model).where(col(model.run_id) == run_id))  # type: ignore[call-overload]
        db.exec(delete(Submission).where(col(Submission.run_id) == run_id))  # type: ignore[call-overload]
        db.exec(delete(Run).where(col(Run.id) == run_id))  # type: ignore[call-overload]
        db.exec(delete(User).where(col(User.id) == user.id))  # type: ignore[call-overload]
        db.commit()
