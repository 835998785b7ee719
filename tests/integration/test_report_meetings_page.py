"""The salons report builder asks for the meeting figures (report v2) and the grade names
them in words; the figures are checked against the ones recomputed from the run's log."""

from __future__ import annotations

import re
import uuid

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from leadworks.accounts.models import User
from leadworks.practice.service import live_sandbox, start_run
from leadworks.submissions.models import GradeRecord, Submission
from simulator.metrics import meeting_figures
from tests.conftest import login

FIELDS = ("meetings_booked", "meetings_held", "show_rate", "meeting_to_opportunity_rate",
          "pipeline_value")  # fmt: skip


def _blank(value: object) -> str:
    return "" if value is None else str(value)


def test_the_salons_report_asks_for_meeting_figures_and_grades_them(
    client: TestClient, session: Session, learner: User
) -> None:
    csrf = login(client, learner)
    cache = client.app.state.sandboxes
    run = start_run(session=session, user=learner, exercise_id="pipeline-report-salons",
                    cache=cache)  # fmt: skip
    base = f"/sandbox/runs/{run.id}"
    builder = client.get(base + "/hand-in").text
    for field in FIELDS:  # asked for, never pre-filled
        assert re.search(rf'name="meet-{field}" inputmode="\w+" value=""', builder), field
    assert "Show rate" in builder and "Pipeline value" in builder
    true = meeting_figures(live_sandbox(session=session, run=run, cache=cache))
    form = {f"meet-{f}": _blank(true[f]) for f in FIELDS}
    shown = true["show_rate"]
    form["meet-show_rate"] = "50" if shown is None or abs(shown - 50) > 5 else "90"  # a slip
    form |= {"analysis": "The biggest drop-off is from lead to MQL.", "csrf_token": csrf,
             "idempotency_key": uuid.uuid4().hex, "confirm_incomplete": "yes"}  # fmt: skip
    handed = client.post(base + "/hand-in", data=form)
    assert handed.status_code == 303, handed.text[:400]
    submission = session.exec(select(Submission).where(Submission.run_id == run.id)).one()
    record = session.exec(
        select(GradeRecord).where(GradeRecord.submission_id == submission.id)
    ).one()
    meetings = next(c for c in record.result["checks"] if c["id"] == "meetings")
    assert 0 < meetings["points"] < meetings["possible"]
    page = client.get(handed.headers["location"]).text
    visible = re.sub(r"<[^>]+>", " ", page)
    assert "Show rate" in visible and "figures.meetings" not in visible
