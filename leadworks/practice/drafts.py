"""Composer drafts, kept on the server per run and prospect, so nothing typed is lost.

Every preview (the live one while typing, or "Refresh preview") saves the draft; opening
the composer for a prospect brings their draft back; sending deletes it. A draft is the
learner's own scratch text, not part of the run's event log (nothing happened in the world),
so it lives in its own small table and never touches the log or the grade.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, Session, SQLModel, UniqueConstraint, select

from leadworks.core.timeutil import utcnow


class ComposeDraft(SQLModel, table=True):
    """The text being written to one prospect (``contact_id`` "" before one is chosen)."""

    __tablename__ = "compose_draft"
    __table_args__ = (UniqueConstraint("run_id", "contact_id"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="run.id", index=True, ondelete="CASCADE")
    contact_id: str = Field(default="", max_length=40)
    channel: str = Field(default="", max_length=16)
    subject: str = Field(default="", max_length=400)
    body: str = Field(default="", max_length=20_000)
    updated_at: datetime = Field(default_factory=utcnow)


def draft_of(*, session: Session, run_id: int, contact_id: str) -> ComposeDraft | None:
    query = select(ComposeDraft).where(
        ComposeDraft.run_id == run_id, ComposeDraft.contact_id == contact_id
    )
    return session.exec(query).first()


def save_draft(
    *, session: Session, run_id: int, contact_id: str, channel: str, subject: str, body: str
) -> None:
    """Keep what the learner typed (an empty draft is forgotten, not stored)."""
    found = draft_of(session=session, run_id=run_id, contact_id=contact_id)
    if not subject.strip() and not body.strip():
        if found is not None:
            session.delete(found)
            session.commit()
        return
    draft = found or ComposeDraft(run_id=run_id, contact_id=contact_id)
    draft.channel, draft.subject, draft.body = channel, subject, body
    draft.updated_at = utcnow()
    session.add(draft)
    session.commit()


def forget_draft(*, session: Session, run_id: int, contact_id: str) -> None:
    """The message went out: its draft is done (and so is a draft begun with no prospect)."""
    for key in {contact_id, ""}:
        found = draft_of(session=session, run_id=run_id, contact_id=key)
        if found is not None:
            session.delete(found)
    session.commit()
