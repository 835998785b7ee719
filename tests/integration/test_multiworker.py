"""Several workers, no stickiness, a crash in the middle: no acknowledged action is lost or
doubled, and every run replays to the state the server shows.

The real server (``uvicorn leadworks.asgi:app --workers 3``) runs on a free port against a
scratch database with a cohort of 20 learners. Each learner is a thread that logs in, opens
a run and posts actions with idempotency keys, every request on a new connection (no
keep-alive), so consecutive actions on one run land on different workers, each with its
own cache. When about 40% of the actions are acknowledged the whole server process group
is killed with SIGKILL and started again on the same port; learners whose requests were
cut off send them again with the same key, as a careful client does, and carry on.

Afterwards: every acknowledged action is in its run's log exactly once, in order, with the
events its answer named (an engine that never restarted, given the same actions, produces
the identical log); there are no receipts for actions nobody was told about; every run
replays (``replay_check``); and the server, on whichever worker answers, shows the state
the replay gives.

On PostgreSQL the server runs 3 workers, as in production. On SQLite it runs 3 workers as
well: writers queue on the file lock, which is slow but correct (docs/deploy.md still
recommends PostgreSQL for more than one worker).
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from leadworks.practice import read
from leadworks.practice.models import ActionReceipt, Run
from leadworks.practice.replay_check import replay_every_run
from leadworks.practice.service import stored_events
from simulator import open_exercise, replay_log
from tests.support.crowd import (
    Acknowledged,
    Cluster,
    Learner,
    engine_of,
    everyday_actions,
    run_all,
    running_cluster,
    seed_learners,
    settings_for,
)
from tests.support.databases import scratch_database

EXERCISE = "cold-email-dental"  # a small world: the test is about workers, not world size
WORKERS = 3
LEARNERS = 20
ACTIONS = 10
KILL_AFTER = 0.4  # of all actions acknowledged
SECONDS = 400  # the learners give up after this (a restart included): it never hangs


def _plain(event: Any) -> dict[str, Any]:
    """An event as stored and served: plain JSON values."""
    as_dict = event if isinstance(event, dict) else {
        "seq": event.seq, "type": event.type, "at": event.at, "actor": event.actor,
        "data": event.data,
    }  # fmt: skip
    return json.loads(json.dumps(as_dict))


class Load:
    """The learners' work, and the crash that hits it half-way."""

    def __init__(self, cluster: Cluster, emails: list[str]) -> None:
        self.cluster = cluster
        deadline = time.monotonic() + SECONDS
        self.learners = [
            Learner(email, lambda: cluster.url, EXERCISE, deadline) for email in emails
        ]
        self.ready = threading.Semaphore(0)
        self.broken = threading.Event()  # a learner failed: no point waiting for the load
        self.go = threading.Event()  # every run is open: all learners start acting together
        self.acked_at_kill = 0
        self.cpu_after_restart: dict[int, float] = {}

    def all_done(self) -> list[Acknowledged]:
        return [done for learner in self.learners for done in learner.done]

    def acked(self) -> int:
        return sum(len(learner.done) for learner in self.learners)

    def work(self, n: int, learner: Learner) -> None:
        try:
            learner.log_in()
            learner.open_run()
            contacts = learner.contacts(5)
        except BaseException:
            self.broken.set()
            raise
        finally:
            self.ready.release()
        assert self.go.wait(timeout=SECONDS), "the other learners did not get ready"
        try:
            for action in everyday_actions(n, contacts, ACTIONS):
                assert learner.act(action) is not None, learner.refused[-1:]
        except BaseException:
            self.broken.set()
            raise

    def crash_and_restart(self) -> None:
        """Once every run is open and ~40% of actions are answered: kill -9, start again."""
        try:
            for _ in self.learners:
                assert self.ready.acquire(timeout=SECONDS), "the learners did not get ready"
        finally:
            self.go.set()
        deadline = time.monotonic() + SECONDS
        while self.acked() < KILL_AFTER * LEARNERS * ACTIONS:
            assert time.monotonic() < deadline, "the load did not get going"
            if self.broken.is_set():
                return  # the learners' own failures say why
            time.sleep(0.02)
        self.cluster.kill()
        self.acked_at_kill = self.acked()
        time.sleep(0.5)  # learners meet a dead port for a while
        self.cluster.start()
        self.cpu_after_restart = self.cluster.cpu()


