"""The hidden truth stays hidden: world seeds are keyed with the server's secret, and no
response a learner can read before hand-in carries the seed or a contact's truth.

The seed regenerates the world, truth included (``leadworks market --seed N --truth``), so
it is looked for in every learner-readable answer of a played run: each JSON route of the
run, every page of the run (found from the app's routes, so a new page is checked too),
the answers to actions, and the learner's record export.
"""

from __future__ import annotations

import json
import uuid

from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlmodel import Session

from leadworks.accounts.models import User
from leadworks.app import create_app
from leadworks.core.config import Settings
from leadworks.practice.models import Run
from leadworks.practice.world_seeds import world_seed
from simulator import learner_seed, open_exercise, replay_log
from tests.conftest import bearer, login

EXERCISE = "capstone-local-gyms"
TRUTH_KEYS = ('"fits_icp"', '"budget_amount"', '"email_valid"', '"truth"')
BODY = (
    "Hi {{first_name}}, I saw {{fact}}. RepCount follows up every gym enquiry within minutes. "
    "Worth a short call? Reply stop to opt out. {{sender_name}}, {{sender_address}}"
)


def _key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def _play(client: TestClient, headers: dict[str, str]) -> tuple[int, list[str], list[str]]:
    """A run with some of everything; returns (run id, contacts touched, answers read)."""
    started = client.post(f"/api/v1/exercises/{EXERCISE}/runs", headers=headers)
    assert started.status_code == 201, started.text
    run_id = started.json()["id"]
    found = client.get(f"/api/v1/runs/{run_id}/prospects", headers=headers).json()
    contacts = [row["id"] for row in found["results"][:3]]
    writable = next(
        row["id"]
        for row in found["results"]
        if (p := client.get(f"/api/v1/runs/{run_id}/contacts/{row['id']}", headers=headers))
        and p.json()["email"]
        and not p.json()["email_opt_out"]
    )
    actions = [
        {"type": "view_profile", "contact_id": contacts[0]},
        {"type": "add_to_list", "contact_ids": contacts, "list_name": "gyms"},
        {"type": "send_message", "contact_id": writable, "channel": "email", "body": BODY},
        {"type": "spend", "channel": "search_ads", "amount": 300},
        {"type": "advance_clock", "days": 3},
    ]
    answers = [found and json.dumps(found)]
    for action in actions:
        done = client.post(f"/api/v1/runs/{run_id}/actions", json=action, headers=headers | _key())
        assert done.status_code == 200, done.text
        answers.append(done.text)
    return run_id, contacts, answers


def _learner_reads(
    client: TestClient, headers: dict[str, str], run_id: int, contacts: list[str]
) -> dict[str, str]:
    """Every answer of the run a learner can read: JSON routes and pages, by path."""
    read: dict[str, str] = {}
    api_paths = [
        "/api/v1/runs",
        f"/api/v1/runs/{run_id}",
        f"/api/v1/runs/{run_id}/events?limit=5000",
        f"/api/v1/runs/{run_id}/prospects",
        f"/api/v1/exercises/{EXERCISE}",
        *(f"/api/v1/runs/{run_id}/contacts/{cid}" for cid in contacts),
    ]
    for path in api_paths:
        response = client.get(path, headers=headers)
        assert response.status_code == 200, path
        read[path] = response.text
    pages = [
        route.path
        for route in iter_route_contexts(client.app.routes)  # type: ignore[attr-defined]
        if "GET" in (route.methods or ()) and route.path.startswith("/sandbox/runs/{run_id}")
    ]
    assert len(pages) >= 10, pages
    for template in pages:
        for cid in contacts if "{contact_id}" in template else [""]:
            path = template.replace("{run_id}", str(run_id)).replace("{contact_id}", cid)
            response = client.get(
                path, follow_redirects=True
            )  # a GET of a form's address redirects
            assert response.status_code in (200, 404), (path, response.status_code)
            read[path] = response.text
    return read


def test_no_learner_readable_answer_carries_the_seed_or_the_truth(
    client: TestClient,
    learner: User,
    counselor: User,
    session: Session,
    settings: Settings,
) -> None:
    headers = bearer(client, learner)
    run_id, contacts, answers = _play(client, headers)
    login(client, learner)
    read = _learner_reads(client, headers, run_id, contacts)
    run = session.get(Run, run_id)
    assert run is not None
    seed = run.seed
    read |= {f"action answer {n}": text for n, text in enumerate(answers)}
    for where, text in read.items():
        assert seed not in text, f"the world seed shows in {where}"
        for key in TRUTH_KEYS:
            assert key not in text, f"{key} shows in {where}"
    # the record export a counselor hands a learner keeps an open run's seed out as well
    counsel = TestClient(client.app, follow_redirects=False)
    login(counsel, counselor)
    record = counsel.get(f"/counsel/learners/{learner.id}/record.json")
    assert record.status_code == 200
    assert seed not in record.text
    assert '"exercise_opened"' in record.text  # the log itself is there


def test_the_server_still_has_the_seed_and_the_same_seed_gives_the_same_world(
    client: TestClient, learner: User, session: Session, settings: Settings
) -> None:
    headers = bearer(client, learner)
    run_id, _, _ = _play(client, headers)
    run = session.get(Run, run_id)
    assert run is not None and run.id is not None and learner.id is not None
    assert int(run.seed) == world_seed(settings.secret_key, learner.id, EXERCISE, 1)
    from leadworks.practice.service import stored_events

    log = stored_events(session=session, run_id=run.id)
    assert log[0]["data"]["seed"] == int(run.seed)  # kept server-side for replay
    replayed = replay_log(log)
    fresh = open_exercise(EXERCISE, int(run.seed))
    assert [c.truth for c in replayed.world.contacts] == [c.truth for c in fresh.world.contacts]


def test_after_hand_in_the_learners_log_carries_its_seed(
    client: TestClient, learner: User, session: Session
) -> None:
    """The debrief shows that world's truth by then; the exported log replays on its own."""
    headers = bearer(client, learner)
    started = client.post("/api/v1/exercises/cold-email-dental/runs", headers=headers).json()
    run_id = started["id"]
    before = client.get(f"/api/v1/runs/{run_id}/events", headers=headers).json()
    assert "seed" not in before["events"][0]["data"]
    message = {"channel": "email", "subject": "Fewer no-shows", "body": "A short note. Reply stop."}
    handed = client.post(
        f"/api/v1/runs/{run_id}/submission", json={"submission": message}, headers=headers | _key()
    )
    assert handed.status_code == 201, handed.text
    run = session.get(Run, run_id)
    assert run is not None
    after = client.get(f"/api/v1/runs/{run_id}/events", headers=headers).json()
    assert after["events"][0]["data"]["seed"] == int(run.seed)


def test_seeds_are_keyed_with_the_server_secret(
    settings: Settings, engine: object, learner: User
) -> None:
    assert learner.id is not None
    mine = world_seed(settings.secret_key, learner.id, EXERCISE, 1)
    assert mine == world_seed(settings.secret_key, learner.id, EXERCISE, 1)  # deterministic
    assert mine != world_seed("another-secret-" + "y" * 32, learner.id, EXERCISE, 1)
    assert mine != world_seed(settings.secret_key, learner.id, EXERCISE, 2)
    assert mine != learner_seed(learner.id, EXERCISE, 1)  # not derivable from public inputs
    other = create_app(settings.model_copy(update={"secret_key": "z" * 40, "sandbox_cache_mb": 64}))
    assert other.state.sandboxes.seed_secret == "z" * 40
    assert other.state.sandboxes.budget_bytes == 64_000_000
