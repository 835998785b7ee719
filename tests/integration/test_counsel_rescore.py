"""Rescoring: a preview of who goes up and down, then a commit that keeps the history and
the counselors' overrides; driven by the page (htmx steps), the API and the CLI."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, func, select
from typer.testing import CliRunner

from leadworks.cli import app as cli
from leadworks.core.errors import Conflict
from leadworks.counsel import rescore
from leadworks.counsel.models import RescoreJob
from leadworks.feedback.models import GradeOverride
from leadworks.feedback.service import override_grade
from leadworks.submissions.models import GradeRecord, Submission
from leadworks.submissions.service import current_grade
from tests.conftest import EXERCISES_DIR, bearer, login, project_content
from tests.integration.counsel_kit import CONTEXT, MIDDLING, STRONG, context, hand_in, played_run
from tests.integration.drills_kit import DRILL_ID, drills_placeholders

WRONG_NAME = context(prospect=dict(CONTEXT["prospect"], first_name="Joan"))


class Rebuild:
    """Stands in for the sandbox's replay: the 'new rubric' sees the context given here."""

    def __init__(self) -> None:
        self.contexts: dict[int, dict[str, Any]] = {}

    def __call__(
        self, *, session: Session, submission: Submission, exercises_dir: Path
    ) -> tuple[str, dict, dict]:
        if submission.id not in self.contexts:
            raise LookupError("no run to replay")
        return "outreach", dict(submission.payload), self.contexts[submission.id]


@pytest.fixture
def rebuild(monkeypatch: pytest.MonkeyPatch) -> Rebuild:
    fake = Rebuild()
    monkeypatch.setattr(rescore, "grading_input_for", fake)
    return fake


@pytest.fixture
def attempts(session, make_user, cohort, learner, rebuild) -> dict[str, Submission]:
    """One attempt that will go up, one down, one that stays, one that cannot be rebuilt."""
    from leadworks.accounts.models import Role
    from leadworks.cohorts.service import enroll

    others = []
    for name in ("Una Up", "Dan Down", "Sam Same"):
        user = make_user(Role.learner, name=name)
        enroll(session=session, cohort=cohort, learner=user)
        others.append(user)
    up, _ = hand_in(session, others[0], STRONG, grading_context=WRONG_NAME)
    down, _ = hand_in(session, others[1], STRONG)
    same, _ = hand_in(session, others[2], MIDDLING)
    lost, _ = hand_in(session, learner, MIDDLING)
    rebuild.contexts.update({up.id: CONTEXT, down.id: WRONG_NAME, same.id: CONTEXT})
    return {"up": up, "down": down, "same": same, "lost": lost}


def _final(session: Session, submission: Submission) -> float:
    return current_grade(session=session, submission_id=submission.id).final_score


def _records(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(GradeRecord)).one())


def test_preview_changes_nothing_then_commit_applies_it(
    session, cohort, counselor, attempts
) -> None:
    before = {k: _final(session, s) for k, s in attempts.items()}
    records = _records(session)
    job = rescore.start_rescore(
        session=session,
        cohort=cohort,
        exercise_id="cold-email-dental",
        requested_by=counselor,
        catalog=project_content().catalog,
    )
    assert (job.status, job.total, job.done) == ("previewing", 4, 0)
    job = rescore.run_to_end(session=session, job=job, exercises_dir=EXERCISES_DIR, limit=3)
    assert job.status == "preview" and job.done == 4
    assert rescore.tally(job) == {"up": 1, "down": 1, "same": 1, "failed": 1}
    assert {k: _final(session, s) for k, s in attempts.items()} == before
    assert _records(session) == records
    changes = rescore.changes(job)
    assert changes[-1]["error"] == "no run to replay"  # failures listed last

    job = rescore.commit_rescore(session=session, job=job)
    assert (job.status, job.done) == ("running", 0)
    job = rescore.run_to_end(session=session, job=job, exercises_dir=EXERCISES_DIR, limit=3)
    assert job.status == "done" and job.finished_at is not None
    after = {k: _final(session, s) for k, s in attempts.items()}
    assert after["up"] > before["up"] and after["down"] < before["down"]
    assert after["same"] == before["same"] and after["lost"] == before["lost"]
    assert _records(session) == records + 2  # only the grades that changed get a new record
    history = session.exec(
        select(GradeRecord).where(GradeRecord.submission_id == attempts["up"].id)
    ).all()
    assert [(g.reason, g.is_current) for g in history] == [("graded", False), ("rescored", True)]
    with pytest.raises(Conflict, match="only once"):
        rescore.commit_rescore(session=session, job=job)
    assert (
        rescore.advance(session=session, job=job, exercises_dir=EXERCISES_DIR).status == "done"
    )  # nothing left to do


