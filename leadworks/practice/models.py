"""Sandbox runs and their append-only event logs, as stored.

A run's state is never stored: it is the fold of its events (simulator). The log is
append-only with a unique (run, seq), so two writers can never both add event n, and each
action is written with its outcomes in one transaction.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, LargeBinary
from sqlmodel import Field, SQLModel, UniqueConstraint

from leadworks.core.timeutil import utcnow


class RunStatus(StrEnum):
    active = "active"
    submitted = "submitted"


class Run(SQLModel, table=True):
    """One attempt of one learner at one exercise."""

    __table_args__ = (UniqueConstraint("user_id", "exercise_id", "attempt"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    exercise_id: str = Field(max_length=100, index=True)
    attempt: int = Field(ge=1)
    seed: str = Field(max_length=24)  # a 64-bit unsigned integer, kept as text for PostgreSQL
    status: RunStatus = Field(default=RunStatus.active, max_length=16)
    event_count: int = 0  # events stored (the next seq); the optimistic-concurrency token
    sim_time: str = Field(default="", max_length=24)  # the world clock after the last event
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow, index=True)
    submitted_at: datetime | None = None


class RunEvent(SQLModel, table=True):
    __tablename__ = "run_event"
    __table_args__ = (UniqueConstraint("run_id", "seq"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="run.id", index=True, ondelete="CASCADE")
    seq: int
    type: str = Field(max_length=40)
    at: str = Field(max_length=24)
    actor: str = Field(max_length=16)
    data: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class RunSnapshot(SQLModel, table=True):
    """The latest stored snapshot of a run's folded state (simulator.snapshots).

    Only a cache: a worker that has never seen a long run resumes it from here and replays
    the events after it, instead of refolding the whole log. It can always be dropped;
    one that does not fit the log or the engine is ignored."""

    __tablename__ = "run_snapshot"

    run_id: int = Field(foreign_key="run.id", primary_key=True, ondelete="CASCADE")
    event_count: int  # the events it stands for: the log's first event_count
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class ActionReceipt(SQLModel, table=True):
    """What an idempotency key already did, so a retried request gets the same answer."""

    __tablename__ = "action_receipt"
    __table_args__ = (UniqueConstraint("run_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="run.id", index=True, ondelete="CASCADE")
    key: str = Field(max_length=100)
    first_seq: int
    last_seq: int
    response: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class MessageTemplate(SQLModel, table=True):
    """A learner's reusable outreach template (with merge fields)."""

    __tablename__ = "message_template"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=120)
    channel: str = Field(max_length=16)
    subject: str | None = Field(default=None, max_length=200)
    body: str = Field(max_length=20_000)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class SequencePlan(SQLModel, table=True):
    """A follow-up sequence a learner built inside one run, and how far it has gone.

    Starting it sends step 0 to every contact of its list; each later step is sent, as an
    ordinary learner action, when the clock passes its day. ``key`` is the idempotency key
    of the request that created it, so a double-submitted builder form makes one plan.
    """

    __tablename__ = "sequence_plan"
    __table_args__ = (UniqueConstraint("run_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="run.id", index=True, ondelete="CASCADE")
    key: str = Field(max_length=100)
    name: str = Field(max_length=120)
    steps: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    stop_on_reply: bool = True
    stop_on_opt_out: bool = True
    list_name: str | None = Field(default=None, max_length=60)
    contact_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="draft", max_length=16)  # draft | running | finished
    started_at: str | None = Field(default=None, max_length=24)  # simulated time
    next_step: int = 0  # steps sent so far
    log: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class RunNote(SQLModel, table=True):
    """A learner's own notes on one contact in one run (discovery calls, context)."""

    __tablename__ = "run_note"
    __table_args__ = (UniqueConstraint("run_id", "contact_id"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="run.id", index=True, ondelete="CASCADE")
    contact_id: str = Field(max_length=40)
    body: str = Field(default="", max_length=4000)
    updated_at: datetime = Field(default_factory=utcnow)


class SavedSearch(SQLModel, table=True):
    """A learner's named prospect search in one run: its filters as the search page's own
    query string, so opening it is the same GET as typing the filters again."""

    __tablename__ = "saved_search"
    __table_args__ = (UniqueConstraint("run_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="run.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=60)
    query: str = Field(max_length=4000)
    created_at: datetime = Field(default_factory=utcnow)
