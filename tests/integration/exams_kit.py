"""Test helpers for exams: an attempt made the way the platform makes it (the service)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from leadworks.accounts.models import User
from leadworks.core.config import Settings
from leadworks.exams.service import start_attempt
from tests.conftest import project_content


def exam_placeholders(session: Session, *, learner: User, settings: Settings) -> dict[str, Any]:
    """{attempt_id}: the learner's open final-exam attempt."""
    attempt, _ = start_attempt(
        session=session,
        user=learner,
        catalog=project_content().catalog,
        secret=settings.secret_key,
        exam_id="final",
    )
    return {"attempt_id": attempt.id}
