"""Readers never see a sandbox half-way through an action.

One worker's memory (a shared cache), one writer acting on a run again and again, and
readers reading it at the same time, each on its own connection, as request threads do:
every read must see one stored state, the run row's event count and the sandbox's agree,
and the sandbox a reader holds does not move under it.
"""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from leadworks.accounts.models import User
from leadworks.core.config import Settings
from leadworks.practice import read
from leadworks.practice import service as svc
from leadworks.practice.models import Run
from simulator import Sandbox
from tests.integration import runs_kit

committed_run = runs_kit.committed_run  # a fixture: a learner and a run committed for real

WRITES = 12
READERS = 3


@pytest.fixture
def slow_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each action spends a while half-applied: its learner event is in, outcomes not yet."""
    real = Sandbox._do

    def slow(self: Sandbox, type_: str, data: dict[str, Any], **options: Any) -> Any:
        time.sleep(0.02)
        return real(self, type_, data, **options)  # a catch-up passes checked=True

    monkeypatch.setattr(Sandbox, "_do", slow)


def test_concurrent_readers_see_whole_actions_only(
    engine: Engine, settings: Settings, committed_run: tuple[User, int], slow_actions: None
) -> None:
    user, run_id = committed_run
    cache = runs_kit.worker_cache(settings)  # one worker: readers and writer share it
    done = threading.Event()
    torn: list[str] = []
    reads = [0]
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            with Session(engine, expire_on_commit=False) as db:
                for n in range(WRITES):
                    action = (
                        {"type": "advance_clock", "hours": 3}
                        if n % 2
                        else {"type": "search", "query": f"dental {n}"}
                    )
                    svc.act(
                        session=db, user=user, run_id=run_id, action=action,
                        idempotency_key=str(uuid.uuid4()), cache=cache,
                    )  # fmt: skip
        except BaseException as error:  # surfaced below
            errors.append(error)
        finally:
            done.set()

    def reader() -> None:
        try:
            while not done.is_set():
                with Session(engine, expire_on_commit=False) as db:
                    run = db.get(Run, run_id)
                    assert run is not None
                    sandbox = svc.live_sandbox(session=db, run=run, cache=cache)
                    first = sandbox.event_count
                    summary = read.summary(sandbox)
                    time.sleep(0.01)  # a page takes a while to render
                    last = sandbox.event_count
                    seqs = [e.seq for e in sandbox.events]
                    if not run.event_count == first == summary["event_count"] == last:
                        torn.append(
                            f"run {run.event_count}, sandbox {first} then {last}, "
                            f"summary {summary['event_count']}"
                        )
                    if seqs != list(range(len(seqs))):
                        torn.append("events out of sequence")
                    reads[0] += 1
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=reader) for _ in range(READERS)]
    threads.append(threading.Thread(target=writer))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors
    assert reads[0] >= WRITES, "the readers did not overlap the writer"
    assert not torn, f"{len(torn)} torn reads of {reads[0]}: {torn[:3]}"
    with Session(engine) as db:
        run = db.get(Run, run_id)
        assert run is not None
        final = svc.live_sandbox(session=db, run=run, cache=cache)
        assert final.event_count == run.event_count
