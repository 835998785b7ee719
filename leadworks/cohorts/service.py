"""Cohorts, enrolments, counselor assignments and invites: who may see whom."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from leadworks.accounts.models import Role, User
from leadworks.cohorts.models import Cohort, CounselorAssignment, Invite, Membership
from leadworks.core.errors import Conflict, NotFound, UserError
from leadworks.core.security import new_invite_code
from leadworks.core.timeutil import utcnow


def create_cohort(*, session: Session, name: str, description: str = "") -> Cohort:
    """A new, empty cohort with a unique name."""
    name = name.strip()
    if not name:
        raise UserError("Cohort name is required.", field="name")
    if len(name) > 120:
        raise UserError("Cohort name is too long: use at most 120 characters.", field="name")
    if session.exec(select(Cohort.id).where(Cohort.name == name)).first() is not None:
        raise Conflict(f"A cohort named '{name}' already exists.", field="name")
    cohort = Cohort(name=name, description=description.strip()[:2000])
    session.add(cohort)
    session.commit()
    return cohort


def visible_cohorts(*, session: Session, user: User) -> list[Cohort]:
    """Admins see every cohort, counselors their assigned ones, learners their own."""
    query = select(Cohort).order_by(col(Cohort.name))
    if user.role is Role.counselor:
        query = query.join(CounselorAssignment).where(CounselorAssignment.user_id == user.id)
    elif user.role is Role.learner:
        query = query.join(Membership).where(Membership.user_id == user.id)
    return list(session.exec(query).all())


def cohort_for(*, session: Session, user: User, cohort_id: int) -> Cohort:
    """The cohort if this user may see it; otherwise 404, so its existence does not leak."""
    cohort = session.get(Cohort, cohort_id)
    if cohort is None or not can_see_cohort(session=session, user=user, cohort_id=cohort_id):
        raise NotFound("No such cohort.")
    return cohort


def can_see_cohort(*, session: Session, user: User, cohort_id: int) -> bool:
    if user.role is Role.admin:
        return True
    link = CounselorAssignment if user.role is Role.counselor else Membership
    query = select(link.id).where(link.cohort_id == cohort_id, link.user_id == user.id)
    return session.exec(query).first() is not None


def counselor_sees_learner(*, session: Session, counselor: User, learner_id: int) -> bool:
    """True when the learner is enrolled in a cohort this counselor is assigned to."""
    if counselor.role is Role.admin:
        return True
    query = (
        select(Membership.id)
        .join(CounselorAssignment, CounselorAssignment.cohort_id == Membership.cohort_id)
        .where(Membership.user_id == learner_id, CounselorAssignment.user_id == counselor.id)
    )
    return session.exec(query).first() is not None


def enroll(*, session: Session, cohort: Cohort, learner: User) -> Membership:
    if learner.role is not Role.learner:
        raise UserError(f"{learner.email} is a {learner.role.value}, not a learner.", field="email")
    existing = session.exec(
        select(Membership).where(
            Membership.cohort_id == cohort.id, Membership.user_id == learner.id
        )
    ).first()
    if existing:
        return existing
    assert cohort.id is not None and learner.id is not None
    membership = Membership(cohort_id=cohort.id, user_id=learner.id)
    session.add(membership)
    session.commit()
    return membership


def assign_counselor(*, session: Session, cohort: Cohort, counselor: User) -> CounselorAssignment:
    """Let a counselor follow a cohort; assigning twice is harmless."""
    if counselor.role is not Role.counselor:
        raise UserError(
            f"{counselor.email} is a {counselor.role.value}, not a counselor.", field="email"
        )
    existing = session.exec(
        select(CounselorAssignment).where(
            CounselorAssignment.cohort_id == cohort.id, CounselorAssignment.user_id == counselor.id
        )
    ).first()
    if existing:
        return existing
    assert cohort.id is not None and counselor.id is not None
    assignment = CounselorAssignment(cohort_id=cohort.id, user_id=counselor.id)
    session.add(assignment)
    session.commit()
    return assignment


def create_invite(
    *,
    session: Session,
    cohort: Cohort,
    created_by: User | None = None,
    max_uses: int = 50,
    valid_days: int | None = 30,
    code: str | None = None,
) -> Invite:
    """A fresh invite code for a cohort."""
    if not 1 <= max_uses <= 10_000:
        raise UserError("Uses must be between 1 and 10,000.", field="max_uses")
    if valid_days is not None and not 1 <= valid_days <= 365:
        raise UserError("Validity must be between 1 and 365 days.", field="valid_days")
    code = (code or new_invite_code()).strip().upper()
    if session.exec(select(Invite.id).where(Invite.code == code)).first() is not None:
        raise Conflict(f"The invite code {code} is already in use.", field="code")
    assert cohort.id is not None
    invite = Invite(
        code=code,
        cohort_id=cohort.id,
        created_by_id=created_by.id if created_by else None,
        max_uses=max_uses,
        expires_at=utcnow() + timedelta(days=valid_days) if valid_days else None,
    )
    session.add(invite)
    session.commit()
    return invite


def usable_invite(*, session: Session, code: str) -> Invite:
    """The invite behind a code, if it can still be used; a clear reason when not."""
    code = code.strip().upper()
    if not code:
        raise UserError("An invite code is required to register.", field="invite_code")
    invite = session.exec(select(Invite).where(Invite.code == code)).first()
    if invite is None:
        raise UserError(
            "That invite code is not valid. Check it with your counselor.", field="invite_code"
        )
    if invite.expires_at is not None and invite.expires_at < utcnow():
        raise UserError("That invite code has expired. Ask for a new one.", field="invite_code")
    if invite.uses >= invite.max_uses:
        raise UserError(
            "That invite code has been used up. Ask for a new one.", field="invite_code"
        )
    return invite


def cohort_invites(*, session: Session, cohort: Cohort) -> list[Invite]:
    query = select(Invite).where(Invite.cohort_id == cohort.id)
    return list(session.exec(query.order_by(col(Invite.created_at).desc())).all())


def cohort_learners(*, session: Session, cohort: Cohort) -> list[User]:
    query = select(User).join(Membership).where(Membership.cohort_id == cohort.id)
    return list(session.exec(query.order_by(col(User.name))).all())


def cohort_counselors(*, session: Session, cohort: Cohort) -> list[User]:
    query = select(User).join(CounselorAssignment).where(CounselorAssignment.cohort_id == cohort.id)
    return list(session.exec(query.order_by(col(User.name))).all())


def all_users(*, session: Session, role: Role | None = None) -> list[User]:
    query = select(User).order_by(col(User.name))
    if role is not None:
        query = query.where(User.role == role)
    return list(session.exec(query).all())
