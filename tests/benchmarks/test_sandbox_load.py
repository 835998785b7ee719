"""Sandbox under load: 20 simulated learners against a real server.

Two worlds: the capstone as shipped (the largest exercise in the course, about 750
contacts), which is the load the worker's memory budget is stated for, and a 5,000-contact
stress world (seven times the capstone) that shows how speed and memory grow with the
market. Prints p50/p95 latency for an action request and for the prospect search (API and
page), requests per second beside the same server's /healthz, and the worker's resident
memory at start, with every run open, and at its peak.
Targets (issue 5): action p95 < 50 ms, search page p95 < 100 ms, worker < 300 MB RSS.
Run with `make bench`; nothing here asserts on time.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest
import yaml
from sqlmodel import Session

from leadworks.accounts.models import Role
from leadworks.accounts.service import create_user
from leadworks.core.config import PROJECT_ROOT, Settings
from leadworks.core.db import make_engine
from leadworks.core.migrate import upgrade

LEARNERS = 20
ROUNDS = 25
THINK_SECONDS = (0.3, 1.2)  # a person reads the page before the next click
EXERCISE = "bench-5000"
CAPSTONE = "capstone-local-gyms"
PASSWORD = "bench-password-123"


def learner_database(path: Path, count: int, prefix: str) -> str:
    """A migrated SQLite database at ``path`` with ``count`` learners (``<prefix><n>@
    example.org``, password ``PASSWORD``), shared by the benchmarks that serve one."""
    database = f"sqlite:///{path}"
    settings = Settings(database_url=database)
    upgrade(settings)
    engine = make_engine(settings)
    with Session(engine) as session:
        for n in range(count):
            create_user(
                session=session,
                email=f"{prefix}{n}@example.org",
                name=f"{prefix.title()} {n}",
                password=PASSWORD,
                role=Role.learner,
            )
    engine.dispose()
    return database


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _big_exercise(folder: Path) -> int:
    """cold-email-dental with a 5,000-contact market (1,700 practices x 2-4 people)."""
    spec = yaml.safe_load((PROJECT_ROOT / "course/exercises/cold-email-dental.yaml").read_text())
    spec["market"]["n_companies"] = 1700
    spec["market"]["contacts_per_company"] = {"min": 2, "max": 4}
    spec["market"]["seed_salt"] = "bench-5000"
    spec.pop("id", None)
    folder.mkdir(parents=True, exist_ok=True)
    for other in (PROJECT_ROOT / "course/exercises").glob("*.yaml"):
        shutil.copy(other, folder / other.name)
    (folder / f"{EXERCISE}.yaml").write_text(yaml.safe_dump(spec))
    from simulator import open_exercise

    return len(open_exercise(EXERCISE, seed=1, exercises_dir=folder).world.contacts)


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return f"p50 {statistics.median(ordered) * 1000:6.1f} ms  p95 {p95 * 1000:6.1f} ms  (n={len(ordered)})"


def _peak_rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def _rss_mb(pid: int) -> float:
    """The worker's resident memory now (the peak is `_peak_rss_mb`)."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


async def _setup(
    client: httpx.AsyncClient,
    email: str,
    timings: dict[str, list[float]],
    exercise: str = EXERCISE,
) -> tuple[dict, dict]:
    """Log in (token and cookie) and start a run: the world is generated here, once."""
    answer = await client.post("/api/v1/auth/token", data={"username": email, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    token = answer.json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    started = time.perf_counter()
    run = (await client.post(f"/api/v1/exercises/{exercise}/runs", headers=headers)).json()
    timings["start run"].append(time.perf_counter() - started)
    page = await client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    await client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf})
    return headers, run


async def _learner(
    client: httpx.AsyncClient, headers: dict, run: dict, timings: dict[str, list[float]]
) -> None:
    """The measured part: a learner working in a run that is already open."""
    pause = random.Random(run["id"])
    rows = (
        await client.get(
            f"/api/v1/runs/{run['id']}/prospects", headers=headers, params={"per_page": 100}
        )
    ).json()["results"]
    for n in range(ROUNDS):
        contact = rows[n % len(rows)]["id"]
        action = (
            {"type": "view_profile", "contact_id": contact}
            if n % 3 == 0
            else {"type": "add_to_list", "contact_ids": [contact], "list_name": "main"}
            if n % 3 == 1
            else {"type": "advance_clock", "hours": 1}
        )
        started = time.perf_counter()
        response = await client.post(
            f"/api/v1/runs/{run['id']}/actions",
            json=action,
            headers=headers | {"Idempotency-Key": uuid.uuid4().hex},
        )
        timings["action"].append(time.perf_counter() - started)
        assert response.status_code in (200, 400, 409), response.text
        filters = {"decision_maker": "yes", "page": 1 + n % 5, "per_page": 25}
        started = time.perf_counter()
        await client.get(f"/api/v1/runs/{run['id']}/prospects", headers=headers, params=filters)
        timings["search (API)"].append(time.perf_counter() - started)
        started = time.perf_counter()
        html = await client.get(f"/sandbox/runs/{run['id']}/prospects", params=filters)
        if html.status_code == 200:
            timings["search page"].append(time.perf_counter() - started)
        await asyncio.sleep(pause.uniform(*THINK_SECONDS))


