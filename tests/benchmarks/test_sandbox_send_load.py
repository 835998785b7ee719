"""Sending messages under load, with the grader's language layer live in the web worker.

Every email a learner sends is measured by the grader (``grader.outreach.analyse``)
before the world answers it, so this is where the language layer meets the sandbox's
budget (issue 12): 20 learners sending emails, p95 of a send action under 50 ms; one
learner sending one template to 200 prospects without running the model 200 times from
scratch; the worker under 300 MB RSS with the model loaded. Prints figures; asserts
nothing about time. Run with `make bench`.
"""

from __future__ import annotations

import asyncio
import os
import random
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

from leadworks.core.config import PROJECT_ROOT
from tests.benchmarks.test_sandbox_load import (
    LEARNERS,
    THINK_SECONDS,
    _big_exercise,
    _free_port,
    _peak_rss_mb,
    _percentiles,
    _setup,
    learner_database,
)

SENDS_EACH = 10
TEMPLATE_PROSPECTS = 200
TEMPLATE = {
    "subject": "Monday no-shows at {{company}}",
    "body": (
        "Hi {{first_name}},\n\nI saw that {{company}} is growing. Practices that grow fast "
        "tell us Monday no-shows are the first thing to slip.\n\nWe send patients a text "
        "they confirm with one tap; one clinic cut no-shows by 28% in two months.\n\n"
        "Worth a look?\n\n{{sender_name}}, {{sender_company}}\n{{sender_address}}\n"
        'Not relevant? Reply "no" and I will not write again.'
    ),
}


def _send(contact_id: str) -> dict[str, str]:
    return {"type": "send_message", "contact_id": contact_id, "channel": "email", **TEMPLATE}


async def _act(client: httpx.AsyncClient, headers: dict, run_id: int, action: dict) -> float:
    started = time.perf_counter()
    response = await client.post(
        f"/api/v1/runs/{run_id}/actions",
        json=action,
        headers=headers | {"Idempotency-Key": uuid.uuid4().hex},
    )
    assert response.status_code in (200, 400, 409), response.text
    return time.perf_counter() - started


async def _prospects(client: httpx.AsyncClient, headers: dict, run_id: int, n: int) -> list[str]:
    ids: list[str] = []
    page = 1
    while len(ids) < n:
        answer = await client.get(
            f"/api/v1/runs/{run_id}/prospects",
            headers=headers,
            params={"per_page": 100, "page": page},
        )
        rows = answer.json()["results"]
        if not rows:
            break
        ids += [r["id"] for r in rows]
        page += 1
    return ids[:n]


async def _sender(client: httpx.AsyncClient, headers: dict, run: dict, sends: list[float]) -> None:
    pause = random.Random(run["id"])
    for contact in await _prospects(client, headers, run["id"], SENDS_EACH):
        sends.append(await _act(client, headers, run["id"], _send(contact)))
        await asyncio.sleep(pause.uniform(*THINK_SECONDS))


def _start_server(tmp_path: Path) -> tuple[subprocess.Popen[bytes], str, int]:
    exercises = tmp_path / "exercises"
    contacts = _big_exercise(exercises)
    database = learner_database(tmp_path / "bench.db", LEARNERS, "bench")
    port = _free_port()
    env = os.environ | {
        "LEADWORKS_DATABASE_URL": database,
        "LEADWORKS_EXERCISES_DIR": str(exercises),
        "LEADWORKS_ENV": "development",
        "LEADWORKS_LOGIN_MAX_FAILURES_PER_ADDRESS": "1000",
    }
    command = [sys.executable, "-m", "uvicorn", "leadworks.asgi:app", "--port", str(port)]
    server = subprocess.Popen([*command, "--log-level", "warning"], env=env, cwd=PROJECT_ROOT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            if httpx.get(f"{base}/healthz").status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    return server, base, contacts


@pytest.mark.skipif(
    not os.environ.get("LEADWORKS_BENCH"), reason="benchmarks run with `make bench`"
)
def test_twenty_learners_sending_email_with_the_language_layer(tmp_path: Path) -> None:
    server, base, contacts = _start_server(tmp_path)
    try:
        timings: dict[str, list[float]] = {"start run": []}
        sends: list[float] = []
        template_sends: list[float] = []

        async def everyone() -> float:
            limits = httpx.Limits(max_connections=LEARNERS * 2)
            clients = [
                httpx.AsyncClient(base_url=base, limits=limits, timeout=120)
                for _ in range(LEARNERS)
            ]
            opened = await asyncio.gather(
                *(_setup(c, f"bench{n}@example.org", timings) for n, c in enumerate(clients))
            )
            first_client, (headers, run) = clients[0], opened[0]
            started = time.perf_counter()  # the first send loads the model in the worker
            await _act(
                first_client,
                headers,
                run["id"],
                _send((await _prospects(first_client, headers, run["id"], 1))[0]),
            )
            load = time.perf_counter() - started
            await asyncio.gather(
                *(_sender(c, h, r, sends) for c, (h, r) in zip(clients, opened, strict=True))
            )
            targets = await _prospects(first_client, headers, run["id"], TEMPLATE_PROSPECTS + 20)
            for contact in targets[SENDS_EACH + 1 :][:TEMPLATE_PROSPECTS]:
                template_sends.append(await _act(first_client, headers, run["id"], _send(contact)))
            for client in clients:
                await client.aclose()
            return load

        first = asyncio.run(everyone())
        print(
            f"\nsending under load: {LEARNERS} learners x {SENDS_EACH} emails on a "
            f"{contacts:,}-contact world (SQLite, one worker, the grader's language layer live)"
            f"\n  first send (loads the model) {1000 * first:7.0f} ms"
            f"\n  send action    {_percentiles(sends)} (target p95 < 50 ms)"
            f"\n  one template to {len(template_sends)} prospects, one after another: "
            f"{_percentiles(template_sends)}, {sum(template_sends):.1f} s in all"
            f"\n  load average   {os.getloadavg()[0]:.1f} (2 cores)"
            f"\n  worker peak RSS {_peak_rss_mb(server.pid):6.1f} MB (target < 300 MB)"
        )
        assert sends and template_sends
    finally:
        server.terminate()
        server.wait(timeout=10)