def test_overrides_survive_a_rescore(session, cohort, counselor, attempts) -> None:
    down = attempts["down"]
    override_grade(
        session=session,
        counselor=counselor,
        submission=down,
        check_id="value",
        points=2,
        reason="Value was only implied.",
    )
    job = rescore.start_rescore(
        session=session,
        cohort=cohort,
        exercise_id="cold-email-dental",
        requested_by=counselor,
        catalog=project_content().catalog,
    )
    job = rescore.run_to_end(session=session, job=job, exercises_dir=EXERCISES_DIR)
    preview = next(i for i in job.summary["items"] if i["submission_id"] == down.id)
    assert preview["kept"] == 1
    committed = rescore.commit_rescore(session=session, job=job)
    job = rescore.run_to_end(session=session, job=committed, exercises_dir=EXERCISES_DIR)
    record = current_grade(session=session, submission_id=down.id)
    assert record.reason == "rescored" and record.final_score == preview["after"]
    carried = session.exec(select(GradeOverride).where(GradeOverride.grade_id == record.id)).one()
    assert (carried.check_id, carried.points_after, carried.counselor_id) == (
        "value",
        2,
        counselor.id,
    )
    assert carried.reason.startswith("Kept after rescoring") and "implied" in carried.reason
    assert record.final_score == pytest.approx(
        record.score - carried.points_before + carried.points_after
    )


def test_the_page_previews_and_commits_in_htmx_steps(
    client, session, cohort, counselor, attempts, monkeypatch
) -> None:
    monkeypatch.setattr(rescore, "PAGE_CHUNK", 1)
    token = login(client, counselor)
    started = client.post(
        f"/counsel/cohorts/{cohort.id}/rescore",
        data={"exercise_id": "cold-email-dental", "csrf_token": token},
    )
    assert started.status_code == 303
    url = started.headers["location"]
    job_id = int(url.rsplit("/", 1)[1])
    page = client.get(url).text
    assert f'hx-post="/counsel/rescore/{job_id}/step"' in page and 'role="progressbar"' in page

    htmx = {"HX-Request": "true", "X-CSRF-Token": token}
    seen = []
    for _ in range(10):
        block = client.post(f"/counsel/rescore/{job_id}/step", headers=htmx).text
        seen.append(re.search(r'aria-valuenow="(\d+)"', block).group(1))
        if "hx-post" not in block:
            break
    assert seen == ["1", "2", "3", "4"]
    assert block.lstrip().startswith('<section id="rescore-progress"')
    assert "1 up" in block and "1 down" in block and "Commit: make these" in block

    committed = client.post(f"/counsel/rescore/{job_id}/commit", data={"csrf_token": token})
    assert committed.status_code == 303
    for _ in range(10):
        block = client.post(f"/counsel/rescore/{job_id}/step", headers=htmx).text
        if "hx-post" not in block:
            break
    assert "Done: the new grades are current" in block
    assert session.get(RescoreJob, job_id).status == "done"
    again = client.post(f"/counsel/rescore/{job_id}/commit", data={"csrf_token": token})
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("exercise", "message"),
    [
        ("no-such-exercise", "There is no exercise"),
        ("capstone-local-gyms", "Nobody in this cohort"),
    ],
)
def test_rescoring_needs_a_real_exercise_with_attempts(
    client, session, cohort, counselor, attempts, exercise, message
) -> None:
    token = login(client, counselor)
    response = client.post(
        f"/counsel/cohorts/{cohort.id}/rescore", data={"exercise_id": exercise, "csrf_token": token}
    )
    assert response.status_code == 400 and message in response.text
    assert session.exec(select(func.count()).select_from(RescoreJob)).one() == 0


def test_rescoring_through_the_api(client, session, cohort, counselor, attempts) -> None:
    headers = bearer(client, counselor)
    created = client.post(
        f"/api/v1/cohorts/{cohort.id}/rescore-jobs",
        json={"exercise_id": "cold-email-dental"},
        headers=headers,
    )
    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "preview" and body["tally"]["up"] == 1
    assert client.get(f"/api/v1/rescore-jobs/{body['id']}", headers=headers).json()["done"] == 4
    done = client.post(f"/api/v1/rescore-jobs/{body['id']}/commit", headers=headers).json()
    assert done["status"] == "done" and done["tally"]["down"] == 1


def test_rescoring_replays_a_real_run(session, cohort, learner, counselor) -> None:
    """No stand-in here: the practice domain replays the stored log (never a cached copy)."""
    run, submission = played_run(session, learner)
    before = _final(session, submission)
    job = rescore.start_rescore(
        session=session,
        cohort=cohort,
        exercise_id="cold-email-dental",
        requested_by=counselor,
        catalog=project_content().catalog,
    )
    job = rescore.run_to_end(session=session, job=job, exercises_dir=EXERCISES_DIR)
    (item,) = job.summary["items"]
    assert item["error"] == "" and item["after"] == before
    assert rescore.tally(job)["same"] == 1


