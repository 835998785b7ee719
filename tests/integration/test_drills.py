"""Drills on the platform: the page and its form, the JSON API, storage as a Submission, and
the counselor's side (attempt page, gradebook, learner record, regrade requests) unchanged.

Runs on SQLite by default and on PostgreSQL with LEADWORKS_TEST_DATABASE_URL set."""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import select

from leadworks.drills.models import DrillDraft, DrillReceipt
from leadworks.submissions.models import GradeRecord, Submission
from tests.conftest import bearer, csrf_from, login
from tests.integration.drills_kit import DRILL_ID, triage_form, triage_payload

PAGE = f"/drills/{DRILL_ID}"
API = f"/api/v1/drills/{DRILL_ID}"


def _stored(session: Any, user: Any) -> list[Submission]:
    session.expire_all()
    return list(session.exec(select(Submission).where(Submission.user_id == user.id)).all())


def _key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


# ----------------------------------------------------------------------------- the page


def test_the_page_shows_the_table_with_a_labelled_input_per_field_and_row(
    client: TestClient, learner
) -> None:
    login(client, learner)
    html = client.get(PAGE).text
    assert "Harbour Dental Ltd" in html and "Europe/London" in html
    for item in ("c01", "c26"):
        for field in ("action", "reason"):
            input_id = f"f-{item}-{field}"
            assert f'for="{input_id}"' in html and f'id="{input_id}"' in html
            assert f'name="rows.{item}.{field}"' in html
    assert 'name="texts.plan"' in html and 'name="idempotency_key"' in html
    # the key never reaches the learner before a hand-in
    assert "reason_terms" not in html and "soft opt-in" not in html
    assert "counts as an individual under PECR" not in html


def test_the_practice_home_lists_the_drill_with_its_lessons(client: TestClient, learner) -> None:
    login(client, learner)
    html = client.get("/sandbox/").text
    assert f'href="{PAGE}"' in html
    assert "Compliance triage for a contact list" in html  # one of its lessons, linked


def test_a_form_hand_in_is_graded_and_the_grade_page_explains_the_key(
    client: TestClient, session, learner
) -> None:
    token = login(client, learner)
    response = client.post(PAGE, data=triage_form() | {"csrf_token": token, "intent": "hand_in"})
    assert response.status_code == 303, response.text
    grade_page = response.headers["location"]
    [submission] = _stored(session, learner)
    assert submission.exercise_id == DRILL_ID and submission.kind == "triage"
    assert submission.run_id is None and submission.payload["rows"]["c02"]["action"] == "call only"
    html = client.get(grade_page).text
    assert "The answers, explained" in html and "counts as an individual under PECR" in html
    assert "Email lawful" in html or "email_lawful" in html
    assert f'action="/me/submissions/{submission.id}/regrade"' in html  # regrade form


def test_bad_input_keeps_everything_typed_and_names_the_field(
    client: TestClient, session, learner
) -> None:
    token = login(client, learner)
    form = triage_form() | {"rows.c03.action": "phone them", "rows.c04.reason": "CTPS listed"}
    response = client.post(PAGE, data=form | {"csrf_token": token, "intent": "hand_in"})
    assert response.status_code == 422
    html = response.text
    assert "Row c03, action" in html and "must be one of" in html
    assert 'value="CTPS listed"' in html  # nothing typed is lost
    assert re.search(r'id="f-c03-action" name="rows.c03.action" aria-invalid="true"', html)
    assert _stored(session, learner) == []
    draft = session.exec(select(DrillDraft).where(DrillDraft.user_id == learner.id)).one()
    assert draft.payload["rows"]["c04"]["reason"] == "CTPS listed"
    # the draft comes back when the page is opened again
    assert 'value="CTPS listed"' in client.get(PAGE).text


def test_a_missing_plan_is_refused_naming_it(client: TestClient, session, learner) -> None:
    token = login(client, learner)
    form = triage_form() | {"texts.plan": "", "csrf_token": token, "intent": "hand_in"}
    response = client.post(PAGE, data=form)
    assert response.status_code == 422 and "Your plan" in response.text
    assert 'id="t-plan" name="texts.plan"' in response.text
    assert _stored(session, learner) == []


def test_save_draft_stores_nothing_graded(client: TestClient, session, learner) -> None:
    token = login(client, learner)
    form = {"rows.c01.action": "both", "csrf_token": token, "intent": "save"}
    assert client.post(PAGE, data=form).status_code == 303
    assert _stored(session, learner) == []
    html = client.get(PAGE).text
    assert re.search(r'<option value="both" selected>', html)


