"""The learner's true figures, from their records: the one place they are computed.

Why from the stored records and not from what a page showed: the ``cv`` grader checks
every claim a CV makes about practice against these figures, so they must be what the
learner really did. Only handed-in runs count (an open run may still change), and only
the learner's own actions: a contact is *researched* when the learner opened its profile,
*contacted* when they sent it a message or called it, *replied* when it answered, and a
meeting is *booked* when the prospect accepted it (held or missed later, as the run's
outcomes count it). Scores are the current (counselor-adjusted) grades of hand-ins, not
of the CV and profile exercises themselves.

They live in the practice domain because two readers need them: the career pages (the CV
grader's ``records``) and the hand-in of a mock interview (the ``interview`` grader checks
the practice figures a candidate quotes against the same records).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from leadworks.practice.models import Run, RunEvent, RunStatus
from leadworks.submissions.models import GradeRecord, Submission

#: exercises of the career track itself: their grades are not practice figures
CAREER_EXERCISES = ("career-cv", "career-profile")

_CONTACTED = ("message_sent", "call")
#: the only event types the figures read (filtered in SQL: a run's log is mostly other events)
_READ = (*_CONTACTED, "view_profile", "replied", "meeting_accepted", "violation")


def submitted_run_ids(session: Session, user_id: int) -> list[int]:
    """The learner's handed-in runs (the only runs a CV may cite)."""
    query = select(Run.id).where(Run.user_id == user_id, Run.status == RunStatus.submitted)
    return sorted(int(i) for i in session.exec(query).all() if i is not None)


def _run_figures(session: Session, run_ids: list[int]) -> dict[str, Any]:
    researched: set[tuple[int, str]] = set()
    contacted: set[tuple[int, str]] = set()
    replied: set[tuple[int, str]] = set()
    booked: set[tuple[int, str]] = set()
    violations = 0
    if run_ids:
        query = select(RunEvent.run_id, RunEvent.type, RunEvent.actor, RunEvent.data).where(
            col(RunEvent.run_id).in_(run_ids), col(RunEvent.type).in_(_READ)
        )
        for run_id, kind, actor, data in session.exec(query).all():
            contact = (run_id, str((data or {}).get("contact_id") or ""))
            if kind == "violation":
                violations += 1
            if not contact[1]:
                continue
            if kind == "view_profile" and actor == "learner":
                researched.add(contact)
            elif kind in _CONTACTED:
                contacted.add(contact)
            elif kind == "replied":
                replied.add(contact)
            elif kind == "meeting_accepted":
                booked.add(contact)
    rate = round(100 * len(replied & contacted) / len(contacted), 1) if contacted else None
    return {
        "runs_completed": len(run_ids),
        "contacts_researched": len(researched) if run_ids else None,
        "contacts_contacted": len(contacted) if run_ids else None,
        "replies": len(replied & contacted) if run_ids else None,
        "reply_rate": rate,
        "meetings_booked": len(booked) if run_ids else None,
        "compliance_violations": violations if run_ids else None,
    }


def _score_figures(session: Session, user_id: int) -> dict[str, Any]:
    query = (
        select(Submission.exercise_id, GradeRecord.final_score, GradeRecord.possible)
        .join(GradeRecord, col(GradeRecord.submission_id) == Submission.id)
        .where(
            Submission.user_id == user_id,
            GradeRecord.is_current == True,  # noqa: E712
            col(Submission.exercise_id).not_in(CAREER_EXERCISES),
        )
    )
    best: dict[str, float] = {}
    for exercise_id, score, possible in session.exec(query).all():
        if possible:
            percent = round(100 * float(score) / float(possible), 1)
            best[exercise_id] = max(best.get(exercise_id, 0.0), percent)
    return {
        "exercises_completed": len(best),
        "best_score": max(best.values()) if best else None,
        "average_score": round(sum(best.values()) / len(best), 1) if best else None,
    }


def learner_figures(session: Session, user_id: int) -> dict[str, Any]:
    """Every figure the CV grader checks claims against (None: no record of it yet)."""
    return _run_figures(session, submitted_run_ids(session, user_id)) | _score_figures(
        session, user_id
    )


#: figure -> how the page names it, in the order the page lists them
LABELS = {
    "runs_completed": "Simulated runs handed in",
    "contacts_researched": "Contacts researched (profiles opened)",
    "contacts_contacted": "Contacts messaged or called",
    "replies": "Contacts who replied",
    "reply_rate": "Reply rate (%)",
    "meetings_booked": "Meetings booked",
    "compliance_violations": "Compliance violations",
    "exercises_completed": "Exercises handed in and graded",
    "best_score": "Best exercise score (%)",
    "average_score": "Average of best exercise scores (%)",
}
