"""Issuing, revoking and verifying certificates.

Issuing checks the completion rule on the server at that moment; the learner cannot ask
for a certificate the rule does not grant. Verifying trusts nothing pasted: a VC-JWT must
verify with the academy's key and its claims must match the credential inside; a JSON copy
must equal, field for field, the credential that was signed. Only then do revocation and
expiry count. Every answer is one of a few states with a message meant for an employer.
"""

from __future__ import annotations

import json
import re
import secrets
import uuid as uuidlib
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from course.catalog import Catalog
from leadworks.accounts.models import User
from leadworks.core.config import Settings
from leadworks.core.db import write_intent
from leadworks.core.errors import Conflict, NotFound, UserError
from leadworks.core.timeutil import utcnow
from leadworks.credentials import badge
from leadworks.credentials.keys import signing_key
from leadworks.credentials.models import DEFAULT_ACHIEVEMENT, IssuedCredential
from leadworks.credentials.rule import evaluate

MAX_PASTE = 100_000  # characters: a credential is a few KB
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def live_credential(*, session: Session, user_id: int) -> IssuedCredential | None:
    """The learner's latest certificate (revoked or not), if any."""
    return session.exec(
        select(IssuedCredential)
        .where(IssuedCredential.user_id == user_id)
        .order_by(col(IssuedCredential.id).desc())
    ).first()


def active_credential(
    *, session: Session, user_id: int, achievement: str = DEFAULT_ACHIEVEMENT
) -> IssuedCredential | None:
    """The learner's one certificate for the achievement that is neither revoked nor renewed."""
    return session.exec(
        select(IssuedCredential).where(
            IssuedCredential.user_id == user_id,
            IssuedCredential.achievement == achievement,
            col(IssuedCredential.revoked_at).is_(None),
            col(IssuedCredential.renewed_at).is_(None),
        )
    ).first()


def latest_credentials(*, session: Session, user_ids: list[int]) -> dict[int, IssuedCredential]:
    """Each learner's latest certificate, in one query."""
    latest: dict[int, IssuedCredential] = {}
    if not user_ids:
        return latest
    for row in session.exec(
        select(IssuedCredential)
        .where(col(IssuedCredential.user_id).in_(user_ids))
        .order_by(col(IssuedCredential.id))
    ).all():
        latest[row.user_id] = row
    return latest


def issue(
    *, session: Session, user: User, catalog: Catalog, settings: Settings, base: str
) -> IssuedCredential:
    """Issue the certificate if the learner meets the rule now (one active per learner).

    Two claims at once (two tabs, two workers) end with one certificate: on SQLite the
    claims queue for the write lock and the second finds the first's row; on PostgreSQL
    the second insert hits the partial unique index and answers with the row that won.
    """
    assert user.id is not None
    user_id = user.id
    with write_intent(session):
        try:
            return _issue(session=session, user=user, catalog=catalog, settings=settings, base=base)
        except IntegrityError:
            session.rollback()
            winner = active_credential(session=session, user_id=user_id)
            if winner is None:  # pragma: no cover - the index names no other rule
                raise Conflict("Your certificate is being issued; reload the page.") from None
            return winner


def _issue(
    *, session: Session, user: User, catalog: Catalog, settings: Settings, base: str
) -> IssuedCredential:
    assert user.id is not None
    existing = live_credential(session=session, user_id=user.id)
    if existing is not None and existing.revoked_at is not None:
        raise Conflict("Your certificate was revoked; ask your counselor before claiming again.")
    if existing is not None and existing.valid_until > utcnow():
        return existing
    rule = evaluate(session=session, user_id=user.id, catalog=catalog, settings=settings)
    if not rule.met:
        missing = ", ".join(p.label for p in rule.parts if not p.met)
        raise UserError(f"The completion rule is not met yet: {missing}.")
    now = utcnow().replace(microsecond=0)
    if existing is not None:  # expired: kept (it still verifies as expired), marked renewed
        existing.renewed_at = now
        session.add(existing)
        session.flush()
    row = IssuedCredential(
        uuid=str(uuidlib.uuid4()),
        user_id=user.id,
        achievement=DEFAULT_ACHIEVEMENT,
        issued_at=now,
        valid_until=now + timedelta(days=settings.credential_valid_days),
    )
    session.add(row)
    session.flush()  # the id is the credential's place in the status list
    assert row.id is not None
    credential = badge.build_credential(
        base=base,
        uuid=row.uuid,
        credential_id=row.id,
        learner_name=user.name,
        subject_uuid=str(uuidlib.uuid5(uuidlib.NAMESPACE_URL, f"{base}/learners/{user.id}")),
        email_hash=badge.email_identity(user.email, secrets.token_hex(8)),
        issued=now,
        valid_until=row.valid_until,
        rule=rule,
    )
    row.credential = credential
    row.jwt = badge.sign(badge.jwt_payload(credential), signing_key(settings), jwks_url(base))
    session.commit()
    return row


def jwks_url(base: str) -> str:
    return f"{base}/.well-known/jwks.json"


def by_uuid(*, session: Session, uuid: str) -> IssuedCredential:
    found = session.exec(select(IssuedCredential).where(IssuedCredential.uuid == uuid)).first()
    if found is None:
        raise NotFound("No certificate with that id was issued here.")
    return found


