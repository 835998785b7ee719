"""A counselor reads a live call's transcript with the grade's evidence marked, and
comments on one turn of it; the learner reads the comment beside that turn."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from leadworks.accounts.models import User
from leadworks.feedback.models import Comment
from leadworks.submissions.models import Submission
from leadworks.submissions.service import record_submission
from simulator.contexts import call_input
from simulator.exercises import build_world, exercise_spec
from simulator.sandbox import Sandbox
from tests.conftest import login
from tests.simulator.test_live_calls import GATED, SEED, STRONG


@pytest.fixture
def call_submission(session: Session, learner: User) -> Submission:
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
    return submission


def _learner_turn(submission: Submission, n: int) -> int:
    """The index in ``turns`` of the learner's n-th turn (from 0)."""
    mine = [i for i, t in enumerate(submission.payload["turns"]) if t["speaker"] == "learner"]
    return mine[n]


def _comments(session: Session, submission: Submission) -> list[Comment]:
    session.expire_all()
    return list(session.exec(select(Comment).where(Comment.submission_id == submission.id)))


def test_the_transcript_is_shown_whole_with_the_evidence_marked(
    client: TestClient, call_submission: Submission, counselor: User
) -> None:
    login(client, counselor)
    html = client.get(f"/counsel/submissions/{call_submission.id}").text
    turns = call_submission.payload["turns"]
    buyer_line = next(t["text"] for t in turns if t["speaker"] == "buyer")
    assert buyer_line.replace("'", "&#39;") in html  # the buyer's side is there too
    assert re.search(r'<mark class="evidence" data-checks="[^"]*discovery[^"]*"', html)
    assert html.count("Comment on this turn") == len(turns)  # every turn can be commented


def test_a_counselor_comments_on_one_turn_and_the_learner_reads_it_beside_it(
    client: TestClient, session: Session, call_submission: Submission, learner, counselor
) -> None:
    turn = _learner_turn(call_submission, 4)
    token = login(client, counselor)
    url = f"/counsel/submissions/{call_submission.id}/comments"
    body = "Great open question: it earned the authority without sounding like a form."
    saved = client.post(url, data={"body": body, "turn": str(turn), "csrf_token": token})
    assert saved.status_code == 303 and saved.headers["location"].endswith(f"#turn-{turn}")
    [comment] = _comments(session, call_submission)
    assert comment.turn == turn and comment.body == body
    page = client.get(f"/counsel/submissions/{call_submission.id}").text
    block = page.split(f'id="turn-{turn}"', 1)[1].split('<div class="field"', 1)[0]
    assert "Great open question" in block  # shown under that turn, not another
    client.cookies.clear()
    login(client, learner)
    mine = client.get("/me/feedback").text
    said = call_submission.payload["turns"][turn]["text"].replace("'", "&#39;")
    assert f"On turn {turn} (you):" in mine and said in mine and "Great open question" in mine


@pytest.mark.parametrize(
    ("turn", "message"),
    [("999", "there is no turn 999"), ("-1", "greater than or equal to 0"), ("x", "integer")],
)
def test_a_turn_that_is_not_in_the_transcript_is_refused_and_nothing_is_saved(
    client: TestClient,
    session: Session,
    call_submission: Submission,
    counselor: User,
    turn: str,
    message: str,
) -> None:
    token = login(client, counselor)
    url = f"/counsel/submissions/{call_submission.id}/comments"
    refused = client.post(url, data={"body": "Hm.", "turn": turn, "csrf_token": token})
    assert 400 <= refused.status_code < 500
    assert message in refused.text and "turn" in refused.text
    assert _comments(session, call_submission) == []


ROLES = {  # who may comment on a turn of this learner's call (the counselor's cohort)
    "anon": 303,
    "learner": 403,
    "other_learner": 403,
    "counselor": 303,
    "other_counselor": 404,
    "admin": 303,
}


@pytest.mark.parametrize("role", sorted(ROLES))
def test_turn_comments_by_every_role(
    role: str, client: TestClient, session: Session, call_submission: Submission, request
) -> None:
    token = ""
    if role != "anon":
        token = login(client, request.getfixturevalue(role))
    else:
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)[1]
    turn = _learner_turn(call_submission, 0)
    response = client.post(
        f"/counsel/submissions/{call_submission.id}/comments",
        data={"body": "Name yourself first.", "turn": str(turn), "csrf_token": token},
    )
    assert response.status_code == ROLES[role], response.text[:300]
    saved = _comments(session, call_submission)
    assert len(saved) == (1 if ROLES[role] == 303 and role != "anon" else 0)


def test_the_api_comments_on_a_turn_and_names_a_bad_one(
    client: TestClient, session: Session, call_submission: Submission, learner, counselor
) -> None:
    from tests.conftest import bearer

    headers = bearer(client, counselor)
    url = f"/api/v1/learners/{learner.id}/comments"
    bad = client.post(
        url,
        json={"body": "Hm.", "submission_id": call_submission.id, "turn": 500},
        headers=headers,
    )
    assert bad.status_code == 400 and bad.json()["field"] == "turn"
    ok = client.post(
        url, json={"body": "Good.", "submission_id": call_submission.id, "turn": 2}, headers=headers
    )
    assert ok.status_code == 201 and ok.json()["turn"] == 2
    assert [c.turn for c in _comments(session, call_submission)] == [2]