def test_a_double_click_hands_in_once(client: TestClient, session, learner) -> None:
    token = login(client, learner)
    form = triage_form() | {"csrf_token": token, "intent": "hand_in"}
    first = client.post(PAGE, data=form)
    again = client.post(PAGE, data=form)
    assert first.headers["location"] == again.headers["location"]
    assert len(_stored(session, learner)) == 1


# ----------------------------------------------------------------------------- the JSON API


def test_the_api_lists_drills_and_never_sends_the_key(client: TestClient, learner) -> None:
    headers = bearer(client, learner)
    listed = client.get("/api/v1/drills", headers=headers).json()
    [triage] = [d for d in listed if d["id"] == DRILL_ID]
    assert triage["grader"] == "triage"
    assert set(triage["lessons"]) >= {"compliance-triage", "email-rules", "phone-and-data-rules"}
    public = client.get(API, headers=headers).json()
    assert "key" not in public and len(public["materials"]["items"]) == 26
    assert client.get("/api/v1/drills/no-such-drill", headers=headers).status_code == 404


def test_json_hand_in_round_trip(client: TestClient, session, learner) -> None:
    headers = bearer(client, learner) | _key()
    response = client.post(f"{API}/hand-in", headers=headers, json=triage_payload())
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["drill_id"] == DRILL_ID and body["kind"] == "triage"
    assert body["submission"] == triage_payload()
    checks = {c["id"]: c for c in body["grade"]["checks"]}
    assert checks["email_lawful"]["points"] == checks["email_lawful"]["possible"]
    assert body["explanations"][0]["id"] == "c01"
    # the same key answers with the stored grade; nothing is stored twice
    again = client.post(f"{API}/hand-in", headers=headers, json=triage_payload(action="both"))
    assert again.status_code == 201 and again.json()["submission_id"] == body["submission_id"]
    assert len(_stored(session, learner)) == 1
    receipt = session.exec(select(DrillReceipt).where(DrillReceipt.user_id == learner.id)).one()
    assert receipt.submission_id == body["submission_id"]
    read = client.get(f"/api/v1/drills/hand-ins/{body['submission_id']}", headers=headers)
    assert read.status_code == 200 and read.json()["score"] == body["score"]
    grade = session.exec(
        select(GradeRecord).where(GradeRecord.submission_id == body["submission_id"])
    ).one()
    assert grade.final_score == body["score"] and grade.is_current


def test_emailing_everyone_costs_the_law_checks(client: TestClient, learner) -> None:
    headers = bearer(client, learner) | _key()
    body = client.post(f"{API}/hand-in", headers=headers, json=triage_payload(action="both"))
    checks = {c["id"]: c for c in body.json()["grade"]["checks"]}
    assert checks["email_lawful"]["points"] == 0 and checks["call_lawful"]["points"] == 0
    quoted = [e for e in checks["email_lawful"]["evidence"] if e.get("field") == "rows.c02.action"]
    assert quoted and "PECR regulation 22" in quoted[0]["note"]


def test_api_refusals_name_the_field_and_store_nothing(
    client: TestClient, session, learner
) -> None:
    headers = bearer(client, learner)
    cases = [
        (triage_payload() | {"rows": {"zz9": {"action": "both"}}}, "rows.zz9"),
        (triage_payload() | {"rows": {"c01": {"colour": "red"}}}, "rows.c01.colour"),
        (triage_payload() | {"rows": {"c01": {"action": "maybe"}}}, "rows.c01.action"),
        (triage_payload() | {"texts": {}}, "texts.plan"),
        (triage_payload() | {"rows": {"c01": {"reason": "a\x00b"}}}, "rows.c01.reason"),
        ({"rows": []}, "rows"),
    ]
    for payload, field in cases:
        response = client.post(f"{API}/hand-in", headers=headers | _key(), json=payload)
        assert response.status_code == 422, (field, response.text)
        assert field in response.text, (field, response.text)
    missing_key = client.post(f"{API}/hand-in", headers=headers, json=triage_payload())
    assert missing_key.status_code in (400, 422) and "Idempotency-Key" in missing_key.text
    assert _stored(session, learner) == []


# ----------------------------------------------------------------------------- the counselor


def _hand_in(client: TestClient, learner: Any) -> int:
    headers = bearer(client, learner) | _key()
    response = client.post(f"{API}/hand-in", headers=headers, json=triage_payload())
    assert response.status_code == 201
    return int(response.json()["submission_id"])