def revoke(*, session: Session, row: IssuedCredential, by: User, reason: str) -> None:
    """Revoke a certificate: its bit in the published status list turns on."""
    reason = reason.strip()
    if not reason:
        raise UserError("Say why the certificate is revoked.", field="reason")
    if len(reason) > 500:
        raise UserError("The reason is longer than 500 characters.", field="reason")
    if row.revoked_at is not None:
        raise Conflict("This certificate is already revoked.")
    row.revoked_at = utcnow()
    row.revoked_by = by.id
    row.revoke_reason = reason
    session.add(row)
    session.commit()


def status_list(*, session: Session, list_no: int, base: str, settings: Settings) -> str:
    """The signed Bitstring Status List credential (a VC-JWT) for one list."""
    first = (list_no - 1) * badge.STATUS_LIST_SIZE + 1
    ids = session.exec(
        select(IssuedCredential.id).where(
            col(IssuedCredential.revoked_at).is_not(None),
            col(IssuedCredential.id) >= first,
            col(IssuedCredential.id) < first + badge.STATUS_LIST_SIZE,
        )
    ).all()
    revoked = [badge.status_position(i)[1] for i in ids if i is not None]
    credential = badge.status_list_credential(
        base=base, list_no=list_no, revoked=revoked, now=utcnow()
    )
    payload = credential | {"iss": credential["issuer"], "jti": credential["id"]}
    return badge.sign(payload, signing_key(settings), jwks_url(base))


@dataclass(frozen=True)
class Verdict:
    state: str  # valid | tampered | revoked | expired | unknown | malformed
    message: str
    credential: dict[str, Any] | None = None
    record: IssuedCredential | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.state == "valid"


def _status(row: IssuedCredential, credential: dict[str, Any]) -> Verdict:
    if row.revoked_at is not None:
        return Verdict(
            "revoked",
            f"This certificate was revoked by the academy on {row.revoked_at:%Y-%m-%d}. "
            "It no longer certifies anything.",
            credential,
            row,
        )
    if row.valid_until <= utcnow():
        return Verdict(
            "expired",
            f"This certificate expired on {row.valid_until:%Y-%m-%d}. It was genuine, "
            "but it is no longer valid.",
            credential,
            row,
        )
    return Verdict(
        "valid",
        "Valid: issued by Leadworks Academy, signed with its published key, unchanged, "
        f"not revoked, and valid until {row.valid_until:%Y-%m-%d}.",
        credential,
        row,
    )


TAMPERED = (
    "Tampered: this is not the certificate the academy signed. Something in it was "
    "changed after it was issued ({why}). Do not rely on it."
)
UNKNOWN = "Unknown: this certificate was not issued by Leadworks Academy (or its id is wrong)."


def verify_jwt(*, session: Session, token: str, settings: Settings) -> Verdict:
    key = signing_key(settings)
    try:
        header = badge.read_header(token)
    except ValueError:
        return Verdict("malformed", "This is not a signed credential (a VC-JWT) nor its JSON.")
    if str(header.get("kid", "")).rsplit("#", 1)[-1] != key.kid:
        return Verdict("unknown", UNKNOWN + " It names a key the academy does not publish.")
    try:
        payload = badge.verified_payload(token, key)
    except badge.BadSignature:
        return Verdict("tampered", TAMPERED.format(why="the signature does not match"))
    problem = badge.claims_problem(payload)
    credential = badge.credential_of(payload)
    if problem:
        return Verdict("tampered", TAMPERED.format(why=problem), credential)
    uuid = str(payload.get("jti", "")).removeprefix("urn:uuid:")
    row = session.exec(select(IssuedCredential).where(IssuedCredential.uuid == uuid)).first()
    if row is None:
        return Verdict("unknown", UNKNOWN, credential)
    return _status(row, credential)


def verify_json(*, session: Session, credential: dict[str, Any], settings: Settings) -> Verdict:
    uuid = str(credential.get("id", "")).removeprefix("urn:uuid:")
    row = session.exec(select(IssuedCredential).where(IssuedCredential.uuid == uuid)).first()
    if row is None:
        return Verdict("unknown", UNKNOWN)
    changed = sorted(
        k
        for k in set(credential) | set(row.credential)
        if credential.get(k) != row.credential.get(k)
    )
    if changed:
        fields = ", ".join(f"'{k}'" for k in changed[:5])
        return Verdict("tampered", TAMPERED.format(why=f"it differs in {fields}"), credential)
    stored = verify_jwt(session=session, token=row.jwt, settings=settings)
    if stored.state in ("tampered", "unknown", "malformed"):
        return stored
    return _status(row, credential)


def verify_pasted(*, session: Session, text: str, settings: Settings) -> Verdict:
    """Whatever an employer pasted: a VC-JWT, the JSON download, or a link or id."""
    text = text.strip()
    if not text:
        raise UserError("Paste a certificate, its JSON, or its link.", field="credential")
    if len(text) > MAX_PASTE:
        raise UserError(
            f"That is longer than any certificate ({MAX_PASTE} characters at most).",
            field="credential",
        )
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            return Verdict("malformed", "This JSON cannot be read: it is cut short or broken.")
        if not isinstance(data, dict):
            return Verdict("malformed", "This JSON is not a credential.")
        return verify_json(session=session, credential=data, settings=settings)
    if text.count(".") == 2 and " " not in text:
        return verify_jwt(session=session, token=text, settings=settings)
    match = UUID_RE.search(text.lower())
    if match:
        row = session.exec(
            select(IssuedCredential).where(IssuedCredential.uuid == match.group(0))
        ).first()
        if row is None:
            return Verdict("unknown", UNKNOWN)
        return verify_jwt(session=session, token=row.jwt, settings=settings)
    return Verdict(
        "malformed", "This is not a signed credential (a VC-JWT), its JSON, or its link."
    )
