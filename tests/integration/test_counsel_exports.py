"""Exports and the JSON API: the gradebook CSV, one learner's record, and the counsel API."""

from __future__ import annotations

import csv
import io

import pytest
from sqlmodel import select

from leadworks.accounts.models import Role
from leadworks.cohorts.service import enroll
from leadworks.feedback.models import Comment, GradeOverride, RegradeRequest
from leadworks.feedback.service import add_comment, override_grade, request_regrade
from leadworks.progress.service import record_quiz
from tests.conftest import bearer, login, project_content
from tests.integration.counsel_kit import STRONG, WEAK, hand_in, played_run

CATALOG = project_content().catalog


def _rows(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff"), "every CSV starts with a UTF-8 byte-order mark"
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_a_csv_export_reads_right_in_a_spreadsheet(
    client, session, cohort, counselor, make_user
) -> None:
    """Issue #15: Excel showed "RamÃ­rez"; with the BOM it decodes the file as UTF-8."""
    ramirez = make_user(Role.learner, name="Lucía Ramírez")
    enroll(session=session, cohort=cohort, learner=ramirez)
    login(client, counselor)
    for url in (
        f"/counsel/cohorts/{cohort.id}/gradebook.csv",
        f"/api/v1/cohorts/{cohort.id}/gradebook.csv",
    ):
        headers = bearer(client, counselor) if "/api/" in url else {}
        body = client.get(url, headers=headers).content
        assert body.startswith(b"\xef\xbb\xbf"), url
        assert "Lucía Ramírez" in body.decode("utf-8-sig")
        assert "RamÃ­rez" not in body.decode("utf-8-sig")


def test_gradebook_has_a_row_per_learner_and_a_column_per_graded_item(
    client, session, cohort, learner, counselor, make_user, other_learner
) -> None:
    mallory = make_user(Role.learner, name="=HYPERLINK(1)")
    enroll(session=session, cohort=cohort, learner=mallory)
    _, weak = hand_in(session, learner, WEAK)
    _, strong = hand_in(session, learner, STRONG)
    lesson = CATALOG.lessons()[0].id
    record_quiz(session=session, user=learner, catalog=CATALOG, lesson_id=lesson, answers={})
    hand_in(session, other_learner, STRONG)  # another cohort: not in this gradebook
    login(client, counselor)

    response = client.get(f"/counsel/cohorts/{cohort.id}/gradebook.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = _rows(response.text)
    header = list(rows[0])
    items = len(CATALOG.exercises) + len(CATALOG.drills) + len(CATALOG.lessons())
    assert header[:3] == ["learner_id", "name", "email"] and len(header) == 3 + items
    # people read exercise and lesson titles (issue #15), never ids such as cold-email-dental
    cold_email = CATALOG.exercise_title("cold-email-dental")
    capstone = CATALOG.exercise_title("capstone-local-gyms")
    quiz = f"Quiz: {CATALOG.lessons()[0].title} (best %)"
    assert header[3] == f"{CATALOG.exercise_title('prospect-list-saas')} (best %)"
    assert quiz in header and not [h for h in header[3:] if "cold-email-dental" in h]
    by_id = {row["learner_id"]: row for row in rows}
    assert set(by_id) == {str(learner.id), str(mallory.id)}
    lena = by_id[str(learner.id)]
    assert float(lena[f"{cold_email} (best %)"]) == pytest.approx(strong.final_score, abs=0.05)
    assert lena[quiz] == "0.0"
    assert lena[f"{capstone} (best %)"] == ""
    # scripts ask for the stable ids (the API's default): the same cells under id headers
    by_ids = _rows(client.get(f"/counsel/cohorts/{cohort.id}/gradebook.csv?columns=ids").text)
    assert list(by_ids[0])[3] == "prospect-list-saas (best %)"
    assert f"quiz {lesson} (best %)" in by_ids[0]
    titled = [list(r.values()) for r in rows]
    assert [list(r.values()) for r in by_ids] == titled
    headers = bearer(client, counselor)
    api = client.get(f"/api/v1/cohorts/{cohort.id}/gradebook.csv", headers=headers).text
    assert list(_rows(api)[0]) == list(by_ids[0])
    api_titles = f"/api/v1/cohorts/{cohort.id}/gradebook.csv?columns=titles"
    assert list(_rows(client.get(api_titles, headers=headers).text)[0]) == header
    bad = client.get(f"/counsel/cohorts/{cohort.id}/gradebook.csv?columns=guess")
    assert bad.status_code in (400, 422)
    assert by_id[str(mallory.id)]["name"] == "'=HYPERLINK(1)"  # no formula in a spreadsheet
    assert weak.final_score < strong.final_score


def test_the_gradebook_shows_final_scores_after_overrides(
    client, session, cohort, learner, counselor
) -> None:
    submission, record = hand_in(session, learner, WEAK)
    override_grade(
        session=session,
        counselor=counselor,
        submission=submission,
        check_id=None,
        points=77,
        reason="Agreed after a call.",
    )
    headers = bearer(client, counselor)
    response = client.get(f"/api/v1/cohorts/{cohort.id}/gradebook.csv", headers=headers)
    (row,) = _rows(response.text)
    assert row["cold-email-dental (best %)"] == "77.0"
    assert record.score != 77


def test_a_learners_record_holds_everything_they_did(client, session, learner, counselor) -> None:
    run, submission = played_run(session, learner)
    add_comment(session=session, author=counselor, learner=learner, body="Well played.")
    override_grade(
        session=session,
        counselor=counselor,
        submission=submission,
        check_id="compliance",
        points=10,
        reason="Footer added by the sandbox.",
    )
    request_regrade(
        session=session,
        learner=learner,
        submission_id=submission.id,
        check_id="value",
        message="Reminders are the value.",
    )
    login(client, counselor)
    response = client.get(f"/counsel/learners/{learner.id}/record.json")
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    record = response.json()
    assert record["learner"]["email"] == learner.email
    (sub,) = record["submissions"]
    assert sub["payload"] == submission.payload
    (grade,) = sub["grades"]
    assert grade["overrides"][0]["reason"] == "Footer added by the sandbox."
    assert grade["result"]["checks"]
    (exported_run,) = record["runs"]
    assert exported_run["id"] == run.id and len(exported_run["events"]) == run.event_count
    assert record["comments"][0]["body"] == "Well played."
    assert record["regrade_requests"][0]["status"] == "open"
    assert client.get(f"/counsel/learners/{learner.id}/record.json").json()["cohorts"]


def test_progress_api(client, session, cohort, learner, counselor) -> None:
    hand_in(session, learner, WEAK)
    hand_in(session, learner, WEAK)
    body = client.get(
        f"/api/v1/cohorts/{cohort.id}/progress", headers=bearer(client, counselor)
    ).json()
    assert body["cohort"]["id"] == cohort.id
    assert [x["key"] for x in body["exercises"]][:2] == ["prospect-list-saas", "cold-email-dental"]
    (row,) = body["learners"]
    assert row["id"] == learner.id and row["exercises"]["cold-email-dental"]["attempts"] == 2
    assert [f["key"] for f in row["flags"]] == ["low_scores"]
    assert row["modules"]["career"]["total"] == len(CATALOG.lessons("career"))


def test_comments_overrides_and_regrades_through_the_api(
    client, session, cohort, learner, counselor
) -> None:
    submission, record = hand_in(session, learner, WEAK)
    staff = bearer(client, counselor)
    own = bearer(client, learner)

    comment = client.post(
        f"/api/v1/learners/{learner.id}/comments",
        json={"body": "See the subject line.", "submission_id": submission.id},
        headers=staff,
    )
    assert comment.status_code == 201 and comment.json()["submission_id"] == submission.id
    assert len(client.get(f"/api/v1/learners/{learner.id}/comments", headers=staff).json()) == 1

    bad = client.post(
        f"/api/v1/submissions/{submission.id}/overrides",
        json={"check_id": "greeting", "points": 50, "reason": "x"},
        headers=staff,
    )
    assert bad.status_code == 400 and bad.json()["field"] == "points"
    made = client.post(
        f"/api/v1/submissions/{submission.id}/overrides",
        json={"check_id": "greeting", "points": 5, "reason": "Half."},
        headers=staff,
    )
    assert made.status_code == 201 and made.json()["score_after"] == record.score + 5
    log = client.get(f"/api/v1/submissions/{submission.id}/overrides", headers=staff).json()
    assert [o["check_id"] for o in log] == ["greeting"]

    asked = client.post(
        f"/api/v1/submissions/{submission.id}/regrade-requests",
        json={"check_id": "subject", "message": "It stands out."},
        headers=own,
    )
    assert asked.status_code == 201
    request_id = asked.json()["id"]
    queue = client.get(f"/api/v1/cohorts/{cohort.id}/regrade-requests", headers=staff).json()
    assert [r["id"] for r in queue] == [request_id]
    invalid = client.post(
        f"/api/v1/regrade-requests/{request_id}/decision",
        json={"decision": "maybe", "response": "?"},
        headers=staff,
    )
    assert invalid.status_code == 422
    decided = client.post(
        f"/api/v1/regrade-requests/{request_id}/decision",
        json={"decision": "decline", "response": "Capitals read as shouting."},
        headers=staff,
    )
    assert decided.status_code == 200 and decided.json()["status"] == "declined"

    mine = client.get("/api/v1/me/feedback", headers=own).json()
    (item,) = mine["submissions"]
    assert item["final_score"] == record.score + 5
    assert item["overrides"][0]["reason"] == "Half."
    assert item["comments"][0]["body"] == "See the subject line."
    assert item["regrade_requests"][0]["response"] == "Capitals read as shouting."
    assert session.exec(select(Comment)).all() and session.exec(select(GradeOverride)).all()
    assert session.exec(select(RegradeRequest)).one().status == "declined"


def test_api_refuses_non_finite_points(client, session, learner, counselor) -> None:
    submission, _ = hand_in(session, learner, WEAK)
    response = client.post(
        f"/api/v1/submissions/{submission.id}/overrides",
        content='{"check_id": "greeting", "points": NaN, "reason": "x"}',
        headers=bearer(client, counselor) | {"content-type": "application/json"},
    )
    assert response.status_code in (400, 422)
    assert session.exec(select(GradeOverride)).all() == []