# ---- the CLI ------------------------------------------------------------------------------


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rebuild: Rebuild):
    """A throwaway database the CLI opens itself, with two attempts to rescore."""
    from leadworks.accounts.models import Role
    from leadworks.accounts.service import create_user
    from leadworks.cohorts.service import create_cohort, enroll
    from leadworks.core.config import Settings
    from leadworks.core.db import make_engine
    from leadworks.core.migrate import upgrade

    monkeypatch.setenv("LEADWORKS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("LEADWORKS_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.delenv("LEADWORKS_ENV", raising=False)
    settings = Settings()
    engine = make_engine(settings)
    upgrade(settings, engine=engine)
    with Session(engine, expire_on_commit=False) as session:
        cohort = create_cohort(session=session, name="CLI cohort")
        ids = []
        for n, (payload, ctx) in enumerate(((STRONG, WRONG_NAME), (MIDDLING, CONTEXT))):
            user = create_user(
                session=session,
                email=f"cli{n}@example.org",
                name=f"Cli Learner {n}",
                password="a-long-password",
                role=Role.learner,
            )
            enroll(session=session, cohort=cohort, learner=user)
            submission, _ = hand_in(session, user, payload, grading_context=ctx)
            rebuild.contexts[submission.id] = CONTEXT
            ids.append(submission.id)
    yield engine, cohort, ids
    engine.dispose()


def test_cli_previews_and_commits_with_yes(cli_db) -> None:
    engine, cohort, (up, same) = cli_db
    with Session(engine) as session:
        before = current_grade(session=session, submission_id=up).final_score
    result = CliRunner().invoke(
        cli, ["rescore", "--cohort", str(cohort.id), "--exercise", "cold-email-dental", "--yes"]
    )
    assert result.exit_code == 0, result.output
    assert "Preview: 1 up, 0 down, 1 unchanged" in result.output
    assert "Cli Learner 0" in result.output and "Rescored (job" in result.output
    with Session(engine) as session:
        assert current_grade(session=session, submission_id=up).final_score > before


def test_cli_asks_before_committing(cli_db) -> None:
    engine, cohort, (up, _) = cli_db
    with Session(engine) as session:
        before = current_grade(session=session, submission_id=up).final_score
    result = CliRunner().invoke(
        cli,
        ["rescore", "--cohort", str(cohort.id), "--exercise", "cold-email-dental"],
        input="n\n",
    )
    assert result.exit_code == 0, result.output
    assert "Nothing changed" in result.output
    with Session(engine) as session:
        assert current_grade(session=session, submission_id=up).final_score == before
        assert session.exec(select(RescoreJob)).one().status == "preview"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cohort", "999", "--exercise", "cold-email-dental"], "No cohort has id 999"),
        (["--cohort", "1", "--exercise", "nope"], "There is no exercise 'nope'"),
    ],
)
def test_cli_bad_input_exits_2(cli_db, args, message) -> None:
    result = CliRunner().invoke(cli, ["rescore", *args])
    assert result.exit_code == 2
    assert message in result.output


def test_cli_help_lists_rescore() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert re.search(r"^\s+rescore\s", result.output, re.M)


def test_a_drill_is_rescored_against_the_drill_as_the_course_defines_it(
    session, cohort, learner, counselor
) -> None:
    """A drill has no run: its hand-ins are regraded with the drill's current key. A grade
    stored under an older key (here: tampered to 1 point) comes back to what the key gives."""
    submission_id = drills_placeholders(session, learner=learner)["drill_hand_in_id"]
    record = current_grade(session=session, submission_id=submission_id)
    assert record is not None and record.final_score > 1
    right = record.final_score
    record.final_score = 1.0
    record.result = record.result | {"score": 1.0}
    session.add(record)
    session.commit()
    catalog = project_content().catalog
    assert DRILL_ID in {r.id for r in rescore.rescorable(catalog)}
    job = rescore.start_rescore(
        session=session, cohort=cohort, exercise_id=DRILL_ID, requested_by=counselor,
        catalog=catalog,
    )  # fmt: skip
    job = rescore.run_to_end(session=session, job=job, exercises_dir=EXERCISES_DIR)
    (item,) = job.summary["items"]
    assert item["error"] == "" and item["before"] == 1.0 and item["after"] == right
    job = rescore.run_to_end(
        session=session, job=rescore.commit_rescore(session=session, job=job),
        exercises_dir=EXERCISES_DIR,
    )  # fmt: skip
    assert job.status == "done"
    session.expire_all()
    now = current_grade(session=session, submission_id=submission_id)
    assert now is not None and now.final_score == right and now.id != record.id
