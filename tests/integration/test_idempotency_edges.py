"""Idempotency keys at their edges: a key is bound to its kind of request, two identical
requests racing each other both get the one stored answer, and downloads keep working
whatever script a cohort's name is written in."""

from __future__ import annotations

import secrets
import threading
import time
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from leadworks.accounts.models import Role, User
from leadworks.accounts.service import create_user
from leadworks.cohorts.models import Cohort
from leadworks.cohorts.service import assign_counselor, create_cohort
from leadworks.core.config import Settings
from leadworks.core.downloads import ascii_filename, attachment
from leadworks.core.errors import UserError
from leadworks.practice import handing_in
from leadworks.practice import service as svc
from leadworks.practice.live import LiveSandboxes
from leadworks.practice.models import ActionReceipt, RunEvent
from leadworks.submissions.models import Submission
from simulator import Sandbox
from tests.conftest import PASSWORD, bearer, login
from tests.integration import runs_kit

EXERCISE = "cold-email-dental"
MESSAGE = {"channel": "email", "subject": "Fewer no-shows", "body": "A short note. Reply stop."}


def _start(client: TestClient, headers: dict[str, str]) -> int:
    started = client.post(f"/api/v1/exercises/{EXERCISE}/runs", headers=headers)
    assert started.status_code == 201, started.text
    return int(started.json()["id"])


def _counts(session: Session, run_id: int) -> tuple[int, int, int]:
    session.expire_all()

    def count(model: Any, *where: Any) -> int:
        return int(session.exec(select(func.count()).select_from(model).where(*where)).one())

    return (
        count(RunEvent, RunEvent.run_id == run_id),
        count(ActionReceipt, ActionReceipt.run_id == run_id),
        count(Submission, Submission.run_id == run_id),
    )


# ---- a key is bound to its kind of request --------------------------------------------------


def test_an_action_key_reused_for_a_hand_in_is_refused_clearly(
    client: TestClient, learner: User, session: Session
) -> None:
    headers = bearer(client, learner)
    run_id = _start(client, headers)
    key = {"Idempotency-Key": str(uuid.uuid4())}
    acted = client.post(
        f"/api/v1/runs/{run_id}/actions",
        json={"type": "advance_clock", "days": 1},
        headers=headers | key,
    )
    assert acted.status_code == 200
    before = _counts(session, run_id)
    reused = client.post(
        f"/api/v1/runs/{run_id}/submission", json={"submission": MESSAGE}, headers=headers | key
    )
    assert reused.status_code == 422, reused.text
    assert "already used" in reused.json()["detail"] and "hand-in" in reused.json()["detail"]
    assert _counts(session, run_id) == before
    # a fresh key hands in as usual
    fresh = {"Idempotency-Key": str(uuid.uuid4())}
    done = client.post(
        f"/api/v1/runs/{run_id}/submission", json={"submission": MESSAGE}, headers=headers | fresh
    )
    assert done.status_code == 201, done.text


def test_a_hand_in_key_reused_for_an_action_or_another_action_type_is_refused(
    client: TestClient, learner: User, session: Session
) -> None:
    headers = bearer(client, learner)
    run_id = _start(client, headers)
    key = {"Idempotency-Key": str(uuid.uuid4())}
    acted = client.post(
        f"/api/v1/runs/{run_id}/actions",
        json={"type": "advance_clock", "days": 1},
        headers=headers | key,
    )
    assert acted.status_code == 200
    other_type = client.post(
        f"/api/v1/runs/{run_id}/actions",
        json={"type": "search", "query": "dental"},
        headers=headers | key,
    )
    assert other_type.status_code == 422 and "advance_clock" in other_type.json()["detail"]
    same = client.post(
        f"/api/v1/runs/{run_id}/actions",
        json={"type": "advance_clock", "days": 1},
        headers=headers | key,
    )
    assert same.status_code == 200 and same.json()["replayed"]

    hand_key = {"Idempotency-Key": str(uuid.uuid4())}
    handed = client.post(
        f"/api/v1/runs/{run_id}/submission",
        json={"submission": MESSAGE},
        headers=headers | hand_key,
    )
    assert handed.status_code == 201
    again = client.post(
        f"/api/v1/runs/{run_id}/submission",
        json={"submission": MESSAGE},
        headers=headers | hand_key,
    )
    assert again.status_code == 201 and again.json() == handed.json()
    as_action = client.post(
        f"/api/v1/runs/{run_id}/actions",
        json={"type": "advance_clock", "days": 1},
        headers=headers | hand_key,
    )
    assert as_action.status_code == 422 and "hand-in" in as_action.json()["detail"]


def test_a_receipt_stored_before_kinds_were_kept_is_still_understood(
    client: TestClient, learner: User, session: Session, sandboxes: LiveSandboxes
) -> None:
    headers = bearer(client, learner)
    run_id = _start(client, headers)
    old = ActionReceipt(
        run_id=run_id,
        key="old-key",
        first_seq=1,
        last_seq=1,
        response={"result": None, "events": []},
    )
    session.add(old)
    session.commit()
    with pytest.raises(UserError, match="already used"):
        handing_in.hand_in(
            session=session, user=learner, run_id=run_id, payload=MESSAGE, contact_id=None,
            idempotency_key="old-key", cache=sandboxes,
        )  # fmt: skip


