"""How long the career page's figures and a graded CV take for a learner with a long record:
20 handed-in runs of 2,000 events each (40,000 events) and 30 graded hand-ins. Prints
figures and peak RSS; asserts only that the answers are complete.

Runs only under `make bench` (LEADWORKS_BENCH=1).
"""

from __future__ import annotations

import os
import resource
import time

import pytest
from sqlalchemy import insert

from leadworks.career.facts import learner_figures
from leadworks.career.service import hand_in
from leadworks.practice.models import Run, RunEvent, RunStatus
from tests.integration.credentials_kit import graded_capstone

pytestmark = pytest.mark.skipif(
    os.environ.get("LEADWORKS_BENCH") != "1", reason="benchmark: set LEADWORKS_BENCH=1"
)
RUNS, EVENTS, HAND_INS = 20, 2_000, 30
KINDS = ("view_profile", "message_sent", "replied", "meeting_accepted", "delivered")


def test_figures_and_a_graded_cv_over_a_long_record(session, learner) -> None:
    for attempt in range(1, RUNS + 1):
        run = Run(user_id=learner.id, exercise_id="cold-email-dental", attempt=attempt,
                  seed="1", status=RunStatus.submitted)  # fmt: skip
        session.add(run)
        session.flush()
        rows = [
            {"run_id": run.id, "seq": i, "type": KINDS[i % len(KINDS)], "at": "",
             "actor": "learner", "data": {"contact_id": f"p{i // len(KINDS)}"}}
            for i in range(EVENTS)
        ]  # fmt: skip
        session.execute(insert(RunEvent), rows)
    for _ in range(HAND_INS):
        graded_capstone(session, learner)
    session.commit()

    started = time.perf_counter()
    figures = learner_figures(session, learner.id)
    figures_ms = 1000 * (time.perf_counter() - started)
    cv = {"summary": "Aspiring SDR.", "bullets": [{"text": "Booked 9 meetings in the sandbox"}]}
    started = time.perf_counter()
    hand_in(session=session, user=learner, kind="cv", payload=cv)
    hand_in_ms = 1000 * (time.perf_counter() - started)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\ncareer figures over {RUNS * EVENTS:,} events: {figures_ms:.0f} ms; "
        f"CV hand-in (figures + grade + store): {hand_in_ms:.0f} ms; peak RSS {peak:.0f} MB"
    )
    assert figures["runs_completed"] == RUNS and figures["meetings_booked"] == RUNS * 400
