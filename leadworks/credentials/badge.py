"""The certificate as an Open Badges 3.0 ``OpenBadgeCredential`` and its VC-JWT form.

Format (docs/credentials.md): VC Data Model 2.0 and OB 3.0.3 contexts; the achievement
with its published criteria; the evidence behind each part of the rule; a
BitstringStatusListEntry for revocation. The JWT payload is the credential plus the
claims OB 3.0 section 8.2 requires (iss, jti, nbf, sub, and exp for validUntil); the JOSE
header is ``{"alg": "EdDSA", "kid": <jwks url>#<thumbprint>, "typ": "JWT"}``.
"""

from __future__ import annotations

import base64
import calendar
import gzip
import hashlib
import json
import time
import warnings
from datetime import datetime
from typing import Any

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

from leadworks.credentials.keys import SigningKey
from leadworks.credentials.rule import RuleResult

# RFC 9864 prefers the new "Ed25519" name; OB 3.0 verifiers know "EdDSA", so we keep it.
warnings.filterwarnings("ignore", message="EdDSA is deprecated", module="joserfc")

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
ALG = "EdDSA"
JWT_CLAIMS = ("iss", "jti", "nbf", "exp", "sub")
STATUS_LIST_SIZE = 131_072  # bits: the Bitstring Status List minimum (16 KB), for privacy
ACHIEVEMENT_NAME = "Leadworks Certified Lead Generation Professional"


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def status_position(credential_id: int) -> tuple[int, int]:
    """(list number, index in it) of a credential's revocation bit."""
    return 1 + (credential_id - 1) // STATUS_LIST_SIZE, (credential_id - 1) % STATUS_LIST_SIZE


def build_credential(
    *,
    base: str,
    uuid: str,
    credential_id: int,
    learner_name: str,
    subject_uuid: str,
    email_hash: tuple[str, str],
    issued: datetime,
    valid_until: datetime,
    rule: RuleResult,
) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential (what the JSON download holds)."""
    list_no, index = status_position(credential_id)
    status_url = f"{base}/credentials/status/{list_no}"
    salt, digest = email_hash
    criteria = " ".join(f"{p.label}: {p.criteria}" for p in rule.parts)
    page = f"{base}/credentials/{uuid}"
    evidence = [
        {
            "id": f"{page}#evidence-{part.key}",
            "type": ["Evidence"],
            "name": part.label,
            "description": part.criteria,
            "narrative": "; ".join(e.text for e in part.evidence),
        }
        for part in rule.parts
    ]
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": f"urn:uuid:{uuid}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": ACHIEVEMENT_NAME,
        "issuer": {
            "id": f"{base}/credentials/issuer",
            "type": ["Profile"],
            "name": "Leadworks Academy",
            "url": f"{base}/",
        },
        "validFrom": stamp(issued),
        "validUntil": stamp(valid_until),
        "credentialSubject": {
            "id": f"urn:uuid:{subject_uuid}",
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": learner_name,
                    "identityType": "name",
                    "hashed": False,
                },
                {
                    "type": "IdentityObject",
                    "identityHash": digest,
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": salt,
                },
            ],
            "achievement": {
                "id": f"{base}/credentials/criteria#achievement",
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": ACHIEVEMENT_NAME,
                "description": "Completed the Leadworks Academy career track for sales "
                "development and lead generation: the course, graded practice on a simulated "
                "market, and the capstone campaign.",
                "criteria": {"id": f"{base}/credentials/criteria", "narrative": criteria},
                "humanCode": "LW-LGP",
            },
        },
        "evidence": evidence,
        "credentialStatus": {
            "id": f"{status_url}#{index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(index),
            "statusListCredential": status_url,
        },
        "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }


def email_identity(email: str, salt: str) -> tuple[str, str]:
    """OB 3.0's salted hash of an address: ``sha256$`` + hex of sha256(address + salt)."""
    digest = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
    return salt, f"sha256${digest}"


def _epoch(text: str) -> int:
    return calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ"))


def jwt_payload(credential: dict[str, Any]) -> dict[str, Any]:
    """The credential with the JWT claims that mirror its fields (OB 3.0, 8.2)."""
    return credential | {
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "nbf": _epoch(credential["validFrom"]),
        "exp": _epoch(credential["validUntil"]),
        "sub": credential["credentialSubject"]["id"],
    }


def sign(payload: dict[str, Any], key: SigningKey, jwks_url: str) -> str:
    header = {"alg": ALG, "kid": f"{jwks_url}#{key.kid}", "typ": "JWT"}
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    return jws.serialize_compact(header, body, key.key, algorithms=[ALG])


class BadSignature(Exception):
    """The JWS does not verify with the academy's key: it was changed or not ours."""


def _b64json(part: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def read_header(token: str) -> dict[str, Any]:
    """The JOSE header of a compact JWS (ValueError when it is not one)."""
    parts = token.split(".")
    if len(parts) != 3:
        raise ValueError("not a compact JWS")
    header = _b64json(parts[0])
    if not isinstance(header, dict):
        raise ValueError("the header is not a JSON object")
    return header


def verified_payload(token: str, key: SigningKey) -> dict[str, Any]:
    """The payload of a JWS signed by ``key`` (BadSignature otherwise)."""
    public = OKPKey.import_key(key.public_jwk())
    try:
        obj = jws.deserialize_compact(token, public, algorithms=[ALG])
    except (JoseError, ValueError) as error:
        raise BadSignature(str(error)) from None
    payload = json.loads(obj.payload)
    if not isinstance(payload, dict):
        raise BadSignature("the payload is not a JSON object")
    return payload


def credential_of(payload: dict[str, Any]) -> dict[str, Any]:
    """The credential inside a JWT payload (without the JWT claims)."""
    return {k: v for k, v in payload.items() if k not in JWT_CLAIMS}


def claims_problem(payload: dict[str, Any]) -> str | None:
    """Why the JWT claims disagree with the credential (OB 3.0 8.2.4.1), or None."""
    try:
        expected = jwt_payload(credential_of(payload))
    except (KeyError, TypeError, ValueError):
        return "the credential lacks its issuer, id, subject or dates"
    for claim in JWT_CLAIMS:
        if payload.get(claim) != expected[claim]:
            return f"the '{claim}' claim does not match the credential"
    return None


def encoded_list(revoked_indexes: list[int]) -> str:
    """A Bitstring Status List: GZIP of the bits (first bit = index 0), base64url with the
    multibase prefix 'u', as the W3C Bitstring Status List recommendation specifies."""
    bits = bytearray(STATUS_LIST_SIZE // 8)
    for index in revoked_indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def bit_is_set(encoded: str, index: int) -> bool:
    raw = encoded[1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_list_credential(
    *, base: str, list_no: int, revoked: list[int], now: datetime
) -> dict[str, Any]:
    url = f"{base}/credentials/status/{list_no}"
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": f"{base}/credentials/issuer",
        "validFrom": stamp(now),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list(revoked),
        },
    }
