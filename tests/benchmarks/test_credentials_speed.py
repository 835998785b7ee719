"""How fast certificates are signed and verified, and how long a cohort's job-readiness
page takes for 100 learners who each meet the rule (every lesson done, a graded
capstone). Prints figures and peak RSS; asserts only that the answers are complete.

Runs only under `make bench` (LEADWORKS_BENCH=1).
"""

from __future__ import annotations

import os
import resource
import statistics
import time

import pytest
from sqlalchemy import insert

from leadworks.cohorts.service import enroll
from leadworks.credentials import badge, service
from leadworks.credentials.keys import signing_key
from leadworks.credentials.rule import evaluate_many
from leadworks.progress.models import LessonCompletion
from tests.conftest import login, project_content
from tests.integration.credentials_kit import BASE, CHECKABLE_RULE, graded_capstone

pytestmark = pytest.mark.skipif(
    os.environ.get("LEADWORKS_BENCH") != "1", reason="benchmark: set LEADWORKS_BENCH=1"
)
LEARNERS = 100


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_signing_verifying_and_the_readiness_page(
    client, session, cohort, counselor, make_user, settings, monkeypatch
) -> None:
    monkeypatch.setattr(settings, "credential_rule", CHECKABLE_RULE)
    catalog = project_content().catalog
    lessons = [lesson.id for lesson in catalog.lessons()]
    learners = []
    for _ in range(LEARNERS):
        learner = make_user()
        enroll(session=session, cohort=cohort, learner=learner)
        session.execute(
            insert(LessonCompletion),
            [{"user_id": learner.id, "lesson_id": lesson} for lesson in lessons],
        )
        graded_capstone(session, learner)
        learners.append(learner)
    session.commit()

    started = time.perf_counter()
    issued = [
        service.issue(session=session, user=u, catalog=catalog, settings=settings, base=BASE)
        for u in learners
    ]
    issue_ms = (time.perf_counter() - started) * 1000 / LEARNERS

    key = signing_key(settings)
    started = time.perf_counter()
    for row in issued:
        badge.verified_payload(row.jwt, key)
    verify_ms = (time.perf_counter() - started) * 1000 / LEARNERS

    started = time.perf_counter()
    verdicts = [
        service.verify_pasted(session=session, text=row.jwt, settings=settings) for row in issued
    ]
    page_verify_ms = (time.perf_counter() - started) * 1000 / LEARNERS
    assert all(v.state == "valid" for v in verdicts)

    started = time.perf_counter()
    rules = evaluate_many(
        session=session, user_ids=[u.id for u in learners], catalog=catalog, settings=settings
    )
    rule_ms = (time.perf_counter() - started) * 1000
    assert all(r.met for r in rules.values())

    login(client, counselor)
    times = []
    for _ in range(5):
        started = time.perf_counter()
        page = client.get(f"/counsel/cohorts/{cohort.id}/readiness")
        times.append((time.perf_counter() - started) * 1000)
        assert page.status_code == 200
    assert f"{LEARNERS} of {LEARNERS} learners meet" in page.text
    print(
        f"\ncredentials: issue (rule + sign + store) {issue_ms:.2f} ms each; "
        f"signature check {verify_ms:.3f} ms; full verification {page_verify_ms:.2f} ms; "
        f"rule for {LEARNERS} learners {rule_ms:.0f} ms; readiness page for {LEARNERS} learners median {statistics.median(times):.0f} ms "
        f"(min {min(times):.0f}); peak RSS {_peak_mb():.0f} MB"
    )
