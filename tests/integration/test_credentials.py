"""Certificates end to end: issued only when the rule is met, verified independently of
our code (the signature with ``cryptography``, the JSON against the Open Badges 3.0
schema kept in tests/support), and each verification state an employer can meet."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import jsonschema_rs
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from fastapi.testclient import TestClient
from joserfc import jws
from joserfc.jwk import OKPKey

from leadworks.core.timeutil import utcnow
from leadworks.credentials import badge, service
from leadworks.credentials.models import IssuedCredential
from leadworks.credentials.rule import evaluate
from leadworks.exams.rules import exam_specs
from leadworks.exams.service import start_attempt, submit_attempt
from tests.conftest import csrf_from, login, project_content
from tests.integration.credentials_kit import (
    BASE,
    CHECKABLE_RULE,
    graded_capstone,
    graded_interview,
    meet_rule,
)

SCHEMA = Path(__file__).parents[1] / "support" / "ob_v3p0_achievementcredential_schema.json"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@pytest.fixture
def rule(settings, monkeypatch):
    """The rule parts the platform can check today (the exams are not built yet)."""
    monkeypatch.setattr(settings, "credential_rule", CHECKABLE_RULE)
    return settings


@pytest.fixture
def issued(session, learner, rule) -> IssuedCredential:
    meet_rule(session, learner)
    return service.issue(
        session=session, user=learner, catalog=project_content().catalog, settings=rule, base=BASE
    )


def independently_verified(token: str, jwks: dict) -> dict:
    """Check a VC-JWT with nothing of ours: Ed25519 over 'header.payload' (RFC 8037)."""
    header_b64, payload_b64, signature_b64 = token.split(".")
    header = json.loads(unb64(header_b64))
    assert header["alg"] == "EdDSA" and header["typ"] == "JWT"
    key = next(k for k in jwks["keys"] if header["kid"].endswith("#" + k["kid"]))
    assert key["kty"] == "OKP" and key["crv"] == "Ed25519" and "d" not in key
    public = Ed25519PublicKey.from_public_bytes(unb64(key["x"]))
    public.verify(unb64(signature_b64), f"{header_b64}.{payload_b64}".encode())
    return json.loads(unb64(payload_b64))


def test_an_issued_credential_verifies_independently_and_fits_the_ob3_schema(
    client: TestClient, issued: IssuedCredential
) -> None:
    jwks = client.get("/.well-known/jwks.json").json()
    payload = independently_verified(issued.jwt, jwks)
    # OB 3.0 8.2: the JWT claims mirror the credential
    assert payload["iss"] == payload["issuer"]["id"]
    assert payload["jti"] == payload["id"] == f"urn:uuid:{issued.uuid}"
    assert payload["sub"] == payload["credentialSubject"]["id"]
    assert payload["exp"] > payload["nbf"]
    validator = jsonschema_rs.validator_for(json.loads(SCHEMA.read_text()))
    for document in (
        payload,
        issued.credential,
        client.get(f"/credentials/{issued.uuid}/credential.json").json(),
    ):
        errors = [e.message for e in validator.iter_errors(document)]
        assert not errors, errors
    assert issued.credential["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert "OpenBadgeCredential" in issued.credential["type"]
    evidence = {e["name"]: e["narrative"] for e in issued.credential["evidence"]}
    assert "82 of 100" in evidence["Capstone"]
    assert "lessons" in evidence["Modules"]
    assert issued.credential["credentialSubject"]["achievement"]["criteria"]["narrative"]


def test_a_tampered_credential_fails_the_independent_check_and_the_page(
    client: TestClient, issued: IssuedCredential
) -> None:
    jwks = client.get("/.well-known/jwks.json").json()
    header_b64, payload_b64, signature_b64 = issued.jwt.split(".")
    payload = json.loads(unb64(payload_b64))
    payload["credentialSubject"]["identifier"][0]["identityHash"] = "Somebody Else"
    forged = f"{header_b64}.{b64(json.dumps(payload).encode())}.{signature_b64}"
    with pytest.raises(InvalidSignature):
        independently_verified(forged, jwks)
    page = _verify(client, forged)
    assert page.status_code == 422
    assert 'data-verdict="tampered"' in page.text and "Somebody Else" not in page.text
    # the JSON copy with one field changed is refused too, naming the field
    changed = dict(issued.credential, name="Senior Sales Director")
    page = _verify(client, json.dumps(changed))
    assert page.status_code == 422 and "&#39;name&#39;" in page.text


def _verify(client: TestClient, text: str):
    token = csrf_from(client.get("/verify").text)
    return client.post("/verify", data={"credential": text, "csrf_token": token})


def test_the_verification_page_answers_each_state(
    client: TestClient, session, issued: IssuedCredential, counselor, monkeypatch
) -> None:
    for pasted in (issued.jwt, json.dumps(issued.credential), f"{BASE}/credentials/{issued.uuid}"):
        page = _verify(client, pasted)
        assert page.status_code == 200 and 'data-verdict="valid"' in page.text, pasted[:40]
    # signed by some other key: unknown, nothing else said
    other = OKPKey.import_key(Ed25519PrivateKey.generate())
    stranger = jws.serialize_compact(
        {"alg": "EdDSA", "kid": "https://elsewhere/jwks#k1", "typ": "JWT"},
        json.dumps(badge.jwt_payload(issued.credential)).encode(),
        other,
        algorithms=["EdDSA"],
    )
    assert 'data-verdict="unknown"' in _verify(client, stranger).text
    bad = _verify(client, "hello there")
    assert bad.status_code == 422 and 'data-verdict="malformed"' in bad.text
    empty = _verify(client, "   ")
    assert empty.status_code == 400 and "Paste a certificate" in empty.text
    # years later: expired
    later = utcnow() + timedelta(days=5 * 365)
    monkeypatch.setattr(service, "utcnow", lambda: later)
    assert 'data-verdict="expired"' in _verify(client, issued.jwt).text
    monkeypatch.undo()
    # revoked by the learner's counselor: the page and the published status list say so
    login(client, counselor)
    token = csrf_from(client.get(f"/counsel/learners/{issued.user_id}/readiness").text)
    done = client.post(
        f"/counsel/credentials/{issued.id}/revoke",
        data={"reason": "Work was not their own", "csrf_token": token},
    )
    assert done.status_code == 303
    client.post("/logout", data={"csrf_token": token})
    page = _verify(client, issued.jwt)
    assert page.status_code == 200 and 'data-verdict="revoked"' in page.text
    status = client.get("/credentials/status/1")
    assert status.headers["content-type"].startswith("application/vc+jwt")
    listed = independently_verified(status.text, client.get("/.well-known/jwks.json").json())
    index = int(issued.credential["credentialStatus"]["statusListIndex"])
    encoded = listed["credentialSubject"]["encodedList"]
    assert badge.bit_is_set(encoded, index)
    assert not badge.bit_is_set(encoded, index + 1)


def test_revoking_needs_a_reason_and_changes_nothing_without_one(
    client: TestClient, session, issued: IssuedCredential, counselor
) -> None:
    login(client, counselor)
    token = csrf_from(client.get(f"/counsel/learners/{issued.user_id}/readiness").text)
    refused = client.post(
        f"/counsel/credentials/{issued.id}/revoke", data={"reason": " ", "csrf_token": token}
    )
    assert refused.status_code == 400 and "Say why" in refused.text
    session.refresh(issued)
    assert issued.revoked_at is None


def test_the_rule_must_be_met_and_unbuilt_parts_are_never_met(
    client: TestClient, session, learner, settings, rule
) -> None:
    catalog = project_content().catalog
    assert learner.id is not None
    graded_capstone(session, learner, score=55)  # below the pass mark
    with pytest.raises(service.UserError, match="Modules, Capstone"):
        service.issue(session=session, user=learner, catalog=catalog, settings=rule, base=BASE)
    login(client, learner)
    page = client.get("/me/certificate")
    assert "Claim my certificate" not in page.text and "55 of 100" in page.text
    # the whole published rule: the exams count once passed, the mock interview once graded
    rule.credential_rule = ["lessons", "checkpoints", "final_exam", "capstone", "mock_interview"]
    meet_rule(session, learner)
    result = evaluate(session=session, user_id=learner.id, catalog=catalog, settings=rule)
    states = {p.key: p.state for p in result.parts}
    assert states == {
        "lessons": "met",
        "checkpoints": "missing",
        "final_exam": "missing",
        "capstone": "met",
        "mock_interview": "missing",
    }
    assert "No hand-in yet" in str(result.part("mock_interview"))
    assert "Not attempted yet" in str(result.part("final_exam"))
    for spec in exam_specs(catalog):
        attempt, _ = start_attempt(
            session=session, user=learner, catalog=catalog, secret=rule.secret_key, exam_id=spec.id
        )
        right = {
            q["id"]: q["answer"][0] if q["type"] == "text" else q["answer"]
            for q in attempt.questions
        }
        assert attempt.id is not None
        submit_attempt(session=session, user=learner, attempt_id=attempt.id, answers=right)
    result = evaluate(session=session, user_id=learner.id, catalog=catalog, settings=rule)
    states = {p.key: p.state for p in result.parts}
    assert states["checkpoints"] == states["final_exam"] == "met"
    assert "Best attempt 100% (passed)" in str(result.part("final_exam"))
    assert not result.met  # no mock interview yet
    graded_interview(session, learner, score=rule.interview_pass_percent - 1)
    result = evaluate(session=session, user_id=learner.id, catalog=catalog, settings=rule)
    interview = result.part("mock_interview")
    assert interview is not None and interview.state == "missing" and not result.met
    passing = graded_interview(session, learner, score=rule.interview_pass_percent)
    result = evaluate(session=session, user_id=learner.id, catalog=catalog, settings=rule)
    interview = result.part("mock_interview")
    assert interview is not None and interview.state == "met" and result.met
    assert interview.evidence[0].submission_id == passing.id
    assert "Mock SDR interview" in interview.evidence[0].text


def test_without_an_interview_exercise_the_mock_interview_is_never_met(
    session, learner, settings, monkeypatch
) -> None:
    full = project_content().catalog
    exercises = {k: v for k, v in full.exercises.items() if v.spec.kind != "interview"}
    catalog = replace(full, exercises=exercises)
    monkeypatch.setattr(settings, "credential_rule", ["mock_interview"])
    graded_interview(session, learner, score=100)
    result = evaluate(session=session, user_id=learner.id, catalog=catalog, settings=settings)
    part = result.part("mock_interview")
    assert part is not None and part.state == "unavailable" and not result.met


def test_a_capstone_typed_in_without_work_does_not_count(session, learner, rule) -> None:
    meet_rule(session, learner, score=40)
    graded_capstone(session, learner, score=95, actions=2)  # a hand-in with no real work
    result = evaluate(
        session=session, user_id=learner.id, catalog=project_content().catalog, settings=rule
    )
    capstone = result.part("capstone")
    assert capstone is not None and not capstone.met and "40 of 100" in capstone.evidence[0].text


def test_the_learner_claims_once_and_downloads(client: TestClient, session, learner, rule) -> None:
    meet_rule(session, learner)
    login(client, learner)
    page = client.get("/me/certificate")
    token = csrf_from(page.text)
    for _ in range(2):
        assert client.post("/me/certificate", data={"csrf_token": token}).status_code == 303
    rows = session.exec(
        service.select(IssuedCredential).where(IssuedCredential.user_id == learner.id)
    ).all()
    assert len(rows) == 1
    download = client.get(f"/credentials/{rows[0].uuid}/credential.json")
    assert "attachment" in download.headers["content-disposition"]
    assert download.json() == rows[0].credential


def test_unknown_credential_ids_say_nothing(client: TestClient) -> None:
    missing = client.get("/credentials/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404
    malformed = client.get("/credentials/not-a-uuid")
    assert malformed.status_code == 400 and "credential_id" in malformed.text
