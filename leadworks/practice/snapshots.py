"""Storing and reading runs' snapshots (the run_snapshot table; simulator.snapshots).

A worker that has never seen a run (after a restart, on another worker, after its cache
dropped it) used to refold the whole log, seconds on a long run while the run's row lock
is held. Every ``snapshot_every`` events a worker stores the run's state, after the action
that crossed the mark is committed, so that the next first sight resumes from it. It is a
cache: failing to store one never fails the action, and one that does not fit is ignored.
"""

from __future__ import annotations

import logging

from sqlalchemy import insert, update
from sqlalchemy import select as sa_select
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col

from leadworks.core.db import write_intent
from leadworks.core.timeutil import utcnow
from leadworks.practice.live import LiveSandboxes, StoredSnapshot
from leadworks.practice.models import RunSnapshot
from simulator import Sandbox
from simulator.snapshots import take_snapshot

log = logging.getLogger(__name__)


def stored_snapshot(session: Session, run_id: int, event_count: int) -> StoredSnapshot | None:
    """The run's stored snapshot, if it stands for at most ``event_count`` events."""
    row = (
        session.connection()
        .execute(
            sa_select(col(RunSnapshot.event_count), col(RunSnapshot.data)).where(
                col(RunSnapshot.run_id) == run_id, col(RunSnapshot.event_count) <= event_count
            )
        )
        .first()
    )
    return None if row is None else (int(row[0]), bytes(row[1]))


def remember_snapshot(
    session: Session, run_id: int, sandbox: Sandbox, cache: LiveSandboxes
) -> None:
    """Store the run's state if it has grown enough since its last snapshot.

    Called once the action is committed and the run's lock released; the write is its own
    short transaction and never replaces a newer snapshot (another worker's)."""
    count = sandbox.event_count
    if not cache.wants_snapshot(run_id, count):
        return
    blob = take_snapshot(sandbox)
    if blob is None:  # a live call in progress: the next action tries again
        return
    values = {"event_count": count, "data": blob, "created_at": utcnow()}
    table = RunSnapshot.__table__  # type: ignore[attr-defined]
    try:
        with write_intent(session):
            connection = session.connection()
            newer = connection.execute(
                update(table)
                .where(table.c.run_id == run_id, table.c.event_count < count)
                .values(**values)
            )
            if newer.rowcount == 0:  # none yet, or a newer one (another worker's): keep it
                held = connection.execute(sa_select(table.c.run_id).where(table.c.run_id == run_id))
                if held.first() is None:
                    connection.execute(insert(table).values(run_id=run_id, **values))
            session.commit()
    except SQLAlchemyError:  # a race with another worker's insert, a busy database...
        session.rollback()
        log.warning("run %s: snapshot at %s events not stored", run_id, count, exc_info=True)
    cache.noted_snapshot(run_id, count)  # stored or not: the next try is an interval away