def test_the_counselor_reads_a_drill_hand_in_like_any_submission(
    client: TestClient, learner, counselor, cohort
) -> None:
    submission_id = _hand_in(client, learner)
    login(client, counselor)
    page = client.get(f"/counsel/submissions/{submission_id}")
    assert page.status_code == 200 and "Triage a contact list" in page.text
    assert "Row c01, action" in page.text or "c01" in page.text
    learner_page = client.get(f"/counsel/learners/{learner.id}")
    assert learner_page.status_code == 200 and "Triage a contact list" in learner_page.text
    gradebook = client.get(f"/counsel/cohorts/{cohort.id}/gradebook.csv")
    assert gradebook.status_code == 200
    rows = list(csv.reader(io.StringIO(gradebook.text.lstrip("\ufeff"))))
    assert any(DRILL_ID in cell or "Triage a contact list" in cell for row in rows for cell in row)
    record = client.get(f"/counsel/learners/{learner.id}/record.json")
    assert record.status_code == 200 and DRILL_ID in record.text


def test_a_regrade_request_on_a_drill_reaches_the_counselor(
    client: TestClient, learner, counselor, cohort
) -> None:
    submission_id = _hand_in(client, learner)
    token = login(client, learner)
    form = {"check_id": "reasons", "message": "My reasons named the register.", "csrf_token": token}
    response = client.post(f"/me/submissions/{submission_id}/regrade", data=form)
    assert response.status_code == 303, response.text
    client.cookies.clear()
    login(client, counselor)
    queue = client.get(f"/counsel/cohorts/{cohort.id}/regrades").text
    assert "My reasons named the register." in queue and "Triage a contact list" in queue


def test_another_learner_cannot_read_the_hand_in(
    client: TestClient, learner, other_learner
) -> None:
    submission_id = _hand_in(client, learner)
    client.cookies.clear()
    login(client, other_learner)
    assert client.get(f"/drills/hand-ins/{submission_id}").status_code == 404
    headers = bearer(client, other_learner)
    assert (
        client.get(f"/api/v1/drills/hand-ins/{submission_id}", headers=headers).status_code == 404
    )


def test_the_page_form_carries_a_csrf_token(client: TestClient, learner) -> None:
    login(client, learner)
    assert csrf_from(client.get(PAGE).text)


def test_a_nul_byte_is_refused_naming_the_field_and_the_form_comes_back(
    client: TestClient, session, learner
) -> None:
    token = login(client, learner)
    for intent in ("hand_in", "save"):
        form = triage_form() | {"rows.c05.reason": "a\x00b", "csrf_token": token, "intent": intent}
        response = client.post(PAGE, data=form)
        assert response.status_code == 422, (intent, response.text[:300])
        assert "Row c05, reason" in response.text
        assert (
            'name="rows.c06.reason" type="text" maxlength="300" value="not registered'
            in response.text
        )
    assert _stored(session, learner) == []


def test_a_counselor_override_shows_on_the_learners_drill_grade(
    client: TestClient, session, learner, counselor
) -> None:
    submission_id = _hand_in(client, learner)
    token = login(client, counselor)
    form = {"check_id": "reasons", "points": "15", "reason": "Reasons fine in context.",
            "csrf_token": token}  # fmt: skip
    response = client.post(f"/counsel/submissions/{submission_id}/override", data=form)
    assert response.status_code == 303, response.text[:300]
    client.cookies.clear()
    login(client, learner)
    html = client.get(f"/drills/hand-ins/{submission_id}").text
    assert "your counselor adjusted it" in html and "Reasons fine in context." in html


def test_the_icp_drill_shows_the_interview_grades_a_profile_and_shows_the_model(
    client: TestClient, learner
) -> None:
    """The ICP drill (kind icp) on the platform: the numbered interview on the page, the key
    hidden, and after a hand-in the evidence cites interview lines and the model profile."""
    login(client, learner)
    html = client.get("/drills/icp-from-interview").text
    assert "[20] Maya: Vans off the road" in html and 'name="rows.buyer.answer"' in html
    assert "ruled_out" not in html and "fleet manager as champion" not in html
    golden = Path(__file__).parents[1] / "grader" / "golden" / "icp"
    strong = json.loads((golden / "icp-from-interview-strong.json").read_text("utf-8"))
    strong = strong["submission"]
    headers = bearer(client, learner) | _key()
    response = client.post(
        "/api/v1/drills/icp-from-interview/hand-in", headers=headers, json=strong
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["kind"] == "icp" and body["score"] == 100
    notes = [e.get("note", "") for c in body["grade"]["checks"] for e in c["evidence"]]
    assert any("interview line 20" in n for n in notes)
    assert {e["id"] for e in body["explanations"]} >= {"industry", "size", "disqualifiers"}
