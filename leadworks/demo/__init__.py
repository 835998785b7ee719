"""The demo cohort that `make run` seeds so every page has real-looking people on it.

Only ever in development: the demo password is public, so a production database must
never contain these accounts.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from leadworks.accounts.models import Role, User
from leadworks.accounts.service import create_user
from leadworks.cohorts.models import Cohort, Invite
from leadworks.cohorts.service import assign_counselor, create_cohort, create_invite, enroll
from leadworks.content import content_for
from leadworks.core.config import Settings
from leadworks.demo.counsel import seed_counsel_demo
from leadworks.demo.exams import seed_demo_exams
from leadworks.demo.work import seed_demo_work

DEMO_PASSWORD = "leadworks-demo"
DEMO_INVITE = "DEMO2026"


@dataclass(frozen=True)
class DemoPerson:
    email: str
    name: str
    role: Role


STAFF = (
    DemoPerson("admin@example.com", "Ada Admin", Role.admin),
    DemoPerson("counselor@example.com", "Carmen Counselor", Role.counselor),
    DemoPerson("counselor2@example.com", "Colin Coach", Role.counselor),
)
LEARNERS = (
    DemoPerson("learner@example.com", "Lena Learner", Role.learner),
    DemoPerson("amara@example.com", "Amara Okafor", Role.learner),
    DemoPerson("diego@example.com", "Diego Ramírez", Role.learner),
    DemoPerson("mei@example.com", "Mei Chen", Role.learner),
    DemoPerson("tom@example.com", "Tom Becker", Role.learner),
    DemoPerson("priya@example.com", "Priya Nair", Role.learner),
)
OTHER_COHORT_LEARNERS = (DemoPerson("sam@example.com", "Sam Walker", Role.learner),)


class DemoRefused(Exception):
    pass


def _person(session: Session, person: DemoPerson) -> User:
    existing = session.exec(select(User).where(User.email == person.email)).first()
    if existing:
        return existing
    return create_user(
        session=session,
        email=person.email,
        name=person.name,
        password=DEMO_PASSWORD,
        role=person.role,
    )


def _cohort(session: Session, name: str, description: str) -> Cohort:
    existing = session.exec(select(Cohort).where(Cohort.name == name)).first()
    return existing or create_cohort(session=session, name=name, description=description)


def seed_demo(*, session: Session, settings: Settings) -> bool:
    """Create the demo cohort once; returns False when it was already there."""
    if not settings.is_development:
        raise DemoRefused(
            f"Demo accounts are only created in development (LEADWORKS_ENV={settings.env.value})."
        )
    already = session.exec(select(User.id).where(User.email == STAFF[0].email)).first()
    staff = {p.email: _person(session, p) for p in STAFF}
    main = _cohort(
        session, "Autumn 2026 bootcamp", "Career changers training for SDR and freelance roles."
    )
    other = _cohort(session, "Agency pilot", "A partner agency's junior lead generators.")
    assign_counselor(session=session, cohort=main, counselor=staff["counselor@example.com"])
    assign_counselor(session=session, cohort=other, counselor=staff["counselor2@example.com"])
    for person in LEARNERS:
        enroll(session=session, cohort=main, learner=_person(session, person))
    for person in OTHER_COHORT_LEARNERS:
        enroll(session=session, cohort=other, learner=_person(session, person))
    if session.exec(select(Invite.id).where(Invite.code == DEMO_INVITE)).first() is None:
        create_invite(session=session, cohort=main, code=DEMO_INVITE, max_uses=1000, valid_days=365)
    learners = {p.email: _person(session, p) for p in (*LEARNERS, *OTHER_COHORT_LEARNERS)}
    content = content_for(settings)
    seed_demo_work(
        session=session, content=content, learners=learners, seed_secret=settings.secret_key
    )
    seed_demo_exams(
        session=session, catalog=content.catalog, learners=learners, secret=settings.secret_key
    )
    seed_counsel_demo(session=session)  # comments, an override, an open regrade request
    return already is None


def demo_logins() -> list[tuple[str, str]]:
    people = (*STAFF, *LEARNERS)
    return [(p.role.value, p.email) for p in people]