def _check_run(session: Session, learner: Learner, exercises_dir: Path) -> None:
    run = session.get(Run, learner.run_id)
    assert run is not None
    log = [_plain(e) for e in stored_events(session=session, run_id=learner.run_id)]
    assert [e["seq"] for e in log] == list(range(run.event_count)), "gaps or repeats in seq"
    for n, done in enumerate(learner.done):  # what each answer said is what was stored
        for event in done.answer["events"]:
            assert log[event["seq"]] == event, (learner.email, n, event["seq"])
        if done.action["type"] == "add_to_list":
            named = [e for e in log if e["type"] == "add_to_list" and e["data"].get("list")
                     == done.action["list_name"]]  # fmt: skip
            assert len(named) == 1, (learner.email, done.action["list_name"], len(named))
    receipts = session.exec(
        select(ActionReceipt.key).where(col(ActionReceipt.run_id) == learner.run_id)
    ).all()
    assert sorted(receipts) == sorted(d.key for d in learner.done), "receipts != answers"
    # the oracle: an engine that never restarted, given the acknowledged actions once each
    reference = open_exercise(EXERCISE, int(run.seed), exercises_dir=exercises_dir)
    for done in learner.done:
        reference.apply(done.action)
    assert [_plain(e) for e in reference.events] == log, learner.email


def test_acknowledged_actions_survive_a_crash_across_workers(tmp_path: Path) -> None:
    with scratch_database(tmp_path, "leadworks_crowd") as url:
        settings = settings_for(url, tmp_path / "data")
        emails = seed_learners(settings, LEARNERS)
        with running_cluster(settings, WORKERS, tmp_path) as cluster:
            load = Load(cluster, emails)
            began = time.monotonic()
            failures = run_all(load.learners, load.work, meanwhile=load.crash_and_restart)
            print(
                f"\nmulti-worker crash test ({WORKERS} workers, {'SQLite' if settings.is_sqlite else 'PostgreSQL'}): "
                f"starts {', '.join(f'{s:.1f} s' for s in cluster.start_seconds)}; "
                f"load with restart {time.monotonic() - began:.1f} s; killed after "
                f"{load.acked_at_kill} of {LEARNERS * ACTIONS} actions; "
                f"{sum(learner.retries for learner in load.learners)} requests cut off and resent, "
                f"{sum(d.answer['replayed'] for d in load.all_done())} answered from a receipt"
            )
            assert not failures, "\n".join(failures)
            cut_off = sum(learner.retries for learner in load.learners)
            assert cluster.starts == 2 and cut_off > 0, "the crash hit no request"
            assert load.acked_at_kill < LEARNERS * ACTIONS, "the crash came after the load"
            refused = [r for learner in load.learners for r in learner.refused]
            assert not refused, refused[:5]
            assert all(len(learner.done) == ACTIONS for learner in load.learners)
            worked = [
                pid
                for pid, seconds in cluster.cpu().items()
                if seconds - load.cpu_after_restart.get(pid, 0.0) > 0.05
            ]
            assert len(worked) >= 2, f"only {len(worked)} of {WORKERS} workers served the load"
            shown = {
                learner.run_id: learner.request("GET", f"/api/v1/runs/{learner.run_id}").json()
                for learner in load.learners
            }
        engine = engine_of(settings)
        try:
            with Session(engine) as session:
                for learner in load.learners:
                    _check_run(session, learner, settings.exercises_dir)
                    log = stored_events(session=session, run_id=learner.run_id)
                    replayed = replay_log(log, settings.exercises_dir)
                    assert shown[learner.run_id]["summary"] == json.loads(
                        json.dumps(read.summary(replayed))
                    ), learner.email
                report = replay_every_run(session=session, exercises_dir=settings.exercises_dir)
                assert report.runs == LEARNERS and not report.failed, report.failed
        finally:
            engine.dispose()
