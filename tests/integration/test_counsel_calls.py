"""A counselor reads a live call's transcript with the grade's evidence marked."""

from __future__ import annotations

import re

from sqlmodel import Session

from leadworks.submissions.service import record_submission
from simulator.contexts import call_input
from simulator.exercises import build_world, exercise_spec
from simulator.sandbox import Sandbox
from tests.conftest import login
from tests.simulator.test_live_calls import GATED, SEED, STRONG


def test_the_transcript_is_shown_whole_with_the_evidence_marked(
    client, session: Session, learner, counselor
) -> None:
    spec = exercise_spec("cold-email-dental")
    sandbox = Sandbox(build_world(spec, SEED), spec)
    sandbox.advance_clock(hours=3)
    sandbox.start_conversation(GATED)
    for text in STRONG:
        sandbox.say(text)
    sandbox.end_conversation()
    payload, context = call_input(sandbox, GATED)
    submission, _ = record_submission(
        session=session,
        user=learner,
        exercise_id="cold-call-gatekeeper",
        kind="call",
        payload=payload,
        context=context,
        run_id=None,
    )
    login(client, counselor)
    html = client.get(f"/counsel/submissions/{submission.id}").text
    buyer_line = next(t["text"] for t in payload["turns"] if t["speaker"] == "buyer")
    assert buyer_line.replace("'", "&#39;") in html  # the buyer's side is there too
    assert re.search(r'<mark class="evidence" data-checks="[^"]*discovery[^"]*"', html)
