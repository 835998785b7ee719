"""Real-looking work for the demo cohort, played through the same services learners use.

Each demo learner has a persona (strong, steady, struggling, just started) that decides
how well they write, research and judge. Everything is deterministic: the same demo on
every machine. Runs at the first `make run` only (a few seconds).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from itertools import count
from typing import Any

from sqlmodel import Session, select

from course.catalog import Catalog
from leadworks.accounts.models import User
from leadworks.content import Content
from leadworks.core.timeutil import utcnow
from leadworks.practice.handing_in import hand_in
from leadworks.practice.live import LiveSandboxes
from leadworks.practice.models import Run
from leadworks.practice.service import act, live_sandbox, start_run
from leadworks.progress.models import LessonCompletion, QuizAttempt
from leadworks.progress.service import mark_complete, record_quiz, save_profile
from leadworks.submissions.models import GradeRecord, Submission
from simulator.metrics import meeting_figures, report_figures


@dataclass(frozen=True)
class Persona:
    lessons: int  # how many lessons are done, in course order
    quiz_skill: float  # share of quiz answers right
    writing: str  # strong | generic | weak
    research: float  # share of the prospect list that fits the ICP
    judgement: float  # share of qualification criteria judged right
    exercises: tuple[str, ...]
    idle_days: int = 0  # how long ago they were last active


PERSONAS: dict[str, Persona] = {
    "learner@example.com": Persona(
        14,
        0.8,
        "strong",
        0.8,
        0.75,
        ("cold-email-dental", "prospect-list-saas", "qualify-insurance-leads"),
    ),
    "amara@example.com": Persona(
        24,
        0.95,
        "strong",
        0.95,
        0.95,
        (
            "cold-email-dental",
            "prospect-list-saas",
            "qualify-insurance-leads",
            "pipeline-report-salons",
        ),
    ),
    "diego@example.com": Persona(
        10, 0.6, "generic", 0.6, 0.6, ("cold-email-dental", "prospect-list-saas")
    ),
    "mei@example.com": Persona(
        18,
        0.85,
        "generic",
        0.9,
        0.8,
        ("prospect-list-saas", "cold-email-dental", "pipeline-report-salons"),
    ),
    "tom@example.com": Persona(
        5,
        0.35,
        "weak",
        0.3,
        0.4,
        ("cold-email-dental", "cold-email-dental", "qualify-insurance-leads"),
        idle_days=11,
    ),
    "priya@example.com": Persona(3, 0.7, "generic", 0.5, 0.5, ()),
    "sam@example.com": Persona(8, 0.7, "generic", 0.6, 0.6, ("cold-email-dental",)),
}

EMAILS = {
    "strong": (
        "Quick question about {{company}}",
        "Hi {{first_name}},\n\nI read that {{fact}}. Congratulations. Busy practices like "
        "{{company}} often lose hours to missed appointments. Our reminder service helps fill "
        "those gaps, so your team spends less time on the phone.\n\nWould it be worth a short "
        "look?\n\n{{sender_name}}, {{sender_company}}\n{{sender_address}}\nIf you would rather "
        "not hear from me, reply stop and I will not write again.",
    ),
    "generic": (
        "Our services",
        "Hello {{first_name}},\n\nWe are a leading provider of patient reminder solutions. We "
        "work with many practices and we have great results. We would love to show you our "
        "platform and our features. Can we book a 30 minute demo next week? Also let me know "
        "who else I should talk to.\n\n{{sender_name}}\n{{sender_company}}",
    ),
    "weak": (
        "FREE OFFER - ACT NOW!!!",
        "Dear [Name],\n\nWe guarantee you will earn more money with our amazing risk-free "
        "offer! This is a limited time deal, act now! We are the best and our product is the "
        "number one choice. Call us today, reply now, and book a demo!!!\n\nThanks",
    ),
}


class _Keys:
    """Deterministic idempotency keys for the demo's actions, and the live sandboxes the
    demo acts on (one cache for the whole seeding, like a worker's)."""

    def __init__(self, prefix: str, cache: LiveSandboxes) -> None:
        self.prefix = prefix
        self.cache = cache
        self.n = count()

    def __call__(self) -> str:
        return f"{self.prefix}-{next(self.n)}"


def _do(session: Session, user: User, run: Run, keys: _Keys, **action: Any) -> Any:
    assert run.id is not None
    return act(
        session=session,
        user=user,
        run_id=run.id,
        action=action,
        idempotency_key=keys(),
        cache=keys.cache,
    ).result


def _hand_in(
    session: Session,
    user: User,
    run: Run,
    keys: _Keys,
    payload: dict[str, Any],
    contact_id: str | None = None,
) -> None:
    assert run.id is not None
    hand_in(
        session=session,
        user=user,
        run_id=run.id,
        payload=payload,
        contact_id=contact_id,
        idempotency_key=keys(),
        cache=keys.cache,
    )


def _pick(items: list[Any], share: float) -> list[Any]:
    """The first ``share`` of a list, at least one when the list is not empty."""
    return items[: max(1, round(len(items) * share))] if items else []


def _play_outreach(session: Session, user: User, persona: Persona, run: Run, keys: _Keys) -> None:
    assert run.id is not None
    sandbox = live_sandbox(session=session, run=run, cache=keys.cache)
    contacts = [
        c
        for c in sandbox.world.contacts
        if c.decision_maker and c.email and not sandbox.opted_out(c)
    ]
    prospect = contacts[0] if contacts else sandbox.world.contacts[0]
    if persona.writing == "strong":
        _do(session, user, run, keys, type="view_profile", contact_id=prospect.id)
    subject, body = EMAILS[persona.writing]
    for other in contacts[:6]:  # the prospect handed in, then five more
        _do(
            session,
            user,
            run,
            keys,
            type="send_message",
            contact_id=other.id,
            channel="email",
            subject=subject,
            body=body,
        )
    _do(session, user, run, keys, type="advance_clock", days=2)
    _hand_in(
        session,
        user,
        run,
        keys,
        {"channel": "email", "subject": subject, "body": body},
        contact_id=prospect.id,
    )


def _play_prospect_list(
    session: Session, user: User, persona: Persona, run: Run, keys: _Keys
) -> None:
    assert run.id is not None
    sandbox = live_sandbox(session=session, run=run, cache=keys.cache)
    fits = [c.id for c in sandbox.world.contacts if c.truth.fits_icp and c.email]
    misses = [c.id for c in sandbox.world.contacts if not c.truth.fits_icp]
    good = fits[: round(30 * persona.research)]
    chosen = good + misses[: 30 - len(good)]
    _do(session, user, run, keys, type="search", decision_maker=True)
    for contact_id in _pick(chosen, persona.research):  # careful learners open every profile
        _do(session, user, run, keys, type="view_profile", contact_id=contact_id)
    _do(session, user, run, keys, type="add_to_list", contact_ids=chosen, list_name="main")
    note = "Decision makers at companies inside the ICP's size and regions, with an email."
    payload: dict[str, Any] = {"contact_ids": chosen, "notes": note}
    if sandbox.exercise.deliverable.hooks:  # v2: careful learners write real hooks
        payload["hooks"] = [
            _hook(sandbox, contact_id, persona)
            for contact_id in chosen[: sandbox.exercise.deliverable.hooks]
        ]
    _hand_in(session, user, run, keys, payload)


def _hook(sandbox: Any, contact_id: str, persona: Persona) -> dict[str, str]:
    contact = sandbox.world.contact(contact_id)
    company = sandbox.world.company_of(contact)
    if persona.research < 0.7 or not company.facts:
        return {"contact_id": contact_id, "hook": f"{company.name} looks like a good fit.",
                "source": ""}  # fmt: skip
    return {
        "contact_id": contact_id,
        "hook": f"{company.facts[0]}, so new reps at {company.name} will need to ramp fast.",
        "source": f"{company.name} news page",
    }


def _play_qualification(
    session: Session, user: User, persona: Persona, run: Run, keys: _Keys
) -> None:
    assert run.id is not None
    sandbox = live_sandbox(session=session, run=run, cache=keys.cache)
    leads = sorted(cid for cid, cs in sandbox.state.contacts.items() if cs.inbound)
    questions = ["budget_set", "who_decides", "biggest_challenge", "when_needed"]
    judged = []
    for index, contact_id in enumerate(leads[:6]):
        asked = questions if persona.judgement >= 0.7 else questions[:2]
        try:
            _do(
                session,
                user,
                run,
                keys,
                type="discovery_call",
                contact_id=contact_id,
                questions=asked,
            )
        except Exception:  # noqa: BLE001 - a lead who will not talk is judged blind
            pass
        truth = sandbox.world.contact(contact_id).truth  # type: ignore[union-attr]
        actual = {
            "budget": truth.budget,
            "authority": truth.authority,
            "need": truth.need,
            "timeline": truth.timeline,
        }
        right_count = round(4 * persona.judgement)
        criteria = {}
        for n, (name, value) in enumerate(actual.items()):
            correct = "yes" if value else "no"
            guess = correct if n < right_count else ("no" if value else "yes")
            criteria[name] = {
                "value": guess,
                "note": f"From the call: {name} {'confirmed' if value else 'missing'}.",
            }
        all_yes = all(c["value"] == "yes" for c in criteria.values())
        decision = (
            "advance"
            if all_yes
            else ("nurture" if criteria["need"]["value"] == "yes" else "disqualify")
        )
        if persona.judgement < 0.5 and index % 2 == 0:
            decision = "advance"
        _do(
            session,
            user,
            run,
            keys,
            type="record_qualification",
            contact_id=contact_id,
            framework="bant",
            criteria=criteria,
            decision=decision,
        )
        judged.append({"contact_id": contact_id, "criteria": criteria, "decision": decision})
    _hand_in(session, user, run, keys, {"framework": "bant", "leads": judged})


def _play_report(session: Session, user: User, persona: Persona, run: Run, keys: _Keys) -> None:
    assert run.id is not None
    sandbox = live_sandbox(session=session, run=run, cache=keys.cache)
    figures = report_figures(sandbox)
    if sandbox.exercise.deliverable.meeting_figures:
        figures["meetings"] = meeting_figures(sandbox)
    if persona.research < 0.9:  # a steady learner slips on the rates
        figures["conversion_rates"] = {
            k: round(v * 1.3, 1) for k, v in figures["conversion_rates"].items()
        }
    analysis = (
        "The biggest drop-off is from lead to MQL: most replies were polite refusals. Email "
        f"replies ran at {figures['reply_rate_by_channel'].get('email', 0)}%, so I would test a "
        "shorter first email with one personal line and an interest-based question, and move "
        "part of the ads budget to the email follow-up."
    )
    _hand_in(session, user, run, keys, {"figures": figures, "analysis": analysis})


PLAYERS = {
    "cold-email-dental": _play_outreach,
    "prospect-list-saas": _play_prospect_list,
    "qualify-insurance-leads": _play_qualification,
    "pipeline-report-salons": _play_report,
}


def _course_work(session: Session, user: User, persona: Persona, catalog: Catalog) -> None:
    for index, lesson in enumerate(catalog.lessons()[: persona.lessons]):
        mark_complete(session=session, user=user, catalog=catalog, lesson_id=lesson.id)
        quiz = catalog.quiz(lesson.id)
        answers = {}
        for n, question in enumerate(quiz["questions"]):
            if (n + index) % 10 < round(persona.quiz_skill * 10):
                answer = question["answer"]
                answers[question["id"]] = answer[0] if question["type"] == "text" else answer
        record_quiz(
            session=session, user=user, catalog=catalog, lesson_id=lesson.id, answers=answers
        )
    save_profile(
        session=session,
        user=user,
        skills={
            "communication": 3,
            "research": 2 + round(persona.research * 3) // 2,
            "time_management": 3,
            "digital_tools": 4,
            "resilience": 3,
            "analysis": 2,
        },
        target_industries=["saas", "medical_dental"]
        if persona.writing != "weak"
        else ["real_estate"],
        planned_certifications=["hubspot", "google_analytics"],
        goal="An SDR role at a B2B software company within six months.",
    )


def _backdate(session: Session, user: User, days: int) -> None:
    """Make a persona's activity look older (the 'inactive for a week' flag needs it)."""
    past = utcnow() - timedelta(days=days)
    for model, column in (
        (LessonCompletion, "completed_at"),
        (QuizAttempt, "created_at"),
        (Run, "updated_at"),
        (Submission, "created_at"),
    ):
        for row in session.exec(select(model).where(model.user_id == user.id)):  # type: ignore[attr-defined]
            setattr(row, column, past)
            session.add(row)
    session.commit()


def seed_demo_work(
    *, session: Session, content: Content, learners: dict[str, User], seed_secret: str
) -> int:
    """Play each persona's exercises; returns how many submissions were made."""
    catalog = content.catalog
    cache = LiveSandboxes(content.exercises_dir, seed_secret=seed_secret)
    made = 0
    for email, persona in PERSONAS.items():
        user = learners.get(email)
        if user is None or session.exec(select(Run.id).where(Run.user_id == user.id)).first():
            continue
        _course_work(session, user, persona, catalog)
        for exercise_id in persona.exercises:
            run = start_run(session=session, user=user, exercise_id=exercise_id, cache=cache)
            keys = _Keys(f"demo-{user.id}-{run.id}", cache)
            PLAYERS[exercise_id](session, user, persona, run, keys)
            made += 1
        if persona.idle_days:
            _backdate(session, user, persona.idle_days)
    return made


def demo_grades(*, session: Session) -> list[tuple[str, str, float, float]]:
    """(learner, exercise, score, possible) for every demo grade: a quick look at the spread."""
    rows = session.exec(
        select(User.email, Submission.exercise_id, GradeRecord.final_score, GradeRecord.possible)
        .join(Submission, Submission.user_id == User.id)
        .join(GradeRecord, GradeRecord.submission_id == Submission.id)
    ).all()
    return [(a, b, c, d) for a, b, c, d in rows]
