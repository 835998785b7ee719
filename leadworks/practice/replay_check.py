"""Every stored run replays from its log: the check a restored backup must pass."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, col, select

from leadworks.practice.models import Run
from leadworks.practice.service import stored_events
from simulator import ReplayError, replay_log


@dataclass
class ReplayReport:
    runs: int = 0
    events: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)  # (run id, why)


def replay_every_run(*, session: Session, exercises_dir: Path) -> ReplayReport:
    """Fold each run's log and compare it with the run row (count and clock)."""
    report = ReplayReport()
    for run in session.exec(select(Run).order_by(col(Run.id))):
        assert run.id is not None
        report.runs += 1
        log = stored_events(session=session, run_id=run.id)
        report.events += len(log)
        try:
            sandbox = replay_log(log, exercises_dir)
        except (ReplayError, KeyError, ValueError) as error:
            report.failed.append((run.id, str(error)[:200]))
            continue
        if sandbox.event_count != run.event_count or sandbox.now != run.sim_time:
            report.failed.append((run.id, "the log does not reach the run's stored count"))
    return report
