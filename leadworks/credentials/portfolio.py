"""A learner's public portfolio: opt-in, behind a revocable link, only what they chose.

The public page is built from an allow-list: the learner's name, the graded hand-ins they
ticked (exercise, date, score, each check's verdict and quoted evidence), their
certificate's status and link, and their career profile if they chose to show it. Nothing
else about them (email, cohort, other work, comments) is read for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from course.catalog import Catalog
from course.vocabulary import INDUSTRIES
from leadworks.accounts.models import User
from leadworks.core.errors import NotFound, UserError
from leadworks.core.security import new_token
from leadworks.core.timeutil import utcnow
from leadworks.credentials.models import IssuedCredential, PortfolioShare
from leadworks.credentials.service import live_credential
from leadworks.progress.models import LearnerProfile
from leadworks.progress.service import CERTIFICATIONS, SKILLS
from leadworks.submissions.labels import check_label
from leadworks.submissions.models import GradeRecord, Submission
from leadworks.submissions.service import submissions_with_grades

DEAD_SHARE = "This portfolio link was turned off by its owner, or it never existed."
MAX_ITEMS = 50


def live_share(*, session: Session, user_id: int) -> PortfolioShare | None:
    return session.exec(
        select(PortfolioShare).where(
            PortfolioShare.user_id == user_id, col(PortfolioShare.revoked_at).is_(None)
        )
    ).first()


def graded_work(*, session: Session, user_id: int) -> list[tuple[Submission, GradeRecord]]:
    """The learner's graded hand-ins, newest first (what they may choose from)."""
    return [
        (s, g)
        for s, g in submissions_with_grades(session=session, user_id=user_id)
        if g is not None
    ]


def save_share(
    *,
    session: Session,
    user: User,
    submission_ids: list[int],
    show_certificate: bool,
    show_profile: bool,
) -> PortfolioShare:
    """Publish the chosen items (creating the link on first use; the link stays the same)."""
    assert user.id is not None
    if len(submission_ids) > MAX_ITEMS:
        raise UserError(f"Choose at most {MAX_ITEMS} hand-ins.", field="submission_ids")
    own = {s.id for s, _ in graded_work(session=session, user_id=user.id)}
    foreign = [i for i in submission_ids if i not in own]
    if foreign:
        raise UserError(
            "You can only share your own graded hand-ins; one of the chosen is not.",
            field="submission_ids",
        )
    share = live_share(session=session, user_id=user.id)
    if share is None:
        share = PortfolioShare(user_id=user.id, token=new_token())
    share.submission_ids = sorted(set(submission_ids))
    share.show_certificate = show_certificate
    share.show_profile = show_profile
    share.updated_at = utcnow()
    session.add(share)
    session.commit()
    return share


def revoke_share(*, session: Session, user: User) -> bool:
    """Turn the link off for good (True if there was one)."""
    assert user.id is not None
    share = live_share(session=session, user_id=user.id)
    if share is None:
        return False
    share.revoked_at = utcnow()
    session.add(share)
    session.commit()
    return True


def share_by_token(*, session: Session, token: str) -> PortfolioShare:
    share = session.exec(select(PortfolioShare).where(PortfolioShare.token == token)).first()
    if share is None or share.revoked_at is not None:
        raise NotFound(DEAD_SHARE)
    return share


@dataclass(frozen=True)
class PublicPortfolio:
    name: str
    work: list[dict[str, Any]]
    certificate: IssuedCredential | None
    profile: dict[str, Any] | None


def _work_item(submission: Submission, grade: GradeRecord, catalog: Catalog) -> dict[str, Any]:
    checks = []
    for check in grade.result.get("checks", ()):
        quotes = [
            str(ev.get("quote"))
            for ev in check.get("evidence", ())
            if isinstance(ev, dict) and ev.get("quote")
        ]
        checks.append(
            {
                "label": check_label(str(check.get("id", ""))),
                "points": check.get("points"),
                "possible": check.get("possible"),
                "verdict": check.get("verdict", ""),
                "quotes": quotes[:3],
            }
        )
    return {
        "id": submission.id,
        "title": catalog.exercise_title(submission.exercise_id),
        "date": submission.created_at,
        "score": grade.final_score,
        "possible": grade.possible,
        "checks": checks,
    }


def public_portfolio(
    *, session: Session, share: PortfolioShare, catalog: Catalog
) -> PublicPortfolio:
    """Exactly what the share publishes, and nothing else."""
    owner = session.get(User, share.user_id)
    if owner is None or not owner.is_active:
        raise NotFound(DEAD_SHARE)
    chosen = set(share.submission_ids)
    work = [
        _work_item(s, g, catalog)
        for s, g in graded_work(session=session, user_id=share.user_id)
        if s.id in chosen
    ]
    certificate = None
    if share.show_certificate:
        certificate = live_credential(session=session, user_id=share.user_id)
    profile = None
    if share.show_profile:
        stored = session.get(LearnerProfile, share.user_id)
        if stored is not None:
            profile = {
                "goal": stored.goal,
                "skills": [(SKILLS.get(k, k), v) for k, v in sorted(stored.skills.items())],
                "industries": [INDUSTRIES.get(k, k) for k in stored.target_industries],
                "certifications": [CERTIFICATIONS.get(k, k) for k in stored.planned_certifications],
            }
    return PublicPortfolio(owner.name, work, certificate, profile)
