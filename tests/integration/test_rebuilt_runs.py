"""A run rebuilt from its log acts exactly like one that stayed in memory.

Every action goes through the web API on a copy of the run that was just rebuilt from the
database: after a restart (a new app on the same database), on a second worker (two app
instances on one database, taking turns), after the worker's cache dropped it, or resumed
from the run's stored snapshot after that. The oracle is the engine itself: a sandbox
opened with the run's stored seed and never rebuilt, given the same actions. Every learner action type (``WEB_ACTIONS``) is played,
the ones that analyse text (``send_message``, ``call`` with an opener) included.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from leadworks.accounts.models import User
from leadworks.app import create_app
from leadworks.core.config import Settings
from leadworks.core.deps import get_session
from leadworks.practice.models import Run
from simulator import Sandbox, open_exercise
from simulator.actions import WEB_ACTIONS
from simulator.packs import question_catalogue
from tests.conftest import bearer
from tests.support.booking import find_booking

EXERCISE = "capstone-local-gyms"
BODY = (
    "Hi {{first_name}}, I saw {{fact}}. Gyms like {{company}} lose trial visitors when nobody "
    "follows up. RepCount follows up every enquiry within minutes. Worth a short call next "
    "week? Reply stop and I will not write again. "
    "{{sender_name}}, {{sender_company}}, {{sender_address}}"
)


class Workers:
    """Apps on one database, handing out the client the next request goes to."""

    def __init__(self, mode: str, settings: Settings, engine: Engine, session: Session) -> None:
        self.mode, self.settings, self.engine, self.session = mode, settings, engine, session
        self._open: list[TestClient] = []
        self._turn = 0
        count = 2 if mode == "second_worker" else 1
        self.clients = [self._client() for _ in range(count)]

    def _client(self) -> TestClient:
        app: FastAPI = create_app(self.settings, engine=self.engine)
        app.state.owns_engine = False

        def shared_session() -> Iterator[Session]:
            yield self.session

        app.dependency_overrides[get_session] = shared_session
        client = TestClient(app, follow_redirects=False)
        client.__enter__()
        self._open.append(client)
        return client

    def next(self) -> TestClient:
        """The client for the next request, whose copy of the run is not current."""
        if self.mode == "restart":
            self.close()
            self.clients = [self._client()]
            return self.clients[0]
        if self.mode in ("evicted", "resumed"):
            client = self.clients[0]
            client.app.state.sandboxes.clear()  # type: ignore[attr-defined]
            return client
        self._turn += 1
        return self.clients[self._turn % 2]

    def close(self) -> None:
        while self._open:
            self._open.pop().__exit__(None, None, None)


@pytest.fixture(params=["restart", "second_worker", "evicted", "resumed"])
def workers(
    request: pytest.FixtureRequest, settings: Settings, engine: Engine, session: Session
) -> Iterator[Workers]:
    if request.param == "resumed":  # evicted, and back from a snapshot stored every 4 events
        settings = settings.model_copy(update={"snapshot_every": 4})
    pool = Workers(request.param, settings, engine, session)
    yield pool
    pool.close()


def _interested(sandbox: Sandbox) -> str | None:
    return next(
        (
            cid
            for cid, cs in sandbox.state.contacts.items()
            if cs.interest_at and cs.meeting is None  # one with a meeting is not to invite
        ),
        None,
    )


def _scenario(reference: Sandbox) -> Iterator[dict[str, Any]]:
    """Actions covering every learner action type, chosen from the reference's state (so
    each is one the world accepts); the reference is moved by the caller in step."""
    contacts = [c for c in reference.world.contacts if c.email and not reference.opted_out(c)]
    first, second = contacts[0].id, contacts[1].id
    yield {"type": "search", "decision_maker": True, "limit": 20}
    yield {"type": "view_profile", "contact_id": first}
    yield {"type": "add_to_list", "contact_ids": [first, second], "list_name": "gyms"}
    yield {"type": "buy_list", "source": "bought", "size": 5, "list_name": "bought"}
    yield {"type": "remove_from_list", "contact_ids": [second], "list_name": "gyms"}
    for contact in contacts[:3]:
        yield {
            "type": "send_message",
            "contact_id": contact.id,
            "channel": "email",
            "subject": "Trial visitors at {{company}}",
            "body": BODY,
        }
    phone = next(c for c in reference.world.contacts if c.phone and not reference.do_not_call(c))
    yield {"type": "call", "contact_id": phone.id, "opener": BODY}
    yield {  # goes out (a world event) while the clock moves on, on whichever worker
        "type": "schedule_send",
        "contact_id": second,
        "channel": "email",
        "subject": "One more idea for {{company}}",
        "body": BODY,
        "at": _in_hours(reference, 1),
        "unless_replied": True,
    }
    yield {"type": "advance_clock", "hours": 3}  # a live call needs the prospect's hours
    talk = next(
        c
        for c in reference.world.contacts
        if c.phone and not reference.do_not_call(c) and 9 <= reference.local_time(c)[0] < 20
    )
    yield {"type": "start_conversation", "contact_id": talk.id}
    yield {"type": "say", "text": "Hi, this is Alex from RepCount. Is now a bad time?"}
    if reference.state.call is not None:  # the buyer may have hung up already
        yield {"type": "end_conversation"}
    # a meeting booked on a live call, then prepared (a reminder, an agenda)
    booked = find_booking(reference, strict=False)  # found as played: profile first
    yield {"type": "view_profile", "contact_id": booked.contact_id}
    yield {"type": "start_conversation", "contact_id": booked.contact_id}
    for text in booked.turns:
        yield {"type": "say", "text": text}
    if reference.state.call is not None:
        yield {"type": "end_conversation"}
    yield {"type": "send_reminder", "contact_id": booked.contact_id}
    yield {
        "type": "confirm_agenda",
        "contact_id": booked.contact_id,
        "agenda": "Trial visitors and a pilot.",
    }
    for _ in range(10):
        if _interested(reference):
            break
        yield {"type": "spend", "channel": "search_ads", "amount": 100}
        yield {"type": "advance_clock", "days": 2}
    lead = _interested(reference)
    assert lead, "no contact showed interest: choose another seed or exercise"
    stage = reference.state.contacts[lead].stage
    yield {"type": "change_stage", "contact_id": lead, "stage": "mql" if stage else "lead"}
    questions = list(question_catalogue().questions)[:3]
    yield {"type": "discovery_call", "contact_id": lead, "questions": questions}
    yield {
        "type": "record_qualification",
        "contact_id": lead,
        "framework": "bant",
        "criteria": {"need": {"value": "yes", "note": "said so"}},
        "decision": "advance",
    }
    yield {"type": "book_meeting", "contact_id": lead, "at": _tomorrow(reference)}


def _tomorrow(sandbox: Sandbox) -> str:
    return _in_hours(sandbox, 26)


def _in_hours(sandbox: Sandbox, hours: int) -> str:
    from simulator.events import iso

    return iso(sandbox.state.clock + hours * 3600)


def test_every_action_on_a_rebuilt_run_matches_the_engine(
    workers: Workers, learner: User, session: Session
) -> None:
    headers = bearer(workers.clients[0], learner)
    started = workers.clients[0].post(f"/api/v1/exercises/{EXERCISE}/runs", headers=headers)
    assert started.status_code == 201, started.text
    run_id = started.json()["id"]
    run = session.get(Run, run_id)
    assert run is not None
    reference = open_exercise(EXERCISE, int(run.seed))  # the server-side seed, never shown
    played: set[str] = set()
    for action in _scenario(reference):
        expected = reference.apply(action)
        response = workers.next().post(
            f"/api/v1/runs/{run_id}/actions",
            json=action,
            headers=headers | {"Idempotency-Key": str(uuid.uuid4())},
        )
        assert response.status_code == 200, (action["type"], response.text)
        body = response.json()
        assert body["events"] == expected["events"], action["type"]
        assert body["result"] == expected["result"], action["type"]
        played.add(action["type"])
    assert played == set(WEB_ACTIONS)
    if workers.mode == "second_worker":  # each copy was one action behind: it caught up
        caches = [c.app.state.sandboxes for c in workers.clients]  # type: ignore[attr-defined]
        assert sum(cache.caught_up for cache in caches) >= len(played)
    if workers.mode == "resumed":  # each copy came back from the run's latest snapshot
        cache = workers.clients[0].app.state.sandboxes  # type: ignore[attr-defined]
        assert cache.resumed >= len(played) // 2
    after = workers.next().get(f"/api/v1/runs/{run_id}", headers=headers).json()
    assert after["run"]["event_count"] == reference.event_count
