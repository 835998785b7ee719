"""Comments, overrides (an append-only audit log) and regrade requests, from both sides."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from sqlmodel import Session, func, select

from leadworks.feedback.models import (
    AuditLogViolation,
    Comment,
    GradeOverride,
    RegradeRequest,
    RegradeStatus,
)
from leadworks.feedback.service import override_grade, request_regrade
from leadworks.submissions.models import GradeRecord
from leadworks.submissions.service import current_grade
from tests.conftest import login
from tests.integration.counsel_kit import MIDDLING, WEAK, hand_in


def _count(session: Session, model: type) -> int:
    return int(session.exec(select(func.count()).select_from(model)).one())


def _check(record: GradeRecord, check_id: str) -> dict:
    return next(c for c in record.result["checks"] if c["id"] == check_id)


# ---- comments -----------------------------------------------------------------------------


def test_comments_reach_the_learner(client, session, learner, counselor) -> None:
    submission, _ = hand_in(session, learner, WEAK)
    token = login(client, counselor)
    on_learner = client.post(
        f"/counsel/learners/{learner.id}/comments",
        data={"body": "Let us meet on Friday.", "csrf_token": token},
    )
    on_attempt = client.post(
        f"/counsel/submissions/{submission.id}/comments",
        data={"body": "Replace [Name] before sending.", "csrf_token": token},
    )
    assert on_learner.status_code == on_attempt.status_code == 303
    comments = session.exec(select(Comment).order_by(Comment.id)).all()
    assert [(c.submission_id, c.author_id) for c in comments] == [
        (None, counselor.id),
        (submission.id, counselor.id),
    ]

    client.post("/logout", data={"csrf_token": token})
    login(client, learner)
    page = client.get("/me/feedback").text
    assert "Let us meet on Friday." in page
    assert "Replace [Name] before sending." in page and "Carmen Counselor" in page


@pytest.mark.parametrize("body", ["", "   ", "x" * 4001])
def test_a_bad_comment_is_refused_and_nothing_is_written(
    client, session, learner, counselor, body
) -> None:
    submission, _ = hand_in(session, learner, WEAK)
    token = login(client, counselor)
    for url in (
        f"/counsel/learners/{learner.id}/comments",
        f"/counsel/submissions/{submission.id}/comments",
    ):
        response = client.post(url, data={"body": body, "csrf_token": token})
        assert response.status_code == 400
        assert "A comment is" in response.text
    assert _count(session, Comment) == 0


def test_forms_without_the_csrf_token_are_refused(client, session, learner, counselor) -> None:
    submission, _ = hand_in(session, learner, WEAK)
    login(client, counselor)
    response = client.post(
        f"/counsel/submissions/{submission.id}/override",
        data={"check_id": "greeting", "points": "5", "reason": "Fine."},
    )
    assert response.status_code == 403
    assert _count(session, GradeOverride) == 0


# ---- overrides ----------------------------------------------------------------------------


def test_overriding_a_check_changes_the_score_and_tells_the_learner(
    client, session, learner, counselor
) -> None:
    submission, record = hand_in(session, learner, MIDDLING)
    before = record.final_score
    subject = _check(record, "compliance")
    assert subject["points"] < subject["possible"]
    token = login(client, counselor)
    response = client.post(
        f"/counsel/submissions/{submission.id}/override",
        data={
            "check_id": "compliance",
            "points": str(subject["possible"]),
            "reason": "The footer sits in the signature the sandbox adds.",
            "csrf_token": token,
        },
    )
    assert response.status_code == 303
    session.refresh(record)
    gained = subject["possible"] - subject["points"]
    assert record.final_score == pytest.approx(before + gained)
    assert record.score == pytest.approx(before)  # the grader's own score is kept
    assert _check(record, "compliance")["points"] == subject["points"]  # and its result too
    (override,) = session.exec(select(GradeOverride)).all()
    assert (override.check_id, override.counselor_id) == ("compliance", counselor.id)
    assert (override.points_before, override.points_after) == (
        subject["points"],
        subject["possible"],
    )
    assert (override.score_before, override.score_after) == (before, record.final_score)

    review = client.get(f"/counsel/submissions/{submission.id}").text
    assert "The footer sits in the signature the sandbox adds." in review

    client.post("/logout", data={"csrf_token": token})
    login(client, learner)
    page = client.get("/me/feedback").text
    assert f"{record.final_score:g} / 100" in page
    assert "changed by your counselor" in page
    assert "The footer sits in the signature the sandbox adds." in page


def test_whole_grade_and_check_overrides_add_up(session, learner, counselor) -> None:
    submission, record = hand_in(session, learner, WEAK)
    whole = override_grade(
        session=session,
        counselor=counselor,
        submission=submission,
        check_id=None,
        points=40,
        reason="Participation credit agreed with the cohort.",
    )
    assert (whole.points_before, whole.points_after) == (record.score, 40)
    greeting = override_grade(
        session=session,
        counselor=counselor,
        submission=submission,
        check_id="call_to_action",
        points=4,
        reason="The greeting was there, only the name was missing.",
    )
    assert (greeting.score_before, greeting.score_after) == (40, 44)
    again = override_grade(
        session=session,
        counselor=counselor,
        submission=submission,
        check_id="call_to_action",
        points=6,
        reason="On reflection, more.",
    )
    assert (again.points_before, again.points_after, again.score_after) == (4, 6, 46)
    assert current_grade(session=session, submission_id=submission.id).final_score == 46


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"check_id": "call_to_action", "points": "5", "reason": ""}, "A reason is required"),
        ({"check_id": "call_to_action", "points": "11", "reason": "x"}, "between 0 and 10"),
        ({"check_id": "call_to_action", "points": "-1", "reason": "x"}, "between 0 and 10"),
        ({"check_id": "call_to_action", "points": "lots", "reason": "x"}, "is not a number"),
        ({"check_id": "call_to_action", "points": "nan", "reason": "x"}, "finite number"),
        ({"check_id": "call_to_action", "points": "", "reason": "x"}, "as a number"),
        ({"check_id": "charm", "points": "5", "reason": "x"}, "no check"),
        ({"check_id": "call_to_action", "points": "0", "reason": "x"}, "already the score"),
        ({"points": "101", "reason": "x"}, "between 0 and 100"),
    ],
)
def test_a_bad_override_is_refused_and_nothing_changes(
    client, session, learner, counselor, form, message
) -> None:
    submission, record = hand_in(session, learner, WEAK)
    token = login(client, counselor)
    response = client.post(
        f"/counsel/submissions/{submission.id}/override", data=form | {"csrf_token": token}
    )
    assert response.status_code == 400
    assert message in response.text
    session.refresh(record)
    assert record.final_score == record.score
    assert _count(session, GradeOverride) == 0


def test_the_override_log_is_append_only(client, app: FastAPI, session, learner, counselor) -> None:
    submission, _ = hand_in(session, learner, WEAK)
    first = override_grade(
        session=session,
        counselor=counselor,
        submission=submission,
        check_id="call_to_action",
        points=5,
        reason="Half credit.",
    )
    snapshot = first.model_dump()
    request = request_regrade(
        session=session,
        learner=learner,
        submission_id=submission.id,
        check_id="call_to_action",
        message="More, please.",
    )
    token = login(client, counselor)
    client.post(
        f"/counsel/regrades/{request.id}/decision",
        data={"decision": "accept", "points": "8", "response": "Fair.", "csrf_token": token},
    )
    client.post(
        f"/counsel/submissions/{submission.id}/override",
        data={"points": "50", "reason": "Rounded up.", "csrf_token": token},
    )
    rows = session.exec(select(GradeOverride).order_by(GradeOverride.id)).all()
    assert len(rows) == 3
    session.refresh(rows[0])
    assert rows[0].model_dump() == snapshot  # earlier entries never change

    # No route could change or remove an entry ...
    for route in iter_route_contexts(app.routes):
        path = route.path
        if path.startswith(("/counsel", "/api/v1/submissions", "/api/v1/regrade")):
            assert not set(route.methods or ()) & {"PUT", "PATCH", "DELETE"}, path
    # ... and the ORM refuses to, should code ever try.
    rows[0].reason = "rewritten"
    with pytest.raises(AuditLogViolation):
        session.flush()
    session.rollback()
    session.delete(session.get(GradeOverride, rows[1].id))
    with pytest.raises(AuditLogViolation):
        session.flush()
    session.rollback()
    assert _count(session, GradeOverride) == 3


# ---- regrade requests ---------------------------------------------------------------------


def test_a_learner_disputes_a_check_and_the_counselor_accepts(
    client, session, learner, counselor, cohort
) -> None:
    submission, record = hand_in(session, learner, WEAK)
    token = login(client, learner)
    asked = client.post(
        f"/me/submissions/{submission.id}/regrade",
        data={
            "check_id": "relevance",
            "message": "I wrote about demos, which is what they need.",
            "next": "/me/feedback",
            "csrf_token": token,
        },
    )
    assert asked.status_code == 303 and asked.headers["location"] == "/me/feedback"
    (request,) = session.exec(select(RegradeRequest)).all()
    assert (request.check_id, request.status) == ("relevance", RegradeStatus.open)
    assert "waiting for your counselor" in client.get("/me/feedback").text

    client.post("/logout", data={"csrf_token": token})
    token = login(client, counselor)
    queue = client.get(f"/counsel/cohorts/{cohort.id}/regrades").text
    assert "I wrote about demos, which is what they need." in queue
    assert _check(record, "relevance")["verdict"][:30] in queue
    assert f"/counsel/regrades/{request.id}/decision" in queue
    assert f"/counsel/submissions/{submission.id}#check-relevance" in queue

    decided = client.post(
        f"/counsel/regrades/{request.id}/decision",
        data={
            "decision": "accept",
            "points": "4",
            "response": "Fair: the offer fits a practice.",
            "next": f"/counsel/cohorts/{cohort.id}/regrades",
            "csrf_token": token,
        },
    )
    assert decided.status_code == 303
    assert decided.headers["location"] == f"/counsel/cohorts/{cohort.id}/regrades"
    session.refresh(request)
    session.refresh(record)
    assert (request.status, request.new_points, request.decided_by_id) == (
        RegradeStatus.accepted,
        4,
        counselor.id,
    )
    (override,) = session.exec(select(GradeOverride)).all()
    assert (override.check_id, override.points_after) == ("relevance", 4)
    assert override.reason.startswith(f"Regrade request #{request.id} accepted")
    assert record.final_score == record.score + 4
    again = client.post(
        f"/counsel/regrades/{request.id}/decision",
        data={"decision": "decline", "response": "Changed my mind.", "csrf_token": token},
    )
    assert again.status_code == 409

    client.post("/logout", data={"csrf_token": token})
    login(client, learner)
    page = client.get("/me/feedback").text
    assert "accepted" in page and "Fair: the offer fits a practice." in page
    assert "(new points: 4)" in page


def test_a_declined_request_tells_the_learner_why(client, session, learner, counselor) -> None:
    submission, record = hand_in(session, learner, WEAK)
    request = request_regrade(
        session=session,
        learner=learner,
        submission_id=submission.id,
        check_id="spam",
        message="Those words are normal.",
    )
    token = login(client, counselor)
    missing = client.post(
        f"/counsel/regrades/{request.id}/decision",
        data={"decision": "decline", "response": "", "csrf_token": token},
    )
    assert missing.status_code == 400 and "A reason is required" in missing.text
    no_points = client.post(
        f"/counsel/regrades/{request.id}/decision",
        data={"decision": "accept", "response": "ok", "csrf_token": token},
    )
    assert no_points.status_code == 400
    session.refresh(request)
    assert request.status is RegradeStatus.open and _count(session, GradeOverride) == 0
    declined = client.post(
        f"/counsel/regrades/{request.id}/decision",
        data={
            "decision": "decline",
            "response": "Guarantee and risk-free trip spam filters.",
            "csrf_token": token,
        },
    )
    assert declined.status_code == 303
    assert "Regrade request declined;" in client.get(declined.headers["location"]).text
    session.refresh(request)
    session.refresh(record)
    assert request.status is RegradeStatus.declined and record.final_score == record.score

    client.post("/logout", data={"csrf_token": token})
    login(client, learner)
    page = client.get("/me/feedback").text
    assert "declined" in page and "Guarantee and risk-free trip spam filters." in page


@pytest.mark.parametrize(
    ("check_id", "message", "status", "text"),
    [
        ("charm", "Please.", 400, "Choose one of the checks"),
        ("spam", "", 400, "A message is required"),
        ("spam", "Again!", 409, "already asked"),
    ],
)
def test_bad_regrade_requests_are_refused(
    client, session, learner, check_id, message, status, text
) -> None:
    submission, _ = hand_in(session, learner, WEAK)
    request_regrade(
        session=session,
        learner=learner,
        submission_id=submission.id,
        check_id="spam",
        message="First time.",
    )
    token = login(client, learner)
    response = client.post(
        f"/me/submissions/{submission.id}/regrade",
        data={"check_id": check_id, "message": message, "csrf_token": token},
    )
    assert response.status_code == status
    assert text in response.text
    assert _count(session, RegradeRequest) == 1


def test_a_learner_cannot_dispute_someone_elses_attempt(
    client, session, learner, other_learner
) -> None:
    submission, _ = hand_in(session, learner, WEAK)
    token = login(client, other_learner)
    response = client.post(
        f"/me/submissions/{submission.id}/regrade",
        data={"check_id": "spam", "message": "Mine now.", "csrf_token": token},
    )
    assert response.status_code == 404
    assert _count(session, RegradeRequest) == 0


def test_the_feedback_partial_offers_only_checks_that_lost_points(client, session, learner) -> None:
    submission, record = hand_in(session, learner, WEAK)
    token = login(client, learner)
    html = client.get("/me/feedback").text
    assert f'action="/me/submissions/{submission.id}/regrade"' in html
    assert f'name="csrf_token" value="{token}"' in html
    lost = [c["id"] for c in record.result["checks"] if c["points"] < c["possible"]]
    full = [c["id"] for c in record.result["checks"] if c["points"] >= c["possible"]]
    for check_id in lost:
        assert f'<option value="{check_id}"' in html
    for check_id in full:
        assert f'<option value="{check_id}"' not in html