# ---- two identical requests at once, as from two workers ----------------------------------

committed_run = runs_kit.committed_run  # a fixture: a learner and a run committed for real


@pytest.fixture
def slow_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make applying an action take a while, so that racing requests overlap for sure."""
    real = Sandbox.apply

    def slow(self: Sandbox, action: Any) -> dict[str, Any]:
        time.sleep(0.2)
        return real(self, action)

    monkeypatch.setattr(Sandbox, "apply", slow)


def test_the_same_key_sent_at_once_by_two_workers_gets_the_one_stored_answer(
    engine: Engine, settings: Settings, committed_run: tuple[User, int], slow_actions: None
) -> None:
    user, run_id = committed_run
    key = str(uuid.uuid4())
    action = {"type": "advance_clock", "days": 2}
    answers: list[Any] = []
    lock = threading.Lock()
    start = threading.Barrier(4)

    def worker() -> None:
        cache = runs_kit.worker_cache(settings)  # each worker its own memory
        with Session(engine, expire_on_commit=False) as db:
            start.wait()
            try:
                outcome: Any = svc.act(
                    session=db, user=user, run_id=run_id, action=dict(action),
                    idempotency_key=key, cache=cache,
                ).to_dict()  # fmt: skip
            except UserError as error:
                outcome = (error.status_code, error.message)
        with lock:
            answers.append(outcome)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(answers) == 4
    assert all(isinstance(a, dict) for a in answers), answers
    assert sum(not a["replayed"] for a in answers) == 1
    first = next(a for a in answers if not a["replayed"])
    for answer in answers:
        assert answer["events"] == first["events"] and answer["result"] == first["result"]
    with Session(engine) as db:
        receipts = db.exec(select(ActionReceipt).where(ActionReceipt.run_id == run_id)).all()
        assert [r.key for r in receipts] == [key]
        clock_events = db.exec(
            select(func.count())
            .select_from(RunEvent)
            .where(RunEvent.run_id == run_id, RunEvent.type == "advance_clock")
        ).one()
        assert clock_events == 1


def test_a_unique_violation_on_the_receipt_answers_with_the_stored_result(
    client: TestClient, learner: User, session: Session, sandboxes: LiveSandboxes,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """The other request committed between our look-up under the lock and our insert
    (possible without a row lock): the stored answer is read back, not a 409."""
    headers = bearer(client, learner)
    run_id = _start(client, headers)
    key = str(uuid.uuid4())
    first = svc.act(
        session=session, user=learner, run_id=run_id, action={"type": "advance_clock", "days": 1},
        idempotency_key=key, cache=sandboxes,
    )  # fmt: skip
    looked: list[int] = []
    real = svc.receipt_of

    def blind_once(db: Session, rid: int, k: str) -> ActionReceipt | None:
        looked.append(rid)
        return None if len(looked) <= 2 else real(db, rid, k)  # the pre-checks miss it

    monkeypatch.setattr(svc, "receipt_of", blind_once)
    again = svc.act(
        session=session, user=learner, run_id=run_id, action={"type": "advance_clock", "days": 1},
        idempotency_key=key, cache=sandboxes,
    )  # fmt: skip
    assert again.replayed and again.events == first.events
    assert _counts(session, run_id)[1] == 1


# ---- downloads named in any script -----------------------------------------------------------


@pytest.mark.parametrize("name", ["東京 cohort", "Группа Ё", "Café & Co", "مجموعة"])
def test_a_cohort_named_in_any_script_downloads_its_gradebook(
    client: TestClient, session: Session, name: str
) -> None:
    counselor = create_user(
        session=session, email=f"c-{secrets.token_hex(3)}@example.org", name="C",
        password=PASSWORD, role=Role.counselor,
    )  # fmt: skip
    cohort: Cohort = create_cohort(session=session, name=name)
    assign_counselor(session=session, cohort=cohort, counselor=counselor)
    login(client, counselor)
    response = client.get(f"/counsel/cohorts/{cohort.id}/gradebook.csv")
    assert response.status_code == 200, response.text
    disposition = response.headers["content-disposition"]
    disposition.encode("ascii")  # the whole header is plain ASCII
    assert 'filename="gradebook-' in disposition
    assert "filename*=UTF-8''gradebook-" in disposition
    api = client.get(
        f"/api/v1/cohorts/{cohort.id}/gradebook.csv", headers=bearer(client, counselor)
    )
    assert api.status_code == 200


def test_attachment_keeps_ascii_names_as_they_are_and_encodes_the_rest() -> None:
    assert attachment("report-2026.csv") == {
        "Content-Disposition": 'attachment; filename="report-2026.csv"'
    }
    header = attachment("gradebook-東京-2026.csv")["Content-Disposition"]
    assert header == (
        'attachment; filename="gradebook-2026.csv"; '
        "filename*=UTF-8''gradebook-%E6%9D%B1%E4%BA%AC-2026.csv"
    )
    assert ascii_filename('Café "x"; y') == "Cafe-x-y"
    assert ascii_filename("東京") == "download"