async def _healthz_rps(base: str, seconds: float = 3.0) -> float:
    done = 0
    async with httpx.AsyncClient(base_url=base) as client:
        deadline = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal done
            while time.perf_counter() < deadline:
                await client.get("/healthz")
                done += 1

        await asyncio.gather(*(worker() for _ in range(LEARNERS)))
    return done / seconds


@pytest.mark.skipif(
    not os.environ.get("LEADWORKS_BENCH"), reason="benchmarks run with `make bench`"
)
@pytest.mark.parametrize("exercise", [CAPSTONE, EXERCISE])
def test_twenty_learners_acting_at_once(tmp_path: Path, exercise: str) -> None:
    exercises = tmp_path / "exercises"
    contacts = _big_exercise(exercises)
    if exercise != EXERCISE:
        from simulator import open_exercise

        contacts = len(open_exercise(exercise, seed=1, exercises_dir=exercises).world.contacts)
    database = learner_database(tmp_path / "bench.db", LEARNERS, "bench")
    port = _free_port()
    env = os.environ | {
        "LEADWORKS_DATABASE_URL": database,
        "LEADWORKS_EXERCISES_DIR": str(exercises),
        "LEADWORKS_ENV": "development",
        "LEADWORKS_LOGIN_MAX_FAILURES_PER_ADDRESS": "1000",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "leadworks.asgi:app",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=PROJECT_ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        timings: dict[str, list[float]] = {
            "start run": [],
            "action": [],
            "search (API)": [],
            "search page": [],
        }

        memory = {"at start": _rss_mb(server.pid)}

        async def everyone() -> float:
            limits = httpx.Limits(max_connections=LEARNERS * 2)
            clients = [
                httpx.AsyncClient(base_url=base, limits=limits, timeout=60) for _ in range(LEARNERS)
            ]
            # two starts at a time: each holds SQLite's write lock while its world is
            # generated, and on a loaded machine twenty at once outwait the busy timeout
            gate = asyncio.Semaphore(2)

            async def setup(n: int, c: httpx.AsyncClient) -> tuple[dict, dict]:
                async with gate:
                    return await _setup(c, f"bench{n}@example.org", timings, exercise)

            opened = await asyncio.gather(*(setup(n, c) for n, c in enumerate(clients)))
            memory[f"{LEARNERS} runs open"] = _rss_mb(server.pid)
            started = time.perf_counter()
            await asyncio.gather(
                *(_learner(c, h, r, timings) for c, (h, r) in zip(clients, opened, strict=True))
            )
            elapsed = time.perf_counter() - started
            for client in clients:
                await client.aclose()
            return elapsed

        elapsed = asyncio.run(everyone())
        requests = sum(len(v) for k, v in timings.items() if k != "start run")
        health = asyncio.run(_healthz_rps(base))
        print(
            f"\nsandbox load: {LEARNERS} concurrent learners x {ROUNDS} rounds in {exercise}, a "
            f"{contacts:,}-contact world (SQLite, one worker; {THINK_SECONDS[0]}-{THINK_SECONDS[1]} s think time between clicks)"
        )
        for name, samples in timings.items():
            if samples:
                print(f"  {name:<14} {_percentiles(samples)}")
            else:
                print(f"  {name:<14} (page not available)")
        print(
            f"  throughput     {requests / elapsed:6.1f} req/s under load; /healthz alone {health:6.1f} req/s"
        )
        memory["after the load"] = _rss_mb(server.pid)
        print("  worker RSS     " + ", ".join(f"{k} {v:.1f} MB" for k, v in memory.items()))
        print(f"  worker peak RSS {_peak_rss_mb(server.pid):6.1f} MB (target < 300 MB)")
        assert timings["action"], "no action was measured"
    finally:
        server.terminate()
        server.wait(timeout=10)
