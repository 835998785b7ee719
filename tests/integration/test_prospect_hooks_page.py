"""The prospect-list hand-in asks for research hooks for the top contacts (v2); they are
stored with the list and graded with the hooks check; the grade page names them in words."""

from __future__ import annotations

import re
import uuid

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from leadworks.accounts.models import User
from leadworks.practice.service import live_sandbox, start_run
from leadworks.submissions.models import GradeRecord, Submission
from tests.conftest import login


def test_hooks_are_asked_stored_and_graded(
    client: TestClient, session: Session, learner: User
) -> None:
    csrf = login(client, learner)
    cache = client.app.state.sandboxes
    run = start_run(session=session, user=learner, exercise_id="prospect-list-saas", cache=cache)
    base = f"/sandbox/runs/{run.id}"
    sandbox = live_sandbox(session=session, run=run, cache=cache)
    chosen = [c for c in sandbox.world.contacts if c.decision_maker and c.truth.fits_icp][:20]
    ids = [c.id for c in chosen]

    def post(path: str, data: dict) -> object:
        form = {"csrf_token": csrf, "idempotency_key": uuid.uuid4().hex} | data
        return client.post(base + path, data=form)

    for cid in ids:  # researched, as the work checks want
        client.get(f"{base}/prospects/{cid}")
    post("/lists/add", {"contact_ids": ids, "new_list": "SaaS"})
    page = client.get(base + "/hand-in").text
    for n in range(5):
        assert f'name="hook-contact-{n}"' in page and f'name="hook-text-{n}"' in page
    assert 'name="hook-contact-5"' not in page  # five asked, five rows
    top = chosen[0]
    fact = sandbox.world.company_of(top).facts[0]
    form = {
        "list": "SaaS",
        "confirm_incomplete": "yes",
        "hook-contact-0": top.id,
        "hook-text-0": f"{fact}, so their new SDRs will need to ramp to quota fast.",
        "hook-source-0": "their company news page",
        "hook-contact-1": ids[1],
        "hook-text-1": "Great company.",
    }
    handed = post("/hand-in", form)
    assert handed.status_code == 303, handed.text[:300]
    submission = session.exec(select(Submission).where(Submission.run_id == run.id)).one()
    assert [h["contact_id"] for h in submission.payload["hooks"]] == [top.id, ids[1]]
    assert submission.payload["hooks"][1]["source"] == ""
    record = session.exec(
        select(GradeRecord).where(GradeRecord.submission_id == submission.id)
    ).one()
    hooks = next(c for c in record.result["checks"] if c["id"] == "hooks")
    assert 0 < hooks["points"] < hooks["possible"], hooks
    visible = re.sub(r"<[^>]+>", " ", client.get(handed.headers["location"]).text)
    assert "Hook 2" in visible and "hooks[1]" not in visible
