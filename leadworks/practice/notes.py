"""The learner's notes on a contact within a run: kept beside the run, not in its event
log, because they are the learner's own working notes and not something the world saw."""

from __future__ import annotations

from sqlmodel import Session, select

from leadworks.accounts.models import User
from leadworks.core.errors import Conflict, NotFound, UserError
from leadworks.core.timeutil import utcnow
from leadworks.practice.live import LiveSandboxes
from leadworks.practice.models import Run, RunNote, RunStatus
from leadworks.practice.service import HANDED_IN, live_sandbox, run_for

MAX_NOTE_CHARS = 4_000


def note_for(*, session: Session, run: Run, contact_id: str) -> str:
    found = session.exec(
        select(RunNote).where(RunNote.run_id == run.id, RunNote.contact_id == contact_id)
    ).first()
    return found.body if found else ""


def save_note(
    *, session: Session, user: User, run_id: int, contact_id: str, body: str, cache: LiveSandboxes
) -> RunNote:
    """Keep the learner's notes on a contact (not an event: notes are theirs, not the world's)."""
    run = run_for(session=session, user=user, run_id=run_id)
    if run.status is RunStatus.submitted:
        raise Conflict(HANDED_IN)
    if len(body) > MAX_NOTE_CHARS:
        raise UserError(
            f"Notes hold at most {MAX_NOTE_CHARS:,} characters ({len(body):,} given).",
            field="notes",
        )
    sandbox = live_sandbox(session=session, run=run, cache=cache)
    if sandbox.world.contact(contact_id) is None:
        raise NotFound(f"No prospect with id '{contact_id[:40]}' in this market.")
    assert run.id is not None
    note = session.exec(
        select(RunNote).where(RunNote.run_id == run.id, RunNote.contact_id == contact_id)
    ).first() or RunNote(run_id=run.id, contact_id=contact_id)
    note.body = body
    note.updated_at = utcnow()
    session.add(note)
    session.commit()
    return note
